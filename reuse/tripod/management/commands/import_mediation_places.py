from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reuse.errors import DomainError
from reuse.tripod import lamednum


class Command(BaseCommand):
    help = "Import digital mediation places (LaMednum schema, CSV or JSON) from a file or an http(s) address."

    def add_arguments(self, parser):
        parser.add_argument("source", help="path of the file, or http(s) URL")

    def handle(self, *args, source: str, **options):
        try:
            if source.startswith(("http://", "https://")):
                data = lamednum.fetch(source)
            else:
                data = Path(source).read_bytes()
            record = lamednum.import_places(data, filename=source, source="command")
        except (DomainError, OSError) as exc:
            raise CommandError(str(getattr(exc, "message", exc))) from exc
        for error in [*record.error_rows[:200], *record.warning_rows[:200]]:
            self.stderr.write(f"ligne {error['row']}, {error['field'] or '-'} : {error['message']}")
        self.stdout.write(
            f"{record.rows} lignes : {record.created_count} ajoutés, {record.updated_count} mis à jour, "
            f"{len(record.errors)} erreur(s), {len(record.warnings)} avertissement(s)"
        )
