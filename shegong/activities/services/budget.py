"""Budgets: the over-plan and over-cap flags, and the caps units above set."""

from decimal import Decimal

from django.db import transaction

from shegong.core.audit import audit_record
from shegong.orgs.rules import is_above_unit

from ..models import (
    Activity,
    BudgetCap,
)
from ._base import _refuse

# --- budget ----------------------------------------------------------------------------------


def budget_recompute(*, unit_id: int, campaign_id: int | None) -> None:
    """Flag a unit's activities in a campaign: spend over plan, and the activities whose
    spending took the unit past its cap (in date order)."""
    rows = list(
        Activity.objects.filter(unit_id=unit_id, campaign_id=campaign_id)
        .order_by("starts_at", "id")
        .values_list("id", "budget_planned", "spend_actual", "over_plan", "over_cap")
    )
    cap = None
    if campaign_id is not None:
        cap = (
            BudgetCap.objects.filter(unit_id=unit_id, campaign_id=campaign_id)
            .values_list("amount", flat=True)
            .first()
        )
    running = Decimal("0")
    changed: dict[tuple[bool, bool], list[int]] = {}
    for pk, planned, spent, was_over_plan, was_over_cap in rows:
        running += spent
        flags = (spent > planned, cap is not None and running > cap)
        if flags != (was_over_plan, was_over_cap):
            changed.setdefault(flags, []).append(pk)
    # At most four plain UPDATEs, one per combination of flags, whatever the number of rows.
    for (over_plan, over_cap), ids in changed.items():
        for start in range(0, len(ids), 900):
            Activity.objects.filter(pk__in=ids[start : start + 900]).update(
                over_plan=over_plan, over_cap=over_cap
            )


@transaction.atomic
def budgetcap_set(*, actor, unit, campaign, amount: Decimal) -> BudgetCap:
    """Set the most ``unit`` may spend on ``campaign``. Only a unit above it sets the cap.
    Side effects: audit entry; the unit's activities re-flagged."""
    if not is_above_unit(actor, unit):
        _refuse("只有上级单位可以设置经费上限。")
    if amount < 0:
        _refuse("经费上限不能为负数。")
    cap, created = BudgetCap.objects.get_or_create(
        unit=unit, campaign=campaign, defaults={"amount": amount}
    )
    old = None if created else cap.amount
    if not created:
        cap.amount = amount
        cap.save(update_fields=["amount", "updated_at"])
    audit_record(
        actor=actor,
        action="activity.budget_cap",
        target=unit,
        changes={"amount": [str(old) if old is not None else None, str(amount)]},
        scope_path=unit.path,
    )
    budget_recompute(unit_id=unit.pk, campaign_id=campaign.pk)
    return cap
