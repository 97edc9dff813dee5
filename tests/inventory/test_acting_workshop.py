"""A technician who works for two workshops says which one a file or a device is for.

Taking their first workshop filed the reports and devices of the second under the first (its stock, its erasure
proofs); an organisation that is not theirs is not found, as any other organisation's object.
"""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from inventory.models import Device, ErasureRecord
from reuse.accounts.services import issue_api_token
from tests.factories.accounts import MembershipFactory, OrganisationFactory
from tests.factories.inventory import DeviceFactory
from tests.inventory.bench_samples import sample

pytestmark = pytest.mark.django_db


@pytest.fixture
def second(technician):
    """The technician's other workshop: its pk comes after the first's, so « the first » is never it."""
    workshop = OrganisationFactory(workshop=True, name="Atelier du Nord")
    MembershipFactory(user=technician, organisation=workshop)
    return workshop


@pytest.fixture
def elitebook(second):
    """The machine the JSON sample report wiped, in the second workshop's stock."""
    return DeviceFactory(workshop=second, serial="5CG8301XYZ")


def _post_report(client, technician, language="fr", **fields):
    return client.post(
        "/api/v1/devices/reports",
        {"file": SimpleUploadedFile("erasure_report.json", sample("erasure_report.json")), **fields},
        headers={"Authorization": f"Bearer {issue_api_token(user=technician)}", "Accept-Language": language},
    )


def test_an_api_report_from_a_person_in_two_workshops_without_a_choice_is_a_400_naming_them(
    client, technician, workshop, second, elitebook
):
    response = _post_report(client, technician)

    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "workshop_required"
    assert f"{workshop.name} (n° {workshop.pk})" in body["detail"]
    assert f"Atelier du Nord (n° {second.pk})" in body["detail"]
    assert not ErasureRecord.objects.exists()


def test_the_400_is_in_the_language_the_tool_asks_for(client, technician, second):
    response = _post_report(client, technician, language="en")

    assert "You belong to several workshops" in response.json()["detail"], response.json()


def test_an_api_report_for_the_chosen_workshop_is_filed_under_it(client, technician, second, elitebook):
    response = _post_report(client, technician, workshop_id=str(second.pk))

    assert response.status_code == 200, response.content
    assert response.json()[0]["ok"], response.json()
    assert ErasureRecord.objects.get().device == elitebook
    assert elitebook.erasures.get().report.workshop == second


@pytest.mark.parametrize("whose", ["another_organisation", "nobody"])
def test_a_workshop_that_is_not_the_persons_is_not_found(client, technician, second, elitebook, whose):
    theirs = OrganisationFactory(workshop=True)
    chosen = theirs.pk if whose == "another_organisation" else theirs.pk + 1000

    response = _post_report(client, technician, workshop_id=str(chosen))

    assert response.status_code == 404
    assert not ErasureRecord.objects.exists()


def test_their_own_workshop_still_pending_is_a_400(client, technician, second):
    pending = OrganisationFactory(workshop=True, pending=True)
    MembershipFactory(user=technician, organisation=pending)

    response = _post_report(client, technician, workshop_id=str(pending.pk))

    assert response.status_code == 400
    assert response.json()["code"] == "workshop_not_approved"


def test_a_device_checked_in_and_a_stock_file_by_api_go_to_the_chosen_workshop(
    client, api_client, technician, workshop, second
):
    api = api_client.with_token(issue_api_token(user=technician))
    assert api.post("/api/v1/devices", {"type": "laptop", "serial": "W1"}).status_code == 400

    created = api.post("/api/v1/devices", {"type": "laptop", "serial": "W1", "workshop_id": second.pk})

    assert created.status_code == 201, created.content
    assert Device.objects.get(serial="W1").workshop == second
    stock = {"file": SimpleUploadedFile("s.csv", b"serial;type;brand\nN1;laptop;HP\n")}
    headers = {"Authorization": f"Bearer {api.token}"}
    assert client.post("/api/v1/devices/import", stock, headers=headers).status_code == 400
    stock["file"].seek(0)
    imported = client.post("/api/v1/devices/import", {**stock, "workshop_id": second.pk}, headers=headers)
    assert imported.status_code == 200, imported.content
    assert Device.objects.get(serial="N1").workshop == second


def test_the_web_import_page_asks_a_person_in_two_workshops_which_one(
    client, technician, workshop, second, elitebook
):
    client.force_login(technician)

    page = client.get("/atelier/rapports/")
    assert b'name="workshop"' in page.content and b"Atelier du Nord" in page.content

    def upload(**fields):
        data = {"file": SimpleUploadedFile("erasure_report.json", sample("erasure_report.json")), **fields}
        return client.post("/atelier/rapports/", data)

    missing = upload()
    assert missing.status_code == 200 and missing.context["form"].errors.get("workshop")
    assert upload(workshop=str(OrganisationFactory(workshop=True).pk)).status_code == 404
    assert not ErasureRecord.objects.exists()

    assert upload(workshop=str(second.pk)).status_code == 302
    assert ErasureRecord.objects.get().device == elitebook
    results = client.session["report_results"]
    assert results[0]["ok"], json.dumps(results)


def test_the_dashboard_switches_the_workshop_the_check_in_page_acts_for(client, technician, workshop, second):
    client.force_login(technician)
    page = client.get("/atelier/")
    assert b'name="workshop"' in page.content and b"Atelier du Nord" in page.content

    assert (
        client.post("/atelier/", {"workshop": str(OrganisationFactory(workshop=True).pk)}).status_code == 404
    )
    assert client.post("/atelier/", {"workshop": str(second.pk)}).status_code == 302
    client.post("/atelier/entree/", {"serial": "W1", "type": "laptop"})

    assert Device.objects.get(serial="W1").workshop == second
    # The upload pages preselect it, still showing the choice.
    assert f'<option value="{second.pk}" selected>'.encode() in client.get("/atelier/rapports/").content


def test_without_a_choice_the_check_in_page_sends_a_person_in_two_workshops_to_choose(
    client, technician, second
):
    """The check-in and bench pages acted for the first workshop until the person chose on the dashboard."""
    client.force_login(technician)

    response = client.post("/atelier/entree/", {"serial": "W2", "type": "laptop"}, follow=True)

    assert response.redirect_chain[-1][0] == "/atelier/"
    assert "plusieurs ateliers" in response.content.decode()
    assert not Device.objects.filter(serial="W2").exists()
    # The import pages carry their own choice: they still open without one made on the dashboard.
    assert client.get("/atelier/rapports/").status_code == 200
