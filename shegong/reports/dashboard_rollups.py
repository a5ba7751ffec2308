"""Writes of the dashboard's roll-ups: rebuild one campaign's ``UnitDay`` rows from the source
tables (activities, media reports, 投稿, help requests).

A rebuild replaces the campaign's rows in one transaction, so a dashboard never reads half a
rebuild. It runs from the periodic job (``ReportsConfig.periodic``, every few minutes), from
``manage.py dashboard_rebuild`` and on a campaign's first dashboard view. Every write, edit and
deletion of a source row is therefore on the dashboard after the next run.
"""

import time
from collections import defaultdict
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from shegong.activities.models import Activity, MediaCoverage, Submission
from shegong.core.audit import audit_record
from shegong.helpdesk.models import HelpRequest
from shegong.orgs.models import Unit

from .models import RollupRun, UnitDay

REVIEWED = (Activity.Status.APPROVED, Activity.Status.FEATURED)
ADOPTED = (Submission.Status.ADOPTED, Submission.Status.PUBLISHED)
BATCH = 5000


def _district_of_units() -> dict[int, int | None]:
    """``{unit id: id of its district-level unit}`` (``None`` for the city level)."""
    mapping = {}
    for pk, level, parent_id in Unit.objects.values_list("pk", "level", "parent_id"):
        if level == Unit.Level.DISTRICT:
            mapping[pk] = pk
        elif level == Unit.Level.STATION:
            mapping[pk] = parent_id
        else:
            mapping[pk] = None
    return mapping


def _figures(campaign, now: datetime) -> dict[tuple[int, object], dict]:
    """``{(unit id, day): {column: value}}`` from one grouped query per source table."""
    rows: dict[tuple[int, object], dict] = defaultdict(dict)
    activities = (
        Activity.objects.filter(campaign=campaign, status__in=REVIEWED)
        .annotate(day=TruncDate("starts_at"))
        .values("unit_id", "day")
        .annotate(activities=Count("id"), participants=Sum("participants"))
        .order_by()
    )
    for row in activities:
        rows[(row.pop("unit_id"), row.pop("day"))].update(row)
    period = (campaign.starts_on, campaign.summary_deadline)
    media = (
        MediaCoverage.objects.filter(published_on__range=period)
        .values("unit_id", "published_on")
        .annotate(media_reports=Count("id"))
        .order_by()
    )
    for row in media:
        rows[(row.pop("unit_id"), row.pop("published_on"))].update(row)
    submissions = (
        Submission.objects.filter(submitted_on__range=period)
        .values("unit_id", "submitted_on")
        .annotate(
            submissions=Count("id"), submissions_adopted=Count("id", filter=Q(status__in=ADOPTED))
        )
        .order_by()
    )
    for row in submissions:
        rows[(row.pop("unit_id"), row.pop("submitted_on"))].update(row)
    response = ExpressionWrapper(F("first_response_at") - F("created_at"), DurationField())
    responded = Q(first_response_at__isnull=False)

    def within(hours):
        return Count(
            "id", filter=Q(first_response_at__lte=F("created_at") + timedelta(hours=hours))
        )

    help_requests = (
        HelpRequest.objects.filter(campaign=campaign)
        .annotate(day=TruncDate("created_at"))
        .values("unit_id", "day")
        .annotate(
            help_requests=Count("id"),
            help_responded=Count("id", filter=responded),
            help_on_time=Count("id", filter=Q(first_response_at__lte=F("respond_by"))),
            help_response=Sum(response, filter=responded),
            help_within_4h=within(4),
            help_within_24h=within(24),
            help_within_72h=within(72),
            help_overdue=Count(
                "id",
                filter=Q(
                    first_response_at__isnull=True,
                    status=HelpRequest.Status.NEW,
                    respond_by__lt=now,
                ),
            ),
        )
        .order_by()
    )
    for row in help_requests:
        spent = row.pop("help_response")
        row["help_response_seconds"] = round(spent.total_seconds()) if spent else 0
        rows[(row.pop("unit_id"), row.pop("day"))].update(row)
    return rows


@transaction.atomic
def rollup_rebuild(*, campaign, now: datetime | None = None, actor=None) -> RollupRun:
    """Replace ``campaign``'s roll-up rows with figures computed from the source tables.

    Side effects: the campaign's ``UnitDay`` rows deleted and written again, its ``RollupRun``
    updated; an audit entry ``dashboard.rebuild`` only when a person (``actor``) asked for it
    (the periodic job would fill the log).
    """
    started = time.monotonic()
    now = now or timezone.now()
    figures = _figures(campaign, now)
    districts = _district_of_units()
    UnitDay.objects.filter(campaign=campaign).delete()
    UnitDay.objects.bulk_create(
        (
            UnitDay(
                campaign=campaign,
                unit_id=unit_id,
                district_id=districts.get(unit_id),
                day=day,
                **row,
            )
            for (unit_id, day), row in figures.items()
        ),
        batch_size=BATCH,
    )
    run, _ = RollupRun.objects.update_or_create(
        campaign=campaign,
        defaults={
            "rebuilt_at": now,
            "seconds": round(time.monotonic() - started, 3),
            "rows": len(figures),
        },
    )
    if actor is not None:
        audit_record(
            actor=actor,
            action="dashboard.rebuild",
            target=campaign,
            changes={"rows": [None, len(figures)]},
            scope_path=campaign.issuer.path,
        )
    return run


def rollup_ensure(*, campaign) -> RollupRun:
    """The campaign's last rebuild, rebuilding first when there has never been one."""
    run = RollupRun.objects.filter(campaign=campaign).first()
    return run or rollup_rebuild(campaign=campaign)
