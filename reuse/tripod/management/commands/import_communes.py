from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from reuse import spreadsheets
from reuse.bounds import whole_number
from reuse.tripod.models import CommunePoint


class Command(BaseCommand):
    help = (
        "Load commune coordinates by postcode from a CSV: the national file of postcodes (columns Code_postal, "
        "Nom_de_la_commune / Nom_commune, coordonnees_gps « lat, lon ») or columns postcode, name, latitude, longitude."
    )

    def add_arguments(self, parser):
        parser.add_argument("path")

    def handle(self, *args, path: str, **options):
        try:
            with Path(path).open("rb") as handle:
                lines = list(spreadsheets.rows(handle))
        except OSError as exc:
            raise CommandError(str(exc)) from exc
        except spreadsheets.UnreadableFile as exc:
            raise CommandError(str(exc.message)) from exc
        header = next((line for line in lines if not spreadsheets.is_blank(line)), [])
        names = [name.strip().lower() for name in header]
        points, refused = {}, 0
        for cells in lines[lines.index(header) + 1 :] if header else []:
            if spreadsheets.is_blank(cells):
                continue
            row = {name: (value or "").strip() for name, value in zip(names, cells, strict=False)}
            postcode = row.get("code_postal") or row.get("postcode") or ""
            name = row.get("nom_de_la_commune") or row.get("nom_commune") or row.get("name") or ""
            try:
                if row.get("coordonnees_gps"):
                    lat, lon = (float(part) for part in row["coordonnees_gps"].split(","))
                else:
                    lat, lon = float(row.get("latitude", "")), float(row.get("longitude", ""))
            except ValueError:
                refused += 1
                continue
            if len(postcode) != 5 or whole_number(postcode) is None or not name:
                refused += 1
                continue
            points[(postcode, name)] = (lat, lon)
        with transaction.atomic():
            for (postcode, name), (lat, lon) in points.items():
                CommunePoint.objects.update_or_create(
                    postcode=postcode, name=name, defaults={"latitude": lat, "longitude": lon}
                )
        self.stdout.write(f"{len(points)} communes, {refused} ligne(s) sans coordonnées lisibles")
