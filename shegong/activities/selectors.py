"""Reads on the activity ledger: the filtered 台账, the budget report, public-usable media."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, Sum

from shegong.orgs.models import Unit

from .models import Activity, ActivityMedia, Audience, BudgetCap, Focus


@dataclass
class LedgerFilter:
    status: str = ""
    kind: str = ""
    unit: str = ""
    focus: str = ""
    audience: str = ""
    q: str = ""
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    flagged: bool = False
    campaign: str = ""

    @classmethod
    def from_query(cls, query) -> "LedgerFilter":
        def date(name):
            try:
                return datetime.date.fromisoformat(query.get(name, ""))
            except ValueError:
                return None

        return cls(
            status=query.get("status", "") if query.get("status") in Activity.Status else "",
            kind=query.get("kind", "") if query.get("kind") in Activity.Kind else "",
            unit=query.get("unit", "").strip()[:20],
            focus=query.get("focus", "") if query.get("focus") in Focus else "",
            audience=query.get("audience", "") if query.get("audience") in Audience else "",
            q=query.get("q", "").strip()[:100],
            date_from=date("date_from"),
            date_to=date("date_to"),
            flagged=query.get("flagged") == "1",
            campaign=query.get("campaign", "").strip()[:60],
        )


def activity_ledger(user, f: LedgerFilter):
    """The 台账 as this user may see it, narrowed by the filter on screen."""
    qs = Activity.objects.visible_to(user).select_related("unit", "campaign")
    if f.status:
        qs = qs.filter(status=f.status)
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.unit:
        unit = Unit.objects.filter(code=f.unit).first()
        qs = qs.filter(unit__path__startswith=unit.path) if unit else qs.none()
    if f.focus:
        qs = qs.with_focus(f.focus)
    if f.audience:
        qs = qs.with_audience(f.audience)
    if f.q:
        qs = qs.filter(Q(title__icontains=f.q) | Q(place__icontains=f.q))
    if f.date_from:
        qs = qs.filter(starts_at__date__gte=f.date_from)
    if f.date_to:
        qs = qs.filter(starts_at__date__lte=f.date_to)
    if f.flagged:
        qs = qs.flagged()
    if f.campaign:
        qs = qs.filter(campaign__slug=f.campaign)
    return qs


def activity_totals(qs) -> dict:
    return qs.aggregate(
        count=Count("id"),
        participants=Sum("participants"),
        volunteers=Sum("volunteers"),
        reach=Sum("views") + Sum("live_viewers") + Sum("reads"),
        planned=Sum("budget_planned"),
        spent=Sum("spend_actual"),
    )


@dataclass
class BudgetRow:
    unit: Unit
    campaign_name: str
    cap: Decimal | None
    planned: Decimal
    spent: Decimal
    over_plan: int
    over_cap: int

    @property
    def is_over_cap(self) -> bool:
        return self.cap is not None and self.spent > self.cap


def budget_report(user) -> list[BudgetRow]:
    """Spend per unit and campaign against plan and cap, for the units this user sees."""
    rows = (
        Activity.objects.visible_to(user)
        .exclude(campaign=None)
        .values("unit_id", "campaign_id", "campaign__name")
        .annotate(
            planned=Sum("budget_planned"),
            spent=Sum("spend_actual"),
            over_plan=Count("id", filter=Q(over_plan=True)),
            over_cap=Count("id", filter=Q(over_cap=True)),
        )
        .order_by("unit__path", "campaign_id")
    )
    rows = list(rows)
    caps = {(c.unit_id, c.campaign_id): c.amount for c in BudgetCap.objects.visible_to(user)}
    units = Unit.objects.in_bulk({row["unit_id"] for row in rows})
    return [
        BudgetRow(
            unit=units[row["unit_id"]],
            campaign_name=row["campaign__name"],
            cap=caps.get((row["unit_id"], row["campaign_id"])),
            planned=row["planned"] or Decimal("0"),
            spent=row["spent"] or Decimal("0"),
            over_plan=row["over_plan"],
            over_cap=row["over_cap"],
        )
        for row in rows
    ]


def media_for_public(activity: Activity) -> list[ActivityMedia]:
    """The photos and videos of an activity that may leave the console: the activity is
    approved and every minor shown has a guardian's consent on record."""
    if activity.status not in (Activity.Status.APPROVED, Activity.Status.FEATURED):
        return []
    return list(activity.media.filter(Q(shows_minors=False) | Q(consent_recorded_at__isnull=False)))


def activities_awaiting(user):
    return Activity.objects.awaiting_review_by(user)
