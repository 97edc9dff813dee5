"""The answer to a write that waited out SQLite's busy timeout (reuse.middleware.DatabaseBusyMiddleware), as a
person reads it on a phone: a small HTML page in their language, saying that nothing was saved, with a way to try
again; the API keeps its JSON error. The races that lead to it, over HTTP, are in test_sqlite_write_paths.py."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from donations.models import ImportJob
from donations.models.imports import ImportJobQuerySet
from reuse.accounts.models import User
from tests.factories.donations import LotFactory, LotItemFactory, donor_with_member
from tests.sqlite_race import database_locked

pytestmark = pytest.mark.django_db

BUSY_FR = (
    "Le site reçoit beaucoup de demandes en ce moment et rien n’a été enregistré : réessayez dans un instant."
)


def _stale_job_page(monkeypatch, **person):
    """The page of an import gone silent, which records it as failed (a write on a GET) and finds the lock taken."""
    donor, user = donor_with_member()
    User.objects.filter(pk=user.pk).update(**person)
    job = ImportJob.objects.create(
        lot=LotFactory(donor=donor, created_by=user), created_by=user, state="running"
    )
    ImportJob.objects.filter(pk=job.pk).update(updated=timezone.now() - timedelta(days=1))
    monkeypatch.setattr(ImportJobQuerySet, "expire_stale", database_locked)
    client = Client(raise_request_exception=False)
    client.force_login(User.objects.get(pk=user.pk))
    return client, reverse("donations:job", args=[job.pk])


def _page(answer) -> str:
    assert answer.status_code == 503
    assert answer["Retry-After"] == "5"
    assert answer["Content-Type"] == "text/html; charset=utf-8"
    return answer.content.decode()


def test_a_page_that_found_the_database_busy_offers_to_load_it_again(monkeypatch):
    client, path = _stale_job_page(monkeypatch)

    page = _page(client.get(path + "?vue=1"))

    assert '<html lang="fr">' in page
    assert re.search(r"<h1>[^<]+</h1>", page)
    assert BUSY_FR in page
    assert f'<a href="{path}?vue=1">Réessayer</a>' in page
    assert 'class="brand" href="/"' in page  # the site's home, in its frame


def test_a_form_that_found_the_database_busy_says_to_send_it_again_from_its_page(monkeypatch):
    donor, user = donor_with_member()
    client = Client(raise_request_exception=False)
    client.force_login(user)
    monkeypatch.setattr(User, "save", database_locked)
    back = reverse("accounts:my_data")

    page = _page(
        client.post(reverse("accounts:language"), {"language": "en"}, HTTP_REFERER=f"http://testserver{back}")
    )

    assert BUSY_FR in page
    assert "Revenez à la page du formulaire et envoyez-le à nouveau." in page
    assert f'<a href="{back}">Réessayer</a>' in page


def test_the_busy_page_is_in_the_readers_language(monkeypatch):
    client, path = _stale_job_page(monkeypatch, language="en")

    page = _page(client.get(path))

    assert '<html lang="en">' in page
    assert "nothing was saved" in page
    assert f'<a href="{path}">Try again</a>' in page


def test_the_api_keeps_its_error_format(monkeypatch):
    donor, user = donor_with_member()
    lot = LotFactory(donor=donor, created_by=user)
    LotItemFactory(lot=lot)
    client = Client(raise_request_exception=False)
    client.force_login(user)
    monkeypatch.setattr(ImportJobQuerySet, "in_flight", database_locked)

    answer = client.post(f"/api/v1/lots/{lot.pk}/submit", content_type="application/json")

    assert answer.status_code == 503
    assert answer.json() == {"detail": BUSY_FR, "code": "database_busy"}
