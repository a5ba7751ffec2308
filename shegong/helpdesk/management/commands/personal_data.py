import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from shegong.accounts.models import User
from shegong.helpdesk.services import personal_data_erase, personal_data_export


class Command(BaseCommand):
    help = (
        "A citizen's rights under the Personal Information Protection Law: export (JSON) or "
        "erase everything the help desk stores about one phone number. Both are audited under "
        "the operator's name."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["export", "erase"])
        parser.add_argument("phone")
        parser.add_argument("--operator", required=True, help="user name of who does this")
        parser.add_argument("--output", help="export: write the JSON here instead of stdout")
        parser.add_argument("--yes", action="store_true", help="erase: really erase")

    def handle(self, *args, action, phone, operator, output=None, yes=False, **options):
        actor = User.objects.filter(username=operator, is_active=True).first()
        if actor is None:
            raise CommandError(f"no active user named {operator!r}")
        try:
            if action == "export":
                text = json.dumps(
                    personal_data_export(actor=actor, phone=phone), ensure_ascii=False, indent=1
                )
                if output:
                    Path(output).write_text(text, encoding="utf-8")
                    self.stdout.write(f"written: {output}")
                else:
                    self.stdout.write(text)
                return
            if not yes:
                raise CommandError("erasing cannot be undone: run it again with --yes")
            count = personal_data_erase(actor=actor, phone=phone)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(f"help requests erased: {count}")
