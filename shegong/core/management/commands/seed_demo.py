import datetime

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone


class Command(BaseCommand):
    help = (
        "Load the demo data: Haikou 2023 as the closed campaign and a campaign in progress "
        "today. Idempotent: run it as often as you like."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--refresh-live",
            action="store_true",
            help="Move the campaign in progress (and its demo records) so that it runs today, "
            "for a demo left alone for weeks.",
        )
        parser.add_argument(
            "--today",
            metavar="YYYY-MM-DD",
            help="Seed as if this were today (tests and demos prepared for a given day).",
        )

    def handle(self, *args, **options):
        """Each app that has demo data defines ``seed_demo(demo)`` on its AppConfig.

        Apps run in INSTALLED_APPS order and share the ``demo`` dict, so a later app finds what
        an earlier one made (the unit tree, the users, the campaigns) without core naming them.
        The dict also holds the clock: ``now`` and ``today`` (``--today`` fixes them), and
        ``refresh_live``; after the campaigns app ran, ``live_shift`` is the ``timedelta`` by
        which the campaign in progress moved (zero unless ``--refresh-live`` moved it), so
        each app moves its own demo records of that campaign by as much.
        """
        now = timezone.localtime()
        if options["today"]:
            try:
                day = datetime.date.fromisoformat(options["today"])
            except ValueError as error:
                raise CommandError("--today takes a date written YYYY-MM-DD.") from error
            now = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 0)))
        demo: dict = {
            "stdout": self.stdout,
            "now": now,
            "today": now.date(),
            "refresh_live": options["refresh_live"],
            "live_shift": datetime.timedelta(0),
        }
        with transaction.atomic():
            for config in apps.get_app_configs():
                seed = getattr(config, "seed_demo", None)
                if seed is not None:
                    seed(demo)
        for line in demo.get("report", []):
            self.stdout.write(line)
