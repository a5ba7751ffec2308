"""Reads of summaries: reporting rates as DHIS2 shows them, the city report's consolidated
figures and per-district table, the summaries a reviewer compares side by side."""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from shegong.orgs.models import Unit

from .models import ReportingDuty, Summary
from .summary_figures import summary_figures

HANDED_IN = (Summary.Status.SUBMITTED, Summary.Status.ACCEPTED)

# The columns of the per-district table (city report, .xlsx annex, side-by-side view).
TABLE_KEYS = [
    ("activities", "宣传活动（场）"),
    ("participants", "参与群众（人次）"),
    ("volunteers", "志愿者（人次）"),
    ("reach", "线上浏览阅读（次）"),
    ("media_reports", "媒体报道（篇）"),
    ("submissions_adopted", "投稿采用（篇）"),
    ("five_social_partners", "“五社”伙伴（家）"),
    ("stations_listed", "名录完整社工站（个）"),
    ("qr_scans", "扫码（次）"),
    ("help_received", "收到求助（件）"),
    ("help_in_time", "按时响应（件）"),
]


def percent(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None


@dataclass
class RateRow:
    duty: ReportingDuty
    summary: Summary | None

    @property
    def unit(self) -> Unit:
        return self.duty.unit

    @property
    def submitted(self) -> bool:
        """Handed in and not sent back: DHIS2's "actual report"."""
        return self.summary is not None and self.summary.status in HANDED_IN

    @property
    def submitted_on(self) -> datetime.date | None:
        if self.summary is None or self.summary.first_submitted_at is None:
            return None
        return timezone.localdate(self.summary.first_submitted_at)

    @property
    def on_time(self) -> bool:
        """Submitted, and first submitted by the deadline (a summary returned and resubmitted
        keeps the date it was first handed in)."""
        return self.submitted and self.submitted_on <= self.duty.due_on

    @property
    def accepted(self) -> bool:
        return self.summary is not None and self.summary.status == Summary.Status.ACCEPTED

    @property
    def status_label(self) -> str:
        if self.summary is None or self.summary.first_submitted_at is None:
            return "未报送"
        if self.summary.status == Summary.Status.RETURNED:
            return "已退回，待重报"
        return self.summary.get_status_display()

    def late(self, today: datetime.date) -> bool:
        """Submitted after the deadline, or still not submitted after it."""
        if self.submitted:
            return not self.on_time
        return today > self.duty.due_on


@dataclass
class ReportingRate:
    rows: list[RateRow] = field(default_factory=list)
    today: datetime.date | None = None

    @property
    def expected(self) -> int:
        return len(self.rows)

    @property
    def submitted(self) -> int:
        return sum(row.submitted for row in self.rows)

    @property
    def on_time(self) -> int:
        return sum(row.on_time for row in self.rows)

    @property
    def accepted(self) -> int:
        return sum(row.accepted for row in self.rows)

    @property
    def submitted_rate(self) -> int | None:
        return percent(self.submitted, self.expected)

    @property
    def on_time_rate(self) -> int | None:
        return percent(self.on_time, self.expected)

    @property
    def accepted_rate(self) -> int | None:
        return percent(self.accepted, self.expected)

    @property
    def late_rows(self) -> list[RateRow]:
        return [row for row in self.rows if row.submitted and not row.on_time]

    @property
    def missing_rows(self) -> list[RateRow]:
        return [row for row in self.rows if not row.submitted]

    @property
    def awaiting_review_rows(self) -> list[RateRow]:
        """Handed in and neither accepted nor returned yet: the reviewer's 待审核."""
        return [
            row
            for row in self.rows
            if row.summary is not None and row.summary.status == Summary.Status.SUBMITTED
        ]


def reporting_rate(campaign, *, user=None, reports_to: Unit | None = None, today=None):
    """Expected, submitted, on time and accepted summaries of a campaign, per unit and in
    total; narrowed to the duties ``user`` may see and, with ``reports_to``, to those owed to
    that unit. Two queries."""
    duties = ReportingDuty.objects.filter(campaign=campaign).select_related("unit", "reports_to")
    if user is not None:
        duties = duties.visible_to(user)
    if reports_to is not None:
        duties = duties.filter(reports_to=reports_to)
    duties = list(duties.order_by("unit__path"))
    summaries = {
        summary.unit_id: summary
        for summary in Summary.objects.filter(
            campaign=campaign, unit_id__in=[duty.unit_id for duty in duties]
        )
    }
    return ReportingRate(
        rows=[RateRow(duty, summaries.get(duty.unit_id)) for duty in duties],
        today=today or timezone.localdate(),
    )


def figure_values(figures: list[dict]) -> dict[str, int]:
    return {figure["key"]: figure["value"] for figure in figures}


@dataclass
class TableRow:
    label: str
    status: str
    values: dict | None  # None: not counted (the summary is not accepted)
    summary: Summary | None = None


def city_table(campaign, *, today=None) -> tuple[list[TableRow], dict[str, int]]:
    """The city report's per-district table: each district-level unit with its accepted
    summary's frozen figures (or its status, not counted), the city bureau's own work, and the
    total, which is the report's figures."""
    city = campaign.issuer
    rate = reporting_rate(campaign, reports_to=city, today=today)
    rows = []
    for row in rate.rows:
        values = figure_values(row.summary.figures) if row.accepted else None
        rows.append(TableRow(row.unit.name, row.status_label, values, row.summary))
    own = figure_values(summary_figures(city, campaign, own_only=True, today=today))
    rows.append(TableRow(f"{city.name}（市本级）", "", own))
    total: dict[str, int] = {}
    for table_row in rows:
        for key, value in (table_row.values or {}).items():
            total[key] = total.get(key, 0) + value
    return rows, total


def city_figures(campaign, *, today=None) -> list[dict]:
    """The city report's figures: the accepted district summaries' frozen figures and the city's
    own, added up, in the order a summary lists them."""
    own = summary_figures(campaign.issuer, campaign, own_only=True, today=today)
    rows, total = city_table(campaign, today=today)
    labels = {figure["key"]: figure["label"] for figure in own}
    for row in rows:
        if row.summary is not None and row.values is not None:
            for figure in row.summary.figures:
                labels.setdefault(figure["key"], figure["label"])
    order = [figure["key"] for figure in own]
    order += [key for key in labels if key not in order]
    return [
        {"key": key, "label": labels[key], "value": total.get(key, 0), "url": ""}
        for key in order
        if total.get(key, 0) or not key.startswith("kind_")
    ]


@dataclass
class FigureLine:
    key: str
    label: str
    value: int
    url: str
    live: int | None = None  # the figure now, where it differs from the frozen one

    @property
    def changed(self) -> bool:
        return self.live is not None and self.live != self.value


def figure_lines(frozen: list[dict], live: list[dict] | None) -> list[FigureLine]:
    """The figures a summary shows: frozen ones with the live value where it now differs, or
    the live ones of a draft."""
    if not frozen:
        return [FigureLine(f["key"], f["label"], f["value"], f["url"]) for f in live or []]
    now = figure_values(live or [])
    lines = [
        FigureLine(f["key"], f["label"], f["value"], f["url"], now.get(f["key"], 0)) for f in frozen
    ]
    known = {f["key"] for f in frozen}
    lines += [
        FigureLine(f["key"], f["label"], 0, f["url"], f["value"])
        for f in live or []
        if f["key"] not in known and f["value"]
    ]
    return lines


def summaries_side_by_side(campaign, user) -> list[Summary]:
    """The district summaries a city admin (or a district's stations' summaries a district
    officer) compares, submitted or beyond, with their units."""
    qs = (
        Summary.objects.visible_to(user)
        .filter(campaign=campaign, first_submitted_at__isnull=False)
        .exclude(unit_id=user.unit_id)
        .select_related("unit")
    )
    if user.sees_everything:
        qs = qs.filter(unit__level=Unit.Level.DISTRICT)
    return list(qs.order_by("unit__path"))


def dashboard_summary_status(campaign) -> dict[int, str]:
    """The dashboard's 总结报送 column (``ReportsConfig.dashboard_columns``): each unit that owes
    the campaign a summary, with where its summary stands (``RateRow.status_label``: 未报送,
    已报送, 已退回，待重报, 已采用; 草稿 counts as 未报送). Two queries; the dashboard keeps only
    the units its viewer may see."""
    summaries = {
        summary.unit_id: summary
        for summary in Summary.objects.filter(campaign=campaign).only(
            "unit_id", "status", "first_submitted_at"
        )
    }
    duties = ReportingDuty.objects.filter(campaign=campaign).only("unit_id", "due_on")
    return {
        duty.unit_id: RateRow(duty, summaries.get(duty.unit_id)).status_label
        for duty in duties.order_by()
    }
