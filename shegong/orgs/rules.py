"""The permission vocabulary of the whole platform: who is staff, who may change or record for
a unit, who works in it, who oversees it. Every app's ``rules.py`` composes these; none writes
its own copy. Visibility itself is ``visible_to(user)`` in the data layer
(``orgs.models.unit_scope_q``), whose query form matches ``can_change_unit``.
"""


def is_staff_member(user) -> bool:
    """A member of the bureau's staff with a unit role: city admins (and superusers), district
    officers, station workers. Judges and citizens are not."""
    return user.is_authenticated and (
        user.sees_everything or user.is_district_officer or user.is_station_worker
    )


def is_city_staff(user) -> bool:
    """The city bureau's admins (and superusers): they see and run everything."""
    return user.is_authenticated and user.sees_everything


def is_unit_staff(user) -> bool:
    """Staff who work from a unit's jurisdiction: the city (and superusers), or a district
    officer or station worker assigned a unit. Who opens the dashboard and the contest's
    entries; a district officer or station worker without a unit has nothing to show."""
    return user.is_authenticated and (
        user.sees_everything
        or (user.unit_id is not None and (user.is_district_officer or user.is_station_worker))
    )


def is_overseer(user) -> bool:
    """Staff who oversee units below their own: the city (and superusers) and district
    officers. Who set budget caps and review the summaries reported to them."""
    return user.is_authenticated and (user.sees_everything or user.is_district_officer)


def can_change_unit(user, unit) -> bool:
    """May ``user`` change ``unit``'s records: the city (and superusers) everything, a district
    officer their district and the stations under it, a station worker their own station."""
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


def can_record_for_unit(user, unit) -> bool:
    """May ``user`` record (and import) activities, coverage and cases for ``unit``.

    The decision (docs/architecture.md): a district officer records for their own unit and for
    the stations under it; a station worker for their own station only; the city for any unit.
    The activity form and the Excel import offer exactly these units.
    """
    return can_change_unit(user, unit)


def is_unit_member(user, unit) -> bool:
    """``user`` works in ``unit`` itself (superusers count as members of every unit): who
    submits its work for review and keeps its 投稿 and cases."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return user.unit_id == unit.pk and is_staff_member(user)


def is_above_unit(user, unit) -> bool:
    """``user`` oversees ``unit`` from a level above it: the city any unit, a district officer
    the stations under their district (not their own unit)."""
    if not user.is_authenticated:
        return False
    if user.sees_everything:
        return True
    return (
        user.is_district_officer
        and user.unit_id is not None
        and unit.pk != user.unit_id
        and unit.path.startswith(user.unit.path)
    )
