from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from shegong.core.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Replace the database and media files with those of a backup archive, then check "
        "every table and file against the archive's manifest. Stop the web server and the "
        "task worker first. See docs/operations.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="a .tar.gz written by manage.py backup")
        parser.add_argument(
            "--yes",
            action="store_true",
            help="really replace the current data (required: there is no prompt)",
        )

    def handle(self, *args, archive, yes=False, **options):
        if not yes:
            raise CommandError("restore replaces all current data: run it again with --yes")
        try:
            report = backup_restore(archive=Path(archive))
        except (BackupError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        summary = f"{report['tables']} tables, {report['rows']} rows, {report['files']} files"
        if report["differences"]:
            raise CommandError(
                f"restored, but it differs from the backup ({summary}):\n"
                + "\n".join(report["differences"])
            )
        self.stdout.write(f"restore verified: {summary} as in the backup")
