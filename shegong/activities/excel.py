"""The 台账 in Excel: a template, an all-or-nothing import with a report of every refused
cell, and an export of the ledger as filtered on screen."""

import datetime
import hashlib
import io
import re
import tempfile
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import connections, transaction
from django.utils import timezone
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from shegong.core.audit import audit_record
from shegong.core.xlsx import EXCEL_MAX_ROWS, StreamingXlsx, read_whole_results
from shegong.orgs.models import Unit
from shegong.orgs.rules import can_record_for_unit

from .forms import FIRST_YEAR, LAST_YEAR, MAX_COUNT
from .models import Activity, Audience, Focus, codes_join, codes_split
from .services import (
    REPEAT_WINDOW,
    activity_field_errors,
    activity_repeat_key,
    activity_repeat_keys,
    budget_recompute,
)

# Limits come from the model (and the console form), never written out a second time here.
TITLE_MAX = Activity._meta.get_field("title").max_length
PLACE_MAX = Activity._meta.get_field("place").max_length
_money_field = Activity._meta.get_field("spend_actual")
MONEY_LIMIT = Decimal(10) ** (_money_field.max_digits - _money_field.decimal_places)
MAX_ROWS = 20_000
SHOWN_ERRORS = 500
MAX_UPLOAD_BYTES = 10 * 1024 * 1024  # 10,000 filled-in rows are about 1 MB
MAX_UNPACKED_BYTES = 200 * 1024 * 1024  # what the parts of the .xlsx may unpack to, together
UNREADABLE = "无法读取该文件：请上传用模板填写的 Excel（.xlsx）文件。"

# (header, attribute, required, note shown in the template's second sheet)
COLUMNS = [
    ("单位代码", "unit", True, "统计用区划代码，如 460105001（秀英街道社工站）"),
    ("活动形式", "kind", True, "、".join(Activity.Kind.labels)),
    ("活动名称", "title", True, f"不超过 {TITLE_MAX} 字"),
    ("活动时间", "starts_at", True, "如 2023-03-21 09:30"),
    ("活动地点", "place", False, f"不超过 {PLACE_MAX} 字"),
    ("受众", "audiences", False, "可多选，用顿号分隔：" + "、".join(Audience.labels)),
    ("宣传重点", "focus_tags", False, "可多选，用顿号分隔：" + "、".join(Focus.labels)),
    ("参与人数", "participants", False, "整数"),
    ("志愿者人数", "volunteers", False, "整数"),
    ("浏览量", "views", False, "整数"),
    ("直播观看人数", "live_viewers", False, "整数"),
    ("阅读量", "reads", False, "整数"),
    ("计划预算（元）", "budget_planned", False, "金额，最多两位小数"),
    ("实际支出（元）", "spend_actual", False, "金额，最多两位小数"),
    ("活动成效", "outcome", False, "文字"),
]
EXPORT_EXTRA = ["单位", "宣传活动", "状态", "已举办", "参与伙伴", "超出计划", "超出经费上限"]
INT_FIELDS = {"participants", "volunteers", "views", "live_viewers", "reads"}
MONEY_FIELDS = {"budget_planned", "spend_actual"}
SPLIT_RE = re.compile(r"[、,，;；/\s]+")
TIME_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y-%m-%d", "%Y/%m/%d")


def _header_style(sheet, count: int) -> None:
    for col in range(1, count + 1):
        cell = sheet.cell(row=1, column=col)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="FFF2CC")
        sheet.column_dimensions[get_column_letter(col)].width = 16


def ledger_template() -> bytes:
    """An empty 台账 with the columns, a sample row, a drop-down for the kind, and notes."""
    book = Workbook()
    sheet = book.active
    sheet.title = "活动台账"
    sheet.append([header for header, *_ in COLUMNS])
    sheet.append(
        [
            "460105001",
            "现场活动",
            "社工宣传周进社区（示例，导入前请删除）",
            "2023-03-21 09:30",
            "秀英街道某社区广场",
            "社会公众、服务对象",
            "一老、五社联动",
            120,
            15,
            0,
            0,
            0,
            800,
            650,
            "发放宣传资料 300 份",
        ]
    )
    _header_style(sheet, len(COLUMNS))
    kinds = DataValidation(type="list", formula1='"' + ",".join(Activity.Kind.labels) + '"')
    kinds.add("B2:B20001")
    sheet.add_data_validation(kinds)
    notes = book.create_sheet("填写说明")
    notes.append(["列", "必填", "说明"])
    for header, _, required, note in COLUMNS:
        notes.append([header, "是" if required else "否", note])
    notes.append([])
    notes.append(
        ["整份文件要么全部导入，要么一条也不导入：有任何一行出错时，会列出每个错误的行、列和原因。"]
    )
    _header_style(notes, 3)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _yes(value: bool) -> str:
    return "是" if value else "否"


LEDGER_SHEET = "活动台账"
LEDGER_HEADER = [header for header, *_ in COLUMNS] + EXPORT_EXTRA
_LEDGER_FIELDS = [
    "pk",
    "unit__code",
    "kind",
    "title",
    "starts_at",
    "place",
    "audiences",
    "focus_tags",
    "participants",
    "volunteers",
    "views",
    "live_viewers",
    "reads",
    "budget_planned",
    "spend_actual",
    "outcome",
    "unit__name",
    "campaign__name",
    "status",
    "held",
    "over_plan",
    "over_cap",
]
CHUNK_ROWS = 5000


def _labels(value: str, names: dict) -> str:
    return "、".join(names.get(code, code) for code in codes_split(value))


def _ledger_row(row: tuple, partners: list[str], names: dict, local) -> list:
    (_pk, code, kind, title, starts_at, place, audiences, focus_tags) = row[:8]
    (participants, volunteers, views, live, reads, planned, spent, outcome) = row[8:16]
    (unit_name, campaign_name, status, held, over_plan, over_cap) = row[16:22]
    return [
        code,
        names["kind"].get(kind, kind),
        title,
        starts_at.astimezone(local).strftime("%Y-%m-%d %H:%M"),
        place,
        _labels(audiences, names["audience"]),
        _labels(focus_tags, names["focus"]),
        participants,
        volunteers,
        views,
        live,
        reads,
        float(planned),
        float(spent),
        outcome,
        unit_name,
        campaign_name or "",
        names["status"].get(status, status),
        _yes(held),
        "、".join(sorted(partners)),
        _yes(over_plan),
        _yes(over_cap),
    ]


def ledger_rows(activities, *, on_chunk=None):
    """The 台账 rows of a queryset (already scoped and filtered, in its order), in template
    order plus status. Plain values with the partners joined in (one row per partner, adjacent
    since the order ends with the primary key), read in chunks: model instances with their
    partners prefetched measured about 2,000 rows/s. ``on_chunk(n)`` is told every
    ``CHUNK_ROWS`` activities written (the progress bar)."""
    names = {
        "kind": dict(Activity.Kind.choices),
        "status": dict(Activity.Status.choices),
        "audience": dict(Audience.choices),
        "focus": dict(Focus.choices),
    }
    local = timezone.get_current_timezone()
    ordering = [*(activities.query.order_by or Activity._meta.ordering)]
    if not any(field.lstrip("-") in ("id", "pk") for field in ordering):
        ordering.append("-id")
    values = activities.order_by(*ordering).values_list(*_LEDGER_FIELDS, "partners__name")
    current, partners, done, told = None, [], 0, 0
    for row in values.iterator(chunk_size=CHUNK_ROWS):
        if current is not None and row[0] != current[0]:
            yield _ledger_row(current, partners, names, local)
            partners, done = [], done + 1
            if on_chunk is not None and done - told >= CHUNK_ROWS:
                on_chunk(done - told)
                told = done
        current = row
        if row[-1] is not None:
            partners.append(row[-1])
    if current is not None:
        yield _ledger_row(current, partners, names, local)
        done += 1
    if on_chunk is not None and done > told:
        on_chunk(done - told)


def ledger_write(activities, path, *, on_chunk=None, rows_per_sheet: int | None = None):
    """Write the 台账 of ``activities`` to ``path`` (.xlsx, streamed) and return the writer
    (its ``rows`` and ``sheets``: past Excel's row limit the rows continue on more sheets)."""
    options = {"rows_per_sheet": rows_per_sheet} if rows_per_sheet else {}
    with (
        read_whole_results(connections[activities.db]),
        StreamingXlsx(path, sheet_title=LEDGER_SHEET, header=LEDGER_HEADER, **options) as book,
    ):
        for row in ledger_rows(activities, on_chunk=on_chunk):
            book.append(row)
    return book


def ledger_export(activities) -> bytes:
    """The 台账 of ``activities`` as the bytes of an .xlsx (small exports, attachments)."""
    with tempfile.TemporaryDirectory(prefix="shegong-ledger-") as workdir:
        path = Path(workdir) / "ledger.xlsx"
        ledger_write(activities, path)
        return path.read_bytes()


def sheets_note(sheets: int) -> str:
    """What the user is told when the rows did not fit on one sheet."""
    if sheets <= 1:
        return ""
    return (
        f"行数超过 Excel 每个工作表的上限（{EXCEL_MAX_ROWS - 1:,} 行数据），"
        f"已接着写在后面的工作表中，共 {sheets} 个工作表。"
    )


@dataclass
class RowError:
    row: int
    column: str
    reason: str


@dataclass
class ImportReport:
    created: int = 0
    rows: int = 0
    repeated: int = 0  # rows the same person recorded within the repeat window: not stored again
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def shown_errors(self) -> list[RowError]:
        """The first errors, for the page: a file with every column shifted has thousands."""
        return self.errors[:SHOWN_ERRORS]

    @property
    def hidden_errors(self) -> int:
        return max(0, len(self.errors) - SHOWN_ERRORS)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


class _Row:
    def __init__(self, number: int, report: ImportReport):
        self.number = number
        self.report = report
        self.failed = False

    def error(self, column: str, reason: str) -> None:
        self.failed = True
        self.report.errors.append(RowError(self.number, column, reason))


def _parse_time(value):
    if isinstance(value, datetime.datetime):
        return value
    if isinstance(value, datetime.date):
        return datetime.datetime.combine(value, datetime.time(9, 0))
    text = _text(value)
    for fmt in TIME_FORMATS:
        try:
            return datetime.datetime.strptime(text, fmt)  # noqa: DTZ007 — made aware below
        except ValueError:
            continue
    return None


def _parse_codes(row: _Row, column: str, value, choices) -> str:
    by_label = {label: code for code, label in choices}
    codes = []
    for part in SPLIT_RE.split(_text(value)):
        if not part:
            continue
        code = by_label.get(part) or (part if part in dict(choices) else None)
        if code is None:
            row.error(column, f"无法识别“{part}”，可填：{'、'.join(by_label)}。")
        else:
            codes.append(code)
    return codes_join(dict.fromkeys(codes))


def _parse_row(row: _Row, cells: dict, *, units: dict, actor) -> dict:
    data: dict = {}
    code = _text(cells.get("unit"))
    unit = units.get(code)
    if not code:
        row.error("单位代码", "请填写单位代码。")
    elif unit is None:
        row.error("单位代码", f"没有代码为 {code} 的单位，或不在您的管理范围内。")
    elif not can_record_for_unit(actor, unit):
        row.error("单位代码", f"您不能为{unit.name}登记活动。")
    data["unit"] = unit
    kinds = {label: value for value, label in Activity.Kind.choices}
    kind = _text(cells.get("kind"))
    if not kind:
        row.error("活动形式", "请填写活动形式。")
    elif kind not in kinds and kind not in Activity.Kind.values:
        row.error("活动形式", f"无法识别“{kind}”，可填：{'、'.join(kinds)}。")
    data["kind"] = kinds.get(kind, kind)
    title = _text(cells.get("title"))
    if not title:
        row.error("活动名称", "请填写活动名称。")
    data["title"] = title
    raw_time = cells.get("starts_at")
    if raw_time in (None, ""):
        row.error("活动时间", "请填写活动时间。")
    else:
        moment = _parse_time(raw_time)
        if moment is None:
            row.error("活动时间", f"无法识别时间“{_text(raw_time)}”，请按 2023-03-21 09:30 填写。")
        elif not FIRST_YEAR <= moment.year <= LAST_YEAR:
            row.error(
                "活动时间",
                f"时间“{_text(raw_time)}”须在 {FIRST_YEAR} 年至 {LAST_YEAR} 年之间，请检查年份。",
            )
        else:
            data["starts_at"] = timezone.make_aware(moment) if timezone.is_naive(moment) else moment
    data["place"] = _text(cells.get("place"))
    data["audiences"] = _parse_codes(row, "受众", cells.get("audiences"), Audience.choices)
    data["focus_tags"] = _parse_codes(row, "宣传重点", cells.get("focus_tags"), Focus.choices)
    headers = {attr: header for header, attr, *_ in COLUMNS}
    for name in INT_FIELDS:
        value = cells.get(name)
        if value in (None, ""):
            data[name] = 0
            continue
        try:
            number = Decimal(_text(value)[:40])
            if not number.is_finite() or number != number.to_integral_value():
                raise InvalidOperation
            number = int(number) if number.adjusted() < 12 else 10**12
        except (InvalidOperation, ValueError, OverflowError):
            row.error(headers[name], f"请填写整数（现为“{_text(value)[:40]}”）。")
            continue
        if number < 0:
            row.error(headers[name], "不能为负数。")
        elif number > MAX_COUNT:
            row.error(headers[name], "数字过大。")
        data[name] = number
    for name in MONEY_FIELDS:
        value = cells.get(name)
        if value in (None, ""):
            data[name] = Decimal("0")
            continue
        try:
            amount = Decimal(_text(value).replace("¥", "").replace(",", "")[:40])
            if not amount.is_finite():
                raise InvalidOperation
        except InvalidOperation:
            row.error(headers[name], f"请填写金额数字（现为“{_text(value)[:40]}”）。")
            continue
        if amount < 0:
            row.error(headers[name], "金额不能为负数。")
        elif amount >= MONEY_LIMIT:
            row.error(headers[name], "金额过大。")
        elif amount != amount.quantize(Decimal("0.01")):
            row.error(headers[name], "金额最多保留两位小数。")
        if not row.failed:
            data[name] = amount.quantize(Decimal("0.01"))
    data["outcome"] = _text(cells.get("outcome"))
    if not row.failed:
        # What the cells say, read; whether the activity may hold it is the model's to say, as
        # for the console's form (``services.activity_field_errors``).
        for name, messages in activity_field_errors(Activity(**data)).items():
            row.error(headers.get(name, name), messages[0])
    return data


def check_unpacked_size(source, limit: int) -> None:
    """Refuse a zip bomb before openpyxl unpacks it: the parts' declared sizes bound what
    ``zipfile`` will ever read from them."""
    try:
        with zipfile.ZipFile(source) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
        raise ValidationError(UNREADABLE) from error
    finally:
        source.seek(0)
    if unpacked > limit:
        raise ValidationError(
            "文件解压后过大，不像是填写好的台账：请用下载的模板重新填写，"
            f"或分成几个文件导入（每次最多 {MAX_ROWS} 行）。"
        )


def _read_rows(
    book, *, report: ImportReport, parsed: list, units: dict, actor, max_rows: int, progress=None
) -> None:
    if not book.worksheets:
        raise ValidationError(UNREADABLE)
    sheet = book.worksheets[0]
    header = next(sheet.iter_rows(max_row=1, values_only=True), None) or ()
    by_header = {header: attr for header, attr, *_ in COLUMNS}
    positions = {}
    for index, title in enumerate(header):
        attr = by_header.get(_text(title))
        if attr and attr not in positions:
            positions[attr] = index
    missing = [h for h, attr, required, _ in COLUMNS if required and attr not in positions]
    if missing:
        raise ValidationError(f"表头缺少这些列：{'、'.join(missing)}。请使用下载的模板。")
    # Only the template's columns are read, however wide the sheet claims to be: a stray cell
    # in column XFD would otherwise make every row 16,384 cells long. Empty rows (formatted
    # but blank, common in real files) are skipped and cost little at this width.
    last_column = max(positions.values()) + 1
    rows = sheet.iter_rows(min_row=2, max_col=last_column, values_only=True)
    if progress is not None:
        # The rows the sheet declares (its <dimension>): a fair guess, exact for our template.
        progress.total(max(0, min(sheet.max_row or 1, max_rows + 1) - 1))
    for number, values in enumerate(rows, start=2):
        if progress is not None:
            progress.advance()
        if not any(v not in (None, "") for v in values):
            continue
        report.rows += 1
        if report.rows > max_rows:
            raise ValidationError(f"一次最多导入 {max_rows} 行，请分成几个文件。")
        cells = {attr: values[i] if i < len(values) else None for attr, i in positions.items()}
        row = _Row(number, report)
        data = _parse_row(row, cells, units=units, actor=actor)
        if not row.failed:
            parsed.append(data)


def _digest(source) -> str:
    source.seek(0)
    digest = hashlib.sha256()
    for chunk in iter(lambda: source.read(1 << 20), b""):
        digest.update(chunk)
    source.seek(0)
    return digest.hexdigest()


def ledger_import(
    *,
    actor,
    source,
    campaign=None,
    max_unpacked_bytes: int = MAX_UNPACKED_BYTES,
    max_rows: int = MAX_ROWS,
    now: datetime.datetime | None = None,
    on_progress=None,
) -> ImportReport:
    """Read a filled-in template. When any cell is wrong, nothing is written and the report
    lists every problem (row, column, reason); otherwise every row becomes a draft activity.
    Rows the same person recorded within ``services.REPEAT_WINDOW`` (a double click, a reloaded
    page, the same file again) are not stored twice (``report.repeated``); a file with nothing
    else is refused. Side effects: one audit entry per unit imported for, naming the
    file's SHA-256; budget flags recomputed. ``on_progress`` (a job's ``Progress``) is told
    the rows read."""
    now = now or timezone.now()
    check_unpacked_size(source, max_unpacked_bytes)
    digest = _digest(source)
    units = {u.code: u for u in Unit.objects.visible_to(actor)}
    report = ImportReport()
    parsed: list[dict] = []
    try:
        book = load_workbook(source, read_only=True, data_only=True)
    except Exception as error:  # a hostile or broken file fails in many ways inside openpyxl
        raise ValidationError(UNREADABLE) from error
    try:
        _read_rows(
            book,
            report=report,
            parsed=parsed,
            units=units,
            actor=actor,
            max_rows=max_rows,
            progress=on_progress,
        )
    except ValidationError:
        raise
    except Exception as error:  # the sheet's XML is parsed lazily, row by row
        raise ValidationError(UNREADABLE) from error
    finally:
        book.close()
    if report.rows == 0:
        raise ValidationError("文件中没有数据行。")
    if report.errors:
        return report
    with transaction.atomic():
        # One import at a time per person, so a double click waits and then finds the first.
        get_user_model().objects.select_for_update().filter(pk=actor.pk).first()
        recent = activity_repeat_keys(actor=actor, since=now - REPEAT_WINDOW)
        fresh = [
            data
            for data in parsed
            if activity_repeat_key(
                unit_id=data["unit"].pk,
                title=data["title"],
                starts_at=data["starts_at"],
                kind=data["kind"],
            )
            not in recent
        ]
        report.repeated = len(parsed) - len(fresh)
        if not fresh:
            minutes = int(REPEAT_WINDOW.total_seconds() // 60)
            raise ValidationError(
                "这份文件刚刚已经导入过，没有再次导入（以免重复）。请到活动台账查看；"
                f"确需再次导入同样的活动，请 {minutes} 分钟后再试。"
            )
        parsed = fresh
        created = Activity.objects.bulk_create(
            [
                Activity(campaign=campaign, created_by=actor, status=Activity.Status.DRAFT, **data)
                for data in parsed
            ],
            batch_size=1000,
        )
        per_unit: dict[int, int] = {}
        for data in parsed:
            per_unit[data["unit"].pk] = per_unit.get(data["unit"].pk, 0) + 1
        unit_by_pk = {u.pk: u for u in units.values()}
        for unit_id, count in per_unit.items():
            unit = unit_by_pk[unit_id]
            audit_record(
                actor=actor,
                action="activity.import",
                target=unit,
                changes={"activities": [None, count], "file": [None, digest]},
                scope_path=unit.path,
            )
            budget_recompute(unit_id=unit_id, campaign_id=campaign.pk if campaign else None)
    report.created = len(created)
    return report
