"""Permission predicates on units. Visibility itself is ``Unit.objects.visible_to(user)``."""


def can_change_unit(user, unit) -> bool:
    if not user.is_authenticated:
        return False
    if user.sees_everything:
        return True
    if user.unit_id is None:
        return False
    if user.is_district_officer:
        return unit.path.startswith(user.unit.path)
    if user.is_station_worker:
        return unit.pk == user.unit_id
    return False
