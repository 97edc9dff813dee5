"""Playwright with Debian's Chromium, axe-core checks, and a screenshot when a journey fails."""

import os
from pathlib import Path

import pytest

from reuse.bench.browser import CHROMIUM, CHROMIUM_ARGS
from tests.browser.a11y import Axe, describe
from tests.browser.steps import phone_page

ARTIFACTS = Path(__file__).resolve().parents[2] / ".test-artifacts"
# Playwright drives the browser from its own event loop thread; Django must accept sync ORM calls meanwhile.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: apt-get install chromium (.ci/run does it).")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.hookimpl(tryfirst=True, hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


def restore_page_tree():
    """Transactional tests flush the database, the page tree created by migrations included: put it back (Wagtail's
    root, the portal's home page, the default site) so that every journey finds the home page whatever ran
    before it."""
    from importlib import import_module

    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import Locale, Page

    if Page.objects.filter(depth=1).exists():
        return
    locale, _ = Locale.objects.get_or_create(language_code="fr")
    Page.objects.create(
        title="Root",
        draft_title="Root",
        slug="root",
        content_type=ContentType.objects.get_for_model(Page),
        path="0001",
        depth=1,
        numchild=0,
        url_path="/",
        locale=locale,
    )
    import_module("cms.migrations.0002_create_homepage").create_homepage(apps, None)


@pytest.fixture(autouse=True)
def _real_worker(celery_worker_process):
    """Every journey runs with the real Celery worker: tasks sent by the live server go through Redis to it."""
    return celery_worker_process


@pytest.fixture
def sent_by_worker(celery_worker_process):
    """Wait until the worker has sent every email `template` queued for `to_email` (outbox rows marked sent)."""
    from reuse.accounts.enums import NotificationState
    from reuse.accounts.models import Notification
    from tests.services.conftest import wait_for

    def check(template: str, to_email: str):
        rows = Notification.objects.filter(template=template, to_email=to_email)
        assert rows.exists(), f"no {template} email queued for {to_email}"
        sent = wait_for(lambda: not rows.exclude(state=NotificationState.SENT).exists(), timeout=30)
        assert sent, (
            f"the worker did not send {template} to {to_email}:\n"
            + (celery_worker_process.log_path.read_text()[-2000:])
        )

    return check


@pytest.fixture
def page(request, browser, live_server):
    """A phone-sized page (360 px wide) on the live server; saved as a screenshot if the test fails."""
    restore_page_tree()
    page = phone_page(browser, live_server.url)
    yield page
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    page.context.close()


@pytest.fixture(scope="session")
def axe():
    return Axe()


@pytest.fixture
def assert_accessible(axe):
    """Run axe-core (WCAG 2.1 A/AA rules) on the current page and fail with the violations listed."""

    def check(page):
        # Colours are judged once transitions have ended (a message fading in is not its final contrast).
        page.wait_for_function(
            """() => document.getAnimations().every(
                a => a.playState !== "running" || a.effect.getComputedTiming().endTime === Infinity)""",
            timeout=5_000,
        )
        violations = axe.violations(page)
        assert not violations, f"{page.url}\n" + describe(violations)

    return check
