from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction


class Command(BaseCommand):
    help = "Load the demo data (Haikou 2023). Idempotent: run it as often as you like."

    def handle(self, *args, **options):
        """Each app that has demo data defines ``seed_demo(demo)`` on its AppConfig.

        Apps run in INSTALLED_APPS order and share the ``demo`` dict, so a later app finds what
        an earlier one made (the unit tree, the users, the campaign) without core naming them.
        """
        demo: dict = {"stdout": self.stdout}
        with transaction.atomic():
            for config in apps.get_app_configs():
                seed = getattr(config, "seed_demo", None)
                if seed is not None:
                    seed(demo)
        for line in demo.get("report", []):
            self.stdout.write(line)
