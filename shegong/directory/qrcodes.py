"""QR images for print: an absolute ``/q/<code>`` URL in the brand colour."""

import hashlib
import io

import segno
from django.conf import settings


def qr_url(code: str) -> str:
    return f"{settings.SITE_URL}/q/{code}"


def site_tag() -> str:
    """A short mark of SITE_URL, put in the names of files that print it (posters): a file made
    for another address (the demo on another port, a renamed site) is stale."""
    return hashlib.sha256(settings.SITE_URL.encode()).hexdigest()[:8]


def qr_image(code: str, *, fmt: str, color: str = "#000000", scale: int = 10) -> bytes:
    """SVG or PNG bytes. Always a full QR code (``make_qr``): phones cannot read Micro QR."""
    qr = segno.make_qr(qr_url(code), error="m")
    buffer = io.BytesIO()
    if fmt == "svg":
        qr.save(buffer, kind="svg", scale=scale, dark=color, light="#ffffff", xmldecl=False)
    else:
        qr.save(buffer, kind="png", scale=scale, dark=color, light="#ffffff", border=4)
    return buffer.getvalue()


def qr_svg_inline(code: str) -> str:
    """An SVG to put in a page, drawn at whatever size the stylesheet gives it (a viewBox, no
    fixed size), with the quiet zone phones need to find the code."""
    qr = segno.make_qr(qr_url(code), error="m")
    buffer = io.BytesIO()
    qr.save(buffer, kind="svg", omitsize=True, dark="#000000", light="#ffffff", xmldecl=False)
    return buffer.getvalue().decode()
