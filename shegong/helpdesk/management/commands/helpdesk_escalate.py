from django.core.management.base import BaseCommand

from shegong.helpdesk.services import helprequest_escalate_overdue, helprequest_notify_pending

from ._clock import parse_now


class Command(BaseCommand):
    help = (
        "Escalate help requests past their first-response deadline to their district, and "
        "retry notifications that failed. Run it every few minutes (cron or a timer)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--now", help="fixed clock, ISO date-time (for tests)")

    def handle(self, *args, now=None, **options):
        now = parse_now(now)
        delivered, failed = helprequest_notify_pending(now=now)
        escalated = helprequest_escalate_overdue(now=now)
        self.stdout.write(
            f"escalated {len(escalated)}; notifications retried: {delivered} delivered, "
            f"{failed} failed"
        )
