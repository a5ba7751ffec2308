"""Backups and restores of the database and the uploaded files, with a check that proves it.

One archive (``.tar.gz``) holds ``manifest.json``, the database (SQLite: a copy made with
SQLite's online backup API, consistent while the site runs; PostgreSQL: ``pg_dump -Fc``) and
``media/`` (photos, posters, documents). The manifest records, per table, the row count and a
checksum of the rows, and per file its SHA-256; ``restore`` puts everything back and checks it
against the manifest, so a restore drill says "verified" or names what differs.
"""

import datetime
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connection

FORMAT = 1


class BackupError(Exception):
    pass


def table_digests() -> dict[str, dict]:
    """``{table: {"rows": n, "sha256": …}}`` for every table of the project's models."""
    digests = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if not meta.managed or meta.proxy or meta.db_table in digests:
            continue
        fields = [f.attname for f in meta.concrete_fields]
        digest = hashlib.sha256()
        rows = 0
        for row in model._base_manager.order_by("pk").values_list(*fields).iterator(2000):
            digest.update(repr(row).encode())
            rows += 1
        digests[meta.db_table] = {"rows": rows, "sha256": digest.hexdigest()}
    return digests


def media_digests(root: Path) -> dict[str, str]:
    files = {}
    if root.exists():
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            files[path.relative_to(root).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return files


def _pg_env() -> tuple[list[str], dict]:
    db = settings.DATABASES["default"]
    args = ["--host", db.get("HOST") or "127.0.0.1", "--port", str(db.get("PORT") or 5432)]
    args += ["--username", db.get("USER") or "postgres", "--dbname", db["NAME"]]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return args, env


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} is not installed (Debian: apt-get install postgresql-client)")
    return path


def _dump_database(target_dir: Path) -> str:
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        path = target_dir / "database.sqlite3"
        dest = sqlite3.connect(path)
        try:
            connection.connection.backup(dest)
        finally:
            dest.close()
        return path.name
    if connection.vendor == "postgresql":
        path = target_dir / "database.pgdump"
        args, env = _pg_env()
        subprocess.run(  # noqa: S603 (fixed arguments from settings)
            [_tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(path), *args],
            env=env,
            check=True,
        )
        return path.name
    raise BackupError(f"no backup method for the {connection.vendor} database")


def backup_create(*, output: Path, now: datetime.datetime) -> dict:
    """Write one archive of the database and media files to ``output``; return its manifest.

    Side effects: the archive file (written beside, then renamed into place).
    """
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(prefix="shegong-backup-") as tmp:
        tmp_dir = Path(tmp)
        manifest = {
            "format": FORMAT,
            "created_at": now.isoformat(),
            "vendor": connection.vendor,
            "database": _dump_database(tmp_dir),
            # The rows as they are in the copy: counted after it was taken, in the same state
            # for SQLite's snapshot; for PostgreSQL a write between the two shows as a mismatch
            # on restore (run backups when the site is quiet, or accept the report).
            "tables": table_digests(),
            "media": media_digests(media_root),
        }
        (tmp_dir / "manifest.json").write_text(json.dumps(manifest, indent=1, ensure_ascii=False))
        output.parent.mkdir(parents=True, exist_ok=True)
        partial = output.with_name(output.name + ".partial")
        with tarfile.open(partial, "w:gz") as archive:
            archive.add(tmp_dir / "manifest.json", arcname="manifest.json")
            archive.add(tmp_dir / manifest["database"], arcname=manifest["database"])
            if media_root.exists():
                archive.add(media_root, arcname="media")
        partial.replace(output)
    return manifest


def _restore_database(source: Path, vendor: str) -> None:
    if vendor != connection.vendor:
        raise BackupError(
            f"the archive holds a {vendor} database; this site runs {connection.vendor}"
        )
    connection.ensure_connection()
    if vendor == "sqlite":
        src = sqlite3.connect(source)
        try:
            src.backup(connection.connection)
        finally:
            src.close()
        return
    connection.close()
    args, env = _pg_env()
    subprocess.run(  # noqa: S603 (fixed arguments from settings)
        [
            _tool("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            *args,
            str(source),
        ],
        env=env,
        check=True,
    )


def backup_restore(*, archive: Path) -> dict:
    """Put the database and media files of ``archive`` back, then check them.

    Side effects: every table is replaced by the archive's; ``MEDIA_ROOT`` is replaced (the
    files there before are moved to ``<MEDIA_ROOT>.before-restore``). Returns a report:
    ``{"tables": n, "rows": n, "files": n, "differences": [...]}``; no differences means
    verified.
    """
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(prefix="shegong-restore-") as tmp:
        tmp_dir = Path(tmp)
        with tarfile.open(archive, "r:gz") as tar:
            tar.extractall(tmp_dir, filter="data")
        manifest = json.loads((tmp_dir / "manifest.json").read_text())
        if manifest.get("format") != FORMAT:
            raise BackupError("not a shegong backup archive (or of another format)")
        _restore_database(tmp_dir / manifest["database"], manifest["vendor"])
        previous = media_root.with_name(media_root.name + ".before-restore")
        if previous.exists():
            shutil.rmtree(previous)
        if media_root.exists():
            media_root.rename(previous)
        if (tmp_dir / "media").exists():
            shutil.copytree(tmp_dir / "media", media_root)
        else:
            media_root.mkdir(parents=True)
    return backup_verify(manifest)


def backup_verify(manifest: dict) -> dict:
    """Compare the live database and media files with a manifest."""
    differences = []
    tables = table_digests()
    for table, expected in manifest["tables"].items():
        found = tables.get(table)
        if found is None:
            differences.append(f"table {table}: missing")
        elif found != expected:
            differences.append(
                f"table {table}: {found['rows']} rows (expected {expected['rows']})"
                + ("" if found["rows"] != expected["rows"] else ", contents differ")
            )
    media = media_digests(Path(settings.MEDIA_ROOT))
    for name, digest in manifest["media"].items():
        if media.get(name) != digest:
            differences.append(f"file {name}: {'missing' if name not in media else 'differs'}")
    return {
        "tables": len(manifest["tables"]),
        "rows": sum(t["rows"] for t in manifest["tables"].values()),
        "files": len(manifest["media"]),
        "differences": differences,
    }
