"""Who may do what to an activity, composed from the platform's vocabulary in
``shegong.orgs.rules``. Visibility itself is ``Activity.objects.visible_to(user)``."""

from shegong.orgs.models import Unit
from shegong.orgs.rules import can_record_for_unit, is_city_staff, is_staff_member, is_unit_member

__all__ = ["can_record_for_unit", "is_staff_member", "is_unit_member"]


def can_edit(user, activity) -> bool:
    """A draft or returned activity is corrected by its unit's staff, or by whoever recorded
    it for the unit (a district officer who recorded or imported it for a station); a
    district does not rewrite what a station recorded itself."""
    if not activity.is_editable:
        return False
    if is_unit_member(user, activity.unit):
        return True
    return activity.created_by_id == user.pk and can_record_for_unit(user, activity.unit)


def reviewer_unit(unit):
    """Stations are reviewed by their district, districts (and the city) by the city."""
    if unit.level == Unit.Level.STATION:
        return unit.parent
    root = unit
    while root.parent_id is not None:
        root = root.parent
    return root


def can_review(user, activity) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    if activity.unit.level == Unit.Level.STATION:
        return user.is_district_officer and user.unit_id == activity.unit.parent_id
    return user.is_city_admin


def can_feature(user, activity) -> bool:
    return can_review(user, activity) or is_city_staff(user)


def can_change_media(user, activity) -> bool:
    """Consent for photos is recorded by the unit's own staff, at any time."""
    return is_unit_member(user, activity.unit)


def can_add_media(user, activity) -> bool:
    """Photos and videos are added by the unit until its activity is approved: what the
    reviewer approved is what may be used in public, nothing added behind the review."""
    return is_unit_member(user, activity.unit) and activity.status in (
        activity.Status.DRAFT,
        activity.Status.SUBMITTED,
        activity.Status.RETURNED,
    )


def can_flag_minors(user, activity) -> bool:
    """Marking a photo as showing minors only ever blocks public use, so the reviewing unit
    may do it too (it sees the photos when it reviews)."""
    return is_unit_member(user, activity.unit) or can_review(user, activity)
