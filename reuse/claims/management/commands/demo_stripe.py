import json
import time
import urllib.error
import urllib.parse
import urllib.request

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

WEBHOOK_PATH = "/api/v1/payments/stripe/webhook"


class Command(BaseCommand):
    help = "Point localstripe's webhooks at this portal (demo and tests only: it talks to STRIPE_API_BASE)."

    def add_arguments(self, parser):
        parser.add_argument("--wait", action="store_true", help="Wait up to 20 s for localstripe to start.")
        parser.add_argument("--portal", default=settings.PUBLIC_BASE_URL, help="Base URL of this portal.")

    def handle(self, *args, wait: bool, portal: str, **options):
        base = settings.STRIPE_API_BASE.rstrip("/")
        if not base.startswith(("http://127.0.0.1", "http://localhost", "http://[::1]")):
            raise CommandError(
                "demo_stripe ne configure qu’un localstripe local (STRIPE_API_BASE sur 127.0.0.1)."
            )
        data = urllib.parse.urlencode(
            {"url": portal.rstrip("/") + WEBHOOK_PATH, "secret": settings.STRIPE_WEBHOOK_SECRET}
        ).encode()
        deadline = time.monotonic() + (20 if wait else 0)
        while True:
            try:
                request = urllib.request.Request(f"{base}/_config/webhooks/rebond", data=data, method="POST")
                with urllib.request.urlopen(request, timeout=5) as response:
                    response.read()
                break
            except (urllib.error.URLError, ConnectionError) as exc:
                if time.monotonic() > deadline:
                    raise CommandError(f"localstripe ne répond pas sur {base} : {exc}") from exc
                time.sleep(0.3)
        self.stdout.write(json.dumps({"stripe": base, "webhook": portal.rstrip("/") + WEBHOOK_PATH}))
