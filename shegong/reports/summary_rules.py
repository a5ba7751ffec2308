"""Who may write, review and plan summaries: compositions of ``orgs.rules``."""

from shegong.orgs.models import Unit
from shegong.orgs.rules import can_change_unit, is_city_staff, is_staff_member, is_unit_member


def can_use_summaries(user) -> bool:
    return is_staff_member(user)


def can_write_summary(user, unit: Unit) -> bool:
    """A unit's own staff write its summary; the city admin writes the city's report."""
    if not can_change_unit(user, unit):
        return False
    if unit.level == Unit.Level.CITY:
        return user.sees_everything
    return is_unit_member(user, unit)


def can_review_summary(user, duty) -> bool:
    """The unit a summary is owed to reviews it: the city admin for districts, the district
    officer for their stations."""
    if duty is None or not user.is_authenticated:
        return False
    if duty.reports_to.level == Unit.Level.CITY:
        return user.sees_everything
    return user.is_district_officer and is_unit_member(user, duty.reports_to)


def can_plan_reporting(user) -> bool:
    return is_city_staff(user)
