"""Reads on the activity ledger: the filtered 台账, the budget report, public-usable media."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, Sum

from shegong.core.http import query_text
from shegong.orgs.models import Unit

from .models import Activity, ActivityMedia, Audience, BudgetCap, Focus

# A status filter of its own: what reports count as done (approved or featured), so the
# dashboard's figures link to exactly the activities they count.
REVIEWED = "reviewed"
REVIEWED_STATUSES = (Activity.Status.APPROVED, Activity.Status.FEATURED)


@dataclass
class LedgerFilter:
    status: str = ""
    # A unit's own activities, not its stations': ``unit``'s when given (the dashboard's links),
    # else the user's (被退回待修改的活动 on the console home).
    own: bool = False
    kind: str = ""
    unit: str = ""
    focus: str = ""
    audience: str = ""
    q: str = ""
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    flagged: bool = False
    campaign: str = ""
    # The console home's counters link here: 待审核的活动 (those this user must review, not
    # every submitted one they can see).
    to_review: bool = False

    @classmethod
    def from_query(cls, query) -> "LedgerFilter":
        def date(name):
            try:
                return datetime.date.fromisoformat(query.get(name, ""))
            except ValueError:
                return None

        return cls(
            status=query.get("status", "")
            if query.get("status") in (*Activity.Status.values, REVIEWED)
            else "",
            own=query.get("own") == "1",
            kind=query.get("kind", "") if query.get("kind") in Activity.Kind else "",
            unit=query_text(query, "unit", 20),
            focus=query.get("focus", "") if query.get("focus") in Focus else "",
            audience=query.get("audience", "") if query.get("audience") in Audience else "",
            q=query_text(query, "q", 100),
            date_from=date("date_from"),
            date_to=date("date_to"),
            flagged=query.get("flagged") == "1",
            campaign=query_text(query, "campaign", 60),
            to_review=query.get("to_review") == "1",
        )


def activity_ledger(user, f: LedgerFilter):
    """The 台账 as this user may see it, narrowed by the filter on screen."""
    qs = Activity.objects.visible_to(user).select_related("unit", "campaign")
    if f.status == REVIEWED:
        qs = qs.filter(status__in=REVIEWED_STATUSES)
    elif f.status:
        qs = qs.filter(status=f.status)
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.unit:
        unit = Unit.objects.filter(code=f.unit).first()
        if unit is None:
            qs = qs.none()
        else:
            qs = qs.filter(unit=unit) if f.own else qs.filter(unit__path__startswith=unit.path)
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
    if f.to_review:
        qs = qs.filter(pk__in=Activity.objects.awaiting_review_by(user).values("pk"))
    if f.own and not f.unit:
        qs = qs.filter(unit_id=user.unit_id)
    return qs


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
    """Spend per unit and campaign against plan and cap, for the units this user sees.

    One GROUP BY over the activities alone (no join for names or the order: a million rows
    joined to their units and campaigns took twice as long); names and order come after."""
    rows = list(
        Activity.objects.visible_to(user)
        .exclude(campaign=None)
        .order_by()
        .values("unit_id", "campaign_id")
        .annotate(
            planned=Sum("budget_planned"),
            spent=Sum("spend_actual"),
            over_plan=Count("id", filter=Q(over_plan=True)),
            over_cap=Count("id", filter=Q(over_cap=True)),
        )
    )
    caps = {(c.unit_id, c.campaign_id): c.amount for c in BudgetCap.objects.visible_to(user)}
    units = Unit.objects.in_bulk({row["unit_id"] for row in rows})
    campaign_model = Activity._meta.get_field("campaign").related_model
    names = dict(
        campaign_model.objects.filter(pk__in={row["campaign_id"] for row in rows}).values_list(
            "pk", "name"
        )
    )
    rows.sort(key=lambda row: (units[row["unit_id"]].path, row["campaign_id"]))
    return [
        BudgetRow(
            unit=units[row["unit_id"]],
            campaign_name=names[row["campaign_id"]],
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


# KPI providers for campaigns (AppConfig.campaign_kpis). Only reviewed work counts: an activity
# is counted once its reviewing unit has approved it.
def _reviewed_activities(campaign):
    return Activity.objects.filter(
        campaign=campaign, status__in=[Activity.Status.APPROVED, Activity.Status.FEATURED]
    )


def kpi_activities(campaign) -> int:
    return _reviewed_activities(campaign).count()


def kpi_participants(campaign) -> int:
    return _reviewed_activities(campaign).aggregate(n=Sum("participants"))["n"] or 0


def kpi_media_reports(campaign) -> int:
    """Media reports published between the campaign's first day and its summary deadline."""
    from .models import MediaCoverage

    return MediaCoverage.objects.filter(
        published_on__range=(campaign.starts_on, campaign.summary_deadline)
    ).count()


def activity_not_held_hint(activity, *, risk, can_edit: bool) -> str:
    """Why an activity that reports participants is not recorded as held, and what to do:
    the "（未登记举办）" a clerk could not act on."""
    if activity.held or not (activity.participants or activity.volunteers):
        return ""
    fix = "点“修改”勾选“已举办”并保存" if can_edit else "由本单位在“修改”中勾选“已举办”"
    if not activity.is_editable:
        fix = "活动已提交或审核通过，不能再修改；确已举办的，请在总结中说明"
    if activity.needs_risk_assessment and risk is None:
        missing = "现场活动须先完成风险评估（见下方“风险评估”），才能登记为已举办"
        return f"已填写参与人数，但尚未登记为“已举办”：{missing}；之后{fix}。"
    if activity.needs_risk_assessment and not risk.is_cleared:
        missing = "风险等级为“高”，须经上级批准风险评估后才能登记为已举办"
        return f"已填写参与人数，但尚未登记为“已举办”：{missing}；批准后{fix}。"
    return f"已填写参与人数，但尚未登记为“已举办”：{fix}。"
