from django.apps import AppConfig

from shegong.orgs.rules import is_staff_member


class CampaignsConfig(AppConfig):
    name = "shegong.campaigns"
    label = "campaigns"
    verbose_name = "宣传活动方案"
    console_menu = [("活动方案", "活动方案", "campaigns:list", is_staff_member)]
    # ``manage.py export_document KIND``: KIND → function(*, campaign, unit, fmt) -> bytes.
    document_exporters = {"notice": "shegong.campaigns.documents.export_notice"}
    job_kinds = {"campaigns.notice_pdf": "shegong.campaigns.jobs.notice_pdf_job"}

    def seed_demo(self, demo: dict) -> None:
        import datetime

        from django.utils import timezone

        from .demo import seed, seed_live

        demo["campaign"] = seed(city=demo["city"])
        demo["live_campaign"], days = seed_live(
            source=demo["campaign"],
            today=demo.get("today") or timezone.localdate(),
            refresh=demo.get("refresh_live", False),
        )
        demo["live_shift"] = datetime.timedelta(days=days)
        live = demo["live_campaign"]
        demo.setdefault("report", []).append(f"宣传活动：{demo['campaign']}（已结束，2023 年）")
        demo["report"].append(
            f"宣传活动：{live}（进行中，{live.starts_on:%Y-%m-%d} 至 {live.ends_on:%Y-%m-%d}）"
            + (f"，已顺延 {days} 天" if days else "")
        )

    def console_waiting(self, user) -> list:
        from .selectors import progress_waiting

        return progress_waiting(user)

    def periodic(self, now) -> str:
        from django.utils import timezone

        from .services import progress_assign_running

        created = progress_assign_running(today=timezone.localdate(now))
        return f"progress rows for units added since their tasks were assigned: {created}"
