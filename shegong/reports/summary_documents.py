"""A summary and the city report as official documents (上行文, 报告; GB/T 9704-2012), made by
the campaigns app's document generator, plus the .xlsx statistics annex whose totals are the
document's figures. ``AppConfig.document_exporters`` offers them to ``export_document``."""

import io

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from shegong.campaigns.models import Campaign
from shegong.campaigns.officedoc import OfficialDocument, PdfUnavailable
from shegong.orgs.models import Unit

from .models import Summary, SummaryAttachment
from .services import duty_of, plan_for, summary_draft
from .summary_figures import summary_figures
from .summary_selectors import TABLE_KEYS, city_figures, city_table

# The per-district table's columns in the document (the .xlsx annex has every figure).
DOCUMENT_TABLE_KEYS = [
    ("activities", "活动场次"),
    ("participants", "参与人次"),
    ("media_reports", "媒体报道"),
    ("submissions_adopted", "投稿采用"),
    ("help_received", "收到求助"),
]

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def activity_name(campaign: Campaign) -> str:
    """海口市2023年社会工作主题宣传活动方案 → 2023年社会工作主题宣传活动."""
    name = campaign.name.removesuffix("方案")
    return name.removeprefix(campaign.issuer.area_name) or name


def report_title(campaign: Campaign, unit: Unit) -> str:
    """秀英区民政局关于2023年社会工作主题宣传活动开展情况的报告."""
    return f"{unit.name}关于{activity_name(campaign)}开展情况的报告"


def summary_for(campaign: Campaign, unit: Unit, *, figures: list[dict] | None = None) -> Summary:
    """The unit's saved summary, or its draft when it has none yet (from ``figures`` when
    the caller has them already)."""
    found = Summary.objects.filter(campaign=campaign, unit=unit).select_related("unit").first()
    return found or summary_draft(campaign=campaign, unit=unit, figures=figures)


def figures_of(summary: Summary) -> list[dict]:
    """Frozen figures once submitted; live ones while a draft."""
    if summary.figures:
        return summary.figures
    if summary.unit.level == Unit.Level.CITY:
        return city_figures(summary.campaign)
    return summary_figures(summary.unit, summary.campaign)


def recipient_of(summary: Summary) -> str:
    if summary.unit.level == Unit.Level.CITY:
        return plan_for(summary.campaign).city_report_to
    duty = duty_of(summary)
    return (
        duty.reports_to.name if duty else (summary.unit.parent.name if summary.unit.parent else "")
    )


def _paragraphs(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def summary_document(summary: Summary) -> OfficialDocument:
    campaign, unit = summary.campaign, summary.unit
    is_city = unit.level == Unit.Level.CITY
    figures = figures_of(summary)
    signed_on = (
        timezone.localdate(summary.submitted_at) if summary.submitted_at else (timezone.localdate())
    )
    created = summary.submitted_at or timezone.now()
    doc = OfficialDocument(author=unit.name, created=created)
    doc.issuer_mark(f"{unit.name}文件")
    # 上行文: 发文字号 on the left, 签发人 on the right of one line (blanks left to fill in).
    doc.upward_header(summary.document_number or "〔　　〕　号", summary.signer or "　　　")
    doc.title(report_title(campaign, unit))
    doc.recipients(recipient_of(summary))
    basis = f"《{campaign.name}》"
    if campaign.document_number:
        basis += f"（{campaign.document_number}）"
    where = "全市" if is_city else "我单位"
    doc.body(f"根据{basis}要求，现将{where}{activity_name(campaign)}开展情况报告如下：")
    for _key, heading, text in summary.sections():
        doc.heading(heading, 1)
        for paragraph in _paragraphs(text):
            doc.body(paragraph)
    doc.body("特此报告。")
    annexes = ["主要数据统计表"]
    if is_city:
        annexes.append("各区总结报送及主要数据情况表")
    if summary.pk and summary.attachments.filter(kind=SummaryAttachment.Kind.LEDGER).exists():
        annexes.append("活动台账（电子表格另附）")
    doc.attachment_note(annexes)
    doc.signature(unit.name, signed_on)
    contact = []
    if summary.contact_person:
        contact.append(f"联系人：{summary.contact_person}")
    if summary.contact_phone:
        contact.append(f"联系电话：{summary.contact_phone}")
    if contact:
        doc.note("，".join(contact))
    doc.new_page()
    doc.attachment_label("附件1" if len(annexes) > 1 else "附件")
    doc.title("主要数据统计表")
    rows = [[figure["label"], figure["value"]] for figure in figures]
    doc.table(["项目", "数值"], rows, widths=[3.0, 1.4])
    if is_city:
        table_rows, total = city_table(campaign)
        doc.new_page()
        doc.attachment_label("附件2")
        doc.title("各区总结报送及主要数据情况表")
        header = ["单位", "报送状态", *(label for _key, label in DOCUMENT_TABLE_KEYS)]
        cells = []
        for row in table_rows:
            values = [
                row.values.get(key, 0) if row.values is not None else "—"
                for key, _label in DOCUMENT_TABLE_KEYS
            ]
            cells.append([row.label, row.status or "—", *values])
        cells.append(["合计", "", *(total.get(key, 0) for key, _label in DOCUMENT_TABLE_KEYS)])
        doc.table(header, cells, widths=[3.0, 1.6] + [1.0] * len(DOCUMENT_TABLE_KEYS))
        doc.body("未采用的总结不计入合计；合计即本报告的主要数据。")
    doc.colophon(printed_by=unit.name, printed_on=signed_on)
    return doc


def summary_xlsx(summary: Summary) -> bytes:
    """The statistics annex: every figure of the document, and for the city report the
    per-district table whose 合计 row is the report's figures."""
    book = Workbook()
    book.properties.creator = summary.unit.name  # the issuing unit, as in the .docx
    sheet = book.active
    sheet.title = "主要数据"
    sheet.append([f"{summary.unit.name}{activity_name(summary.campaign)}主要数据统计表"])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(["项目", "数值"])
    for figure in figures_of(summary):
        sheet.append([figure["label"], figure["value"]])
    sheet.column_dimensions["A"].width = 44
    sheet.column_dimensions["B"].width = 28
    if summary.unit.level == Unit.Level.CITY:
        table = book.create_sheet("各区情况")
        table.append(["单位", "报送状态", *(label for _key, label in TABLE_KEYS)])
        rows, total = city_table(summary.campaign)
        for row in rows:
            values = [row.values.get(key, 0) if row.values else None for key, _ in TABLE_KEYS]
            table.append([row.label, row.status or "—", *values])
        table.append(["合计", "", *(total.get(key, 0) for key, _ in TABLE_KEYS)])
        table.column_dimensions["A"].width = 36
        for cell in table[1]:
            cell.alignment = Alignment(wrap_text=True)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def summary_file(summary: Summary, fmt: str) -> bytes:
    if fmt == "docx":
        return summary_document(summary).docx()
    if fmt == "pdf":
        try:
            return summary_document(summary).pdf()
        except PdfUnavailable as error:
            raise ValueError(str(error)) from error
    if fmt == "xlsx":
        return summary_xlsx(summary)
    raise ValueError(f"总结只能导出为 .docx、.pdf 或 .xlsx，不能导出为 .{fmt}。")


def filename(summary: Summary, fmt: str) -> str:
    if summary.unit.level == Unit.Level.CITY:
        return f"{summary.campaign.slug}-city-report.{fmt}"
    return f"{summary.campaign.slug}-summary-{summary.unit.code}.{fmt}"


def _campaign(slug: str) -> Campaign:
    found = Campaign.objects.select_related("issuer").filter(slug=slug).first()
    if found is None:
        raise LookupError(f"没有标识为 {slug} 的宣传活动方案。")
    return found


def export_summary(*, campaign: str, unit: str | None, fmt: str) -> bytes:
    """``manage.py export_document summary --campaign SLUG --unit CODE``: one unit's summary
    (its draft if not yet saved), as .docx, .pdf or its .xlsx annex."""
    found = _campaign(campaign)
    if not unit:
        raise LookupError("请用 --unit 指定单位代码（如 460105）。")
    target = Unit.objects.filter(code=unit).first()
    if target is None:
        raise LookupError(f"没有代码为 {unit} 的单位。")
    if target.level == Unit.Level.CITY:
        raise LookupError("市级报告请用 export_document city-report 导出。")
    return summary_file(summary_for(found, target), fmt)


def export_city_report(*, campaign: str, unit: str | None = None, fmt: str) -> bytes:
    """``manage.py export_document city-report --campaign SLUG``: the city's report."""
    found = _campaign(campaign)
    return summary_file(summary_for(found, found.issuer), fmt)
