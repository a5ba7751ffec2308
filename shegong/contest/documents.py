"""Award certificates (A4 PDF with a verification QR code) and WeChat-ready HTML."""

import base64
import io
import re
from pathlib import Path

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from shegong.directory.selectors import brand_for

from .models import Entry
from .selectors import public_media


def verify_url(entry: Entry) -> str:
    return settings.SITE_URL + reverse("contest_public_verify", args=[entry.certificate_code])


def _qr_svg(url: str, color: str) -> bytes:
    """A full QR code (``make_qr``: phones and zbar cannot read Micro QR)."""
    buffer = io.BytesIO()
    segno.make_qr(url, error="m").save(
        buffer, kind="svg", scale=8, dark=color, light="#ffffff", xmldecl=False
    )
    return buffer.getvalue()


def certificate_html(entry: Entry) -> str:
    call = entry.call
    brand = brand_for(call.campaign)
    logo_src = ""
    if brand.get("logo_path"):
        data = Path(brand["logo_path"]).read_bytes()
        kind = "png" if data.startswith(b"\x89PNG") else "jpeg"
        logo_src = f"data:image/{kind};base64," + base64.b64encode(data).decode()
    url = verify_url(entry)
    svg = _qr_svg(url, "#000000")
    awarded = timezone.localtime(entry.awarded_at or timezone.now()).date()
    return render_to_string(
        "contest/certificate.html",
        {
            "entry": entry,
            "call": call,
            "brand": brand,
            "logo_src": logo_src,
            "issuer": call.campaign.issuer.name,
            "date": f"{awarded.year}年{awarded.month}月{awarded.day}日",
            "qr_src": "data:image/svg+xml;base64," + base64.b64encode(svg).decode(),
            "verify_url": url,
        },
    )


def certificate_pdf(entry: Entry) -> bytes:
    from weasyprint import HTML

    return HTML(string=certificate_html(entry)).write_pdf()


# --- WeChat ---------------------------------------------------------------------------------

# The WeChat editor keeps inline styles and drops classes, scripts and relative links: every
# element carries its own style, every link and image is absolute.
P = "margin:0 0 1em;line-height:1.9;font-size:16px;color:#333;text-indent:2em;"
H1 = "margin:0 0 .6em;font-size:22px;line-height:1.4;color:#1b1b1b;font-weight:bold;"
META = "margin:0 0 1.2em;font-size:14px;color:#777;"
IMG = "display:block;width:100%;height:auto;margin:0 0 1em;border-radius:4px;"
BADGE = (
    "display:inline-block;padding:2px 10px;margin:0 0 1em;border-radius:12px;"
    "background:{color};color:#fff;font-size:13px;"
)
FOOT = "margin:1.5em 0 0;padding-top:.8em;border-top:1px solid #eee;font-size:13px;color:#888;"


def _esc(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


def wechat_html(entry: Entry) -> str:
    """The story as one self-contained fragment for the official account's editor."""
    brand = brand_for(entry.call.campaign)
    color = brand.get("primary_color") or "#a3211b"
    story_url = settings.SITE_URL + entry.get_absolute_url()
    parts = ['<section style="padding:0 4px;">', f'<h1 style="{H1}">{_esc(entry.title)}</h1>']
    if entry.tier_id:
        parts.append(
            f'<p style="{BADGE.format(color=color)}">'
            f"{_esc(entry.call.title)} · {_esc(entry.tier.name)}</p>"
        )
    parts.append(f'<p style="{META}">作者：{_esc(entry.author_name)}</p>')
    for media in public_media(entry):
        if media.kind == "photo":
            src = settings.SITE_URL + reverse("contest_public_media", args=[media.pk])
            parts.append(f'<img src="{src}" style="{IMG}" alt="">')
    for paragraph in re.split(r"\n\s*\n|\n", entry.text.strip()):
        if paragraph.strip():
            parts.append(f'<p style="{P}">{_esc(paragraph.strip())}</p>')
    parts.append(
        f'<p style="{FOOT}">{_esc(brand.get("name") or "")} · 阅读原文：'
        f'<a href="{story_url}" style="color:{color};">{story_url}</a></p>'
    )
    parts.append("</section>")
    return "\n".join(parts)
