"""Who may do what with a help request. Visibility itself is ``HelpRequest.objects.visible_to``."""


def can_handle(user, request) -> bool:
    """Change the request: its assigned unit, or the district above it. The city only audits."""
    if not user.is_authenticated or user.unit_id is None:
        return False
    if user.is_station_worker:
        return request.unit_id == user.unit_id
    if user.is_district_officer:
        return request.unit.path.startswith(user.unit.path)
    return False


def can_read_access_log(user) -> bool:
    return user.is_authenticated and user.sees_everything


def can_use_queue(user) -> bool:
    return user.is_authenticated and (
        user.sees_everything or user.is_district_officer or user.is_station_worker
    )
