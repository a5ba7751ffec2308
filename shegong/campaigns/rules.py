"""Permission predicates of the campaigns app. Visibility is the QuerySets' ``visible_to``."""


def can_change_campaign(user, campaign) -> bool:
    return user.is_authenticated and user.sees_everything


def can_update_progress(user, progress) -> bool:
    """A unit reports its own progress; district officers read, not write, their stations'."""
    if not user.is_authenticated:
        return False
    if user.sees_everything:
        return True
    return (
        user.unit_id is not None
        and progress.unit_id == user.unit_id
        and (user.is_district_officer or user.is_station_worker)
    )
