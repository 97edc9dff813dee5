"""Specs in plain words, for people who do not speak gigabytes."""

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from inventory.enums import DeviceType


def good_for(device) -> list[str]:
    ram = device.ram_gb or 0
    if device.type == DeviceType.SMARTPHONE:
        uses = [_("appels et messages"), _("démarches en ligne"), _("visio")]
    elif device.type == DeviceType.TABLET:
        uses = [_("visio"), _("lecture"), _("démarches en ligne")]
    elif device.type in (DeviceType.LAPTOP, DeviceType.DESKTOP):
        uses = [_("démarches en ligne"), _("courriels")]
        if ram >= 4:
            uses = [_("visio"), _("travail scolaire"), _("bureautique"), _("démarches en ligne")]
        if ram >= 8:
            uses.append(_("retouche photo simple"))
    elif device.type == DeviceType.MONITOR:
        uses = [_("un deuxième écran"), _("lire plus grand")]
    else:
        uses = [_("usage courant")]
    return uses


def plain_specs(device) -> list[tuple[str, str]]:
    rows = []
    if device.cpu:
        rows.append((_("Processeur"), device.cpu))
    if device.ram_gb:
        rows.append(
            (
                _("Mémoire vive"),
                _("%(n)s Go (plus il y en a, plus on peut ouvrir de choses à la fois)")
                % {"n": device.ram_gb},
            )
        )
    if device.storage_gb:
        kind = f" {device.storage_type.upper()}" if device.storage_type else ""
        rows.append(
            (
                _("Stockage"),
                _("%(n)s Go%(kind)s pour vos fichiers et applications")
                % {"n": device.storage_gb, "kind": kind},
            )
        )
    if device.screen_inches:
        # « Écran » alone is the monitor, a device type; here it is the screen of a laptop, tablet or phone.
        rows.append(
            (pgettext("taille", "Écran"), _("%(n)s pouces") % {"n": number_format(device.screen_inches)})
        )
    if device.battery_health is not None:
        rows.append((_("Batterie"), _("%(n)s %% de sa capacité d’origine") % {"n": device.battery_health}))
    if device.os:
        rows.append((_("Système"), device.os))
    if device.keyboard_layout:
        rows.append((_("Clavier"), device.keyboard_layout.upper()))
    if device.accessories:
        rows.append((_("Fourni avec"), device.accessories))
    if device.year:
        rows.append((_("Année"), str(device.year)))
    return rows
