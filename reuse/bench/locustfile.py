"""Mixed journeys for the bounded load run of `make bench`: anonymous visitors, the demo household and the demo
technician signed in (127.0.0.1 only; the run time is set by the caller)."""

import random

from locust import HttpUser, between, task


class Visitor(HttpUser):
    """Someone browsing on a phone: home, catalogue with filters, a device page, the API catalogue."""

    weight = 6
    wait_time = between(0.1, 0.5)

    def on_start(self):
        response = self.client.get("/api/v1/catalogue?limit=50", name="/api/v1/catalogue")
        items = response.json().get("items", []) if response.status_code == 200 else []
        self.device_ids = [item["id"] for item in items] or [0]

    @task(3)
    def home(self):
        self.client.get("/", name="/")

    @task(5)
    def catalogue(self):
        params = random.choice(
            ["", "?type=laptop", "?grade=B", "?max_price_cents=5000", "?type=smartphone&grade=A"]
        )
        self.client.get(f"/catalogue/{params}", name="/catalogue/")

    @task(3)
    def device(self):
        device_id = random.choice(self.device_ids)
        with self.client.get(
            f"/catalogue/{device_id}/", name="/catalogue/[id]/", catch_response=True
        ) as response:
            if response.status_code == 404 and device_id == 0:
                response.success()

    @task(2)
    def api_catalogue(self):
        self.client.get("/api/v1/catalogue?limit=20&type=laptop", name="/api/v1/catalogue")

    @task(1)
    def healthz(self):
        self.client.get("/healthz", name="/healthz")


class SignedIn(HttpUser):
    """A demo account that signs in once (CSRF token from the form, as a browser does), then browses."""

    abstract = True
    email = ""

    def on_start(self):
        self.client.get("/compte/connexion/", name="/compte/connexion/")
        token = self.client.cookies.get("csrftoken", "")
        response = self.client.post(
            "/compte/connexion/",
            data={"username": self.email, "password": "demo-pass-2026", "csrfmiddlewaretoken": token},
            headers={"Referer": f"{self.host}/compte/connexion/"},
            name="/compte/connexion/ (POST)",
        )
        if "sessionid" not in self.client.cookies:
            response.failure(f"sign-in failed for {self.email}")


class Household(SignedIn):
    """The demo household: its claims, its eligibility, the catalogue."""

    weight = 2
    wait_time = between(0.2, 0.8)
    email = "beneficiaire@example.org"

    @task(2)
    def claims(self):
        self.client.get("/demandes/", name="/demandes/")

    @task(1)
    def eligibility(self):
        self.client.get("/eligibilite/", name="/eligibilite/")

    @task(3)
    def catalogue(self):
        self.client.get("/catalogue/?type=laptop", name="/catalogue/")


class Technician(SignedIn):
    """The demo workshop's technician: the dashboard and the stock list with its filters."""

    weight = 1
    wait_time = between(0.2, 0.8)
    email = "atelier@example.org"

    @task(1)
    def dashboard(self):
        self.client.get("/atelier/", name="/atelier/")

    @task(3)
    def stock(self):
        params = random.choice(["", "?state=listed", "?state=received", "?type=laptop&grade=B", "?page=2"])
        self.client.get(f"/atelier/stock/{params}", name="/atelier/stock/")
