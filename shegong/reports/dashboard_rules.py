"""Who may open the dashboard: anyone with a unit's jurisdiction (city, district, station)."""

from shegong.orgs.rules import is_unit_staff


def can_view_dashboard(user) -> bool:
    return is_unit_staff(user)
