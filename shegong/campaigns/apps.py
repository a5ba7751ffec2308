from django.apps import AppConfig


def _sees_campaigns(user) -> bool:
    return user.sees_everything or user.is_district_officer or user.is_station_worker


class CampaignsConfig(AppConfig):
    name = "shegong.campaigns"
    label = "campaigns"
    verbose_name = "宣传活动方案"
    console_menu = [("活动方案", "campaigns:list", _sees_campaigns)]
    # ``manage.py export_document KIND``: KIND → function(*, campaign, unit, fmt) -> bytes.
    document_exporters = {"notice": "shegong.campaigns.documents.export_notice"}

    def seed_demo(self, demo: dict) -> None:
        from .demo import seed

        demo["campaign"] = seed(city=demo["city"])
        demo.setdefault("report", []).append(f"宣传活动：{demo['campaign']}")

    def console_waiting(self, user) -> list:
        from .selectors import progress_waiting

        return progress_waiting(user)

    def periodic(self, now) -> str:
        from django.utils import timezone

        from .services import progress_assign_running

        created = progress_assign_running(today=timezone.localdate(now))
        return f"progress rows for units added since their tasks were assigned: {created}"
