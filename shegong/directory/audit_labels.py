"""The audit log's words for this app's actions (see ``core.audit_text``)."""

from django.urls import reverse

ACTIONS = {
    "listing.update": "修改了",
    "listing.verify": "核实了",
    "qrlink.create": "新建了",
    "qrlink.update": "修改了",
    "brandkit.update": "修改了",
}


def _listings(ids):
    from .models import StationListing

    rows = StationListing.objects.filter(pk__in=[int(pk) for pk in ids if pk.isdigit()])
    return {str(r.pk): (reverse("directory:listing_edit", args=[r.slug]), None) for r in rows}


def _links(ids):
    from .models import QrLink

    rows = QrLink.objects.filter(pk__in=[int(pk) for pk in ids if pk.isdigit()])
    return {str(r.pk): (reverse("directory:qr_detail", args=[r.code]), None) for r in rows}


LINKS = {"stationlisting": _listings, "qrlink": _links}
