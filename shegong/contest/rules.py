"""Who may do what in the story contest."""

from shegong.orgs.rules import can_change_unit, is_city_staff, is_unit_staff


def can_manage_contest(user) -> bool:
    """The call, the panel, the decisions: the city admin's."""
    return is_city_staff(user)


def can_enter_for_unit(user) -> bool:
    """Staff of a unit enter stories on behalf of a colleague or a service user."""
    return is_unit_staff(user) and user.unit_id is not None


def can_see_entries(user) -> bool:
    return is_unit_staff(user)


def can_change_entry(user, entry) -> bool:
    """The entering unit (and units above it) or the city admin."""
    if not user.is_authenticated or user.is_judge:
        return False
    if user.sees_everything:
        return True
    return entry.unit_id is not None and can_change_unit(user, entry.unit)


def is_judge(user) -> bool:
    return user.is_authenticated and user.is_judge
