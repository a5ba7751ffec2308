"""Permission predicates of the campaigns app. Visibility is the QuerySets' ``visible_to``."""

from shegong.orgs.rules import is_city_staff, is_staff_member


def can_change_campaign(user, campaign) -> bool:
    return is_city_staff(user)


def can_update_progress(user, progress) -> bool:
    """A unit reports its own progress; district officers read, not write, their stations'."""
    return is_staff_member(user) and (user.sees_everything or progress.unit_id == user.unit_id)
