import csv
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

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


@transaction.atomic
def unit_update(*, actor, unit: Unit, contact_person: str, contact_phone: str) -> Unit:
    """Change a unit's contact details. Side effects: an audit entry with the changed fields."""
    data = {"contact_person": contact_person, "contact_phone": contact_phone}
    changes = changed_fields(unit, data)
    if changes:
        for name, value in data.items():
            setattr(unit, name, value)
        unit.save(update_fields=[*data, "updated_at"])
        audit_record(
            actor=actor, action="unit.update", target=unit, changes=changes, scope_path=unit.path
        )
    return unit
