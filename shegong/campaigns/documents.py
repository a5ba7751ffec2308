"""The campaign's official document: the 印发通知 with the 方案 attached (GB/T 9704-2012)."""

import datetime
import hashlib
import re
import secrets
from pathlib import Path

from django.conf import settings
from django.http import Http404, HttpResponse
from django.utils import timezone

from shegong.core.http import attachment_response

from .models import Campaign, Task
from .officedoc import OfficialDocument, PdfUnavailable, chinese_date, pdf_available
from .services import CAMPAIGN_FIELDS

__all__ = ["export_notice", "notice_docx", "notice_pdf", "notice_response", "pdf_available"]

SECTION_NUMBERS = "一二三四五六七八九十"
CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


def period_text(campaign: Campaign) -> str:
    """三、活动时间: "2023年3月21日至31日。" — the shared year and month written once."""
    if campaign.period_text:
        return campaign.period_text
    start, end = campaign.starts_on, campaign.ends_on
    if (start.year, start.month) == (end.year, end.month):
        return f"{chinese_date(start)}至{end.day}日。"
    if start.year == end.year:
        return f"{chinese_date(start)}至{end.month}月{end.day}日。"
    return f"{chinese_date(start)}至{chinese_date(end)}。"


def notice_paragraphs(campaign: Campaign) -> list[str]:
    """The 印发通知's body, one paragraph a line: the campaign's own text, or the usual words."""
    if campaign.notice_body.strip():
        return [line.strip() for line in campaign.notice_body.splitlines() if line.strip()]
    basis = ""
    if campaign.basis_title:
        basis = f"根据《{campaign.basis_title}》"
        if campaign.basis_number:
            basis += f"（{campaign.basis_number}）"
        basis += "部署要求，"
    return [f"{basis}制定《{campaign.name}》，现印发给你们，请结合实际，认真贯彻执行。"]


def disclosure_note(campaign: Campaign) -> str:
    """附注: 此件主动公开；联系人：…，联系电话：…"""
    parts = [f"此件{campaign.get_disclosure_display()}"]
    contact = []
    if campaign.contact_person:
        contact.append(f"联系人：{campaign.contact_person}")
    if campaign.contact_phone:
        contact.append(f"联系电话：{campaign.contact_phone}")
    if contact:
        parts.append("，".join(contact))
    return "；".join(parts)


def plan_sections(campaign: Campaign) -> list[tuple[str, list]]:
    """The 方案's five sections as ``(heading, blocks)``; a block is ``("p", text)``,
    ``("h2", heading)`` or ``("lead", lead, text)`` for a 楷体 lead-in followed by text."""
    tasks = [task for task in campaign.tasks.all() if task.in_document]
    arrangement: list = []
    headings = {
        Task.Level.CITY: campaign.city_heading,
        Task.Level.DISTRICT: campaign.district_heading,
        Task.Level.STATION: campaign.station_heading,
    }
    number = 0
    for level in Task.Level.values:
        level_tasks = [task for task in tasks if task.level == level]
        if not level_tasks:
            continue
        number += 1
        arrangement.append(("h2", f"（{SECTION_NUMBERS[number - 1]}）{headings[level]}"))
        paragraphs: dict[int, list[str]] = {}
        for index, task in enumerate(level_tasks, start=1):
            text = task.text or f"{task.title}。"
            if task.numbered:
                text = f"{index}.{text}"
            paragraphs.setdefault(task.paragraph if not task.numbered else -index, []).append(text)
        arrangement.extend(("p", "".join(parts)) for parts in paragraphs.values())
    requirements = []
    for line in filter(None, (line.strip() for line in campaign.requirements.splitlines())):
        match = re.match(r"^(（[一二三四五六七八九十]+）[^。]*。)(.*)$", line)
        requirements.append(("lead", match[1], match[2]) if match else ("p", line))
    if campaign.closing.strip():
        requirements.append(("p", campaign.closing.strip()))
    return [
        ("宣传主题", [("p", campaign.theme)]),
        ("活动目标", [("p", campaign.goals)] if campaign.goals else []),
        ("活动时间", [("p", period_text(campaign))]),
        ("活动安排", arrangement),
        ("有关要求", requirements),
    ]


def notice_date(campaign: Campaign) -> datetime.date:
    """成文日期: the campaign's, or today for a notice not yet dated."""
    return campaign.signed_on or timezone.localdate()


def notice_document(campaign: Campaign) -> OfficialDocument:
    doc = OfficialDocument(author=campaign.issuer.name)
    issuer = campaign.issuer.name
    doc.issuer_mark(campaign.issuer_mark or f"{issuer}文件")
    doc.document_number(campaign.document_number or "〔　　〕号")
    doc.title(campaign.notice_title)
    doc.recipients(campaign.recipients)
    for paragraph in notice_paragraphs(campaign):
        doc.body(paragraph)
    annex = campaign.attachment_style == Campaign.AttachmentStyle.ANNEX
    if annex:
        doc.attachment_note([campaign.name])
    signed_on = notice_date(campaign)
    doc.signature(issuer, signed_on)
    doc.note(disclosure_note(campaign))
    doc.new_page()
    if annex:
        doc.attachment_label()
    doc.title(campaign.name)
    if campaign.preamble:
        doc.body(campaign.preamble)
    for index, (heading, blocks) in enumerate(plan_sections(campaign)):
        doc.heading(f"{SECTION_NUMBERS[index]}、{heading}", 1)
        for block in blocks:
            if block[0] == "h2":
                doc.heading(block[1], 2)
            elif block[0] == "lead":
                doc.body(block[2], lead=block[1], lead_level=2)
            else:
                doc.body(block[1])
    doc.colophon(
        printed_by=campaign.printed_by or issuer,
        printed_on=campaign.printed_on or signed_on,
        copy_to=campaign.copy_to,
    )
    return doc


def notice_docx(campaign: Campaign) -> bytes:
    return notice_document(campaign).docx()


def notice_pdf(campaign: Campaign) -> bytes:
    return notice_document(campaign).pdf()


def notice_filename(campaign: Campaign, fmt: str) -> str:
    return f"{campaign.slug}-notice.{fmt}"


def export_notice(*, campaign: str, unit: str | None = None, fmt: str) -> bytes:
    """``manage.py export_document notice``: the notice of the campaign with this slug.

    Raises ``LookupError`` for an unknown campaign and ``ValueError`` for a format this
    document does not come in (or PDF without LibreOffice).
    """
    found = Campaign.objects.select_related("issuer").filter(slug=campaign).first()
    if found is None:
        raise LookupError(f"没有标识为 {campaign} 的宣传活动方案。")
    if fmt == "docx":
        return notice_docx(found)
    if fmt == "pdf":
        try:
            return notice_pdf(found)
        except PdfUnavailable as error:
            raise ValueError(str(error)) from error
    raise ValueError(f"通知只能导出为 .docx 或 .pdf，不能导出为 .{fmt}。")


def notice_response(campaign: Campaign, fmt: str, *, cached: bool = False) -> HttpResponse:
    if fmt == "docx":
        data = notice_docx(campaign)
    elif fmt == "pdf":
        try:
            data = notice_pdf_cached(campaign) if cached else notice_pdf(campaign)
        except PdfUnavailable as error:
            return HttpResponse(str(error), status=503, content_type="text/plain; charset=utf-8")
    else:
        raise Http404
    return notice_attachment(campaign, fmt, data)


def notice_attachment(campaign: Campaign, fmt: str, data: bytes) -> HttpResponse:
    """The notice as a download named as the clerk files it, with its ASCII fallback."""
    return attachment_response(
        data,
        name=f"{campaign.name}.{fmt}",
        fallback=notice_filename(campaign, fmt),
        content_type=CONTENT_TYPES[fmt],
    )


def _content_key(campaign: Campaign) -> str:
    """A fingerprint of everything the notice prints, to reuse a rendered PDF."""
    values = [str(getattr(campaign, name)) for name in CAMPAIGN_FIELDS]
    values += [
        f"{t.level}|{t.order}|{t.paragraph}|{t.numbered}|{t.in_document}|{t.title}|{t.text}"
        for t in campaign.tasks.all()
    ]
    values.append(campaign.issuer.name)
    values.append(str(notice_date(campaign)))  # an undated notice is dated the day it is made
    return hashlib.sha256("\n".join(values).encode()).hexdigest()[:20]


def _notice_pdf_target(campaign: Campaign) -> Path:
    return (
        Path(settings.MEDIA_ROOT)
        / "documents"
        / (f"{campaign.slug}-notice-{_content_key(campaign)}.pdf")
    )


def notice_pdf_rendered(campaign: Campaign) -> bytes | None:
    """The PDF of the notice as it reads now, if it was rendered already (else ``None``: the
    console asks the task worker for it, ``campaigns.jobs.notice_pdf_job``)."""
    target = _notice_pdf_target(campaign)
    try:
        return target.read_bytes()
    except FileNotFoundError:
        return None


def notice_pdf_cached(campaign: Campaign) -> bytes:
    """The PDF, rendered once per content and kept under MEDIA_ROOT/documents/.

    Public pages serve it: rendering takes LibreOffice a second or two, too much to pay for
    every visitor. A new rendering removes the campaign's older ones, so edits to a campaign do
    not pile up files.
    """
    target = _notice_pdf_target(campaign)
    folder = target.parent
    if target.exists():
        return target.read_bytes()
    data = notice_pdf(campaign)
    folder.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f"{target.stem}.{secrets.token_hex(4)}.tmp")
    partial.write_bytes(data)
    partial.replace(target)
    for older in folder.glob(f"{campaign.slug}-notice-*.pdf"):
        if older != target:
            older.unlink(missing_ok=True)
    return data
