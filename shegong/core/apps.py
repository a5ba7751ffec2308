from django.apps import AppConfig


def _can_read_audit(user) -> bool:
    return user.can_read_audit


class CoreConfig(AppConfig):
    name = "shegong.core"
    label = "core"
    verbose_name = "核心"
    console_menu = [("系统", "审计日志", "core:audit_list", _can_read_audit)]

    def periodic(self, now) -> str:
        from .worker import tasks_recover_orphans

        requeued, failed = tasks_recover_orphans(now=now)
        return f"tasks of lost workers queued again: {requeued}, failed: {failed}"
