"""Who may do what with a help request. Visibility itself is ``HelpRequest.objects.visible_to``."""

from shegong.orgs.rules import can_change_unit, is_city_staff


def can_handle(user, request) -> bool:
    """Change the request: its assigned unit, or the district above it. The city only audits."""
    return not user.sees_everything and can_change_unit(user, request.unit)


def can_read_access_log(user) -> bool:
    return is_city_staff(user)


def can_refer_to(user, request, unit) -> bool:
    """Where a request may be referred, so its contact details reach only units that should
    have them: anywhere inside the district it is in (its district bureau or any of its
    stations); across districts only from one district bureau to another, which then routes
    it to its own station. A station never hands a citizen's phone to another district's
    station directly."""
    district = request.unit.district
    if district is not None and unit.path.startswith(district.path):
        return True
    return user.is_district_officer and unit.level == unit.Level.DISTRICT


def actions_allowed(user, request) -> list[str]:
    """The actions the detail page offers: none to those who may not handle the request, and
    only those its state allows (``HelpRequest.ACTIONS_FROM``, which the services enforce)."""
    if not can_handle(user, request):
        return []
    return [action for action, states in request.ACTIONS_FROM.items() if request.status in states]
