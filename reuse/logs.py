"""What operators read keeps no personal data: one filter on every handler of the logging configuration, and the
report Django mails for a 500 without the person's form, cookies, name or query.

Rebond's own log lines name people by primary key; what the filter catches is what others write in them: an SMTP
server's refusal repeats the address, PostgreSQL's DETAIL repeats the duplicate value, Stripe's errors may quote a
client secret, a 404 line carries the path of a password reset link.
"""

import logging
import re

from django.views.debug import ExceptionReporter, SafeExceptionReporterFilter
from gunicorn.glogging import Logger as GunicornLogger

HIDDEN = "[redacted]"

PATTERNS = [
    # Addresses percent-encoded in a URL (whose / ? & = are the URL's own), then written with any character
    # RFC 5322 allows in a local part (before the phone numbers: digits in an address).
    re.compile(r"[\w.!#$%'*+^`{|}~-]+%40[\w-]+(?:\.[\w-]+)+"),
    re.compile(r"[\w.!#$%&'*+/=?^`{|}~-]+@[\w-]+(?:\.[\w-]+)+"),
    # Stripe's client secrets (pi_…_secret_…, seti_…_secret_…) and secret or restricted keys.
    re.compile(r"\b(?:pi|seti|pm|src)_\w+_secret_\w+"),
    re.compile(r"\b(?:sk|rk|whsec)_(?:live|test)?_?\w{8,}"),
    # Bearer tokens and session or CSRF cookies however they are written (header, cookie line, repr).
    re.compile(r"(?i)\bbearer\s+[\w.~+/=-]+"),
    re.compile(r"(?i)\b(sessionid|csrftoken|session_key)(['\"]?\s*[:=]\s*['\"]?)[\w.:-]+"),
    # A password reset link's token (/mot-de-passe/nouveau/<uidb64>/<token>/).
    re.compile(r"(/mot-de-passe/nouveau/)[\w-]+/[\w-]+"),
    # IBAN: two letters, two check digits, then 11 to 30 letters and digits, grouped or not.
    re.compile(r"\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]){11,30}\b"),
    # Printed sign-in codes: three groups of four characters of their alphabet (not the middle of a UUID).
    re.compile(r"(?<![\w-])[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}(?![\w-])", re.IGNORECASE),
    # Phone numbers, French (0X XX XX XX XX, +33 X…, 0033 X…) and international E.164.
    re.compile(r"(?<![\w.])(?:(?:\+|00)33[ .-]?(?:\(0\))?[ .-]?[1-9]|0[1-9])(?:[ .-]?\d{2}){4}(?![\w])"),
    re.compile(r"(?<![\w.])\+[1-9]\d{7,14}(?!\w)"),
]


def redact(text: str) -> str:
    """`text` with every address, phone number, IBAN, token, secret and code replaced by HIDDEN."""
    for pattern in PATTERNS:
        if pattern.groups:
            text = pattern.sub(lambda found: "".join(part or "" for part in found.groups()) + HIDDEN, text)
        else:
            text = pattern.sub(HIDDEN, text)
    return text


class RedactPersonalData(logging.Filter):
    """On a handler: the record's message, its traceback and stack as they will be written, redacted. The record
    keeps its exc_info for the error email's report (PrivateExceptionReporter redacts that one)."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            # A call whose arguments do not fit its format: logging would report it from emit(); here it would
            # reach the code that logged. Both parts are kept, redacted, as logging's own report shows them.
            message = f"{record.msg} {record.args!r}"
        record.msg = redact(message)
        record.args = ()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


class PrivateExceptionReporterFilter(SafeExceptionReporterFilter):
    """Every value a person typed or carries is hidden, not only the ones a view marked sensitive: the forms of a
    sign-up, a claim or a document hold names, addresses and phone numbers; the session cookie opens the account."""

    def get_post_parameters(self, request):
        if request is None:
            return {}
        return {key: self.cleansed_substitute for key in request.POST}

    def get_safe_cookies(self, request):
        return {key: self.cleansed_substitute for key in getattr(request, "COOKIES", {})}

    def get_safe_request_meta(self, request):
        return {key: redact(str(value)) for key, value in super().get_safe_request_meta(request).items()}

    def get_traceback_frame_variables(self, request, tb_frame):
        return [(name, self.cleansed_substitute) for name, _value in tb_frame.f_locals.items()]


class PrivateExceptionReporter(ExceptionReporter):
    """The 500 report without the signed-in person's name (their number instead), query values nor what the
    exception's message repeats (an address in a duplicate key)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filter = PrivateExceptionReporterFilter()

    def get_traceback_data(self):
        data = super().get_traceback_data()
        user = getattr(self.request, "user", None)
        if user is not None:
            data["user_str"] = f"#{user.pk}" if getattr(user, "pk", None) else "anonymous"
        if "request_GET_items" in data:
            data["request_GET_items"] = [(key, HIDDEN) for key, _value in data["request_GET_items"]]
        if "request_FILES_items" in data:
            data["request_FILES_items"] = [(key, HIDDEN) for key, _value in data["request_FILES_items"]]
        for key in ("exception_value", "request_insecure_uri"):
            if data.get(key):
                data[key] = redact(str(data[key]))
        return data

    def get_traceback_text(self):
        return redact(super().get_traceback_text())

    def get_traceback_html(self):
        return redact(super().get_traceback_html())


class AccessLog(GunicornLogger):
    """gunicorn's access log (`--logger-class reuse.logs.AccessLog`), whose lines gunicorn writes itself, outside
    Django's logging: the path, query and referer of a password reset link, an address in a query, redacted."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        return {key: redact(value) if isinstance(value, str) else value for key, value in atoms.items()}
