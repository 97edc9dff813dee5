import pytest
from django.contrib.auth.models import Group
from django.core import mail

from cms.groups import COORDINATORS, REVIEWERS, sync_group_permissions
from donations.enums import LotStatus
from donations.models import Lot
from reuse.accounts.enums import OrganisationStatus
from tests.factories.accounts import OrganisationFactory, UserFactory
from tests.factories.donations import LotFactory
from tests.factories.inventory import DeviceFactory

pytestmark = pytest.mark.django_db


def make_lot(status=LotStatus.SUBMITTED, **kwargs):
    return LotFactory(status=status, pickup_department="93", **kwargs)


def test_groups_exist_and_cover_every_model(db):
    coordinators = Group.objects.get(name=COORDINATORS)
    reviewers = Group.objects.get(name=REVIEWERS)
    assert coordinators.permissions.filter(codename="view_lot").exists()
    assert coordinators.permissions.filter(codename="change_organisation").exists()
    codenames = set(reviewers.permissions.values_list("content_type__app_label", "codename"))
    assert ("wagtailadmin", "access_admin") in codenames
    assert ("eligibility", "review_eligibilitydocument") in codenames
    # The review queue and what it judges by: nothing to add, change or delete but the documents' decisions.
    assert {codename.split("_")[0] for _, codename in codenames} == {"access", "review", "view"}
    assert {app for app, _ in codenames} == {"wagtailadmin", "eligibility", "programmes"}


def test_permissions_of_models_added_later_are_synced(db):
    from django.contrib.auth.models import Permission
    from django.contrib.contenttypes.models import ContentType

    content_type = ContentType.objects.get_for_model(Lot)
    later = Permission.objects.create(codename="export_lot", name="Can export lot", content_type=content_type)
    sync_group_permissions()
    assert Group.objects.get(name=COORDINATORS).permissions.filter(pk=later.pk).exists()
    assert not Group.objects.get(name=REVIEWERS).permissions.filter(pk=later.pk).exists()


def test_a_reviewer_enters_the_admin_but_cannot_see_lots_or_stock(client, reviewer):
    make_lot(title="Lot confidentiel")
    assert reviewer.has_perm("eligibility.view_eligibilitydecision")
    assert not reviewer.has_perm("donations.view_lot")
    assert not reviewer.has_perm("inventory.view_device")
    assert not reviewer.has_perm("accounts.view_organisation")
    client.force_login(reviewer)
    response = client.get("/admin/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Lot confidentiel" not in html and "lots-awaiting-assignment" not in html
    assert client.get("/admin/organisations/").status_code in (302, 403)


def test_a_coordinator_sees_lots_waiting_and_stock_by_department(client, coordinator):
    make_lot(title="Portables de la mairie")
    make_lot(title="Déjà confié", status=LotStatus.ACCEPTED)
    workshop = OrganisationFactory(workshop=True, department="95", postcode="95100", city="Argenteuil")
    DeviceFactory.create_batch(2, listed=True, workshop=workshop)
    DeviceFactory(workshop=workshop)
    client.force_login(coordinator)
    html = client.get("/admin/").content.decode()
    assert "Portables de la mairie" in html and "Déjà confié" not in html
    assert "1 lot attend d’être confié à un atelier." in html
    assert '<th scope="row">95</th><td>1</td><td>2</td>' in html


def test_non_staff_get_no_admin(client):
    client.force_login(UserFactory(is_staff=False))
    response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert client.get("/admin/organisations/").status_code == 302


def test_coordinator_filters_searches_and_approves_an_organisation(
    client, coordinator, django_capture_on_commit_callbacks
):
    pending = OrganisationFactory(
        workshop=True, pending=True, name="Répar’Tout Argenteuil", email="contact@repartout.example"
    )
    OrganisationFactory(workshop=True, name="Atelier déjà vérifié")
    client.force_login(coordinator)

    listing = client.get("/admin/organisations/", {"status": "pending"}).content.decode()
    assert "Répar’Tout Argenteuil" in listing and "Atelier déjà vérifié" not in listing
    assert f"/admin/organisations/approve/{pending.pk}/" in listing
    found = client.get("/admin/organisations/", {"q": "Argenteuil"}).content.decode()
    assert "Répar’Tout Argenteuil" in found and "Atelier déjà vérifié" not in found

    confirm = client.get(f"/admin/organisations/approve/{pending.pk}/")
    assert confirm.status_code == 200 and "Oui, approuver" in confirm.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/admin/organisations/approve/{pending.pk}/")
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.status == OrganisationStatus.APPROVED and pending.approved_by == coordinator
    assert [message.to for message in mail.outbox] == [["contact@repartout.example"]]


def test_a_reviewer_cannot_approve_organisations(client, reviewer):
    pending = OrganisationFactory(workshop=True, pending=True)
    client.force_login(reviewer)
    response = client.post(f"/admin/organisations/approve/{pending.pk}/")
    assert response.status_code in (302, 403)
    pending.refresh_from_db()
    assert pending.status == OrganisationStatus.PENDING


def test_memberships_are_listed_for_coordinators(client, coordinator):
    from tests.factories.accounts import member_of

    organisation = OrganisationFactory(name="Atelier des Lilas")
    member_of(organisation, email="awa@lilas.example")
    client.force_login(coordinator)
    html = client.get("/admin/memberships/", {"q": "lilas"}).content.decode()
    assert "Atelier des Lilas" in html


def test_admin_pages_work_under_their_own_csp(client, coordinator, demo):
    public = client.get("/")["Content-Security-Policy"]
    assert "'unsafe-inline'" not in public and "frame-ancestors 'none'" in public
    client.force_login(coordinator)
    home = client.get("/admin/")
    assert home.status_code == 200
    assert "style-src 'self' 'unsafe-inline'" in home["Content-Security-Policy"]
    assert "script-src 'self';" in home["Content-Security-Policy"] + ";"
    assert home["X-Frame-Options"] == "SAMEORIGIN"
    # 'none' is only valid alone: mixed with 'self' the browser rejects the directive and logs an error.
    directives = dict(
        (part.strip().split(" ", 1) + [""])[:2] for part in home["Content-Security-Policy"].split(";")
    )
    assert directives["frame-ancestors"] == "'self'"
    assert all("'none'" not in value or value == "'none'" for value in directives.values())
    from cms.models import HomePage

    page = HomePage.objects.get(locale__language_code="fr")
    assert client.get(f"/admin/pages/{page.pk}/edit/").status_code == 200


def test_a_group_given_to_a_non_staff_person_does_not_open_the_admin(client):
    household = UserFactory(is_staff=False)
    household.groups.add(Group.objects.get(name=COORDINATORS))
    client.force_login(household)
    assert client.get("/admin/").status_code == 403
    assert client.get("/admin/organisations/").status_code == 403
    assert client.get("/admin/login/").status_code in (200, 302)


def test_a_reviewer_reads_programmes_but_changes_neither_prices_nor_caps(client, reviewer, coordinator):
    """Reviewers held every programme permission: the person checking a payslip could raise a programme's cap,
    its prices or its quotient ceiling, add a programme or delete one."""
    from reuse.programmes.models import Programme
    from tests.factories.programmes import ProgrammeFactory, ProgrammePriceFactory, admin_form

    price = ProgrammePriceFactory(programme=ProgrammeFactory(name="Seine-Saint-Denis", departments=["93"]))
    programme = price.programme
    client.force_login(reviewer)
    assert client.get("/admin/programmes/").status_code == 200
    for url in (f"/admin/programmes/edit/{programme.pk}/", f"/admin/programmes/delete/{programme.pk}/"):
        assert client.get(url).status_code in (302, 403), url
    client.post(f"/admin/programmes/edit/{programme.pk}/", admin_form(household_cap_devices="9"))
    client.post(f"/admin/programmes/delete/{programme.pk}/")
    client.post("/admin/programmes/add/", admin_form(name="Programme du relecteur", departments="75"))
    programme.refresh_from_db()
    assert programme.household_cap_devices != 9 and Programme.objects.count() == 1
    assert not reviewer.has_perm("eligibility.change_associationprofile")
    assert not reviewer.has_perm("eligibility.view_documentaccess")
    assert not reviewer.has_perm("eligibility.view_mandatejournalentry")
    client.force_login(coordinator)
    assert client.get(f"/admin/programmes/edit/{programme.pk}/").status_code == 200
