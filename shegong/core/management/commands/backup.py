from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from shegong.core.backup import backup_create


class Command(BaseCommand):
    help = (
        "Back up the database (SQLite online backup or pg_dump) and the media files into one "
        ".tar.gz with a manifest of row counts and checksums. See docs/operations.md."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            help="archive path (default: var/backups/shegong-<date-time>.tar.gz)",
        )

    def handle(self, *args, output=None, **options):
        now = timezone.now()
        if output:
            path = Path(output)
        else:
            stamp = timezone.localtime(now).strftime("%Y%m%d-%H%M%S")
            path = Path(settings.BASE_DIR) / "var" / "backups" / f"shegong-{stamp}.tar.gz"
        manifest = backup_create(output=path, now=now)
        rows = sum(t["rows"] for t in manifest["tables"].values())
        self.stdout.write(
            f"backup written: {path} ({path.stat().st_size // 1024} KB; "
            f"{len(manifest['tables'])} tables, {rows} rows, {len(manifest['media'])} files)"
        )
