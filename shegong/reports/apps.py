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
    # The console home has no group: it comes first (core.registry.MENU_GROUPS).
    console_menu = [
        ("", "工作台", "reports:home", _signed_in),
        ("统计", "数据看板", "reports:dashboard", _can_view_dashboard),
        ("统计", "总结报送", "reports:summary_home", _uses_summaries),
    ]
    # The dashboard's 总结报送 column: where each unit's summary stands (docs/dashboard.md).
    dashboard_columns = {"summary": "shegong.reports.summary_selectors.dashboard_summary_status"}
    job_kinds = {"reports.summary_pdf": "shegong.reports.jobs.summary_pdf_job"}
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
        from .dashboard_rollups import rebuild_targets, rollup_rebuild
        from .summary_waiting import summary_periodic

        summaries = summary_periodic(now)
        campaigns = rebuild_targets(now)
        if not campaigns:
            return f"dashboard: no campaign; {summaries}"
        runs = [rollup_rebuild(campaign=campaign, now=now) for campaign in campaigns]
        if len(runs) == 1:
            done = f"{campaigns[0].slug}: {runs[0].rows} rows in {runs[0].seconds:.2f} s"
        else:
            done = f"{len(runs)} campaigns, {sum(r.rows for r in runs)} rows"
        return f"dashboard roll-ups of {done}; {summaries}"

    def campaign_saved(self, campaign) -> None:
        """A campaign made or changed through the campaigns' services: its reporting duties
        exist (and fall due on its summary deadline) before anyone opens 总结报送, and its
        dashboard roll-ups exist before anyone opens 数据看板 (writes keep them current)."""
        from .dashboard_rollups import rollup_ensure
        from .services import reporting_duties_ensure

        reporting_duties_ensure(campaign=campaign)
        rollup_ensure(campaign=campaign)

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
