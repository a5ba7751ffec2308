from django.apps import AppConfig


def _is_staff_member(user) -> bool:
    return True


def _uses_summaries(user) -> bool:
    from .summary_rules import can_use_summaries

    return can_use_summaries(user)


class ReportsConfig(AppConfig):
    name = "shegong.reports"
    label = "reports"
    verbose_name = "总结与统计"
    # The console home comes first in the menu; INSTALLED_APPS order decides the rest.
    console_menu = [
        ("工作台", "reports:home", _is_staff_member),
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
        from .summary_waiting import summary_periodic

        return summary_periodic(now)

    def seed_demo(self, demo: dict) -> None:
        from .summary_demo import seed

        seed(demo)
