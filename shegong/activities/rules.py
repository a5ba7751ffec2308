"""Who may do what to an activity. Visibility itself is ``Activity.objects.visible_to(user)``."""


def is_staff_member(user) -> bool:
    return user.is_authenticated and (
        user.sees_everything or user.is_district_officer or user.is_station_worker
    )


def is_member_of(user, unit) -> bool:
    """The unit's own staff: its workers, officers or (for the city bureau) city admins."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return user.unit_id == unit.pk and not user.is_judge


def can_record_for(user, unit) -> bool:
    """A unit's activities are recorded by its own staff."""
    return is_member_of(user, unit)


def can_edit(user, activity) -> bool:
    return is_member_of(user, activity.unit) and activity.is_editable


def reviewer_unit(unit):
    """Stations are reviewed by their district, districts (and the city) by the city."""
    if unit.level == "station":
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
    if activity.unit.level == "station":
        return user.is_district_officer and user.unit_id == activity.unit.parent_id
    return user.is_city_admin


def can_feature(user, activity) -> bool:
    return can_review(user, activity) or (user.is_authenticated and user.sees_everything)


def can_change_media(user, activity) -> bool:
    """Consent for photos is recorded by the unit's own staff, at any time."""
    return is_member_of(user, activity.unit)


def can_add_media(user, activity) -> bool:
    """Photos and videos are added by the unit until its activity is approved: what the
    reviewer approved is what may be used in public, nothing added behind the review."""
    return is_member_of(user, activity.unit) and activity.status in (
        activity.Status.DRAFT,
        activity.Status.SUBMITTED,
        activity.Status.RETURNED,
    )


def can_flag_minors(user, activity) -> bool:
    """Marking a photo as showing minors only ever blocks public use, so the reviewing unit
    may do it too (it sees the photos when it reviews)."""
    return is_member_of(user, activity.unit) or can_review(user, activity)
