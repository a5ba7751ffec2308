from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "shegong.campaigns"
    label = "campaigns"
    verbose_name = "宣传活动方案"

    def seed_demo(self, demo: dict) -> None:
        from .demo import seed

        demo["campaign"] = seed(city=demo["city"])
        demo.setdefault("report", []).append(f"宣传活动：{demo['campaign']}")
