from django.core.management.base import BaseCommand

from shegong.helpdesk.services import helprequest_purge_contacts

from ._clock import parse_now


class Command(BaseCommand):
    help = (
        "Clear contact names and phones of finished help requests older than the retention "
        "period (per campaign, default 365 days). Run it daily."
    )

    def add_arguments(self, parser):
        parser.add_argument("--now", help="fixed clock, ISO date-time (for tests)")

    def handle(self, *args, now=None, **options):
        count = helprequest_purge_contacts(now=parse_now(now))
        self.stdout.write(f"purged contact details of {count} requests")
