from django.apps import AppConfig


def _is_staff_member(user) -> bool:
    return True


class ReportsConfig(AppConfig):
    name = "shegong.reports"
    label = "reports"
    verbose_name = "总结与统计"
    # The console home comes first in the menu; INSTALLED_APPS order decides the rest.
    console_menu = [("工作台", "reports:home", _is_staff_member)]
