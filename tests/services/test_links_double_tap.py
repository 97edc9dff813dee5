"""PostgreSQL: an address-confirmation link tapped twice at once (a double tap on a phone; a mail app's in-app
browser and the system browser). The second request waits on the first's row lock; once it goes on, it says the
address is changed, never « ask again », and the address is changed once."""

import pytest
from django.test import Client

from reuse.accounts.models import User
from tests.factories.accounts import UserFactory
from tests.security.test_links_used_twice import ADDRESS_DONE, asked_address_change
from tests.security.test_sign_in_identifiers import PASSWORD
from tests.services.test_claims_concurrency import _race

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_confirmation_link_tapped_twice_at_once_changes_once_and_both_answers_say_so(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    user = UserFactory(email="ancienne@example.test", password=PASSWORD)
    link = asked_address_change(user)
    answers = _race([lambda: Client().post(link) for _ in range(2)])
    statuses = sorted(getattr(answer, "status_code", answer) for answer in answers)
    assert statuses == [200, 302], answers
    (second,) = [answer for answer in answers if answer.status_code == 200]
    assert ADDRESS_DONE in second.content.decode()
    assert User.objects.get(pk=user.pk).email == "nouvelle@example.test"
