"""Writes of the dashboard's roll-ups: rebuild one campaign's ``UnitDay`` rows from the source
tables (activities, media reports, 投稿, help requests) and its ``AwarenessRollup`` rows from
the survey's answers.

A rebuild replaces the campaign's rows in one transaction, so a dashboard never reads half a
rebuild. It runs from the periodic job (``ReportsConfig.periodic``, every few minutes), from
``manage.py dashboard_rebuild`` and on a campaign's first dashboard view. Every write, edit and
deletion of a source row is therefore on the dashboard after the next run.
"""

import time
from datetime import datetime, timedelta

from django.db import connection, transaction
from django.db.models import BigIntegerField, Count, ExpressionWrapper, F, Func, Q, Sum, Value
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from shegong.activities.models import Activity, Audience, Focus, MediaCoverage, Submission
from shegong.campaigns.models import TaskProgress
from shegong.core.audit import audit_record
from shegong.directory.models import STALE_AFTER_DAYS, QrScanDay, StationListing
from shegong.helpdesk.models import HelpRequest
from shegong.orgs.models import Unit
from shegong.survey.models import Answer
from shegong.survey.selectors import AWARENESS_FIELDS, answers_of, awareness_counts

from .models import AwarenessRollup, CampaignDay, DistrictDay, RollupRun, SegmentDay, UnitDay

REVIEWED = (Activity.Status.APPROVED, Activity.Status.FEATURED)
# The dashboard's 人群 (segment) filter: an activity's audiences and focus tags, each stored as
# ",a,b," in its own field (activities.models.codes_join).
SEGMENTS = {
    **{f"audience:{code}": ("audiences", label) for code, label in Audience.choices},
    **{f"focus:{code}": ("focus_tags", label) for code, label in Focus.choices},
}
ADOPTED = (Submission.Status.ADOPTED, Submission.Status.PUBLISHED)


# The roll-up's figures, in the order every source query selects them.
COLUMNS = (
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


def _seconds_between(start: str, end: str):
    """Whole seconds from ``start`` to ``end`` (two datetime fields), in SQL."""
    if connection.vendor == "postgresql":
        return Func(
            F(end),
            F(start),
            template="EXTRACT(EPOCH FROM (%(expressions)s))",
            arg_joiner=" - ",
            output_field=BigIntegerField(),
        )
    # SQLite: Django subtracts datetimes in microseconds.
    return ExpressionWrapper((F(end) - F(start)) / 1_000_000, output_field=BigIntegerField())


def _grouped(queryset, day, figures: dict):
    """``queryset`` grouped by unit and day, selecting every column of ``COLUMNS`` (0 for
    those this source does not have), for the UNION below."""
    zero = Value(0, output_field=BigIntegerField())
    return (
        queryset.annotate(day=day)
        .values("unit_id", "day")
        .annotate(**{name: figures.get(name, zero) for name in COLUMNS})
        .order_by()
    )


def _sources(campaign, now: datetime) -> list:
    """One grouped query per source table (activities, media, 投稿, help requests)."""
    period = (campaign.starts_on, campaign.summary_deadline)
    # Media and 投稿 belong to no campaign: those of the issuing city's units (in a national
    # installation, each city's campaign counts its own).
    city = campaign.issuer.path
    responded = Q(first_response_at__isnull=False)

    def within(hours):
        return Count(
            "id", filter=Q(first_response_at__lte=F("created_at") + timedelta(hours=hours))
        )

    return [
        _grouped(
            Activity.objects.filter(campaign=campaign, status__in=REVIEWED),
            TruncDate("starts_at"),
            {"activities": Count("id"), "participants": Sum("participants")},
        ),
        _grouped(
            MediaCoverage.objects.filter(published_on__range=period, unit__path__startswith=city),
            F("published_on"),
            {"media_reports": Count("id")},
        ),
        _grouped(
            Submission.objects.filter(submitted_on__range=period, unit__path__startswith=city),
            F("submitted_on"),
            {
                "submissions": Count("id"),
                "submissions_adopted": Count("id", filter=Q(status__in=ADOPTED)),
            },
        ),
        _grouped(
            HelpRequest.objects.filter(campaign=campaign),
            TruncDate("created_at"),
            {
                "help_requests": Count("id"),
                "help_responded": Count("id", filter=responded),
                "help_on_time": Count("id", filter=Q(first_response_at__lte=F("respond_by"))),
                "help_response_seconds": Coalesce(
                    Sum(_seconds_between("created_at", "first_response_at"), filter=responded),
                    0,
                    output_field=BigIntegerField(),
                ),
                "help_within_4h": within(4),
                "help_within_24h": within(24),
                "help_within_72h": within(72),
                "help_overdue": Count(
                    "id",
                    filter=Q(
                        first_response_at__isnull=True,
                        status=HelpRequest.Status.NEW,
                        respond_by__lt=now,
                    ),
                ),
            },
        ),
    ]


def _segment_sources(campaign) -> list:
    """One grouped query per segment: reviewed activities naming it, per unit and day."""
    reviewed = Activity.objects.filter(campaign=campaign, status__in=REVIEWED)
    parts = []
    for segment, (field, _label) in SEGMENTS.items():
        code = segment.split(":", 1)[1]
        parts.append(
            reviewed.filter(**{f"{field}__contains": f",{code},"})
            .annotate(day=TruncDate("starts_at"))
            .values("unit_id", "day")
            .annotate(
                segment=Value(segment),
                activities=Count("id"),
                participants=Coalesce(Sum("participants"), 0),
            )
            .values_list("unit_id", "day", "segment", "activities", "participants")
            .order_by()
        )
    return parts


def _compiled(querysets) -> tuple[str, list]:
    sql, params = [], []
    for queryset in querysets:
        part, part_params = queryset.query.get_compiler(connection=connection).as_sql()
        sql.append(part)
        params.extend(part_params)
    return " UNION ALL ".join(sql), params


@transaction.atomic
def rollup_rebuild(*, campaign, now: datetime | None = None, actor=None) -> RollupRun:
    """Replace ``campaign``'s roll-up rows with figures computed from the source tables.

    One INSERT … SELECT over the UNION of the four grouped source queries, inside the
    database (no row passes through Python), with each unit's district from the unit table.
    Side effects: the campaign's ``UnitDay`` rows deleted and written again, its ``RollupRun``
    updated; an audit entry ``dashboard.rebuild`` only when a person (``actor``) asked for it
    (the periodic job would fill the log).
    """
    started = time.monotonic()
    now = now or timezone.now()
    parts, params = [], []
    for queryset in _sources(campaign, now):
        sql, part_params = queryset.query.get_compiler(connection=connection).as_sql()
        parts.append(sql)
        params.extend(part_params)
    table = connection.ops.quote_name(UnitDay._meta.db_table)
    units = connection.ops.quote_name(Unit._meta.db_table)
    sums = ", ".join(f"SUM(s.{name})" for name in COLUMNS)
    UnitDay.objects.filter(campaign=campaign).delete()
    DistrictDay.objects.filter(campaign=campaign).delete()
    AwarenessRollup.objects.filter(campaign=campaign).delete()
    SegmentDay.objects.filter(campaign=campaign).delete()
    CampaignDay.objects.filter(campaign=campaign).delete()
    segment_sql, segment_params = _compiled(_segment_sources(campaign))
    survey_sql, survey_params = (
        awareness_counts(campaign, answers_of(campaign), ("area_id", "age_group"))
        .query.get_compiler(connection=connection)
        .as_sql()
    )
    survey_columns = ", ".join(["area_id", "age_group", *AWARENESS_FIELDS, *Answer.SOURCES])
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {connection.ops.quote_name(AwarenessRollup._meta.db_table)} "  # noqa: S608
            f"(campaign_id, {survey_columns}) SELECT %s, s.* FROM ({survey_sql}) s",
            [campaign.pk, *survey_params],
        )
        cursor.execute(  # names and compiled ORM queries only: no outside input
            f"INSERT INTO {table} (campaign_id, unit_id, district_id, day, {', '.join(COLUMNS)}) "  # noqa: S608
            f"SELECT %s, s.unit_id, CASE u.level WHEN 'district' THEN u.id "
            f"WHEN 'station' THEN u.parent_id END, s.day, {sums} "
            f"FROM ({' UNION ALL '.join(parts)}) s INNER JOIN {units} u ON u.id = s.unit_id "
            f"GROUP BY s.unit_id, s.day, u.id, u.level, u.parent_id",
            [campaign.pk, *params],
        )
        rows = cursor.rowcount
        cursor.execute(
            f"INSERT INTO {connection.ops.quote_name(DistrictDay._meta.db_table)} "  # noqa: S608
            f"(campaign_id, district_id, day, {', '.join(COLUMNS)}) "
            f"SELECT campaign_id, district_id, day, {', '.join(f'SUM({c})' for c in COLUMNS)} "
            f"FROM {table} WHERE campaign_id = %s GROUP BY campaign_id, district_id, day",
            [campaign.pk],
        )
        cursor.execute(  # names and compiled ORM queries only: no outside input
            f"INSERT INTO {connection.ops.quote_name(SegmentDay._meta.db_table)} "  # noqa: S608
            "(campaign_id, unit_id, district_id, day, segment, activities, participants) "
            "SELECT %s, s.unit_id, CASE u.level WHEN 'district' THEN u.id "
            "WHEN 'station' THEN u.parent_id END, s.day, s.segment, s.activities, "
            f"s.participants FROM ({segment_sql}) s INNER JOIN {units} u ON u.id = s.unit_id",
            [campaign.pk, *segment_params],
        )
    city = _city_figures(campaign, now)
    run, _ = RollupRun.objects.update_or_create(
        campaign=campaign,
        defaults={
            "rebuilt_at": now,
            "seconds": round(time.monotonic() - started, 3),
            "rows": rows,
            **city,
        },
    )
    if actor is not None:
        audit_record(
            actor=actor,
            action="dashboard.rebuild",
            target=campaign,
            changes={"rows": [None, rows]},
            scope_path=campaign.issuer.path,
        )
    return run


def _city_figures(campaign, now: datetime) -> dict:
    """The campaign's ``CampaignDay`` rows (its ``DistrictDay`` summed per day, with the QR
    scans of its city's codes), and what ``RollupRun`` keeps of its city for the nation-wide
    dashboard: stations, listings, task progress, QR scans per channel since the start."""
    city = campaign.issuer.path
    days: dict = {}
    sums = {name: Sum(name) for name in COLUMNS}
    for row in (
        DistrictDay.objects.filter(campaign=campaign).values("day").annotate(**sums).order_by()
    ):
        day = row.pop("day")
        days[day] = {name: value or 0 for name, value in row.items()}
    # Scans within the campaign's period: a closed campaign's figures stay as they closed.
    scans = QrScanDay.objects.filter(
        link__unit__path__startswith=city, day__range=(campaign.starts_on, campaign.ends_on)
    )
    for day, n in scans.values_list("day").annotate(Sum("count")).order_by():
        days.setdefault(day, dict.fromkeys(COLUMNS, 0))["qr_scans"] = n
    CampaignDay.objects.bulk_create(
        CampaignDay(campaign=campaign, day=day, **figures) for day, figures in days.items()
    )
    channels = dict(
        scans.values_list("link__channel").annotate(Sum("count")).order_by("link__channel")
    )
    stations = Unit.objects.filter(path__startswith=city, level=Unit.Level.STATION)
    listings = StationListing.objects.filter(unit__path__startswith=city)
    fresh_since = timezone.localdate(now) - timedelta(days=STALE_AFTER_DAYS)
    tasks = TaskProgress.objects.filter(task__campaign=campaign).aggregate(
        n=Count("id"), done=Count("id", filter=Q(status=TaskProgress.Status.DONE))
    )
    return {
        "stations": stations.count(),
        "listings": listings.count(),
        "listings_complete": listings.complete().count(),
        "listings_fresh": listings.filter(last_verified_on__gte=fresh_since).count(),
        "tasks": tasks["n"],
        "tasks_done": tasks["done"],
        "qr_channels": channels,
    }


def rebuild_targets(now: datetime | None = None) -> list:
    """The campaigns the periodic job rebuilds: the current one and, in an installation
    serving several cities, each city's current campaign while it runs (from its first day to
    its summary deadline); the others keep their last rebuild (``dashboard_rebuild``)."""
    from shegong.campaigns.models import Campaign

    from .dashboard_national import current_campaigns

    today = timezone.localdate(now or timezone.now())
    current = Campaign.objects.current()
    targets = [current] if current is not None else []
    for campaign in current_campaigns().values():
        running = campaign.starts_on <= today <= campaign.summary_deadline
        if running and all(campaign.pk != other.pk for other in targets):
            targets.append(campaign)
    return targets


def rollup_ensure(*, campaign) -> RollupRun:
    """The campaign's last rebuild, rebuilding first when there has never been one."""
    run = RollupRun.objects.filter(campaign=campaign).first()
    return run or rollup_rebuild(campaign=campaign)
