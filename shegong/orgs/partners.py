"""Services on the partner registry (五社 and institutions). Each write has an audit entry."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from shegong.core.audit import audit_record, changed_fields

from .models import Partner, Unit
from .rules import can_change_unit

PARTNER_FIELDS = ("name", "kind", "contact_person", "contact_phone", "address", "note", "is_active")


def can_change_partner(user, partner: Partner) -> bool:
    """Members of the owning unit, its district officers and city admins keep a registry."""
    return can_change_unit(user, partner.unit)


def _duplicate_name(name: str) -> ValidationError:
    return ValidationError({"name": f"本单位名录中已有“{name}”。"})


def _check_unique(*, unit: Unit, name: str, exclude_pk=None) -> None:
    same = Partner.objects.filter(unit=unit, name=name)
    if exclude_pk:
        same = same.exclude(pk=exclude_pk)
    if same.exists():
        raise _duplicate_name(name)


def _save(partner: Partner) -> None:
    """Save, turning a same-name insert that won a race past the check into the same message."""
    try:
        with transaction.atomic():
            partner.save()
    except IntegrityError as error:
        if (
            Partner.objects.filter(unit=partner.unit, name=partner.name)
            .exclude(pk=partner.pk)
            .exists()
        ):
            raise _duplicate_name(partner.name) from error
        raise


@transaction.atomic
def partner_create(
    *,
    actor,
    unit: Unit,
    name: str,
    kind: str,
    contact_person: str = "",
    contact_phone: str = "",
    address: str = "",
    note: str = "",
    is_active: bool = True,
    is_demo: bool = False,
) -> Partner:
    """Add a partner to ``unit``'s registry. Side effects: an audit entry."""
    _check_unique(unit=unit, name=name)
    partner = Partner(
        unit=unit,
        name=name,
        kind=kind,
        contact_person=contact_person,
        contact_phone=contact_phone,
        address=address,
        note=note,
        is_active=is_active,
        is_demo=is_demo,
    )
    partner.full_clean()
    _save(partner)
    audit_record(
        actor=actor,
        action="partner.create",
        target=partner,
        changes={"name": [None, name], "kind": [None, kind]},
        scope_path=unit.path,
    )
    return partner


@transaction.atomic
def partner_update(*, actor, partner: Partner, **data) -> Partner:
    """Change a partner's details. Side effects: an audit entry with the changed fields."""
    data = {key: value for key, value in data.items() if key in PARTNER_FIELDS}
    if "name" in data:
        _check_unique(unit=partner.unit, name=data["name"], exclude_pk=partner.pk)
    changes = changed_fields(partner, data)
    for key, value in data.items():
        setattr(partner, key, value)
    partner.full_clean()
    _save(partner)
    audit_record(
        actor=actor,
        action="partner.update",
        target=partner,
        changes=changes,
        scope_path=partner.unit.path,
    )
    return partner
