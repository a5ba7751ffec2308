from django.apps import AppConfig

from shegong.orgs.rules import is_staff_member


class CampaignsConfig(AppConfig):
    name = "shegong.campaigns"
    label = "campaigns"
    verbose_name = "宣传活动方案"
    console_menu = [("活动方案", "campaigns:list", is_staff_member)]
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
