from django.apps import AppConfig


def _signed_in(user) -> bool:
    """The console home is every signed-in user's first page, a judge's too (their reviews
    wait there); the context processor only asks for signed-in users."""
    return user.is_authenticated


def _can_view_dashboard(user) -> bool:
    from .dashboard_rules import can_view_dashboard

    return can_view_dashboard(user)


def _uses_summaries(user) -> bool:
    from .summary_rules import can_use_summaries

    return can_use_summaries(user)


class ReportsConfig(AppConfig):
    name = "shegong.reports"
    label = "reports"
    verbose_name = "总结与统计"
    # The console home comes first in the menu; INSTALLED_APPS order decides the rest.
    console_menu = [
        ("工作台", "reports:home", _signed_in),
        ("数据看板", "reports:dashboard", _can_view_dashboard),
        ("总结报送", "reports:summary_home", _uses_summaries),
    ]
    document_exporters = {
        "summary": "shegong.reports.summary_documents.export_summary",
        "city-report": "shegong.reports.summary_documents.export_city_report",
    }

    def console_waiting(self, user) -> list:
        from .summary_waiting import summary_waiting

        return summary_waiting(user)

    def periodic(self, now) -> str:
        """Rebuild the current campaign's dashboard roll-ups (docs/dashboard.md); add summary
        duties for units added since and send summary reminders (docs/reports.md)."""
        from shegong.campaigns.models import Campaign

        from .dashboard_rollups import rollup_rebuild
        from .summary_waiting import summary_periodic

        summaries = summary_periodic(now)
        campaign = Campaign.objects.current()
        if campaign is None:
            return f"dashboard: no campaign; {summaries}"
        run = rollup_rebuild(campaign=campaign, now=now)
        return (
            f"dashboard roll-ups of {campaign.slug}: {run.rows} rows in {run.seconds:.2f} s; "
            f"{summaries}"
        )

    def campaign_saved(self, campaign) -> None:
        """A campaign made or changed through the campaigns' services: its reporting duties
        exist (and fall due on its summary deadline) before anyone opens 总结报送."""
        from .services import reporting_duties_ensure

        reporting_duties_ensure(campaign=campaign)

    def seed_demo(self, demo: dict) -> None:
        """The demo summaries (every state of 总结报送), then the demo campaign's roll-ups, so
        its dashboard opens at once."""
        from .dashboard_rollups import rollup_rebuild
        from .summary_demo import seed

        seed(demo)
        for key in ("campaign", "live_campaign"):
            if demo.get(key) is not None:
                run = rollup_rebuild(campaign=demo[key], now=demo.get("now"))
                demo.setdefault("report", []).append(
                    f"数据看板：{demo[key].slug} {run.rows} 行单位日统计"
                )
