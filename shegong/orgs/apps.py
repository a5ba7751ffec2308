from django.apps import AppConfig

from .rules import is_staff_member


class OrgsConfig(AppConfig):
    name = "shegong.orgs"
    label = "orgs"
    verbose_name = "单位"
    console_menu = [
        ("单位", "orgs:unit_list", is_staff_member),
        ("伙伴", "orgs:partner_list", is_staff_member),
    ]

    def seed_demo(self, demo: dict) -> None:
        from .models import Unit
        from .services import units_load_divisions

        count = units_load_divisions()
        demo["city"] = Unit.objects.get(level=Unit.Level.CITY)
        demo.setdefault("report", []).append(f"单位：{count} 个（含演示用的开发区社工站）")
