"""Erasure certificates: a frozen list of every erased medium, a content hash, and a PDF with a QR per page."""

import hashlib
import io
import json
import secrets

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from donations.models import ErasureCertificate, Lot
from inventory.donor_reports import outcomes
from inventory.donor_reports.versions import version_line
from inventory.enums import DeviceState, DeviceType, ErasureMethod, StorageMedium
from inventory.erasure import erasure_state, media_outcomes
from inventory.models import ErasureRecord
from reuse.errors import Conflict
from reuse.pdf import document, line, long_table, paragraph, qr_form

NIST_LEVEL = outcomes.NIST_LEVEL
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def certificate_content(lot: Lot) -> dict:
    """Every erasure record of the lot's devices, in a stable order, as plain data."""
    records = list(
        ErasureRecord.objects.filter(device__lot=lot)
        .select_related("device", "operator", "report")
        .order_by("device__serial", "device__asset_tag", "performed_at", "pk")
    )
    media = [
        {
            "make": record.media_make,
            "model": record.media_model,
            "serial": record.media_serial,
            "type": record.media_type,
            "host_serial": record.device.serial,
            "host_asset_tag": record.device.asset_tag,
            "host": f"{record.device.brand} {record.device.model}".strip(),
            "method": record.method,
            "level": NIST_LEVEL.get(record.method, record.method),
            "tool": record.tool,
            "tool_version": record.tool_version,
            "operator": record.operator.get_full_name() or f"#{record.operator_id}",
            "date": timezone.localtime(record.performed_at).strftime("%Y-%m-%d %H:%M"),
            "verified": record.verified,
            # Only for records imported from a tool's report: earlier certificates keep their content and hash.
            **({"passes": record.passes} if record.passes else {}),
            **({"report_sha256": record.report.sha256} if record.report_id else {}),
            # A destroyed drive's proof as the workshop noted it (a shredder's certificate of destruction).
            **(
                {"proof": record.notes.strip()} if record.method == "destroy" and record.notes.strip() else {}
            ),
        }
        for record in records
    ]
    devices, verified_media = lot_devices(lot)
    content = {
        "lot": lot.pk,
        "lot_title": lot.title,
        "donor": lot.donor.name,
        "donor_siret": lot.donor.siret,
        "workshop": lot.workshop.name if lot.workshop else "",
        "media": media,
        # Every serial of the lot, erased or not: a device that is not on the list is not silently missing.
        "devices": devices,
        "verified_media": verified_media,
    }
    # Only when there are some: the content (and hash) of every other lot's certificate stays what it was.
    missing = outcomes.not_received(lot)
    if missing:
        content["not_received"] = missing
    reports = {}
    for record in records:
        if record.report_id:
            entry = reports.setdefault(
                record.report.sha256,
                {
                    "sha256": record.report.sha256,
                    "filename": record.report.filename,
                    "tool": f"{record.report.tool} {record.report.tool_version}".strip(),
                    "media": [],
                },
            )
            entry["media"].append(record.media_serial)
    if reports:
        content["reports"] = sorted(reports.values(), key=lambda report: report["filename"])
    return content


def lot_devices(lot: Lot) -> tuple[list[dict], int]:
    """Every device of the lot with its erasure judged medium by medium (inventory.erasure.erasure_state), and how
    many media have a verified latest erasure. Recycling and parts are said with their channel: the WEEE channel destroys
    what the workshop did not erase."""
    devices, verified_media = [], 0
    for device in outcomes.lot_devices(lot):
        latest = media_outcomes(device.erasures.all())
        verified = sum(1 for ok in latest.values() if ok)
        verified_media += verified
        out = device.state in (DeviceState.RECYCLED, DeviceState.PARTS)
        devices.append(
            {
                "serial": device.serial,
                "asset_tag": device.asset_tag,
                "type": device.type,
                "erasure": erasure_state(device, latest),
                "media_total": device.media_count,
                "media_verified": verified,
                "outcome": device.state if out else "",
                "channel": device.recycle_channel if device.state == DeviceState.RECYCLED else "",
                "reference": device.recycle_reference if device.state == DeviceState.RECYCLED else "",
            }
        )
    return devices, verified_media


def device_erasure_label(device: dict) -> str:
    state = device["erasure"]
    if state == "verified":
        return _("effacé, vérifié")
    if state == "failed":
        return _("ÉCHEC de l’effacement")
    if state == "incomplete":
        return _("incomplet : %(done)s support(s) vérifié(s) sur %(total)s") % {
            "done": device["media_verified"],
            "total": device["media_total"],
        }
    if state == "none":
        return _("aucun effacement")
    return _("sans support de données")


def destruction_proof(medium: dict) -> str:
    """What proves a destroyed drive's destruction, or that nothing but the operator's word does."""
    if medium["method"] != ErasureMethod.DESTROY:
        return ""
    if medium.get("proof"):
        return _("Preuve : %(proof)s") % {"proof": medium["proof"]}
    if medium.get("report_sha256"):
        return _("Preuve : rapport d’origine de l’outil (empreinte ci-dessous)")
    return _("Preuve : déclaration de l’opérateur, sans pièce jointe")


def device_outcome_label(device: dict) -> str:
    if device["outcome"] == DeviceState.RECYCLED:
        label = _("Recyclé via la filière %(channel)s") % {"channel": device["channel"] or "DEEE"}
        return f"{label} ({device['reference']})" if device["reference"] else label
    if device["outcome"] == DeviceState.PARTS:
        return _("Conservé pour pièces détachées")
    return "—"


def content_hash(content: dict) -> str:
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _new_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def erasures_settled(content: dict) -> bool:
    """Whether the workshop is done with the lot's erasures: each device erased and verified, holding no data, or
    gone to recycling or parts (where its outcome says what became of it)."""
    return all(
        device["erasure"] in ("verified", "no_data") or device["outcome"] for device in content["devices"]
    )


@transaction.atomic
def issue_certificate(*, lot: Lot, user=None, settled_only: bool = False) -> ErasureCertificate | None:
    """The lot's current certificate: reused while the erasures have not changed, a new one otherwise. Without
    `user` (the render task) it is issued in the name of the operator of the lot's latest erasure; `settled_only`
    issues none (None) while erasures remain to be done (`erasures_settled`)."""
    lot = Lot.objects.select_for_update(of=("self",)).select_related("donor", "workshop").get(pk=lot.pk)
    content = certificate_content(lot)
    if not content["media"]:
        raise Conflict(_("Aucun effacement n’est encore enregistré pour ce lot."), code="no_erasure")
    if settled_only and not erasures_settled(content):
        return None
    digest = content_hash(content)
    latest = lot.certificates.order_by("-created", "-pk").first()
    if latest and latest.content_hash == digest:
        return latest
    if user is None:
        user = ErasureRecord.objects.filter(device__lot=lot).latest("performed_at", "pk").operator
    return ErasureCertificate.objects.create(
        lot=lot,
        code=_new_code(),
        content=content,
        content_hash=digest,
        media_count=content["verified_media"],
        issued_by=user,
    )


def verification_url(certificate: ErasureCertificate) -> str:
    return settings.PUBLIC_BASE_URL + reverse("donations:certificate_verify", args=[certificate.code])


QR_FORM = "verification-qr"


def render_pdf(certificate: ErasureCertificate) -> bytes:
    content = certificate.content
    url = verification_url(certificate)
    buffer = io.BytesIO()
    page = landscape(A4)
    doc = document(
        buffer,
        page=page,
        margins=(12, 14, 36),
        title=_("Certificat d’effacement %(code)s") % {"code": certificate.code},
        author="Rebond",
    )
    styles = getSampleStyleSheet()
    small = styles["BodyText"].clone("small", fontSize=7, leading=8.5)
    story = [
        paragraph(_("Certificat d’effacement des données"), styles["Title"]),
        paragraph(
            _("Lot « %(title)s » — donateur : %(donor)s (SIRET %(siret)s) — atelier : %(workshop)s")
            % {
                "title": content["lot_title"],
                "donor": content["donor"],
                "siret": content["donor_siret"],
                "workshop": content["workshop"] or "—",
            },
            styles["BodyText"],
        ),
        paragraph(
            _("%(count)s support(s) de stockage effacé(s) selon NIST SP 800-88. Émis le %(date)s.")
            % {
                "count": certificate.media_count,
                "date": timezone.localtime(certificate.created).strftime("%d/%m/%Y %H:%M"),
            },
            styles["BodyText"],
        ),
    ]
    story.append(paragraph(version_line(certificate), styles["BodyText"]))
    unproven = [d for d in content.get("devices", []) if d["erasure"] in ("failed", "incomplete", "none")]
    if unproven:
        story.append(
            paragraph(
                _(
                    "%(n)s appareil(s) du lot sans effacement vérifié de tous leurs supports : ce certificat ne les "
                    "couvre pas (voir la liste des appareils et leur devenir)."
                )
                % {"n": len(unproven)},
                styles["BodyText"],
            )
        )
    story.append(Spacer(1, 4 * mm))
    header = [
        _("Marque"),
        _("Modèle"),
        _("N° de série du support"),
        _("Type"),
        _("N° de série de l’appareil"),
        _("Méthode et niveau"),
        _("Outil et version"),
        _("Opérateur"),
        _("Date"),
        _("Vérification"),
    ]
    media_labels = dict(StorageMedium.choices)
    method_labels = dict(ErasureMethod.choices)
    rows = [header]
    for medium in content["media"]:
        rows.append(
            (
                medium["make"] or "—",
                medium["model"] or "—",
                medium["serial"],
                str(media_labels.get(medium["type"], medium["type"] or "—")),
                medium["host_serial"] or medium["host_asset_tag"],
                f"{method_labels.get(medium['method'], medium['method'])}\n{medium['level']}",
                "\n".join(
                    filter(None, (f"{medium['tool']} {medium['tool_version']}", destruction_proof(medium)))
                ),
                medium["operator"],
                medium["date"],
                _("réussie") if medium["verified"] else _("ÉCHEC"),
            )
        )
    story.append(long_table(rows, widths=(22, 30, 32, 24, 30, 35, 34, 28, 24, 14), style=small))
    type_labels = dict(DeviceType.choices)
    if content.get("devices"):
        device_rows = [
            [
                _("N° de série de l’appareil"),
                _("Étiquette"),
                _("Type"),
                _("Effacement"),
                _("Devenir"),
            ]
        ]
        for device in content["devices"]:
            device_rows.append(
                (
                    device["serial"] or "—",
                    device["asset_tag"],
                    str(type_labels.get(device["type"], device["type"])),
                    device_erasure_label(device),
                    device_outcome_label(device),
                )
            )
        story += [
            Spacer(1, 5 * mm),
            paragraph(_("Appareils du lot"), styles["Heading3"]),
            long_table(device_rows, widths=(50, 30, 35, 70, 85), style=small),
        ]
    if content.get("not_received"):
        story += [
            Spacer(1, 5 * mm),
            paragraph(_("Déclarés au manifeste, non reçus par l’atelier"), styles["Heading3"]),
            paragraph(
                _("Aucun appareil portant ces numéros n’a été reçu : ce certificat ne les couvre pas."), small
            ),
            Spacer(1, 2 * mm),
            long_table(
                [
                    [_("N° de série déclaré"), _("Type"), _("Marque"), _("Modèle")],
                    *[
                        (
                            item["serial"],
                            str(type_labels.get(item["type"], item["type"])),
                            item["brand"] or "—",
                            item["model"] or "—",
                        )
                        for item in content["not_received"]
                    ],
                ],
                widths=(60, 50, 60, 100),
                style=small,
            ),
        ]
    if content.get("reports"):
        story += [
            Spacer(1, 5 * mm),
            paragraph(_("Rapports d’origine des outils d’effacement"), styles["Heading3"]),
            paragraph(
                _(
                    "Chaque rapport est conservé tel que l’outil l’a produit ; le donateur le télécharge depuis la page "
                    "du lot et vérifie son empreinte SHA-256 (commande « sha256sum »)."
                ),
                small,
            ),
            Spacer(1, 2 * mm),
        ]
        report_rows = [[_("Fichier"), _("Outil"), _("Empreinte SHA-256"), _("Supports")]]
        for report in content["reports"]:
            report_rows.append(
                (
                    report["filename"],
                    report["tool"],
                    report["sha256"],
                    ", ".join(report["media"]),
                )
            )
        story.append(long_table(report_rows, widths=(60, 40, 110, 60), style=small))

    def on_page(canvas, document):
        canvas.saveState()
        size = 26 * mm
        if document.page == 1:
            qr_form(canvas, QR_FORM, url, size)
        canvas.translate(page[0] - 12 * mm - size, 6 * mm)
        canvas.doForm(QR_FORM)
        canvas.translate(-(page[0] - 12 * mm - size), -6 * mm)
        canvas.setFont("Helvetica-Bold", 9)
        canvas.drawString(
            12 * mm, 26 * mm, line(_("Code de vérification : %(code)s") % {"code": certificate.code})
        )
        canvas.setFont("Helvetica", 7.5)
        canvas.drawString(
            12 * mm, 21 * mm, line(_("Empreinte SHA-256 : %(hash)s") % {"hash": certificate.content_hash})
        )
        canvas.drawString(12 * mm, 16 * mm, line(_("Vérifier : %(url)s") % {"url": url}))
        canvas.drawString(12 * mm, 11 * mm, _("Page %(page)s") % {"page": document.page})
        canvas.restoreState()

    doc.build(story, onFirstPage=on_page, onLaterPages=on_page)
    return buffer.getvalue()
