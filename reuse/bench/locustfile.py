"""Mixed journeys for the bounded load run of `make bench`: anonymous visitors, the demo household and the demo
technician signed in (127.0.0.1 only; the run time is set by the caller)."""

import random

from locust import HttpUser, between, task


def page(path: str, name: str | None = None):
    """A task that gets one page, counted in the statistics under `name` (the path itself by default)."""

    def visit(user):
        user.client.get(path, name=name or path)

    return visit


class Visitor(HttpUser):
    """Someone browsing on a phone: home, catalogue with filters, a device page, the API catalogue."""

    weight = 6
    wait_time = between(0.1, 0.5)
    tasks = {
        page("/"): 3,
        page("/api/v1/catalogue?limit=20&type=laptop", "/api/v1/catalogue"): 2,
        page("/healthz"): 1,
    }

    def on_start(self):
        response = self.client.get("/api/v1/catalogue?limit=50", name="/api/v1/catalogue")
        items = response.json().get("items", []) if response.status_code == 200 else []
        self.device_ids = [item["id"] for item in items] or [0]

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
    tasks = {
        page("/demandes/"): 2,
        page("/eligibilite/"): 1,
        page("/catalogue/?type=laptop", "/catalogue/"): 3,
    }


class Technician(SignedIn):
    """The demo workshop's technician: the dashboard and the stock list with its filters."""

    weight = 1
    wait_time = between(0.2, 0.8)
    email = "atelier@example.org"
    tasks = {page("/atelier/"): 1}

    @task(3)
    def stock(self):
        params = random.choice(["", "?state=listed", "?state=received", "?type=laptop&grade=B", "?page=2"])
        self.client.get(f"/atelier/stock/{params}", name="/atelier/stock/")
