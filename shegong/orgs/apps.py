from django.apps import AppConfig


def _can_list_units(user) -> bool:
    return user.is_city_admin or user.is_district_officer or user.is_station_worker


class OrgsConfig(AppConfig):
    name = "shegong.orgs"
    label = "orgs"
    verbose_name = "单位"
    console_menu = [("单位", "orgs:unit_list", _can_list_units)]

    def seed_demo(self, demo: dict) -> None:
        from .models import Unit
        from .services import units_load_divisions

        count = units_load_divisions()
        demo["city"] = Unit.objects.get(level=Unit.Level.CITY)
        demo.setdefault("report", []).append(f"单位：{count} 个（含演示用的开发区社工站）")
