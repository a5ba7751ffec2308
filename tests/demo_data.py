"""The demo data, seeded once per test process and loaded by every module that needs it.

``seed_demo`` takes seconds of CPU, and a dozen modules (the site-wide sweeps, the demo's own
tests) need the whole demo. On SQLite, the default, the first module to ask seeds the demo into
the test database, copies the database aside with SQLite's backup API and puts back the copy made
before seeding; each module then loads the seeded copy (a page copy of a few milliseconds) and
the empty one again at its end. On another database (PostgreSQL through DATABASE_URL) there is no
such copy: each module seeds for itself, as before.

A module's fixture uses ``demo_loaded`` inside ``django_db_blocker.unblock()``: its own writes
happen in a transaction rolled back at the end, and each test runs in a savepoint within it.
"""

import io
import shutil
import sqlite3
from contextlib import contextmanager
from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection, transaction
from django.test import override_settings

from shegong.accounts.models import User


class DemoSnapshots:
    def __init__(self, media_root: Path):
        self.media_root = media_root
        self.empty: sqlite3.Connection | None = None
        self.seeded: sqlite3.Connection | None = None
        self.seeded_media = media_root / "seeded"

    @property
    def can_copy(self) -> bool:
        return connection.vendor == "sqlite"

    def _raw(self) -> sqlite3.Connection:
        connection.ensure_connection()
        return connection.connection

    def _copy(self, source: sqlite3.Connection, target: sqlite3.Connection) -> None:
        source.backup(target)
        # Content types are cached per process by id; a transactional test's flush may have
        # made new ones since the copy was taken.
        ContentType.objects.clear_cache()

    def _snapshot(self) -> None:
        """Seed once: the empty database and the seeded one, each copied aside."""
        assert not connection.in_atomic_block, "the demo is loaded outside any transaction"
        self.empty = sqlite3.connect(":memory:")
        self._copy(self._raw(), self.empty)
        with override_settings(MEDIA_ROOT=self.seeded_media):
            call_command("seed_demo", stdout=io.StringIO())
        self.seeded = sqlite3.connect(":memory:")
        self._copy(self._raw(), self.seeded)
        self._copy(self.empty, self._raw())

    @contextmanager
    def loaded(self, *usernames: str, media_root: Path):
        """The demo in the test database, ``usernames`` able to sign in (demo accounts cannot
        outside DEMO_MODE, as in tests), its files under ``media_root``; everything written
        meanwhile rolled back at the end."""
        if not self.can_copy:
            with override_settings(MEDIA_ROOT=media_root), transaction.atomic():
                call_command("seed_demo", stdout=io.StringIO())
                User.objects.filter(username__in=usernames).update(is_demo=False)
                yield
                transaction.set_rollback(True)
            return
        if self.seeded is None:
            self._snapshot()
        # The demo's photos, copied so that a module deleting one leaves the next its own.
        if self.seeded_media.exists():
            shutil.copytree(self.seeded_media, media_root, dirs_exist_ok=True)
        self._copy(self.seeded, self._raw())
        try:
            with override_settings(MEDIA_ROOT=media_root), transaction.atomic():
                User.objects.filter(username__in=usernames).update(is_demo=False)
                yield
                transaction.set_rollback(True)
        finally:
            self._copy(self.empty, self._raw())

    def close(self) -> None:
        for copy in (self.empty, self.seeded):
            if copy is not None:
                copy.close()
