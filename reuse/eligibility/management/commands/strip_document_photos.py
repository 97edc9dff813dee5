from django.core.management.base import BaseCommand

from reuse.eligibility.services.documents import strip_stored_photos


class Command(BaseCommand):
    help = (
        "Re-encode the proofs photographed before uploads were re-encoded (EXIF and GPS stripped, upright), once "
        "after deploying; PDFs are left as they are. Safe to run again."
    )

    def handle(self, *args, **options):
        rewritten, unreadable = strip_stored_photos()
        self.stdout.write(f"{len(rewritten)} photo(s) de justificatif réencodée(s) sans métadonnées.")
        if unreadable:
            self.stderr.write(
                "Illisibles comme photo, laissés tels quels (à examiner) : justificatifs n° "
                + ", ".join(str(pk) for pk in unreadable)
            )
