"""Who may do what with a help request. Visibility itself is ``HelpRequest.objects.visible_to``."""

from shegong.orgs.rules import can_change_unit


def can_handle(user, request) -> bool:
    """Change the request: its assigned unit, or the district above it. The city only audits."""
    return not user.sees_everything and can_change_unit(user, request.unit)


def can_read_access_log(user) -> bool:
    return user.is_authenticated and user.sees_everything
