"""The audit log's words for this app's actions (see ``core.audit_text``)."""

from django.urls import reverse

from shegong.core.audit_text import pk_links

ACTIONS = {
    "unit.create": "新建了",
    "unit.update": "修改了",
    "unit.move": "调整了上级：",
    "partner.create": "登记了",
    "partner.update": "修改了",
}


def _units(ids):
    from .models import Unit

    rows = Unit.objects.filter(pk__in=[int(pk) for pk in ids if pk.isdigit()]).only("code")
    return {str(u.pk): (reverse("orgs:unit_detail", args=[u.code]), None) for u in rows}


LINKS = {"unit": _units, "partner": pk_links("orgs:partner_edit", arg="partner_id")}
