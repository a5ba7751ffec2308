import time

from django.apps import apps
from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.dateparse import parse_datetime


class Command(BaseCommand):
    help = (
        "Run every app's periodic jobs once (escalations, retries, purges), or every N seconds "
        "with --loop. Production runs it from cron or a timer; `make demo` runs it in a loop."
    )

    def add_arguments(self, parser):
        parser.add_argument("--loop", type=int, default=0, help="repeat every N seconds")
        parser.add_argument("--now", help="fixed clock, ISO date-time (for tests)")

    def handle(self, *args, loop=0, now=None, **options):
        fixed = parse_datetime(now) if now else None
        if now and fixed is None:
            self.stderr.write(f"--now: not an ISO date-time: {now}")
            return
        while True:
            self.run_once(fixed or timezone.now())
            if not loop:
                return
            time.sleep(loop)

    def run_once(self, now):
        """Each app that has periodic work defines ``periodic(now) -> str`` on its AppConfig."""
        for config in apps.get_app_configs():
            job = getattr(config, "periodic", None)
            if job is not None:
                self.stdout.write(f"{config.label}: {job(now)}")
