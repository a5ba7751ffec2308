"""Reads of the campaign dashboard: what each role watches every morning of the campaign.

Everything is scoped in the data layer: the city admin reads the whole city, a district
officer their district and its stations, a station worker their station (``unit_scope_q``).
Activity, media, 投稿 and help-request figures come from the roll-ups (``UnitDay``), survey
answers from theirs (``AwarenessRollup``); the small tables (units, listings, task progress,
QR scan days) are aggregated directly. The number of queries does not depend on the number of rows.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urlencode

from django.apps import apps
from django.db.models import Count, Q, Sum
from django.utils.module_loading import import_string

from shegong.campaigns.models import TaskProgress
from shegong.campaigns.selectors import kpi_providers
from shegong.contest.selectors import PROGRESS_STAGES, dashboard_progress
from shegong.directory.models import STALE_AFTER_DAYS, QrScanDay, StationListing
from shegong.orgs.models import Unit, unit_scope_q
from shegong.survey.models import Answer
from shegong.survey.selectors import AWARENESS_FIELDS, Awareness, rate

from .models import AwarenessRollup, DistrictDay, RollupRun, SegmentDay, UnitDay

ROLLUP_SUMS = (
    "activities",
    "participants",
    "media_reports",
    "submissions",
    "submissions_adopted",
    "help_requests",
    "help_responded",
    "help_on_time",
    "help_response_seconds",
    "help_within_4h",
    "help_within_24h",
    "help_within_72h",
    "help_overdue",
)
# Figures other apps may contribute per unit (AppConfig.dashboard_columns = {key: path}); the
# function takes the campaign and returns {unit id: number or text}. Until an app provides
# one, the column shows "—" and says it has no source yet.
EXTRA_COLUMNS = {
    "stories": "社工故事（篇）",  # the story contest (shegong.contest)
    "summary": "总结报送",  # district summaries (shegong.reports summaries)
}
# Columns whose provider gives a text per unit (a status), not a number: a row without one
# shows "—", and the total counts the rows per text ("已采用 3；未报送 1").
TEXT_COLUMNS = {"summary"}
# A timeline longer than this is drawn by month, not by day.
TIMELINE_MAX_DAYS = 120
TIMELINE_MAX_YEARS = 5


def _sums() -> dict:
    return {name: Sum(name) for name in ROLLUP_SUMS}


@dataclass(frozen=True)
class UnitRef:
    """What the dashboard needs of a unit: a tuple, not a model (a city has thousands)."""

    pk: int
    code: str
    name: str
    level: str
    parent_id: int | None
    path: str

    FIELDS = ("pk", "code", "name", "level", "parent_id", "path")


@dataclass
class Figures:
    """The figures of one row of the table (a district, a station, or the total)."""

    activities: int = 0
    participants: int = 0
    media_reports: int = 0
    submissions: int = 0
    submissions_adopted: int = 0
    help_requests: int = 0
    help_responded: int = 0
    help_on_time: int = 0
    help_response_seconds: int = 0
    help_within_4h: int = 0
    help_within_24h: int = 0
    help_within_72h: int = 0
    help_overdue: int = 0
    stations: int = 0
    listings: int = 0
    listings_complete: int = 0
    listings_fresh: int = 0
    tasks: int = 0
    tasks_done: int = 0
    awareness: Awareness = field(default_factory=lambda: Awareness(0, 0, 0, 0))
    extra: dict = field(default_factory=dict)
    # The story contest's entries by stage (contest.selectors.PROGRESS_STAGES).
    contest: dict = field(default_factory=lambda: dict.fromkeys(PROGRESS_STAGES, 0))

    def add(self, other: "Figures") -> None:
        for name in (*ROLLUP_SUMS, "stations", "listings", "listings_complete", "listings_fresh"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.tasks += other.tasks
        self.tasks_done += other.tasks_done
        a, b = self.awareness, other.awareness
        self.awareness = Awareness(
            a.baseline_answers + b.baseline_answers,
            a.baseline_aware + b.baseline_aware,
            a.campaign_answers + b.campaign_answers,
            a.campaign_aware + b.campaign_aware,
        )
        for stage, n in other.contest.items():
            self.contest[stage] += n
        for key, value in other.extra.items():
            if isinstance(value, int):
                self.extra[key] = self.extra.get(key, 0) + value

    @property
    def help_on_time_rate(self) -> Decimal | None:
        """Answered by the deadline, of those answered or past their deadline."""
        return rate(self.help_on_time, self.help_responded + self.help_overdue)

    @property
    def help_waiting(self) -> int:
        """Not answered yet (overdue or still within the deadline)."""
        return self.help_requests - self.help_responded

    @property
    def help_average_hours(self) -> Decimal | None:
        if not self.help_responded:
            return None
        hours = Decimal(self.help_response_seconds) / 3600 / self.help_responded
        return hours.quantize(Decimal("0.1"))

    @property
    def help_buckets(self) -> list[tuple[str, int]]:
        """First responses by how long they took, then those not answered yet."""
        return [
            ("4 小时内", self.help_within_4h),
            ("4–24 小时", self.help_within_24h - self.help_within_4h),
            ("1–3 天", self.help_within_72h - self.help_within_24h),
            ("3 天以上", self.help_responded - self.help_within_72h),
            ("未响应·未逾期", self.help_waiting - self.help_overdue),
            ("未响应·已逾期", self.help_overdue),
        ]

    @property
    def adopted_rate(self) -> Decimal | None:
        return rate(self.submissions_adopted, self.submissions)


@dataclass
class Row:
    unit: UnitRef | None  # None: the city bureau's own work, in the city's table
    label: str
    figures: Figures
    extra_cells: list = field(default_factory=list)  # per extra column: its value, or None
    extra_keys: list = field(default_factory=list)  # the extra columns' keys, in that order
    own_only: bool = False  # counts the unit's own records only (a district among its stations)
    records_unit: UnitRef | None = None  # whose records the figures count (default: ``unit``)
    links: dict = field(default_factory=dict)  # the nation-wide view: figure → list URL

    @property
    def unit_query(self) -> str:
        """The ``unit`` (and ``own``) filter of the lists this row's figures link to; "" for
        the total of the whole jurisdiction."""
        unit = self.records_unit or self.unit
        if unit is None:
            return ""
        return f"unit={unit.code}" + ("&own=1" if self.own_only else "")

    @property
    def cells(self) -> list[tuple[str, object]]:
        """``(column key, value)`` of each extra column, for links per column."""
        return list(zip(self.extra_keys, self.extra_cells, strict=True))


@dataclass
class Kpi:
    kind: str
    label: str
    target: Decimal
    actual: Decimal | None  # None: not measured at this scope (no source, or city-wide only)
    note: str = ""

    @property
    def share(self) -> int | None:
        if self.actual is None or not self.target:
            return None
        return round(100 * self.actual / self.target)


@dataclass
class Dashboard:
    campaign: object
    scope: Unit | None  # None: the whole city
    level: str  # what the table lists: "district" or "station"
    date_from: datetime.date | None
    date_to: datetime.date | None
    segment: str  # "" or a key of dashboard_rollups.SEGMENTS: narrows the activity figures
    age_group: str  # "" or an Answer.AgeGroup: narrows the survey's figures
    rows: list[Row]
    total: Figures
    total_row: Row
    kpis: list[Kpi]
    timeline: list[dict]
    timeline_by: str  # "day" or "month"
    qr_channels: list[tuple[str, int]]
    by_age: list[tuple[str, Awareness]]
    sources: list[tuple[str, int]]
    run: RollupRun | None
    extra_columns: list[tuple[str, str, bool]]  # key, label, has a source
    contest_stages: list[tuple[str, str]] = field(default_factory=list)  # key, label
    campaigns: dict = field(default_factory=dict)  # the nation-wide view: city id → campaign

    def _period_query(self, start: str = "date_from", end: str = "date_to") -> dict:
        query = {}
        if self.date_from:
            query[start] = self.date_from.isoformat()
        if self.date_to:
            query[end] = self.date_to.isoformat()
        return query

    @property
    def scope_label(self) -> str:
        if self.level == "city":
            return "全国（各城市）"
        if self.scope is None or self.scope.level == Unit.Level.CITY:
            return "全市"
        return self.scope.name

    @property
    def segment_label(self) -> str:
        from .dashboard_rollups import SEGMENTS

        return str(SEGMENTS[self.segment][1]) if self.segment in SEGMENTS else ""

    @property
    def activity_query(self) -> str:
        """The ledger's filters that show the activities this dashboard counts (add the unit):
        the campaign's reviewed ones, in the period, of the segment."""
        query = {"campaign": self.campaign.slug, "status": "reviewed", **self._period_query()}
        if self.segment:
            field, code = self.segment.split(":", 1)
            query[field] = code
        return urlencode(query)

    @property
    def help_query(self) -> str:
        """The help desk queue's filters for the requests counted here (add the unit)."""
        return urlencode({"campaign": self.campaign.slug, **self._period_query()})

    @property
    def filter_query(self) -> str:
        """The dashboard's own filters but the unit, for the rows' links to their dashboards."""
        query = self._period_query()
        if self.segment:
            query["segment"] = self.segment
        if self.age_group:
            query["age_group"] = self.age_group
        return urlencode(query)


def _unit_refs(queryset) -> list[UnitRef]:
    return [UnitRef(*row) for row in queryset.order_by("path").values_list(*UnitRef.FIELDS)]


def city_count() -> int:
    """How many cities (unit-tree roots) this installation serves: more than one makes it a
    provincial or national one, whose superusers get the nation-wide dashboard."""
    return Unit.objects.filter(level=Unit.Level.CITY).count()


def dashboard_units(user, *, city: UnitRef | None = None, cities: bool = False) -> list[UnitRef]:
    """The units the 单位 filter lists: a city's districts (and, ``cities``, every city) for
    those who see everything; a district and its stations for its officer; a station itself.
    Never the units above the user. One query, a few dozen rows even in a national
    installation (``dashboard_unit`` checks a code sent of any unit of the jurisdiction)."""
    if user.sees_everything:
        q = Q(level=Unit.Level.DISTRICT, path__startswith=city.path) if city else Q(pk__in=[])
        if cities:
            q |= Q(level=Unit.Level.CITY)
        return _unit_refs(Unit.objects.filter(q))
    return _unit_refs(
        Unit.objects.filter(unit_scope_q(user, field=None)).exclude(level=Unit.Level.CITY)
    )


def dashboard_unit(user, code: str, *, cities: bool = False) -> UnitRef | None:
    """The unit of ``user``'s jurisdiction with ``code`` whose dashboard they may open (a city
    only when ``cities``: a superuser of a national installation), or ``None``."""
    units = Unit.objects.filter(unit_scope_q(user, field=None), code=code)
    if not cities:
        units = units.exclude(level=Unit.Level.CITY)
    found = _unit_refs(units)
    return found[0] if found else None


def city_of(unit) -> UnitRef | None:
    """The city (tree root) a unit belongs to."""
    root = unit.path.split("/", 1)[0]
    found = _unit_refs(Unit.objects.filter(code=root, level=Unit.Level.CITY))
    return found[0] if found else None


def _scope_q(user, scope: Unit | None, field: str = "unit") -> Q:
    """Rows of ``user``'s jurisdiction, narrowed to ``scope``'s subtree when given."""
    q = unit_scope_q(user, field=field)
    if scope is not None:
        q &= Q(**{f"{field}__path__startswith" if field else "path__startswith": scope.path})
    return q


def _extra_providers() -> dict[str, str]:
    providers = {}
    for config in apps.get_app_configs():
        providers.update(getattr(config, "dashboard_columns", {}))
    return providers


def dashboard_for(
    user,
    campaign,
    *,
    scope: Unit | None = None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    segment: str = "",
    age_group: str = "",
    today: datetime.date,
) -> Dashboard:
    """The dashboard of ``campaign`` as ``user`` sees it, for ``scope`` (a unit of their
    jurisdiction; default: all of it) and an optional period; ``segment`` (an audience or a
    focus, ``SEGMENTS``) narrows the activities and participants, ``age_group`` the survey."""
    if scope is None and not user.sees_everything:
        scope = user.unit
    if scope is None and campaign.issuer.level == Unit.Level.CITY:
        # Everything, for the city admin, is the campaign's city: in a national installation
        # the other cities' units are not this campaign's (and would cost thousands of rows).
        scope = campaign.issuer
    level = "district" if scope is None or scope.level == Unit.Level.CITY else "station"

    # Units: the rows of the table and the map from any unit to its row.
    units = _unit_refs(Unit.objects.filter(_scope_q(user, scope, field=None)))
    by_pk = {unit.pk: unit for unit in units}

    def group_of(unit_id: int | None) -> int | None:
        """The row a unit's figures go to: its district (city view) or itself."""
        unit = by_pk.get(unit_id)
        if unit is None:
            return None
        if level == "district":
            if unit.level == Unit.Level.STATION:
                return unit.parent_id
            return unit.pk if unit.level == Unit.Level.DISTRICT else None
        return unit.pk

    row_units = [
        unit
        for unit in units
        if (unit.level == Unit.Level.DISTRICT if level == "district" else unit.level != "city")
    ]
    figures: dict[int | None, Figures] = defaultdict(Figures)
    for unit in row_units:
        figures[unit.pk] = Figures()

    # Roll-ups: activities, media, 投稿, help requests.
    if level == "district" and user.sees_everything:  # the whole city
        rollups = DistrictDay.objects.filter(campaign=campaign)
    else:
        rollups = UnitDay.objects.filter(campaign=campaign).filter(_scope_q(user, scope))
    if date_from:
        rollups = rollups.filter(day__gte=date_from)
    if date_to:
        rollups = rollups.filter(day__lte=date_to)
    # One pass: sums per row and day, added up per row here and per day for the timeline,
    # which covers the period asked for (by default the campaign's days up to the summary
    # deadline); records outside it count in the totals only.
    window = (date_from or campaign.starts_on, date_to or campaign.summary_deadline)
    if window[1] < window[0]:
        window = (window[0], window[0])
    if (window[1] - window[0]).days > TIMELINE_MAX_YEARS * 366:  # a forged decade-long period
        window = (window[1] - datetime.timedelta(days=TIMELINE_MAX_YEARS * 366), window[1])
    group_field = "district_id" if level == "district" else "unit_id"
    by_day: dict[datetime.date, dict] = {}
    for row in rollups.values(group_field, "day").annotate(**_sums()).order_by():
        target, day = figures[row.pop(group_field)], row.pop("day")
        for name, value in row.items():
            setattr(target, name, getattr(target, name) + (value or 0))
        if window[0] <= day <= window[1]:
            point = by_day.setdefault(day, dict.fromkeys(row, 0))
            for name, value in row.items():
                point[name] += value or 0
    if segment:
        # The activity figures of one segment only, from its own roll-up: the figures above
        # counted every activity, so they are replaced (the other figures stay as they are).
        for target in figures.values():
            target.activities = target.participants = 0
        for point in by_day.values():
            point["activities"] = point["participants"] = 0
        segmented = SegmentDay.objects.filter(campaign=campaign, segment=segment)
        if not (level == "district" and user.sees_everything):
            segmented = segmented.filter(_scope_q(user, scope))
        if date_from:
            segmented = segmented.filter(day__gte=date_from)
        if date_to:
            segmented = segmented.filter(day__lte=date_to)
        for group, day, activities, participants in (
            segmented.values_list(group_field, "day")
            .annotate(Sum("activities"), Sum("participants"))
            .order_by()
        ):
            figures[group].activities += activities
            figures[group].participants += participants
            if window[0] <= day <= window[1]:
                point = by_day.setdefault(day, dict.fromkeys(_sums(), 0))
                point["activities"] += activities
                point["participants"] += participants
    timeline_rows = [{"day": day, **by_day[day]} for day in sorted(by_day)]

    # Stations and their public listings (complete: the six items shown; fresh: verified
    # within STALE_AFTER_DAYS).
    for unit in units:
        if unit.level == Unit.Level.STATION:
            figures[group_of(unit.pk)].stations += 1
    listings = StationListing.objects.filter(_scope_q(user, scope))
    fresh_since = today - datetime.timedelta(days=STALE_AFTER_DAYS)
    for unit_id, total, fresh in (
        listings.values_list("unit_id")
        .annotate(n=Count("id"), fresh=Count("id", filter=Q(last_verified_on__gte=fresh_since)))
        .order_by()
    ):
        figures[group_of(unit_id)].listings += total
        figures[group_of(unit_id)].listings_fresh += fresh
    for (unit_id,) in listings.complete().values_list("unit_id"):
        figures[group_of(unit_id)].listings_complete += 1

    # Task progress of the campaign.
    for unit_id, total, done in (
        TaskProgress.objects.filter(task__campaign=campaign)
        .filter(_scope_q(user, scope))
        .values_list("unit_id")
        .annotate(n=Count("id"), done=Count("id", filter=Q(status=TaskProgress.Status.DONE)))
        .order_by()
    ):
        figures[group_of(unit_id)].tasks += total
        figures[group_of(unit_id)].tasks_done += done

    # The awareness survey, from its roll-up: counts per area and age group, added up per
    # row, per age group and (for those aware) per source.
    ages: dict[str, list[int]] = {}
    sources_seen = dict.fromkeys(Answer.SOURCES, 0)
    answered = AwarenessRollup.objects.filter(campaign=campaign).filter(
        _scope_q(user, scope, field="area")
    )
    if age_group:
        answered = answered.filter(age_group=age_group)
    for row in answered.values("area_id", "age_group", *AWARENESS_FIELDS, *Answer.SOURCES):
        area_id, age = row.pop("area_id"), row.pop("age_group")
        counts = [row.pop(name) for name in AWARENESS_FIELDS]
        for name in sources_seen:
            sources_seen[name] += row[name]
        target = figures[group_of(area_id)]
        before = [getattr(target.awareness, name) for name in AWARENESS_FIELDS]
        target.awareness = Awareness(*(a + b for a, b in zip(before, counts, strict=True)))
        ages[age] = [a + b for a, b in zip(ages.get(age, [0, 0, 0, 0]), counts, strict=True)]
    age_labels = dict(Answer.AgeGroup.choices)
    by_age = [(str(age_labels[key]), Awareness(*ages[key])) for key in age_labels if key in ages]
    sources = [(str(Answer.SOURCES[name]), n) for name, n in sources_seen.items()]

    # Figures other apps contribute (the story contest, the district summaries).
    providers = _extra_providers()
    extra_columns = [(key, label, key in providers) for key, label in EXTRA_COLUMNS.items()]
    for key, path in providers.items():
        for unit_id, value in import_string(path)(campaign).items():
            if unit_id in by_pk:
                target = figures[group_of(unit_id)]
                if isinstance(value, int):
                    target.extra[key] = target.extra.get(key, 0) + value
                elif group_of(unit_id) == unit_id:
                    target.extra[key] = value

    # The story contest's progress per row.
    for unit_id, stages in dashboard_progress(campaign).items():
        if unit_id in by_pk:
            target = figures[group_of(unit_id)]
            for stage, n in stages.items():
                target.contest[stage] += n

    # The table's rows, then the total of every row.
    rows = [
        Row(
            unit=unit,
            label=unit.name,
            figures=figures[unit.pk],
            own_only=level == "station" and unit.level != Unit.Level.STATION,
        )
        for unit in row_units
    ]
    if level == "district" and None in figures:
        city = next((unit for unit in units if unit.level == Unit.Level.CITY), None)
        rows.insert(
            0,
            Row(
                unit=None,
                label="市级（市民政局）",
                figures=figures[None],
                own_only=True,
                records_unit=city,
            ),
        )
    total = Figures()
    for row in rows:
        total.add(row.figures)
    total_row = Row(unit=None, label="合计", figures=total, records_unit=scope)
    keys = [key for key, _label, _has in extra_columns]
    for row in [*rows, total_row]:
        row.extra_keys = keys
        row.extra_cells = [
            (row.figures.extra.get(key) if key in TEXT_COLUMNS else row.figures.extra.get(key, 0))
            if has
            else None
            for key, _label, has in extra_columns
        ]
    for index, (key, _label, has) in enumerate(extra_columns):
        if has and key in TEXT_COLUMNS:
            seen: dict[str, int] = {}
            for row in rows:
                if row.extra_cells[index] is not None:
                    seen[row.extra_cells[index]] = seen.get(row.extra_cells[index], 0) + 1
            total_row.extra_cells[index] = "；".join(f"{k} {n}" for k, n in seen.items()) or None

    timeline, timeline_by = _timeline(window, timeline_rows, _qr_days(user, scope, window))
    return Dashboard(
        campaign=campaign,
        scope=scope,
        level=level,
        date_from=date_from,
        date_to=date_to,
        segment=segment,
        age_group=age_group,
        rows=rows,
        total=total,
        total_row=total_row,
        kpis=_kpis(
            user, campaign, scope, total, period=bool(date_from or date_to or segment or age_group)
        ),
        timeline=timeline,
        timeline_by=timeline_by,
        qr_channels=_qr_channels(user, scope, campaign, date_from, date_to),
        by_age=by_age,
        sources=sources,
        run=RollupRun.objects.filter(campaign=campaign).first(),
        extra_columns=extra_columns,
        contest_stages=list(PROGRESS_STAGES.items()),
    )


def _qr_base(user, scope, campaign, date_from, date_to):
    scans = QrScanDay.objects.filter(_scope_q(user, scope, field="link__unit"))
    return scans.filter(
        day__gte=date_from or campaign.starts_on, **({"day__lte": date_to} if date_to else {})
    )


def _qr_channels(user, scope, campaign, date_from, date_to) -> list[tuple[str, int]]:
    """Scans per channel (a channel is one printed code's name) since the campaign started."""
    rows = (
        _qr_base(user, scope, campaign, date_from, date_to)
        .values_list("link__channel")
        .annotate(n=Sum("count"))
        .order_by("-n", "link__channel")
    )
    merged: dict[str, int] = defaultdict(int)
    for channel, n in rows:
        merged[channel] += n
    return sorted(merged.items(), key=lambda item: (-item[1], item[0]))


def _qr_days(user, scope, window) -> dict:
    rows = QrScanDay.objects.filter(_scope_q(user, scope, field="link__unit"), day__range=window)
    return dict(rows.values_list("day").annotate(n=Sum("count")).order_by())


def _kpis(user, campaign, scope, total: Figures, *, period: bool) -> list[Kpi]:
    """The campaign's targets with this scope's figures. Targets are the city's: a district's
    share is its contribution to the city's target."""
    measured = {
        "activities": total.activities,
        "participants": total.participants,
        "media_reports": total.media_reports,
        "stations_listed": total.listings_complete,
        "tasks_done": total.tasks_done,
        "awareness_rate": total.awareness.campaign_rate,
    }
    providers = kpi_providers()
    city_wide = scope is None or scope.level == Unit.Level.CITY
    kpis = []
    for target in campaign.kpi_targets.all():
        note = ""
        if target.kind in measured:
            actual = measured[target.kind]
            actual = None if actual is None else Decimal(actual)
            if actual is None:
                note = "尚无答卷"
        elif target.kind in providers and city_wide and user.sees_everything and not period:
            actual = Decimal(import_string(providers[target.kind])(campaign))
        elif target.kind in providers:
            actual, note = None, "仅统计全市、全期"
        else:
            actual, note = None, "尚无数据来源"
        kpis.append(
            Kpi(
                kind=target.kind,
                label=target.get_kind_display(),
                target=target.target,
                actual=actual,
                note=note,
            )
        )
    return kpis


def _month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def _timeline(window, rows: list[dict], qr_days: dict) -> tuple[list[dict], str]:
    """Day by day over ``window`` (by month when that is longer than TIMELINE_MAX_DAYS)."""
    first, last = window
    by_month = (last - first).days >= TIMELINE_MAX_DAYS
    points: dict[datetime.date, dict] = {}
    day = first
    while day <= last:
        key = _month(day) if by_month else day
        if key not in points:
            points[key] = {"day": key, "activities": 0, "participants": 0, "help_requests": 0}
            points[key].update(media_reports=0, qr_scans=0)
        day += datetime.timedelta(days=1)
    for row in rows:
        point = points[_month(row["day"]) if by_month else row["day"]]
        for name in ("activities", "participants", "help_requests", "media_reports"):
            point[name] += row[name] or 0
    for day, n in qr_days.items():
        points[_month(day) if by_month else day]["qr_scans"] += n
    return list(points.values()), "month" if by_month else "day"
