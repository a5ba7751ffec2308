import csv
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Value
from django.db.models.functions import Concat, Substr

from shegong.core.audit import audit_record, changed_fields

from .models import Unit

DIVISIONS_CSV = Path(__file__).resolve().parent.parent.parent / "data" / "haikou-divisions.csv"

# How a unit is named from the division it serves. Data, not code: another city's tree loads
# through the same rules.
CITY_BUREAU_SUFFIX = "民政局"
DISTRICT_BUREAU_SUFFIX = "民政局"
STATION_SUFFIX = "社工站"


@dataclass(frozen=True)
class Division:
    code: str
    name: str
    kind: str
    parent_code: str


def divisions_read(path: Path = DIVISIONS_CSV) -> list[Division]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            Division(
                code=row["code"].strip(),
                name=row["name"].strip(),
                kind=row["kind"].strip(),
                parent_code=row["parent_code"].strip(),
            )
            for row in csv.DictReader(handle)
        ]


def english_names_read(path: Path) -> dict[str, str]:
    """English area names kept beside a division list as ``<list>-en.csv`` (code, name_en);
    optional: without it the public pages show the Chinese names."""
    english = path.with_name(f"{path.stem}-en.csv")
    if not english.exists():
        return {}
    with english.open(encoding="utf-8", newline="") as handle:
        return {row["code"].strip(): row["name_en"].strip() for row in csv.DictReader(handle)}


def _zone_office_name(name: str) -> str:
    # "海口桂林洋经济开发区（农场）" → "桂林洋经济开发区社会事业管理科", as the notice addresses it.
    short = name.split("（", 1)[0]
    for prefix in ("海口",):
        short = short.removeprefix(prefix)
    return f"{short}社会事业管理科"


@transaction.atomic
def units_load_divisions(*, path: Path = DIVISIONS_CSV, zone_station_demo: bool = True) -> int:
    """Create or update the unit tree from a statistical division list. Idempotent.

    The city gets its bureau, each district its bureau, each street or town its social-work
    station. A development zone becomes a district-level unit under the city (it is addressed
    as a recipient of its own) that remembers the district it lies in; its station, whose
    existence is not documented, is created only as demo data.

    Returns the number of units in the tree.
    """
    divisions = divisions_read(path)
    english = english_names_read(path)
    by_code = {division.code: division for division in divisions}
    city = next(d for d in divisions if d.kind == "city")

    def upsert(*, code, division, name, level, parent, located_in_code="", is_demo=False):
        unit_path = f"{parent.path if parent else ''}{code}/"
        unit, _ = Unit.objects.update_or_create(
            code=code,
            defaults={
                "division_code": division.code,
                "name": name,
                "area_name": division.name,
                "area_name_en": english.get(division.code, ""),
                "area_kind": division.kind,
                "level": level,
                "parent": parent,
                "path": unit_path,
                "located_in_code": located_in_code,
                "is_demo": is_demo,
            },
        )
        return unit

    city_unit = upsert(
        code=city.code,
        division=city,
        name=f"{city.name}{CITY_BUREAU_SUFFIX}",
        level=Unit.Level.CITY,
        parent=None,
    )
    district_units = {}
    for division in divisions:
        if division.kind == "district":
            district_units[division.code] = upsert(
                code=division.code,
                division=division,
                name=f"{division.name}{DISTRICT_BUREAU_SUFFIX}",
                level=Unit.Level.DISTRICT,
                parent=city_unit,
            )
    for division in divisions:
        if division.kind in ("street", "town"):
            upsert(
                code=division.code,
                division=division,
                name=f"{division.name}{STATION_SUFFIX}",
                level=Unit.Level.STATION,
                parent=district_units[division.parent_code],
            )
        elif division.kind == "development_zone":
            zone = upsert(
                code=division.code,
                division=division,
                name=_zone_office_name(division.name),
                level=Unit.Level.DISTRICT,
                parent=city_unit,
                located_in_code=by_code[division.parent_code].code,
            )
            if zone_station_demo:
                upsert(
                    code=f"{division.code}-1",
                    division=division,
                    name=f"{division.name.split('（', 1)[0].removeprefix('海口')}{STATION_SUFFIX}",
                    level=Unit.Level.STATION,
                    parent=zone,
                    is_demo=True,
                )
    return Unit.objects.count()


# The fields of a unit that change without touching the tree (its code, level and parent do).
UNIT_DETAIL_FIELDS = (
    "division_code",
    "name",
    "area_name",
    "area_name_en",
    "area_kind",
    "located_in_code",
    "contact_person",
    "contact_phone",
    "is_demo",
)

# Which level a unit's parent must have: the tree is city → district → station, nothing else.
PARENT_LEVEL = {
    Unit.Level.CITY: None,
    Unit.Level.DISTRICT: Unit.Level.CITY,
    Unit.Level.STATION: Unit.Level.DISTRICT,
}


def unit_placement_errors(*, level: str, parent: Unit | None) -> dict[str, str]:
    """Why a unit of ``level`` cannot sit under ``parent`` ({} when it can). Forms (the admin's
    included) show these before the services refuse them."""
    wanted = PARENT_LEVEL.get(level)
    if level not in PARENT_LEVEL:
        return {"level": "请选择有效的层级。"}
    if wanted is None and parent is not None:
        return {"parent": "市级单位没有上级单位。"}
    if wanted is not None and (parent is None or parent.level != wanted):
        return {
            "parent": f"{Unit.Level(level).label}的上级单位必须是{Unit.Level(wanted).label}单位。"
        }
    return {}


def _check_placement(*, level: str, parent: Unit | None) -> None:
    errors = unit_placement_errors(level=level, parent=parent)
    if errors:
        raise ValidationError(errors)


def _tree_path(*, code: str, parent: Unit | None) -> str:
    return f"{parent.path if parent else ''}{code}/"


@transaction.atomic
def unit_create(
    *,
    actor,
    code: str,
    level: str,
    parent: Unit | None,
    name: str,
    area_name: str,
    area_kind: str,
    division_code: str = "",
    area_name_en: str = "",
    located_in_code: str = "",
    contact_person: str = "",
    contact_phone: str = "",
    is_demo: bool = False,
) -> Unit:
    """Add a unit to the tree under ``parent``. Its ``path`` is computed here and nowhere else
    (so scoping by ``path__startswith`` can never be handed an empty prefix).

    Side effects: an audit entry ``unit.create``.
    """
    _check_placement(level=level, parent=parent)
    unit = Unit(
        code=code,
        division_code=division_code or code,
        name=name,
        area_name=area_name,
        area_name_en=area_name_en,
        area_kind=area_kind,
        level=level,
        parent=parent,
        path=_tree_path(code=code, parent=parent),
        located_in_code=located_in_code,
        contact_person=contact_person,
        contact_phone=contact_phone,
        is_demo=is_demo,
    )
    unit.full_clean()
    unit.save()
    audit_record(
        actor=actor,
        action="unit.create",
        target=unit,
        changes={"path": [None, unit.path], "level": [None, level]},
        scope_path=unit.path,
    )
    return unit


@transaction.atomic
def unit_move(*, actor, unit: Unit, parent: Unit) -> Unit:
    """Put ``unit`` (and everything under it) under ``parent``.

    Side effects: the ``path`` of the unit and of every unit in its subtree rewritten in one
    UPDATE, so what their users see follows at once; an audit entry ``unit.move`` in the old
    parent's scope and one in the new parent's, so both districts' officers read it.
    """
    _check_placement(level=unit.level, parent=parent)
    if unit.parent_id == parent.pk:
        return unit
    old_path = unit.path
    old_parent = unit.parent
    new_path = _tree_path(code=unit.code, parent=parent)
    Unit.objects.filter(path__startswith=old_path).update(
        path=Concat(Value(new_path), Substr("path", len(old_path) + 1))
    )
    Unit.objects.filter(pk=unit.pk).update(parent=parent)
    unit.refresh_from_db()
    changes = {"parent": [str(old_parent), str(parent)], "path": [old_path, new_path]}
    for scope in (old_parent.path, parent.path):
        audit_record(
            actor=actor, action="unit.move", target=unit, changes=changes, scope_path=scope
        )
    return unit


@transaction.atomic
def unit_update(*, actor, unit: Unit, **data) -> Unit:
    """Change a unit's details (``UNIT_DETAIL_FIELDS``: contact details, names …; never its
    place in the tree, which is ``unit_move``). Side effects: an audit entry with the changed
    fields."""
    unknown = set(data) - set(UNIT_DETAIL_FIELDS)
    if unknown:
        raise TypeError(f"unit_update() cannot change {sorted(unknown)}")
    changes = changed_fields(unit, data)
    if changes:
        for name, value in data.items():
            setattr(unit, name, value)
        unit.full_clean()
        unit.save(update_fields=[*data, "updated_at"])
        audit_record(
            actor=actor, action="unit.update", target=unit, changes=changes, scope_path=unit.path
        )
    return unit
