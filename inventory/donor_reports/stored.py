"""An erasure certificate's PDF drawn once per state of the lot, by a Celery task, and kept in private storage.

A certificate of a 3,000-device lot takes seconds of CPU to draw: drawn again at each download, a few donors (or
one donor's auditors) downloading at once held every web worker. A certificate is the frozen state of the lot's
erasures (any change to what it prints issues a new one, with its own code and hash), so its PDF is drawn once per
language, stored with the file's SHA-256, and served from storage afterwards. Until it is drawn the download says
« en préparation »: a file that no longer matches the lot is never served.

Which certificate is current is decided at each download from the lot's data as it is then (`current_certificate`,
by the fingerprint of inventory.donor_reports.fingerprint), whatever path wrote it: a bulk update that sends no
signal is never hidden by a stored file, and an unchanged lot costs a few queries, not a rebuilt content.

The task runs when the workshop is done with the lot's erasures and again whenever they change afterwards (a new
erasure record, a device gone to recycling or parts), a minute after the last change of a burst, so that the
donor's first download usually finds the file ready; a write that does not queue it only makes that download wait
for the drawing.

A superseded certificate's PDF is never served again (the download issues the lot's current certificate), and a
copy its donor kept is proven by what the database keeps for good: the frozen content and its hash, the file's
SHA-256, on the public verification page that also names the certificate that replaced it. Its file is deleted
SUPERSEDED_KEPT_DAYS after it was replaced (`purge_superseded`, nightly): about 0.7 MB per change and language
otherwise grew without end, carrying the operators' names longer than any proof needs.
"""

import hashlib
from datetime import timedelta

from celery import current_app
from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.db.models.signals import post_save
from django.utils import timezone, translation

from donations.models import CertificatePdf, ErasureCertificate, Lot
from inventory.donor_reports import certificates
from inventory.donor_reports.fingerprint import lot_fingerprint
from inventory.models import Device, ErasureRecord
from inventory.signals import stock_moved

# The tasks of inventory/tasks.py, sent by name: that module calls this one.
RENDER_TASK = "inventory.tasks.render_certificate_pdf"
PREPARE_TASK = "inventory.tasks.prepare_certificate"
# Changes of a lot within this delay (an import of a day's nwipe reports, a bench batch) make one render.
SETTLE_SECONDS = 60
# A replaced certificate's file stays this long: a donor who downloaded it just before the change can still ask the
# workshop for the very file, and a dispute about it is raised within the month.
SUPERSEDED_KEPT_DAYS = 30


def current_pdf(certificate: ErasureCertificate, language: str) -> CertificatePdf | None:
    """The stored PDF of `certificate` in `language`, if it prints the verification address the site prints now."""
    stored = CertificatePdf.objects.filter(certificate=certificate, language=language).first()
    if (
        stored is not None
        and stored.file
        and stored.verification_url == certificates.verification_url(certificate)
    ):
        return stored
    return None


def render(certificate_id: int, language: str) -> CertificatePdf | None:
    """Draw and store the PDF unless it is stored already. The certificate's row is locked while drawing, and a
    second render of the same certificate (a donor who reloads the page) waits for the first one's file."""
    with transaction.atomic():
        certificate = ErasureCertificate.objects.select_for_update().filter(pk=certificate_id).first()
        if certificate is None:
            return None
        stored = current_pdf(certificate, language)
        if stored is not None:
            return stored
        with translation.override(language):
            data = certificates.render_pdf(certificate)
        fields = {
            "verification_url": certificates.verification_url(certificate),
            "file": ContentFile(data, name=f"certificat-{certificate.code}-{language}.pdf"),
            "sha256": hashlib.sha256(data).hexdigest(),
            "size": len(data),
        }
        stored = CertificatePdf.objects.filter(certificate=certificate, language=language).first()
        if stored is None:
            return CertificatePdf.objects.create(certificate=certificate, language=language, **fields)
        # The site's address changed since: the file printed the old one.
        previous = stored.file.name
        for name, value in fields.items():
            setattr(stored, name, value)
        stored.save()
        if previous:
            transaction.on_commit(lambda: stored.file.storage.delete(previous))
        return stored


def purge_superseded(now=None) -> int:
    """Delete the files of the certificates replaced by a newer one of their lot more than SUPERSEDED_KEPT_DAYS
    ago; their rows stay (the file's SHA-256, shown on the verification page). How many files were deleted."""
    cutoff = (now or timezone.now()) - timedelta(days=SUPERSEDED_KEPT_DAYS)
    replaced = ErasureCertificate.objects.filter(
        lot=OuterRef("certificate__lot"), created__gt=OuterRef("certificate__created"), created__lte=cutoff
    )
    deleted = 0
    for pdf in CertificatePdf.objects.exclude(file="").filter(Exists(replaced)).iterator():
        name = pdf.file.name
        # The row first: a file left behind by a failed delete is harmless, a row naming a deleted file is not.
        CertificatePdf.objects.filter(pk=pdf.pk).update(file="")
        pdf.file.storage.delete(name)
        deleted += 1
    return deleted


def current_certificate(lot: Lot, *, user=None, settled_only: bool = False) -> ErasureCertificate | None:
    """The lot's current certificate (certificates.issue_certificate), its content built only when the lot's data
    changed since the latest certificate was built: otherwise a few queries whatever the size of the lot.

    The fingerprint is read again after the content is built and recorded only if it did not move meanwhile: a
    content built from later data than the fingerprint says is never recorded under it."""
    fingerprint = lot_fingerprint(lot.pk)
    latest = ErasureCertificate.objects.filter(lot_id=lot.pk).order_by("-created", "-pk").first()
    if latest is not None and latest.lot_fingerprint == fingerprint:
        if settled_only and not certificates.erasures_settled(latest.content):
            return None
        return latest
    certificate = certificates.issue_certificate(lot=lot, user=user, settled_only=settled_only)
    if certificate is not None and lot_fingerprint(lot.pk) == fingerprint:
        ErasureCertificate.objects.filter(pk=certificate.pk).update(lot_fingerprint=fingerprint)
    return certificate


def ready_or_scheduled(certificate: ErasureCertificate, language: str) -> CertificatePdf | None:
    """The stored PDF to serve, or None once its render is enqueued (after the caller's transaction). Without a
    worker (no broker: the demo) there is no one else to draw it: it is drawn here, once, as the task would."""
    pdf = current_pdf(certificate, language)
    if pdf is not None:
        return pdf
    if current_app.conf.task_always_eager:
        return render(certificate.pk, language)
    transaction.on_commit(lambda: current_app.send_task(RENDER_TASK, (certificate.pk, language)))
    return None


def prepare(lot_id: int) -> ErasureCertificate | None:
    """Issue the certificate of a lot whose erasures are settled (none otherwise) and draw it in every language."""
    cache.delete(_settle_key(lot_id))
    lot = Lot.objects.filter(pk=lot_id).first()
    if lot is None or not lot.devices.filter(erasures__isnull=False).exists():
        return None
    certificate = current_certificate(lot, settled_only=True)
    if certificate is not None:
        for language, _name in settings.LANGUAGES:
            render(certificate.pk, language)
    return certificate


def _settle_key(lot_id: int) -> str:
    return f"donor_reports:certificate:{lot_id}"


def lots_changed(lot_ids) -> None:
    """After the transaction that changed them, one render per lot for a burst of changes (SETTLE_SECONDS). Not
    when tasks run in the request (no broker: the demo): a render at each erasure would hold the workshop's page,
    and the donor's download draws the file then."""
    if current_app.conf.task_always_eager:
        return

    def enqueue(lot_id):
        if cache.add(_settle_key(lot_id), 1, SETTLE_SECONDS * 2):
            current_app.send_task(PREPARE_TASK, (lot_id,), countdown=SETTLE_SECONDS)

    for lot_id in {lot_id for lot_id in lot_ids if lot_id}:
        transaction.on_commit(lambda lot_id=lot_id: enqueue(lot_id))


def _device_saved(sender, instance, **kwargs):
    lots_changed([instance.lot_id])


def _erasure_saved(sender, instance, **kwargs):
    lots_changed([instance.device.lot_id])


def _stock_moved(sender, device_ids, **kwargs):
    if not current_app.conf.task_always_eager:
        lots_changed(Device.objects.filter(pk__in=device_ids).values_list("lot_id", flat=True).distinct())


def connect() -> None:
    """Every write that changes what a certificate prints: a device's fields or state (save() or the bench's batch
    moves) and its erasure records."""
    post_save.connect(_device_saved, sender=Device, dispatch_uid="donor_reports.certificate.device")
    post_save.connect(_erasure_saved, sender=ErasureRecord, dispatch_uid="donor_reports.certificate.erasure")
    stock_moved.connect(_stock_moved, sender=Device, dispatch_uid="donor_reports.certificate.moved")
