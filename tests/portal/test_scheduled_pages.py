"""An editor schedules a page (Wagtail's « Publier à » / « Dépublier à » dates) and it goes live, then comes down,
at those dates, with no one at a terminal: Wagtail only does it when its `publish_scheduled` command runs
(docs.wagtail.org, "Scheduled publishing": "set up a cron job"), so the deployment's one beat runs it."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

from cms.models import HomePage, StandardPage

pytestmark = pytest.mark.django_db


def _run_the_beat():
    """Every periodic task of the portal's layer (a task name in cms.), found where a worker finds it."""
    ran = 0
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        if entry["task"].startswith("cms."):
            import_string(entry["task"]).apply().get()
            ran += 1
    return ran


def test_a_page_scheduled_by_an_editor_goes_live_then_comes_down_at_its_dates(client):
    home = HomePage.objects.get(locale__language_code="fr")
    page = home.add_child(instance=StandardPage(title="Collecte de printemps", slug="collecte", live=False))
    page.go_live_at = timezone.now() + timedelta(days=1)
    page.save_revision().publish()  # the editor's « Publier » with a date to come: scheduled, not live
    page.refresh_from_db()
    assert not page.live
    assert client.get("/collecte/").status_code == 404

    # The date comes (the revision holds it twice: in the schedule and in the page's content).
    revision = page.scheduled_revision
    revision.approved_go_live_at = timezone.now() - timedelta(minutes=1)
    revision.content["go_live_at"] = revision.approved_go_live_at.isoformat()
    revision.save()
    assert _run_the_beat(), "no periodic task of the portal publishes scheduled pages"
    page.refresh_from_db()
    assert page.live
    assert client.get("/collecte/").status_code == 200

    # « Dépublier à » a date that has passed.
    StandardPage.objects.filter(pk=page.pk).update(expire_at=timezone.now() - timedelta(minutes=1))
    _run_the_beat()
    page.refresh_from_db()
    assert not page.live and page.expired
    assert client.get("/collecte/").status_code == 404
