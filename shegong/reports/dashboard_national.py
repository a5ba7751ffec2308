"""The nation-wide (or province-wide) dashboard: one installation serving many cities.

Each city (a root of the unit tree) runs its own campaign; a superuser of such an installation
sees one row per city, each city's figures being those of its current campaign, read from the
same roll-ups as a city's dashboard (``DistrictDay``, ``SegmentDay``, ``AwarenessRollup``)
grouped per campaign. The number of queries does not depend on the number of cities or rows.
"""

import datetime
import functools
from collections import defaultdict
from decimal import Decimal
from urllib.parse import urlencode

from django.db.models import Avg, Sum
from django.urls import reverse

from shegong.campaigns.models import Campaign, KpiTarget
from shegong.contest.selectors import PROGRESS_STAGES, dashboard_progress_by_campaign
from shegong.directory.models import QrScanDay
from shegong.orgs.models import Unit
from shegong.survey.models import Answer
from shegong.survey.selectors import AWARENESS_FIELDS, Awareness

from .dashboard import (
    TIMELINE_MAX_YEARS,
    Dashboard,
    Figures,
    Kpi,
    Row,
    _sums,
    _timeline,
    _unit_refs,
)
from .models import AwarenessRollup, CampaignDay, RollupRun, SegmentDay

CITY_FIELDS = ("stations", "listings", "listings_complete", "listings_fresh", "tasks", "tasks_done")

# KPI kinds whose national target is the sum of the cities' (a rate's is their mean).
ADDITIVE = ("activities", "participants", "media_reports", "stations_listed", "tasks_done")


def current_campaigns() -> dict[int, Campaign]:
    """Each city's current campaign (``CampaignQuerySet.current`` per issuer), in one query."""
    chosen: dict[int, Campaign] = {}
    fields = ("id", "slug", "name", "issuer_id", "starts_on", "summary_deadline")
    rows = Campaign.objects.only(*fields, "document_number").order_by(
        "issuer_id", "-starts_on", "-id"
    )
    for campaign in rows:
        best = chosen.get(campaign.issuer_id)
        if best is None or (not best.document_number and campaign.document_number):
            chosen[campaign.issuer_id] = campaign
    return chosen


def national_dashboard(
    user,
    *,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    segment: str = "",
    age_group: str = "",
    today: datetime.date,
) -> Dashboard:
    """One row per city with the figures of its current campaign (for a superuser)."""
    cities = _unit_refs(Unit.objects.filter(level=Unit.Level.CITY))
    campaigns = current_campaigns()
    city_of_campaign = {c.pk: c.issuer_id for c in campaigns.values()}
    ids = list(city_of_campaign)
    figures: dict[int, Figures] = defaultdict(Figures)
    for city in cities:
        figures[city.pk] = Figures()

    def dated(queryset):
        if date_from:
            queryset = queryset.filter(day__gte=date_from)
        if date_to:
            queryset = queryset.filter(day__lte=date_to)
        return queryset

    starts = [c.starts_on for c in campaigns.values()] or [today]
    ends = [c.summary_deadline for c in campaigns.values()] or [today]
    window = (date_from or min(starts), date_to or max(ends))
    if window[1] < window[0]:
        window = (window[0], window[0])
    if (window[1] - window[0]).days > TIMELINE_MAX_YEARS * 366:
        window = (window[1] - datetime.timedelta(days=TIMELINE_MAX_YEARS * 366), window[1])

    # Roll-ups per campaign (so per city): its totals, and the nation's day by day.
    sums = _sums()
    rollups = dated(CampaignDay.objects.filter(campaign_id__in=ids))
    for row in rollups.values("campaign_id").annotate(**sums).order_by():
        target = figures[city_of_campaign[row.pop("campaign_id")]]
        for name, value in row.items():
            setattr(target, name, value or 0)
    timeline_rows, qr_days = [], {}
    in_window = rollups.filter(day__range=window)
    for row in in_window.values("day").annotate(**sums, scans=Sum("qr_scans")).order_by("day"):
        qr_days[row["day"]] = row.pop("scans") or 0
        timeline_rows.append({name: value or 0 for name, value in row.items()})
    if segment:  # the segment's own roll-up gives the activities and participants
        for target in figures.values():
            target.activities = target.participants = 0
        segmented = dated(SegmentDay.objects.filter(campaign_id__in=ids, segment=segment))
        for campaign_id, activities, participants in (
            segmented.values_list("campaign_id")
            .annotate(Sum("activities"), Sum("participants"))
            .order_by()
        ):
            figures[city_of_campaign[campaign_id]].activities = activities
            figures[city_of_campaign[campaign_id]].participants = participants
        per_day = {
            day: (activities, participants)
            for day, activities, participants in segmented.filter(day__range=window)
            .values_list("day")
            .annotate(Sum("activities"), Sum("participants"))
            .order_by()
        }
        for point in timeline_rows:
            point["activities"], point["participants"] = per_day.get(point["day"], (0, 0))

    # Stations, listings, task progress and QR channels of each city, as of its campaign's
    # last rebuild (``RollupRun``: counting them live costs joins over every unit).
    channels: dict[str, int] = defaultdict(int)
    for run in RollupRun.objects.filter(campaign_id__in=ids).only(
        "campaign_id", *CITY_FIELDS, "qr_channels"
    ):
        target = figures[city_of_campaign[run.campaign_id]]
        for name in CITY_FIELDS:
            setattr(target, name, getattr(run, name))
        for channel, n in (run.qr_channels or {}).items():
            channels[channel] += n
    if date_from or date_to:  # a period: the scans of those days, from the scans themselves
        channels = defaultdict(int)
        scans = QrScanDay.objects.filter(day__range=(date_from or window[0], date_to or window[1]))
        for channel, n in scans.values_list("link__channel").annotate(Sum("count")).order_by():
            channels[channel] += n

    # The survey, per city and age group.
    ages: dict[str, list[int]] = {}
    sources_seen = dict.fromkeys(Answer.SOURCES, 0)
    answered = AwarenessRollup.objects.filter(campaign_id__in=ids)
    if age_group:
        answered = answered.filter(age_group=age_group)
    sums = {name: Sum(name) for name in (*AWARENESS_FIELDS, *Answer.SOURCES)}
    for row in answered.values("campaign_id", "age_group").annotate(**sums).order_by():
        target = figures[city_of_campaign[row.pop("campaign_id")]]
        age = row.pop("age_group")
        counts = [row.pop(name) or 0 for name in AWARENESS_FIELDS]
        for name in sources_seen:
            sources_seen[name] += row[name] or 0
        before = [getattr(target.awareness, name) for name in AWARENESS_FIELDS]
        target.awareness = Awareness(*(a + b for a, b in zip(before, counts, strict=True)))
        ages[age] = [a + b for a, b in zip(ages.get(age, [0, 0, 0, 0]), counts, strict=True)]
    age_labels = dict(Answer.AgeGroup.choices)
    by_age = [(str(age_labels[key]), Awareness(*ages[key])) for key in age_labels if key in ages]
    sources = [(str(Answer.SOURCES[name]), n) for name, n in sources_seen.items()]

    for campaign_id, stages in dashboard_progress_by_campaign(ids).items():
        for stage, n in stages.items():
            figures[city_of_campaign[campaign_id]].contest[stage] += n

    by_city = {c.issuer_id: c for c in campaigns.values()}
    rows = [
        Row(
            unit=city,
            label=city.name,
            figures=figures[city.pk],
            links=_links(city, by_city.get(city.pk), date_from, date_to, segment),
        )
        for city in cities
    ]
    total = Figures()
    for row in rows:
        total.add(row.figures)
    total_row = Row(unit=None, label="合计", figures=total)

    timeline, timeline_by = _timeline(window, timeline_rows, qr_days)

    return Dashboard(
        campaign=None,
        scope=None,
        level="city",
        date_from=date_from,
        date_to=date_to,
        segment=segment,
        age_group=age_group,
        rows=rows,
        total=total,
        total_row=total_row,
        kpis=_national_kpis(ids, total, period=bool(date_from or date_to or segment or age_group)),
        timeline=timeline,
        timeline_by=timeline_by,
        qr_channels=sorted(channels.items(), key=lambda item: (-item[1], item[0])),
        by_age=by_age,
        sources=sources,
        run=RollupRun.objects.filter(campaign_id__in=ids).order_by("rebuilt_at").first(),
        extra_columns=[],
        contest_stages=list(PROGRESS_STAGES.items()),
        campaigns=by_city,
    )


@functools.cache
def _url(name: str) -> str:
    """A list's URL, once per process (hundreds of cities link to the same few lists)."""
    return reverse(name)


def _links(city, campaign, date_from, date_to, segment) -> dict[str, str]:
    """The lists behind a city's figures: its campaign's records, the same filters."""
    if campaign is None:
        return {}
    period = {}
    if date_from:
        period["date_from"] = date_from.isoformat()
    if date_to:
        period["date_to"] = date_to.isoformat()
    base = {"unit": city.code, "campaign": campaign.slug, **period}
    ledger = {**base, "status": "reviewed"}
    if segment:
        field, code = segment.split(":", 1)
        ledger[field] = code
    return {
        "dashboard": f"{_url('reports:dashboard')}?{urlencode({'unit': city.code})}",
        "activities": f"{_url('activities:activity_list')}?{urlencode(ledger)}",
        "help": f"{_url('helpdesk:queue')}?{urlencode(base)}",
        "overdue": f"{_url('helpdesk:queue')}?{urlencode({'overdue': 1, **base})}",
        "listings": f"{_url('directory:listing_list')}?complete=1&unit={city.code}",
        "fresh": f"{_url('directory:listing_list')}?fresh=1&unit={city.code}",
        "tasks": reverse("campaigns:matrix", args=[campaign.slug]),
        "contest": f"{_url('contest:unit_entries')}?campaign={campaign.slug}&stage=submitted",
    }


def _national_kpis(ids, total: Figures, *, period: bool) -> list[Kpi]:
    """The cities' targets added up (a rate's averaged) against the nation's figures."""
    measured = {
        "activities": total.activities,
        "participants": total.participants,
        "media_reports": total.media_reports,
        "stations_listed": total.listings_complete,
        "tasks_done": total.tasks_done,
        "awareness_rate": total.awareness.campaign_rate,
    }
    labels = dict(KpiTarget.Kind.choices)
    kpis = []
    for kind, summed, mean in (
        KpiTarget.objects.filter(campaign_id__in=ids, kind__in=measured)
        .values_list("kind")
        .annotate(Sum("target"), Avg("target"))
        .order_by("kind")
    ):
        actual = measured[kind]
        target = summed if kind in ADDITIVE else Decimal(mean).quantize(Decimal("0.1"))
        kpis.append(
            Kpi(
                kind=kind,
                label=str(labels.get(kind, kind)),
                target=target,
                actual=None if actual is None else Decimal(actual),
                note="各城市目标之和" if kind in ADDITIVE else "各城市目标的平均",
            )
        )
    return kpis
