from django.apps import AppConfig

from .rules import is_staff_member


def _oversees_units(user) -> bool:
    return is_staff_member(user) and not user.is_station_worker


class OrgsConfig(AppConfig):
    name = "shegong.orgs"
    label = "orgs"
    verbose_name = "单位"
    console_menu = [
        # A station's unit list is the station itself: only those above stations use it.
        ("社工站", "单位", "orgs:unit_list", _oversees_units),
        ("社工站", "伙伴", "orgs:partner_list", is_staff_member),
    ]

    def seed_demo(self, demo: dict) -> None:
        from .models import Unit
        from .services import units_load_divisions

        count = units_load_divisions()
        demo["city"] = Unit.objects.get(level=Unit.Level.CITY)
        demo.setdefault("report", []).append(f"单位：{count} 个（含演示用的开发区社工站）")
