"""Mixed journeys for the bounded load run of `make bench` (127.0.0.1 only; the run time is set by the caller)."""

import random

from locust import HttpUser, between, task


class Visitor(HttpUser):
    """Someone browsing on a phone: home, catalogue with filters, a device page, the API catalogue."""

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
