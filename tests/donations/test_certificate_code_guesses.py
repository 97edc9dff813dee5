"""The public verification page of erasure certificates is no oracle for guessing codes: a wrong code is a 404
that says nothing of other certificates, and a network address that keeps trying wrong codes is told to wait
(429, Retry-After) before it may open any page of the kind, while another address still verifies its certificate."""

import pytest

from donations.models import ErasureCertificate
from inventory.donor_reports.certificates import _new_code
from tests.donations.certificate_helpers import half_erased_lot

pytestmark = pytest.mark.django_db

GUESSER = {"REMOTE_ADDR": "203.0.113.7"}
AUDITOR = {"REMOTE_ADDR": "198.51.100.20"}


def test_a_guesser_is_stopped_and_an_auditor_is_not(client):
    lot = half_erased_lot(client)
    client.get(f"/dons/lots/{lot.pk}/certificat.pdf")
    code = ErasureCertificate.objects.get().code
    client.logout()

    answers = [client.get(f"/dons/certificats/{_new_code()}/", **GUESSER).status_code for _ in range(25)]
    stopped = client.get(f"/dons/certificats/{code}/", **GUESSER)
    verified = client.get(f"/dons/certificats/{code}/", **AUDITOR)

    assert answers[:20] == [404] * 20
    assert set(answers[20:]) == {429}
    assert stopped.status_code == 429 and stopped["Retry-After"]
    assert "Trop de codes" in stopped.content.decode() and lot.donor.name not in stopped.content.decode()
    assert verified.status_code == 200 and 'data-verified="yes"' in verified.content.decode()
