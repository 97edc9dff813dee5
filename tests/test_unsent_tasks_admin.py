"""Staff on call see the tasks that wait for the broker (accounts.UnsentTask) in the Wagtail admin, « Tâches en
attente », and queue one again (« Renvoyer maintenant », a POST with its CSRF token). Before, nothing in the admin
showed them: only /healthz's count and the logs. Reading them takes `view_unsenttask`; queuing one again takes
`resend_unsenttask` (least privilege, as `cancel_taxreceipt` for tax receipts). A task's arguments are never shown:
they may name a person (an email address, an account's id)."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client

from reuse.accounts.models import Notification, UnsentTask
from reuse.celery import keep_unsent
from tests.factories.accounts import UserFactory
from tests.outages.test_broker_down import point_broker_at

pytestmark = pytest.mark.django_db
INDEX = "/admin/unsent-tasks/"


def kept(user_id=987654) -> UnsentTask:
    """A password reset kept for a person's account: its argument (the account's id) is theirs."""
    keep_unsent(
        "reuse.accounts.tasks.send_password_reset",
        (),
        {"user_id": user_id},
        ConnectionRefusedError("Error 111 connecting to 127.0.0.1:6379. Connection refused."),
    )
    return UnsentTask.objects.get()


def staff_with(*codenames) -> Client:
    user = UserFactory(is_staff=True)
    group = Group.objects.create(name="Astreinte " + "-".join(codenames))
    group.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"),
        *Permission.objects.filter(content_type__app_label="accounts", codename__in=codenames),
    )
    user.groups.add(group)
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def csrf_post(client, url):
    client.get(url)
    return client.post(url, {"csrfmiddlewaretoken": client.cookies["csrftoken"].value})


def test_staff_who_may_read_them_see_name_age_attempts_and_error_never_the_arguments():
    row = kept()
    UnsentTask.objects.filter(pk=row.pk).update(attempts=3)
    client = staff_with("view_unsenttask")

    page = client.get(INDEX)

    assert page.status_code == 200
    html = page.content.decode()
    assert "reuse.accounts.tasks.send_password_reset" in html
    assert "Connection refused" in html and ">3<" in html.replace(" ", "").replace("\n", "")
    assert "987654" not in html
    # Reading is not queuing again: no button, and the confirmation page refuses them.
    assert "Renvoyer maintenant" not in html
    assert client.get(f"{INDEX}resend/{row.pk}/").status_code in (302, 403)
    assert UnsentTask.objects.filter(pk=row.pk).exists()


def test_a_staff_member_without_the_permission_and_a_household_are_refused():
    row = kept()
    assert staff_with("view_notification").get(INDEX).status_code in (302, 403)
    household = Client()
    household.force_login(UserFactory())
    for url in (INDEX, f"{INDEX}resend/{row.pk}/"):
        answer = household.get(url)
        assert answer.status_code == 302 and answer["Location"].startswith("/admin/login/")


def test_resend_now_queues_it_once_and_refuses_a_post_without_its_csrf_token(mailoutbox):
    notification = Notification.objects.create(
        to_email="foyer@example.test", template="t", subject="Votre réservation", body_text="Bonjour"
    )
    keep_unsent(
        "reuse.accounts.tasks.send_notification", (notification.pk,), {}, ConnectionRefusedError("refused")
    )
    row = UnsentTask.objects.get()
    client = staff_with("view_unsenttask", "resend_unsenttask")
    url = f"{INDEX}resend/{row.pk}/"
    assert "Renvoyer maintenant" in client.get(INDEX).content.decode()

    assert client.post(url).status_code == 403  # no CSRF token
    assert UnsentTask.objects.filter(pk=row.pk).exists()

    answer = csrf_post(client, url)

    assert answer.status_code == 302
    assert not UnsentTask.objects.exists()
    assert [message.to for message in mailoutbox] == [["foyer@example.test"]]


@pytest.mark.django_db(transaction=True)
def test_resend_now_while_the_broker_still_refuses_says_so_and_keeps_the_task(broker_down):
    row = kept()
    client = staff_with("view_unsenttask", "resend_unsenttask")

    answer = csrf_post(client, f"{INDEX}resend/{row.pk}/")

    assert answer.status_code == 302
    said = [str(message) for message in client.get(answer["Location"]).context["messages"]]
    assert any("ne répond toujours pas" in message for message in said), said
    row.refresh_from_db()
    assert row.attempts == 1 and "refused" in row.last_error.lower()


@pytest.fixture
def broker_down(settings, monkeypatch):
    from reuse.celery import app

    monkeypatch.setenv("CELERY_BROKER_URL", app.conf.broker_url or "")
    before = (app.conf.broker_url, app.conf.task_always_eager)
    settings.CELERY_TASK_ALWAYS_EAGER = False
    point_broker_at("redis://127.0.0.1:9/0", eager=False)
    yield
    point_broker_at(*before)
