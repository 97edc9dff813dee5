"""Read again every PDF Rebond keeps and set aside those that run something or carry a file.

PDFs kept before the passive-PDF check (reuse.filekinds.check_passive_pdf: households' proofs, workshops' erasure
certificates, the portal's documents) were never read by it. Run once after the deploy that brings this command
(docs: README, « Running in production »), and again at will: a file already set aside is not counted twice, and
the coordinators are told only of files newly set aside.

Every file field of every model is read, in whichever storage it lives, so that a kind of file added later is not
forgotten; only files a PDF reader would open as a PDF (reuse.filekinds.may_be_pdf) are checked.
"""

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import models, transaction

from reuse.accounts.services import notify
from reuse.errors import InvalidInput
from reuse.filekinds import may_be_pdf, pdf_acts
from reuse.models import QuarantinedFile, storage_alias
from reuse.policy.accounts import coordinators


def stored_files():
    """(model label, primary key, FieldFile) of every file kept by any model."""
    for model in apps.get_models():
        fields = [field for field in model._meta.get_fields() if isinstance(field, models.FileField)]
        for field in fields:
            rows = model._default_manager.exclude(**{field.name: ""}).exclude(
                **{f"{field.name}__isnull": True}
            )
            for row in rows.iterator(chunk_size=200):
                yield model._meta.label, row.pk, getattr(row, field.name)


def read(field_file) -> bytes | None:
    try:
        with field_file.storage.open(field_file.name, "rb") as handle:
            return handle.read()
    except FileNotFoundError:
        return None  # deleted at its retention's end, or lost with a storage restored without it


class Command(BaseCommand):
    help = "Set aside the kept PDFs that run something or carry a file, and tell the coordinators."

    def handle(self, *args, **options):
        checked = unreadable = 0
        found = []
        for label, pk, field_file in stored_files():
            data = read(field_file)
            if data is None or not may_be_pdf(data):
                continue
            checked += 1
            try:
                active = pdf_acts(data)
            except InvalidInput:
                unreadable += 1  # refused today as damaged, but nothing in it was seen to act: left as it is
                continue
            if active:
                row, created = QuarantinedFile.objects.get_or_create(
                    storage=storage_alias(field_file.storage),
                    name=field_file.name,
                    defaults={
                        "model": label,
                        "object_id": str(pk),
                        "reason": QuarantinedFile.Reason.ACTIVE_PDF,
                    },
                )
                if created:
                    found.append(row)
        if found:
            with transaction.atomic():
                for person in coordinators().exclude(email=""):
                    notify(user=person, template="files_quarantined", context={"files": found})
        self.stdout.write(
            f"{checked} PDFs read again, {len(found)} set aside, {unreadable} unreadable left in place."
        )
