from django.apps import AppConfig

from shegong.orgs.rules import is_staff_member


def _can_read_access_log(user) -> bool:
    from .rules import can_read_access_log

    return can_read_access_log(user)


class HelpdeskConfig(AppConfig):
    name = "shegong.helpdesk"
    label = "helpdesk"
    verbose_name = "求助"
    console_menu = [
        ("求助", "求助", "helpdesk:queue", is_staff_member),
        ("系统", "个人信息查看记录", "helpdesk:access_log", _can_read_access_log),
    ]

    def console_waiting(self, user):
        from django.urls import reverse

        from shegong.core.registry import WaitingItem

        from .selectors import helprequest_counts_for_unit

        if not is_staff_member(user):
            return []
        new, overdue = helprequest_counts_for_unit(user)
        url = reverse("helpdesk:queue")
        return [
            WaitingItem("待受理的求助", new, f"{url}?status=new&mine=1"),
            WaitingItem("逾期未受理的求助", overdue, f"{url}?overdue=1", urgent=True),
        ]

    def seed_demo(self, demo: dict) -> None:
        from .demo import seed

        seed(demo)

    def periodic(self, now) -> str:
        from .services import (
            helprequest_escalate_overdue,
            helprequest_notify_pending,
            helprequest_purge_contacts,
        )

        delivered, failed = helprequest_notify_pending(now=now)
        escalated = helprequest_escalate_overdue(now=now)
        purged = helprequest_purge_contacts(now=now)
        return (
            f"escalated {len(escalated)}; notifications retried: {delivered} delivered, "
            f"{failed} failed; contacts purged: {purged}"
        )
