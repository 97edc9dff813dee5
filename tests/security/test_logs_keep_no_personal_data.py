"""What the operators read keeps no personal data: the main journeys (sign-up, password sign-in, password reset,
sign-in code, eligibility document, claim paid by card and Stripe's webhook) run with the logging configuration of
production, and every line its handlers write (console and the error emails of 500 reports) is scanned for the
journeys' email addresses, phone numbers, names, IBAN, sign-in code, reset token, session id, Stripe client secret
and document content.

Two failures come the way production meets them: the mail server refuses a recipient (smtplib's
SMTPRecipientsRefused carries the address and the server's answer, which repeats it, as Postfix writes
« 550 5.1.1 <x@y>: Recipient address rejected », RFC 5321 §4.2 and Postfix's smtpd reject messages), and a page
fails while a signed-in person posts a form (Django's AdminEmailHandler then mails the request: its POST, cookies
and user, see « Error reporting » in Django's documentation).
"""

import datetime
import io
import logging
import re
import smtplib
from pathlib import Path
from types import SimpleNamespace

import django.core.mail.backends.locmem
import pytest
from celery.app.log import Logging
from django.conf import settings
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils.log import configure_logging
from gunicorn.config import Config
from hypothesis import given
from hypothesis import settings as settings_hypothesis
from hypothesis import strategies as st

from reuse.accounts.models import User
from reuse.celery import app as celery_app
from reuse.eligibility import sign_in_codes
from reuse.eligibility.services import documents
from reuse.logs import HIDDEN, RedactPersonalData, redact
from tests import fixtures
from tests.claims import conftest as claims
from tests.claims.helpers import deliver, intent_of, pay_by_card
from tests.documents import PDF
from tests.eligibility import conftest as eligibility
from tests.services.conftest import WEBHOOK

pytestmark = pytest.mark.django_db
programme = fixtures.checked_programme
_on_commit_runs_at_once = fixtures._on_commit_runs_at_once
localstripe_url, stripe_at, reserved = claims.localstripe_url, claims.stripe_at, claims.reserved
referrer, mandated = eligibility.referrer, eligibility.mandated

PASSWORD = "un-mot-de-passe-long-2026"
PERSON = {
    "first_name": "Ysolde",
    "last_name": "Quintrandel",
    "email": "ysolde.quintrandel@example.test",
    "postcode": "93200",
    "household_size": 2,
    "birth_date": "1988-04-05",
}
DONOR = {
    "first_name": "Gwenaëlle",
    "last_name": "Brocéliande",
    "email": "gwen.broceliande@example.test",
    "name": "Banque Exemple",
    "siret": "35600000000048",
    "address": "9 rue du Louvre",
    "postcode": "75001",
    "city": "Paris",
    "phone": "06 71 23 45 89",
}
IBAN = "FR7630006000011234567890189"
DOCUMENT_WORDS = b"Attestation CAF de Ysolde Quintrandel, allocataire 7788123"


@pytest.fixture
def written(settings):
    """Every line production's logging writes during the test: its console handler and its error emails."""
    settings.ADMINS = [("Exploitation", "exploitation@rebond.test")]
    settings.DEBUG = False
    # The tasks run in the test, as in the demo: a refused email is logged once, not retried by a worker.
    settings.CELERY_TASK_ALWAYS_EAGER = True
    configure_logging(settings.LOGGING_CONFIG, settings.LOGGING)
    stream = io.StringIO()
    consoles = [
        handler
        for logger in [logging.getLogger(), *map(logging.getLogger, settings.LOGGING.get("loggers", {}))]
        for handler in logger.handlers
        if isinstance(handler, logging.StreamHandler)
    ]
    assert consoles, "the logging configuration writes to no stream"
    for handler in consoles:
        handler.setStream(stream)
    yield (
        lambda: (
            stream.getvalue()
            + "".join(
                f"{message.subject}\n{message.body}\n"
                for message in mail.outbox
                if message.to == ["exploitation@rebond.test"]
            )
        )
    )
    configure_logging(settings.LOGGING_CONFIG, settings.LOGGING)


ACCEPTED = django.core.mail.backends.locmem.EmailBackend.send_messages


def refused_recipient(self, messages):
    """The mail server refuses the household's address as Postfix does: its answer repeats the address."""
    address = messages[0].to[0]
    if address == "exploitation@rebond.test":
        return ACCEPTED(self, messages)
    raise smtplib.SMTPRecipientsRefused(
        {address: (550, f"5.1.1 <{address}>: Recipient address rejected: User unknown".encode())}
    )


def test_the_main_journeys_write_no_personal_data_in_the_logs(
    written,
    programme,
    stripe_at,
    reserved,
    monkeypatch,
    referrer,
    mandated,
):
    secrets = {
        "email": [PERSON["email"], DONOR["email"]],
        "name": [PERSON["last_name"], DONOR["last_name"], mandated.last_name],
        "phone": ["06 71 23 45 89", "0671234589", "+33671234589", "671234589"],
        "iban": [IBAN],
        "document": [DOCUMENT_WORDS.decode()],
    }

    # Sign-up of a household and of a donor (with a phone number), then a wrong and a right password.
    visitor = Client()
    assert visitor.post(reverse("eligibility:signup"), {**PERSON, "password": PASSWORD}).status_code == 302
    secrets["session"] = [visitor.cookies[settings.SESSION_COOKIE_NAME].value]
    assert Client().post(reverse("donations:register"), {**DONOR, "password": PASSWORD}).status_code == 302
    person = User.objects.get(email=PERSON["email"])
    signing_in = Client()
    signing_in.post(reverse("accounts:login"), {"username": PERSON["email"], "password": "pas-le-bon"})
    assert (
        signing_in.post(
            reverse("accounts:login"), {"username": PERSON["email"], "password": PASSWORD}
        ).status_code
        == 302
    )
    secrets["session"].append(signing_in.cookies[settings.SESSION_COOKIE_NAME].value)

    # Password reset: the link, then the mail server refusing the address of a second request.
    resetting = Client()
    resetting.post(reverse("accounts:password_reset"), {"email": PERSON["email"]})
    link = next(
        line for line in mail.outbox[-1].body.splitlines() if "/mot-de-passe/nouveau/" in line
    ).strip()
    secrets["reset token"] = [link.rstrip("/").rsplit("/", 1)[1]]
    form_url = resetting.get(link.removeprefix(settings.PUBLIC_BASE_URL), follow=True).redirect_chain[-1][0]
    resetting.post(form_url, {"new_password1": PASSWORD + "-2", "new_password2": PASSWORD + "-2"})
    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refused_recipient)
    Client().post(reverse("accounts:password_reset"), {"email": PERSON["email"]})
    monkeypatch.undo()

    # A sign-in code printed by a referrer, typed wrong once, then right.
    code = sign_in_codes.issue_sign_in_code(referrer=referrer, household=mandated).code
    secrets["sign-in code"] = [code, code.replace("-", "")]
    typing = Client()
    typing.post("/eligibilite/connexion-code/", {"code": code[:-1] + ("B" if code[-1] != "B" else "C")})
    assert typing.post("/eligibilite/connexion-code/", {"code": code}).status_code == 302
    secrets["session"].append(typing.cookies[settings.SESSION_COOKIE_NAME].value)

    # An eligibility document: a readable PDF, then a file that is no document at all.
    documents.upload_document(
        household=person, uploaded_by=person, criteria=["rsa"], upload=SimpleUploadedFile("caf.pdf", PDF)
    )
    with pytest.raises(Exception):  # noqa: B017, PT011 the refusal itself is tested in test_documents
        documents.upload_document(
            household=person,
            uploaded_by=person,
            criteria=["rsa"],
            upload=SimpleUploadedFile("caf.pdf", b"%PDF-1.4\n" + DOCUMENT_WORDS),
        )

    # A claim paid by card, Stripe's webhook delivered twice, and one whose event is unsigned.
    household, claim = reserved
    payment = pay_by_card(stripe_at, household, claim)
    intent = intent_of(payment)
    secrets["client secret"] = [intent.client_secret]
    deliver("payment_intent.succeeded", intent, event_id="evt_logs_1")
    deliver("payment_intent.succeeded", intent, event_id="evt_logs_1")
    Client().post(
        WEBHOOK,
        data=b'{"id": "evt_x", "data": {"object": {"client_secret": "%s"}}}' % intent.client_secret.encode(),
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE="t=1,v1=00",
    )

    # A page that fails while a signed-in person posts a form: the 500 report mailed to the operators.
    failing = Client(raise_request_exception=False)
    failing.force_login(person)
    secrets["session"].append(failing.cookies[settings.SESSION_COOKIE_NAME].value)

    def broken(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr("reuse.accounts.signups.create_account", broken)
    answer = failing.post(
        reverse("donations:register"),
        {**DONOR, "email": "autre." + DONOR["email"], "iban": IBAN, "password": PASSWORD},
    )
    assert answer.status_code == 500
    monkeypatch.undo()

    logs = written()
    assert "Internal Server Error" in logs, "the 500 report was not captured"
    # Sent from Rebond's own address: many mail servers refuse Django's default sender, root@localhost.
    reports = [message for message in mail.outbox if message.to == ["exploitation@rebond.test"]]
    assert reports and {message.from_email for message in reports} == {settings.DEFAULT_FROM_EMAIL}
    found = sorted(
        {(kind, value) for kind, values in secrets.items() for value in values if value and value in logs}
    )
    assert found == [], logs


# What other programs write into Rebond's log lines, as they write it.
REDACTED = [
    # Postfix's smtpd refusal (postconf(5), smtpd_reject_unlisted_recipient), as smtplib raises it.
    ("{'ysolde@example.test': (550, b'5.1.1 <ysolde@example.test>: Recipient address rejected')}", "ysolde@"),
    # PostgreSQL's unique violation DETAIL (errcodes 23505), as psycopg's IntegrityError reads.
    ("Key (email)=(y.quintrandel@laposte.net) already exists.", "laposte"),
    # Stripe's invalid_request_error, which quotes the value it refused.
    ("No such payment_intent: 'pi_3QxA2bC_secret_Zk81LmNq'", "_secret_Zk81"),
    ("Invalid API Key provided: sk_live_51HxAbCdEfGh", "sk_live_51H"),
    # Django's request logger on a password reset link, and a session cookie line.
    ("Not Found: /mot-de-passe/nouveau/Mjc/cl4k2z-8f1e9c0b2a4d6e8f0a1b/", "cl4k2z"),
    ("Cookie: sessionid=q8w7e6r5t4y3u2i1o0p9; csrftoken=abcdef", "q8w7e6"),
    ("Authorization: Bearer rb_2f9d8c7b6a5e4d3c", "rb_2f9d"),
    ("phone 06 71 23 45 89 then +33 6 71 23 45 89, 0033671234589 or 07.12.34.56.78", "45 89"),
    ("virement FR76 3000 6000 0112 3456 7890 189 reçu", "7890"),
    ("code KM7Q-XN4P-R8TZ refusé", "XN4P"),
]
KEPT = [
    "Task reuse.accounts.tasks.send_password_reset[ba293c98-64e2-4412-b3ce-3d6a1fef899b] succeeded in 0.0138s",
    "Claim 12 locked at the counter after 5 wrong codes",
    "Dispute du_1Nx on claim 44: 4500 cents, reason fraudulent",
    "Device RB-000123 priced outside its bounds at 2026-12-04T01:14:35+00:00",
    "Intent pi_3QxA2bCdEf of claim 7 not read: timeout",
]


@pytest.mark.parametrize(("line", "private"), REDACTED)
def test_what_other_programs_repeat_is_redacted(line, private):
    record = logging.LogRecord("x", logging.ERROR, __file__, 1, "sent: %s", (line,), None)
    RedactPersonalData().filter(record)
    assert private not in record.getMessage() and HIDDEN in record.getMessage()


@pytest.mark.parametrize("line", KEPT)
def test_ordinary_lines_stay_readable(line):
    assert redact(line) == line


def test_a_celery_worker_writes_through_the_same_redacting_handlers(settings):
    """`celery worker` sets up its logging at start (celery.app.log.Logging.setup_logging_subsystem): the handlers
    it leaves on the root logger are the ones that redact, for the tasks that send emails and read Stripe."""
    configure_logging(settings.LOGGING_CONFIG, settings.LOGGING)
    try:
        celery_app.log.setup_logging_subsystem(loglevel="INFO")
        filters = [kind for handler in logging.getLogger().handlers for kind in handler.filters]
    finally:
        Logging._setup = False
        configure_logging(settings.LOGGING_CONFIG, settings.LOGGING)
    assert any(isinstance(kind, RedactPersonalData) for kind in filters), filters


def test_gunicorn_s_access_log_keeps_no_reset_token_nor_address(capsys):
    """gunicorn writes its access log itself (gunicorn.glogging.Logger.access, in the « combined » format of its
    documentation): the request line and referer of a password reset link, and a query with an address."""
    config = Config()
    config.set("accesslog", "-")
    config.set("logger_class", "reuse.logs.AccessLog")
    log = config.logger_class(config)
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": "/mot-de-passe/nouveau/Mjc/cl4k2z-8f1e9c0b2a4d6e8f0a1b/?email=ysolde%40example.test",
        "PATH_INFO": "/mot-de-passe/nouveau/Mjc/cl4k2z-8f1e9c0b2a4d6e8f0a1b/",
        "QUERY_STRING": "email=ysolde@example.test",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "10.0.0.1",
        "HTTP_REFERER": "https://rebond.example.org/mot-de-passe/nouveau/Mjc/cl4k2z-8f1e9c0b2a4d6e8f0a1b/",
    }
    response = SimpleNamespace(status="302 Found", headers=[], sent=0)
    log.access(response, SimpleNamespace(headers=[]), environ, datetime.timedelta(milliseconds=12))
    line = capsys.readouterr().out
    assert "GET /mot-de-passe/nouveau/" in line and " 302 " in line
    assert "cl4k2z" not in line and "ysolde" not in line, line


@pytest.mark.parametrize("path", ["Dockerfile", "compose.yaml", "deploy/kubernetes/web.yaml"])
def test_every_deployed_gunicorn_writes_its_access_log_through_the_redacting_logger(path):
    text = (Path(settings.BASE_DIR) / path).read_text(encoding="utf-8")
    commands = [line for line in text.splitlines() if '"gunicorn"' in line]
    assert commands and all('"--logger-class", "reuse.logs.AccessLog"' in line for line in commands), commands


separators = st.sampled_from(["", " ", ".", "-"])


@st.composite
def french_phones(draw):
    """A French number as people type it: 0X or +33 X / 0033 X, then four pairs, each separator chosen."""
    first = draw(st.integers(1, 9))
    pairs = [f"{draw(st.integers(0, 99)):02d}" for _ in range(4)]
    prefix = draw(
        st.sampled_from([f"0{first}", f"+33{first}", f"+33 {first}", f"0033 {first}", f"+33 (0){first}"])
    )
    sep = draw(separators)
    return prefix + "".join(sep + pair for pair in pairs)


@settings_hypothesis(max_examples=300, deadline=None)
@given(
    secret=st.one_of(st.emails(), french_phones()),
    before=st.text(alphabet=st.characters(categories=["L", "P", "Zs"]), max_size=20),
    after=st.sampled_from(["", " ", ": refused", ")", "'", ">", ",", "\n"]),
)
def test_any_address_or_phone_number_between_any_words_is_redacted_whole(secret, before, after):
    """Whatever surrounds it, the whole address or number goes: no local part or last digits left behind."""
    assert redact(f"{before} {secret}{after}") == f"{redact(before)} {HIDDEN}{after}"


def test_a_call_whose_arguments_do_not_fit_its_format_is_written_redacted_not_raised():
    record = logging.LogRecord("x", logging.WARNING, __file__, 1, "sent to %s and %s", ("a@b.fr",), None)
    assert RedactPersonalData().filter(record)
    assert "a@b.fr" not in record.getMessage() and "sent to %s and %s" in record.getMessage()


def test_each_line_says_when_how_grave_and_from_where(written):
    """A Celery worker writes through these handlers (above), not its own: its lines keep time, level and logger."""
    logging.getLogger("reuse.claims.payments").warning("Intent %s of claim %s not read", "pi_1", 7)
    line = written().splitlines()[-1]
    assert re.match(
        r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ WARNING reuse.claims.payments \[\d+\] Intent pi_1", line
    ), line
