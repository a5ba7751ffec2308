from django.core.management.base import BaseCommand, CommandError

from shegong.accounts.throttle import login_unlock


class Command(BaseCommand):
    help = "Lift a sign-in lock-out of a user name or a client address before it ends by itself."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="")
        parser.add_argument("--address", default="")

    def handle(self, *args, username="", address="", **options):
        if not username and not address:
            raise CommandError("name a --username or an --address to unlock")
        removed = login_unlock(username=username, address=address)
        self.stdout.write(f"lock-out counters removed: {removed}")
