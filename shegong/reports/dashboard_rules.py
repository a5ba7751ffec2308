"""Who may open the dashboard: anyone with a unit's jurisdiction (city, district, station)."""


def can_view_dashboard(user) -> bool:
    if not user.is_authenticated:
        return False
    return bool(
        user.sees_everything
        or (user.unit_id and (user.is_district_officer or user.is_station_worker))
    )
