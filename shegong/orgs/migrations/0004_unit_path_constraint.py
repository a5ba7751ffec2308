import django.db.models.functions.text
from django.db import migrations, models


def recompute_paths(apps, schema_editor):
    """Units added or moved in the admin before paths were computed by ``orgs.services`` may
    have an empty or stale path: rebuild every path from the parents, top down."""
    Unit = apps.get_model("orgs", "Unit")
    units = {unit.pk: unit for unit in Unit.objects.all()}

    def path_of(unit, seen=()):
        if unit.parent_id is None or unit.parent_id in seen:
            return f"{unit.code}/"
        return f"{path_of(units[unit.parent_id], (*seen, unit.pk))}{unit.code}/"

    for unit in units.values():
        path = path_of(unit)
        if unit.path != path:
            Unit.objects.filter(pk=unit.pk).update(path=path)


class Migration(migrations.Migration):
    dependencies = [
        ("orgs", "0003_unit_area_name_en"),
    ]

    operations = [
        migrations.RunPython(recompute_paths, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="unit",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("code", ""), _negated=True),
                    (
                        "path__endswith",
                        django.db.models.functions.text.Concat(
                            models.F("code"), models.Value("/")
                        ),
                    ),
                ),
                name="unit_path_ends_with_code",
            ),
        ),
    ]
