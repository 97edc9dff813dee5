import io
import os
import subprocess
import sys
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from reuse.accounts import services
from reuse.accounts.enums import OrganisationKind
from reuse.accounts.models import HouseholdProfile, Notification, Organisation, User
from reuse.accounts.validators import department_from_postcode, validate_rna, validate_siret
from reuse.errors import InvalidInput
from tests.factories.accounts import PASSWORD, OrganisationFactory, UserFactory, member_of

pytestmark = pytest.mark.django_db


class TestIdentifiers:
    @pytest.mark.parametrize(
        "siret", ["552 000 002 00014", "41200000200011", "35600000000010", "35600000000048"]
    )
    def test_valid_sirets_pass(self, siret):
        validate_siret(siret)

    @pytest.mark.parametrize("siret", ["55200000000019", "1234", "abcdefghijklmn", "35600000000011"])
    def test_invalid_sirets_are_refused_in_french(self, siret):
        with pytest.raises(Exception) as excinfo:
            validate_siret(siret)
        assert "SIRET" in str(excinfo.value)

    def test_rna_format(self):
        validate_rna("W751234567")
        with pytest.raises(Exception, match="RNA"):
            validate_rna("751234567")

    @pytest.mark.parametrize(
        "postcode,department",
        [("93200", "93"), ("20000", "2A"), ("20200", "2B"), ("97400", "974"), ("01000", "01")],
    )
    def test_department_from_postcode(self, postcode, department):
        assert department_from_postcode(postcode) == department


def register_in_bobigny(*, siret, admin, name="Mairie de Bobigny"):
    """A donor organisation of Bobigny (93) registered with `siret` and its first admin."""
    return services.register_organisation(
        kind=OrganisationKind.DONOR,
        details=services.OrganisationDetails(
            name=name, siret=siret, address="1 rue", postcode="93000", city="Bobigny"
        ),
        admin=admin,
    )


class TestRegistration:
    def test_register_organisation_with_checked_siret_and_first_admin(self):
        admin = UserFactory()
        organisation = register_in_bobigny(siret="213 000 003 00011", admin=admin)
        assert organisation.siret == "21300000300011"
        assert organisation.department == "93"
        assert organisation.status == "pending"
        assert organisation.memberships.get().user == admin

    def test_bad_siret_writes_nothing(self):
        with pytest.raises(InvalidInput, match="SIRET"):
            register_in_bobigny(siret="21300000300012", admin=UserFactory(), name="X")
        assert not Organisation.objects.exists()

    def test_household_without_email(self):
        user = services.create_household(first_name="Jeanne", last_name="Petit", postcode="93300")
        assert user.email is None
        assert not user.has_usable_password()
        assert user.household.department == "93"

    def test_a_user_can_belong_to_several_organisations(self):
        user = UserFactory()
        a, b = OrganisationFactory(), OrganisationFactory(workshop=True)
        services.add_member(organisation=a, user=user, by=user)
        services.add_member(organisation=b, user=user, by=user)
        assert set(Organisation.objects.for_user(user)) == {a, b}


class TestDemoAccounts:
    @pytest.mark.parametrize(
        "email,landing",
        [
            ("donateur@example.org", 'data-role-page="donor"'),
            ("atelier@example.org", 'data-role-page="workshop"'),
            ("beneficiaire@example.org", 'data-role-page="household"'),
            ("association@example.org", 'data-role-page="association"'),
            ("prescripteur@example.org", 'data-role-page="referrer"'),
        ],
    )
    def test_each_demo_account_signs_in_and_lands_on_its_role_page(self, client, demo, email, landing):
        response = client.post(reverse("accounts:login"), {"username": email, "password": demo}, follow=True)
        assert response.status_code == 200
        assert response.context["user"].email == email
        assert landing in response.content.decode()

    def test_staff_lands_in_the_wagtail_admin(self, client, demo):
        response = client.post(
            reverse("accounts:login"), {"username": "HUB@example.org", "password": demo}, follow=True
        )
        assert response.redirect_chain[-1][0] == reverse("wagtailadmin_home")
        assert response.status_code == 200

    def test_wrong_password_gets_a_french_message(self, client, demo):
        response = client.post(
            reverse("accounts:login"), {"username": "donateur@example.org", "password": "nope"}
        )
        assert response.status_code == 200
        assert "Adresse e-mail ou mot de passe incorrect" in response.content.decode()

    def test_seed_demo_is_idempotent(self, demo):
        counts = (User.objects.count(), Organisation.objects.count(), HouseholdProfile.objects.count())
        call_command("seed_demo", "--force", stdout=io.StringIO())
        assert (
            User.objects.count(),
            Organisation.objects.count(),
            HouseholdProfile.objects.count(),
        ) == counts
        assert counts[0] >= 6

    def test_seed_demo_refuses_when_debug_is_off(self, settings):
        settings.DEBUG = False
        with pytest.raises(CommandError, match="DEBUG"):
            call_command("seed_demo", stdout=io.StringIO())
        assert not User.objects.exists()


class TestPasswordReset:
    def test_reset_email_is_sent_and_link_sets_a_new_password(
        self, client, django_capture_on_commit_callbacks
    ):
        user = UserFactory(email="reset@example.test")
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("accounts:password_reset"), {"email": "reset@example.test"})
        assert response.status_code == 302
        assert len(mail.outbox) == 1
        body = mail.outbox[0].body
        link = next(line for line in body.splitlines() if "/mot-de-passe/nouveau/" in line).strip()
        path = link.removeprefix(settings.PUBLIC_BASE_URL)
        response = client.get(path, follow=True)
        form_url = response.redirect_chain[-1][0]
        response = client.post(
            form_url, {"new_password1": "a-new-passphrase-2026", "new_password2": "a-new-passphrase-2026"}
        )
        assert response.status_code == 302
        user.refresh_from_db()
        assert user.check_password("a-new-passphrase-2026")


class TestObjectPermissions:
    def test_member_of_a_gets_404_on_b_organisation_page(self, client):
        a, b = OrganisationFactory(), OrganisationFactory()
        user = member_of(a)
        client.force_login(user)
        assert client.get(reverse("accounts:organisation", args=[a.pk])).status_code == 200
        assert client.get(reverse("accounts:organisation", args=[b.pk])).status_code == 404

    def test_member_of_a_gets_404_on_b_in_the_api(self, api_client):
        a, b = OrganisationFactory(), OrganisationFactory()
        user = member_of(a)
        client = api_client.with_token(services.issue_api_token(user=user))
        assert client.get(f"/api/v1/organisations/{a.pk}").status_code == 200
        response = client.get(f"/api/v1/organisations/{b.pk}")
        assert response.status_code == 404
        assert response.json() == {"detail": "Introuvable.", "code": "not_found"}

    def test_anonymous_is_sent_to_login(self, client):
        organisation = OrganisationFactory()
        response = client.get(reverse("accounts:organisation", args=[organisation.pk]))
        assert response.status_code == 302
        assert reverse("accounts:login") in response["Location"]


class TestApiAuthentication:
    def test_bearer_token_authenticates(self, api_client):
        user = UserFactory(email="tool@example.test")
        client = api_client.with_token(services.issue_api_token(user=user))
        response = client.get("/api/v1/me")
        assert response.status_code == 200
        assert response.json()["email"] == "tool@example.test"

    def test_wrong_token_gets_401_in_the_error_format(self, api_client):
        response = api_client.with_token("wagtail_not-a-real-token").get("/api/v1/me")
        assert response.status_code == 401
        assert response.json()["code"] == "not_authenticated"
        assert set(response.json()) == {"detail", "code"}

    def test_wrong_token_is_refused_even_with_a_session(self, client, api_client):
        client.force_login(UserFactory())
        assert api_client.with_token("wagtail_forged").get("/api/v1/me").status_code == 401

    def test_revoked_token_is_refused(self, api_client):
        from wagtail.models import APIToken

        token = services.issue_api_token(user=UserFactory())
        APIToken.objects.get().revoke()
        assert api_client.with_token(token).get("/api/v1/me").status_code == 401

    def test_a_token_expires_after_the_configured_number_of_days(self, api_client, settings):
        token = services.issue_api_token(user=UserFactory())
        client = api_client.with_token(token)
        assert settings.API_TOKEN_TTL_DAYS == 90
        with time_machine.travel(timezone.now() + timedelta(days=89, hours=23), tick=False):
            assert client.get("/api/v1/me").status_code == 200
        with time_machine.travel(timezone.now() + timedelta(days=90, seconds=1), tick=False):
            response = client.get("/api/v1/me")
            assert response.status_code == 401 and response.json()["code"] == "not_authenticated"
        settings.API_TOKEN_TTL_DAYS = 7
        with time_machine.travel(timezone.now() + timedelta(days=8), tick=False):
            assert client.get("/api/v1/me").status_code == 401

    def test_a_deactivated_users_token_stops_working_at_once(self, api_client):
        user = UserFactory()
        client = api_client.with_token(services.issue_api_token(user=user))
        assert client.get("/api/v1/me").status_code == 200
        User.objects.filter(pk=user.pk).update(is_active=False)
        assert client.get("/api/v1/me").status_code == 401

    def test_staff_list_and_revoke_tokens_in_the_admin(self, client, api_client):
        from wagtail.models import APIToken

        owner = UserFactory(email="outil@example.test")
        token = services.issue_api_token(user=owner, name="Outil de l’atelier")
        stored = APIToken.objects.get()
        staff = UserFactory(is_staff=True, is_superuser=True)
        client.force_login(staff)
        listing = client.get(reverse("wagtailusers_api_tokens:index"))
        html = listing.content.decode()
        assert listing.status_code == 200
        assert stored.prefix in html and owner.get_full_name() in html and token not in html
        assert "Actif" in html
        expiry = timezone.localtime(stored.created + timedelta(days=90)).strftime("%d/%m/%Y")
        assert expiry in html
        confirm = client.get(reverse("wagtailusers_api_tokens:delete", args=[stored.pk]))
        assert confirm.status_code == 200
        assert client.post(reverse("wagtailusers_api_tokens:delete", args=[stored.pk])).status_code == 302
        stored.refresh_from_db()
        assert stored.revoked_at is not None
        assert api_client.with_token(token).get("/api/v1/me").status_code == 401
        # Someone outside staff never reaches the listing.
        client.force_login(owner)
        assert client.get(reverse("wagtailusers_api_tokens:index")).status_code in (302, 403)

    def test_session_authenticates(self, client):
        client.force_login(UserFactory(email="web@example.test"))
        assert client.get("/api/v1/me").json()["email"] == "web@example.test"

    def test_openapi_document_is_served(self, client):
        response = client.get("/api/v1/openapi.json")
        assert response.status_code == 200
        document = response.json()
        assert document["info"]["title"] == "Rebond API"
        assert "/api/v1/me" in document["paths"]

    def test_issue_api_token_prints_the_token_and_nothing_else(self, api_client):
        UserFactory(email="cli@example.test")
        out = io.StringIO()
        call_command("issue_api_token", "cli@example.test", stdout=out)
        token = out.getvalue()
        assert token.count("\n") == 1 and token.startswith("wagtail_")
        assert api_client.with_token(token.strip()).get("/api/v1/me").json()["email"] == "cli@example.test"

    def test_issue_api_token_unknown_email(self):
        with pytest.raises(CommandError, match="Aucun compte"):
            call_command("issue_api_token", "ghost@example.test", stdout=io.StringIO())


class TestNotifications:
    def test_notify_renders_french_email_and_sends_it_after_commit(self, django_capture_on_commit_callbacks):
        organisation = OrganisationFactory(pending=True, email="contact@example.test")
        staff = UserFactory(is_staff=True)
        with django_capture_on_commit_callbacks(execute=True):
            services.approve_organisation(organisation=organisation, by=staff)
        notification = Notification.objects.get()
        assert notification.state == "sent"
        assert mail.outbox[0].subject == f"Rebond : {organisation.name} est vérifiée"
        assert mail.outbox[0].alternatives[0][1] == "text/html"

    def test_no_email_means_no_notification(self):
        user = services.create_household(first_name="A", last_name="B", postcode="93200")
        assert services.notify(user=user, template="organisation_approved", context={}) is None
        assert not Notification.objects.exists()


class TestLoginRateLimit:
    def test_sixth_wrong_password_is_locked_out(self, client, settings):
        settings.AXES_ENABLED = True
        UserFactory(email="target@example.test")
        for _ in range(5):
            client.post(reverse("accounts:login"), {"username": "target@example.test", "password": "wrong"})
        response = client.post(
            reverse("accounts:login"), {"username": "target@example.test", "password": PASSWORD}
        )
        assert response.status_code == 429
        assert "Trop d’essais" in response.content.decode()

    def test_changing_the_case_of_the_email_does_not_reset_the_count(self, client, settings):
        """Five failures under five spellings of one address lock that account, in the site and the admin."""
        settings.AXES_ENABLED = True
        UserFactory(email="target@example.test")
        spellings = [
            "Target@example.test",
            "TARGET@EXAMPLE.TEST",
            " target@Example.Test ",
            "tArGeT@example.test",
            "target@EXAMPLE.test",
        ]
        for spelling in spellings:
            client.post(reverse("accounts:login"), {"username": spelling, "password": "wrong"})
        for login_url, spelling in [
            (reverse("accounts:login"), "target@example.test"),
            (reverse("wagtailadmin_login"), "TaRgEt@example.test"),
        ]:
            response = client.post(login_url, {"username": spelling, "password": PASSWORD})
            assert response.status_code == 429, login_url
        from axes.models import AccessAttempt

        # One account, one counter (the refused attempts after the lockout are counted too).
        assert list(AccessAttempt.objects.values_list("username", flat=True)) == ["target@example.test"]

    def test_the_address_is_normalised_before_authentication(self, client):
        UserFactory(email="person@example.test")
        response = client.post(
            reverse("accounts:login"), {"username": "  Person@EXAMPLE.test ", "password": PASSWORD}
        )
        assert response.status_code == 302
        assert response.wsgi_request.user.email == "person@example.test"


def production_env(**overrides):
    """A complete production environment (tests/test_production.py refuses each demo default in turn)."""
    from tests.test_production import VALID

    env = {key: value for key, value in os.environ.items() if key != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return {**env, **VALID, "DJANGO_SETTINGS_MODULE": "reuse.settings.production", **overrides}


def test_production_settings_pass_check_deploy(tmp_path):
    env = production_env(
        **{
            "DJANGO_SETTINGS_MODULE": "reuse.settings.production",
            "SECRET_KEY": "x" * 20 + "production-like-secret-key-with-entropy-9f8e7d6c5b4a",
            "ALLOWED_HOSTS": "rebond.example",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'prod.sqlite3'}",
        }
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"])
def test_production_refuses_to_start_without_its_secrets(missing, tmp_path):
    env = production_env(
        SECRET_KEY="s" * 60,
        ALLOWED_HOSTS="rebond.example",
        DATABASE_URL=f"sqlite:///{tmp_path / 'prod.sqlite3'}",
    )
    env.pop(missing)
    result = subprocess.run([sys.executable, "manage.py", "check"], env=env, capture_output=True, text=True)
    assert result.returncode != 0
    assert f"{missing} must be set" in result.stderr
