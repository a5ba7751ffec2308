"""Poster PDFs (A4, A3) of a station's listing with its QR code, rendered by WeasyPrint.

A TrueType CJK face (WenQuanYi Zen Hei) keeps rendering near one second; OpenType/CFF faces
such as Noto CJK take several seconds to subset.
"""

import base64

from django.core.files.storage import default_storage
from django.template.loader import render_to_string

from shegong.campaigns.models import Campaign

from .models import QrLink, StationListing
from .qrcodes import qr_image, qr_url
from .selectors import brand_for

POSTER_CHANNEL = "社工站海报"


def poster_link(listing: StationListing) -> QrLink:
    """The station's poster channel: one code per station, pointing at its public page."""
    link = QrLink.objects.filter(unit=listing.unit, channel=POSTER_CHANNEL).first()
    if link is None:
        from .services import qrlink_create

        link = qrlink_create(
            actor=None,
            unit=listing.unit,
            channel=POSTER_CHANNEL,
            target=listing.get_absolute_url(),
            is_demo=listing.is_demo,
        )
    return link


# Body type size of each poster, and the smallest it may shrink to before services are left
# for the QR page: 8 pt is still read at arm's length on a notice board.
FONT_PT = {"A4": 11.0, "A3": 15.0}
MIN_FONT_PT = {"A4": 8.0, "A3": 11.0}


def poster_html(
    listing: StationListing,
    *,
    size: str,
    font_pt: float | None = None,
    services: list | None = None,
) -> str:
    brand = brand_for(Campaign.objects.current())
    link = poster_link(listing)
    logo_src = ""
    if brand.get("logo_name"):
        with default_storage.open(brand["logo_name"], "rb") as logo:
            data = logo.read()
        kind = "png" if data.startswith(b"\x89PNG") else "jpeg"
        logo_src = f"data:image/{kind};base64," + base64.b64encode(data).decode()
    svg = qr_image(link.code, fmt="svg", color=brand["primary_color"], scale=8)
    every_service = list(listing.services.all())
    services = every_service if services is None else services
    return render_to_string(
        "directory/poster.html",
        {
            "listing": listing,
            "brand": brand,
            "logo_src": logo_src,
            "size": size.upper(),
            "font_pt": f"{font_pt or FONT_PT[size.upper()]:.1f}",
            "qr_src": "data:image/svg+xml;base64," + base64.b64encode(svg).decode(),
            "qr_url": qr_url(link.code),
            "staff": list(listing.staff.all()),
            "services": services,
            "more_services": len(every_service) - len(services),
        },
    )


def poster_pdf(listing: StationListing, *, size: str) -> bytes:
    from weasyprint import HTML

    key = size.upper()
    services = list(listing.services.all())
    font_pt = FONT_PT[key]

    def render(font_pt, services):
        html = poster_html(listing, size=size, font_pt=font_pt, services=services)
        return HTML(string=html).render()

    # A poster is one sheet on a notice board: the type shrinks until the listing fits, then
    # the last services give way to "另有 N 项服务，请扫码查看" (the QR page lists them all).
    document = render(font_pt, services)
    while len(document.pages) > 1 and font_pt > MIN_FONT_PT[key]:
        font_pt = max(MIN_FONT_PT[key], font_pt * 0.88)
        document = render(font_pt, services)
    while len(document.pages) > 1 and services:
        services = services[: max(0, len(services) - len(document.pages) * 2 + 1)]
        document = render(font_pt, services)
    return document.write_pdf()


def poster_warm_up() -> None:
    """Load WeasyPrint and the poster's CJK face by rendering a line in it: the first poster
    of a fresh process then takes about as long as the next ones (bench_public_pages.py)."""
    from weasyprint import HTML

    sample = "社工站 海报 Poster 12345"
    HTML(
        string=f"<p style=\"font-family: 'WenQuanYi Zen Hei', sans-serif\">{sample}</p>"
    ).write_pdf()
