"""Who may write, review and plan summaries. Built on ``orgs.rules.can_change_unit``."""

from shegong.orgs.models import Unit
from shegong.orgs.rules import can_change_unit


def can_use_summaries(user) -> bool:
    return user.is_authenticated and (
        user.sees_everything or user.is_district_officer or user.is_station_worker
    )


def can_write_summary(user, unit: Unit) -> bool:
    """A unit's own staff write its summary; the city admin writes the city's report."""
    if not can_change_unit(user, unit):
        return False
    if unit.level == Unit.Level.CITY:
        return user.sees_everything
    return user.unit_id == unit.pk


def can_review_summary(user, duty) -> bool:
    """The unit a summary is owed to reviews it: the city admin for districts, the district
    officer for their stations."""
    if duty is None or not user.is_authenticated:
        return False
    if duty.reports_to.level == Unit.Level.CITY:
        return user.sees_everything
    return user.is_district_officer and user.unit_id == duty.reports_to_id


def can_plan_reporting(user) -> bool:
    return user.is_authenticated and user.sees_everything
