"""A refused form on a phone: the summary at the top names each wrong field with a link to it, and what the
browser cannot keep (a password, a chosen file) says that it must be given again, instead of silently empty."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string

from reuse.eligibility.forms import DocumentForm, HouseholdSignupForm

pytestmark = pytest.mark.django_db


def summary(html: str) -> str:
    return re.search(r'<div[^>]*id="form-errors".*?</div>', html, re.S).group(0)


def test_the_error_summary_links_to_each_wrong_field(client):
    html = client.post(
        "/eligibilite/inscription/", {"first_name": "Fatou", "postcode": "932"}
    ).content.decode()
    top = summary(html)
    assert 'href="#id_postcode"' in top and "Votre code postal" in top
    assert 'href="#id_email"' in top
    assert 'href="#id_first_name"' not in top


def test_a_refused_sign_up_keeps_what_was_typed_and_asks_for_the_password_again(client):
    html = client.post(
        "/eligibilite/inscription/",
        {
            "first_name": "Fatou",
            "email": "fatou@example.org",
            "password": "un-mot-de-passe-long",
            "postcode": "9",
        },
    ).content.decode()
    assert 'value="Fatou"' in html and 'value="fatou@example.org"' in html
    assert "un-mot-de-passe-long" not in html
    assert "Retapez votre mot de passe" in html


def test_a_refused_upload_says_the_file_must_be_chosen_again():
    form = DocumentForm({}, {"file": SimpleUploadedFile("empty.pdf", b"")})
    assert not form.is_valid()
    html = render_to_string("includes/form_fields.html", {"form": form})
    assert "Choisissez à nouveau le fichier" in html


def test_an_untouched_form_asks_for_nothing_again():
    html = render_to_string("includes/form_fields.html", {"form": HouseholdSignupForm()})
    assert "Retapez" not in html
