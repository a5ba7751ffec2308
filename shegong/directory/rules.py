"""Permission predicates of the directory. Visibility itself is ``visible_to(user)``."""

from shegong.orgs.rules import can_change_unit, is_city_staff


def can_change_listing(user, listing) -> bool:
    return can_change_unit(user, listing.unit)


def can_change_qrlink(user, link) -> bool:
    return can_change_unit(user, link.unit)


def can_change_brand(user) -> bool:
    return is_city_staff(user)
