"""Benchmark: one large donor's fleet (3,000 devices by default) walked through the real pages with Django's
test client, from the donor's sign-up to the tax receipt, on the current database.

Two manifests of `--rows` rows: an Intune export (CSV) and a GLPI computers list saved as XLSX (reuse.bench.files),
each imported on its own lot (Celery runs eagerly without a broker: the import is inside the upload's figure). The
CSV lot then goes through the release checklist, submission, the workshop's acceptance, pickup, collection and
reception, check-in in bench mode (batches of scans), erasures and outcomes (written in bulk as
reuse.bench.data writes them), and every page and file the donor and the workshop read is timed: milliseconds,
SQL queries, response size, and with --memory the Python memory the request allocated at its peak (tracemalloc,
which slows every request: times are then not comparable). Nothing asserts on time. Run it on a throwaway
database (`make bench` makes one): the accounts and lots it creates stay, their names ending with the run's tag.
"""

import time
import tracemalloc
import uuid

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from stdnum import luhn

from donations.models import Lot
from inventory.enums import DeviceState, LegalStatus
from inventory.models import Device, WorkshopProfile
from inventory.services.bench import BENCH_CHECK_IN
from reuse.accounts.enums import MembershipRole, OrganisationKind
from reuse.accounts.models import Membership, Organisation
from reuse.accounts.services import approve_organisation
from reuse.bench.data import (
    BENCH_PLACE,
    bench_organisation,
    bench_outcomes,
    bench_user,
    check_erasure_records,
    erased_devices,
)
from reuse.bench.files import glpi_xlsx, intune_export

PASSWORD = "Flotte-reformee-Q4-2026!"
SCANS_PER_BATCH = 500


def run_siret(tag: str) -> str:
    """A valid SIRET of the run's own (an organisation's SIRET is unique for its kind): Luhn SIREN, then Luhn
    SIRET, never La Poste's SIREN."""
    head = f"7{int(tag, 16) % 10**7:07d}"
    siren = head + luhn.calc_check_digit(head)
    body = f"{siren}0002"
    return body + luhn.calc_check_digit(body)


class Command(BaseCommand):
    help = "Un grand donateur (3 000 appareils) de l’inscription au reçu fiscal : temps, requêtes, mémoire."

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, default=3_000, help="Lignes de chaque manifeste.")
        parser.add_argument(
            "--memory", action="store_true", help="Mémoire maximale de chaque requête (plus lent)."
        )

    def handle(self, *args, rows, memory, **options):
        self.rows, self.memory = rows, memory
        hosts = [*settings.ALLOWED_HOSTS, "testserver"]
        quiet = "django.core.mail.backends.locmem.EmailBackend"
        with override_settings(ALLOWED_HOSTS=hosts, CELERY_TASK_ALWAYS_EAGER=True, EMAIL_BACKEND=quiet):
            self.journey(uuid.uuid4().hex[:6])

    def say(self, line):
        self.stdout.write(line)

    def request(self, label, client, method, url, data=None, expect=(200, 302), **extra):
        connection.queries_log.clear()  # DEBUG logs every query: a full log would count none
        if self.memory:
            tracemalloc.start()
        with CaptureQueriesContext(connection) as queries:
            begin = time.perf_counter()
            response = getattr(client, method)(url, data, **extra)
            content = b"".join(response.streaming_content) if response.streaming else response.content
            elapsed = time.perf_counter() - begin
        peak = ""
        if self.memory:
            peak = f"  peak {tracemalloc.get_traced_memory()[1] / 1_048_576:6.1f} MiB"
            tracemalloc.stop()
        form = (response.context or {}).get("form") if response.status_code == 200 else None
        if response.status_code not in expect or (method == "post" and form is not None and form.errors):
            errors = form.errors.as_text() if form is not None else content[:300]
            raise CommandError(f"{label}: HTTP {response.status_code} {errors}")
        self.say(
            f"  {label:<44} {elapsed * 1000:9.0f} ms {len(queries):6d} queries {len(content) / 1024:8.0f} KiB"
            f"{peak}  (HTTP {response.status_code})"
        )
        return response

    def journey(self, tag):
        donor_client, workshop_client = Client(), Client()
        email = f"dsi-{tag}@banque-exemple.invalid"
        self.say(f"grand donateur, {self.rows} lignes par manifeste, base {connection.vendor}")
        self.request(
            "inscription du donateur",
            donor_client,
            "post",
            "/dons/inscription/",
            {
                "name": f"Banque Banc {tag}",
                "siret": run_siret(tag),
                "address": BENCH_PLACE["address"],
                "postcode": BENCH_PLACE["postcode"],
                "city": BENCH_PLACE["city"],
                "first_name": "Direction",
                "last_name": "Informatique",
                "email": email,
                "password": PASSWORD,
            },
        )
        donor = Organisation.objects.get(memberships__user__email=email)
        staff = bench_user(f"equipe-{tag}@rebond-banc.invalid", is_staff=True)
        approve_organisation(organisation=donor, by=staff)  # staff's check of the SIRET, not measured
        workshop = bench_organisation(
            kind=OrganisationKind.WORKSHOP, name=f"Banc atelier {tag}", rna="W930000001"
        )
        WorkshopProfile.objects.create(
            organisation=workshop,
            service_departments=[BENCH_PLACE["department"]],
            monthly_capacity=self.rows * 2,
            may_issue_tax_receipts=True,
            legal_status=LegalStatus.ASSOCIATION_IG,
        )
        operator = bench_user(f"atelier-{tag}@banc-donateur.invalid", first_name="Atelier")
        Membership.objects.create(user=operator, organisation=workshop, role=MembershipRole.ADMIN)
        workshop_client.force_login(operator)
        lots = []
        for kind, name, content in (
            ("CSV Intune", "intune.csv", intune_export(self.rows)),
            ("XLSX GLPI", "glpi.xlsx", glpi_xlsx(self.rows)),
        ):
            self.request(
                f"nouveau lot ({kind})",
                donor_client,
                "post",
                "/dons/lots/nouveau/",
                {
                    "title": f"Parc {kind} {tag}",
                    "pickup_address": BENCH_PLACE["address"],
                    "pickup_postcode": BENCH_PLACE["postcode"],
                    "available_from": "2026-12-01",
                    "items-TOTAL_FORMS": "0",
                    "items-INITIAL_FORMS": "0",
                },
            )
            lot = Lot.objects.filter(donor=donor).latest("pk")
            upload = SimpleUploadedFile(name, content)
            response = self.request(
                f"manifeste {kind} ({len(content) / 1024:.0f} Kio)",
                donor_client,
                "post",
                f"/dons/lots/{lot.pk}/manifeste/",
                {"file": upload},
            )
            self.request(f"progression de l’import ({kind})", donor_client, "get", response.url)
            self.say(f"    {lot.items.count()} lignes écrites")
            lots.append(lot)
        lot = lots[0]
        self.donor_pages(donor_client, lot, "brouillon")
        self.request("liste de libération (page)", donor_client, "get", f"/dons/lots/{lot.pk}/liberation/")
        checks = {
            f"{kind}__{check}": "on"
            for kind in ("laptop", "smartphone", "tablet")
            for check in ("activation_lock_off", "frp_removed", "mdm_released", "bios_password_removed")
        }
        self.request(
            "liste de libération (envoi)", donor_client, "post", f"/dons/lots/{lot.pk}/liberation/", checks
        )
        self.request("soumission (attribution auto)", donor_client, "post", f"/dons/lots/{lot.pk}/soumettre/")
        lot.refresh_from_db()
        if lot.workshop_id != workshop.pk:
            raise CommandError(f"lot not assigned to the bench workshop (status {lot.status})")
        base = f"/dons/atelier/lots/{lot.pk}"
        self.request("atelier : liste des lots", workshop_client, "get", "/dons/atelier/")
        self.request("atelier : page du lot (proposé)", workshop_client, "get", f"{base}/")
        for label, action, data in (
            ("accepter", "accepter", None),
            ("enlèvement", "enlevement", {"when": "2026-12-10T09:00"}),
            ("collecte", "collecte", None),
        ):
            self.request(f"atelier : {label}", workshop_client, "post", f"{base}/{action}/", data)
        self.request(
            "atelier : entrée d’un lot (page)", workshop_client, "get", f"/atelier/entree/?lot={lot.pk}"
        )
        self.check_in(workshop_client, lot)
        self.request(
            "atelier : entrée d’un lot (tout reçu)", workshop_client, "get", f"/atelier/entree/?lot={lot.pk}"
        )
        self.request("atelier : réception (rapprochement)", workshop_client, "post", f"{base}/reception/")
        self.request("atelier : page du lot (reçu)", workshop_client, "get", f"{base}/")
        self.process(lot, operator)
        # Intune gives no accounting value: the donor's finance team adds the net book value to the manifest.
        lot.items.update(net_book_value_cents=4_000)
        self.donor_pages(donor_client, lot, "traité")
        self.request(
            "reçu fiscal (demande)",
            donor_client,
            "post",
            f"/dons/lots/{lot.pk}/recu-fiscal/",
            {"legal_form": "SA"},
        )
        self.request("reçu fiscal (page)", donor_client, "get", f"/dons/lots/{lot.pk}/recu-fiscal/")
        self.request(
            "reçu fiscal (PDF)",
            donor_client,
            "get",
            f"/dons/lots/{lot.pk}/recu-fiscal.pdf",
            expect=(200, 404),
        )

    def check_in(self, client, lot):
        serials = list(lot.items.order_by("row_number").values_list("serial", flat=True))
        begin, queries = time.perf_counter(), 0
        for start in range(0, len(serials), SCANS_PER_BATCH):
            codes = " ".join(serials[start : start + SCANS_PER_BATCH])
            connection.queries_log.clear()
            with CaptureQueriesContext(connection) as captured:
                response = client.post(
                    "/atelier/etabli/",
                    {"code": codes, "action": BENCH_CHECK_IN, "lot": lot.pk, "device_type": ""},
                )
            queries += len(captured)
            if response.status_code != 302:
                raise CommandError(f"bench check-in: HTTP {response.status_code}")
        elapsed = time.perf_counter() - begin
        received = lot.devices.count()
        self.say(
            f"  atelier : entrée par le poste ({len(serials)} scans)     {elapsed * 1000:9.0f} ms {queries:6d} queries"
            f"  ({received} appareils reçus, {elapsed / max(len(serials), 1) * 1000:.1f} ms par scan)"
        )

    def process(self, lot, operator):
        """The workshop's work, written in bulk (not measured): every data-bearing device erased and verified,
        then six in ten handed over, one in ten recycled, one in twenty kept for parts (reuse.bench.data)."""
        pks = erased_devices(Device.objects.filter(lot=lot), operator)
        outcomes = {
            DeviceState.HANDED_OVER: (
                [pk for i, pk in enumerate(pks) if i % 20 < 12],
                {"outcome_department": "93", "grade": "B"},
            ),
            DeviceState.RECYCLED: (
                [pk for i, pk in enumerate(pks) if 12 <= i % 20 < 14],
                {"recycle_channel": "Ecologic"},
            ),
            DeviceState.PARTS: ([pk for i, pk in enumerate(pks) if i % 20 == 14], {}),
        }
        bench_outcomes(outcomes)
        check_erasure_records(Device.objects.filter(lot=lot))

    def donor_pages(self, client, lot, when):
        pages = [
            ("tableau de bord", "/dons/"),
            ("page du lot", f"/dons/lots/{lot.pk}/"),
            ("page du lot, page 10", f"/dons/lots/{lot.pk}/?page=10"),
        ]
        if when != "brouillon":
            pages += [
                ("export CSV", f"/dons/lots/{lot.pk}/devenir.csv"),
                ("export XLSX", f"/dons/lots/{lot.pk}/devenir.xlsx"),
                ("API rapport par numéro de série", f"/api/v1/lots/{lot.pk}/report"),
                ("API rapport, page de 100", f"/api/v1/lots/{lot.pk}/report?limit=100"),
                ("certificat d’effacement (PDF)", f"/dons/lots/{lot.pk}/certificat.pdf"),
                ("certificat d’effacement (2e fois)", f"/dons/lots/{lot.pk}/certificat.pdf"),
                ("rapport d’impact", f"/dons/lots/{lot.pk}/impact/"),
                ("impact public", "/dons/impact/"),
            ]
        for label, url in pages:
            response = self.request(f"donateur ({when}) : {label}", client, "get", url)
            if label.startswith("certificat") and response.status_code == 200:
                self.certificate = lot.certificates.latest("pk")
        if when != "brouillon":
            self.request(
                "vérification publique du certificat",
                Client(),
                "get",
                f"/dons/certificats/{self.certificate.code}/",
            )
