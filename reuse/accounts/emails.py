"""Every message Rebond sends is written in its reader's language, and goes out through here.

`written_for` renders templates/emails/<template>.* (subject, plain text, HTML) under the reader's language:
its words, its money and dates, and the links in it. `outgoing` is the one place an email object is made; it
carries the language it is written in (Content-Language). An address without an account (a lot's contact, an
organisation's) is written to in the language of whoever gave it: the lot's declarant, the organisation's
members (`organisation_language`), passed as `notify(language_if_unknown=…)`. Nothing else in the project builds or sends an email
(tests/claims/test_email_languages.py walks the code to hold it): the outbox (reuse.accounts.services.notify)
and the password reset task both come here.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import Context, Engine
from django.template.loader import render_to_string
from django.utils import translation

from reuse.accounts.enums import MembershipRole
from reuse.accounts.models import Membership, User


def spoken(language: str | None) -> str:
    """`language` if Rebond writes in it (« en-gb » reads as « en »), else the site's language."""
    try:
        return translation.get_supported_language_variant((language or "").lower())
    except LookupError:
        return settings.LANGUAGE_CODE


def language_of(user=None, email: str | None = None, *, otherwise: str | None = None) -> str:
    """The language of whoever reads: the account's, or the account that owns `email` (an organisation's
    contact address is often one of its members'); for an address without an account, `otherwise` (the language
    of the person who wrote it down for them, as an inviter's), else the site's language (nobody has said)."""
    if user is None and email:
        user = User.objects.filter(email__iexact=email.strip()).only("language").first()
    return spoken(user.language if user is not None else otherwise)


def organisation_language(organisation) -> str | None:
    """The language an organisation's members read Rebond in, for its contact address when no account owns it:
    its first administrator's, else its first member's; None for no organisation or nobody in it."""
    if organisation is None:
        return None
    members = Membership.objects.filter(organisation=organisation).order_by("pk")
    return (
        members.filter(role=MembershipRole.ADMIN).values_list("user__language", flat=True).first()
        or members.values_list("user__language", flat=True).first()
    )


@dataclass(frozen=True)
class WrittenEmail:
    language: str
    subject: str
    text: str
    html: str


def written_for(language: str, template: str, context: dict) -> WrittenEmail:
    """The email `template` written in `language`, whatever language the request or the worker is in."""
    language = spoken(language)
    context = {**context, "base_url": settings.PUBLIC_BASE_URL}
    with translation.override(language):
        subject = _plain_text(f"emails/{template}_subject.txt", context)
        text = _plain_text(f"emails/{template}.txt", context)
        html = render_to_string(f"emails/{template}.html", context)
    return WrittenEmail(language, " ".join(subject.split()), text, html)


def _plain_text(name: str, context: dict) -> str:
    """A subject or a plain-text body: text, so not HTML-escaped (« L'Atelier & Cie », never « L&#x27;Atelier
    &amp; Cie »). Only the HTML part escapes what people typed."""
    return Engine.get_default().get_template(name).render(Context(context, autoescape=False))


def outgoing(*, to: str, language: str, subject: str, text: str, html: str = "") -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=subject, body=text, to=[to], headers={"Content-Language": spoken(language)}
    )
    if html:
        message.attach_alternative(html, "text/html")
    return message
