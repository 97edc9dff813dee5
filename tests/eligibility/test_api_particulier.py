"""The adapter against a local HTTP server answering like the documented v3 routes; nothing leaves the machine."""

import datetime
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import pytest

from reuse.eligibility.api_particulier import (
    ApiParticulierClient,
    ApiParticulierError,
    Identity,
    NotConfigured,
)
from reuse.eligibility.enums import DecisionStatus, Evidence
from reuse.eligibility.services import decisions
from tests.factories.accounts import household

TOKEN = "test-token-not-a-secret"
PEOPLE = {
    # birth name -> answers per route
    "ROUX": {
        "quotient_familial": (
            200,
            {"data": {"quotient_familial": {"fournisseur": "MSA", "valeur": 150, "annee": 2026, "mois": 5}}},
        )
    },
    "LEFEBVRE": {
        "revenu_solidarite_active": (
            200,
            {"data": {"est_beneficiaire": True, "avec_majoration": False, "date_debut_droit": "2025-01-01"}},
        )
    },
    "DUPONT": {},
    "LENT": "slow",
}


class Handler(BaseHTTPRequestHandler):
    calls: list = []

    def log_message(self, *args):
        return

    def do_GET(self):
        url = urlparse(self.path)
        query = parse_qs(url.query)
        Handler.calls.append((url.path, query, self.headers.get("Authorization")))
        if self.headers.get("Authorization") != f"Bearer {TOKEN}":
            return self._send(401, {"errors": [{"code": "00101", "title": "Unauthorized"}]})
        if query.get("recipient") != ["21930066200015"]:
            return self._send(400, {"errors": [{"code": "00211", "title": "recipient"}]})
        person = PEOPLE.get(query.get("nomNaissance", [""])[0])
        if person == "slow":
            import time

            time.sleep(1.5)
            try:
                return self._send(200, {"data": {}})
            except (BrokenPipeError, ConnectionResetError):
                return None  # the adapter stopped waiting, as the slow-service test expects: nobody to answer
        route = url.path.split("/")[3]
        if person is None or route not in person:
            return self._send(
                404,
                {
                    "errors": [
                        {
                            "code": "37003",
                            "title": "Dossier allocataire absent CNAF",
                            "detail": "Le dossier allocataire n'a pas été trouvé auprès de la CNAF.",
                        }
                    ]
                },
            )
        status, body = person[route]
        return self._send(status, {**body, "links": {}, "meta": {}})

    def _send(self, status, body):
        payload = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)


@pytest.fixture
def api_server(settings):
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    Handler.calls = []
    settings.API_PARTICULIER_BASE_URL = f"http://127.0.0.1:{server.server_port}"
    settings.API_PARTICULIER_TOKENS = {"default": TOKEN}
    yield server
    server.shutdown()
    server.server_close()


def identity(name):
    return Identity(
        birth_name=name,
        first_names=["Jeanne", "Stéphanie"],
        birth_date=datetime.date(1987, 6, 27),
        sex="F",
        birth_commune_code="08480",
    )


def decide_on_api_particulier(criteria, name):
    """A household asks for itself; API Particulier answers for the identity born `name`."""
    person = household()
    return decisions.decide_for_household(
        household=person,
        author=person,
        criteria=criteria,
        evidence=Evidence.API_PARTICULIER,
        identity=identity(name),
    )


@pytest.mark.django_db
def test_quotient_familial_is_read_and_decides_under_the_threshold(api_server, programme):
    decision = decide_on_api_particulier(["quotient_familial"], "ROUX")
    assert decision.status == DecisionStatus.ELIGIBLE and decision.quotient_familial_eur == 150
    path, query, auth = Handler.calls[0]
    assert path == "/v3/dss/quotient_familial/identite"
    assert query["prenoms[]"] == ["JEANNE", "STÉPHANIE"] and query["anneeDateNaissance"] == ["1987"]
    assert query["codeCogInseeCommuneNaissance"] == ["08480"] and auth == f"Bearer {TOKEN}"


@pytest.mark.django_db
def test_rsa_confirmed_by_the_caf(api_server, programme):
    decision = decide_on_api_particulier(["rsa"], "LEFEBVRE")
    assert decision.status == DecisionStatus.ELIGIBLE and decision.criteria == ["rsa"]
    assert Handler.calls[0][0] == "/v3/dss/revenu_solidarite_active/identite"


@pytest.mark.django_db
def test_no_caf_file_37003_is_an_answer_not_a_crash(api_server, programme):
    decision = decide_on_api_particulier(["rsa", "quotient_familial"], "DUPONT")
    assert decision.status == DecisionStatus.INELIGIBLE
    assert any("aucun dossier CAF" in reason for reason in decision.reason_texts)


@pytest.mark.django_db
def test_timeouts_and_bad_tokens_are_reported_cleanly(api_server, programme):
    client = ApiParticulierClient(programme, timeout=0.3)
    with pytest.raises(ApiParticulierError) as excinfo:
        client.check("rsa", identity("LENT"))
    assert excinfo.value.code == "api_particulier_timeout"
    with pytest.raises(NotConfigured):
        ApiParticulierClient(programme, token="wrong").check("rsa", identity("LEFEBVRE"))


@pytest.mark.django_db
def test_without_token_the_adapter_refuses_to_run(settings, programme):
    settings.API_PARTICULIER_TOKENS = {}
    with pytest.raises(NotConfigured):
        ApiParticulierClient(programme)


@pytest.mark.django_db
def test_the_rate_limit_holds_calls_to_twenty_per_second(api_server, programme, settings):
    import time

    from reuse.eligibility import api_particulier

    client = ApiParticulierClient(programme)
    started_second = int(time.time())
    for _ in range(api_particulier.CALLS_PER_SECOND + 1):
        api_particulier._throttle(client.token)
    # 21 calls cannot all fit in one second: the limiter waited for the next one.
    assert int(time.time()) > started_second
