"""What a person typed, kept in their browser's session after it ended (reuse.views.keep_typed), is given back for
15 minutes; the session's row holds it until the row goes. Django removes no expired row by itself (its docs,
« Clearing the session store »: « Django does not provide automatic purging of expired sessions »), so without a
periodic purge the words of a form sent on a shared computer stayed in the database for good.
"""

from datetime import timedelta
from importlib import import_module

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.utils import timezone

from reuse.accounts.tasks import clear_expired_sessions
from reuse.views import KEPT_FORM_KEY

pytestmark = pytest.mark.django_db


def test_an_expired_session_and_what_it_kept_are_purged_by_the_beat(settings):
    from reuse.celery import app

    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[KEPT_FORM_KEY] = {
        "page": "/garantie/",
        "data": {"description": ["Mme Quarbonnet, 12 rue des Lilas"]},
    }
    store.create()
    living = import_module(settings.SESSION_ENGINE).SessionStore()
    living["seen"] = True
    living.create()
    with time_machine.travel(timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE + 60)):
        living["seen"] = False
        living.save()  # used again: its expiry moves on
        clear_expired_sessions()
    assert list(Session.objects.values_list("session_key", flat=True)) == [living.session_key]
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    name = "reuse.accounts.tasks.clear_expired_sessions"
    assert name in scheduled and name in app.tasks
