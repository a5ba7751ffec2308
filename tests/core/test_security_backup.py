"""The restore drill: back up, wipe everything, restore, and compare rows and files.

Runs on the database the suite runs on: SQLite (online backup API) or PostgreSQL (pg_dump and
pg_restore) when DATABASE_URL names one."""

import io
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from shegong.accounts.models import User
from shegong.core.audit import audit_record
from shegong.core.backup import media_digests, table_digests
from tests.factories import TEST_PASSWORD, UserFactory, city_unit, district_unit, station_unit

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def data(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    photos = settings.MEDIA_ROOT / "activities" / "2023"
    photos.mkdir(parents=True)
    (photos / "photo.jpg").write_bytes(b"\xff\xd8 a photo \xff\xd9")
    (settings.MEDIA_ROOT / "posters").mkdir()
    (settings.MEDIA_ROOT / "posters" / "秀英.pdf").write_bytes(b"%PDF-1.7 poster")
    city = city_unit()
    station = station_unit(district_unit(city, "460105", "秀英区"), "460105001", "秀英街道")
    user = UserFactory(username="worker", unit=station)
    audit_record(actor=user, action="test.backup", target=station, changes={"名称": ["甲", "乙"]})
    return settings.MEDIA_ROOT


def test_backup_wipe_restore_gives_back_every_row_and_file(data, tmp_path):
    # Remove the _restore_database call in core.backup.backup_restore to see this fail.
    before_rows, before_files = table_digests(), media_digests(data)
    archive = tmp_path / "backups" / "drill.tar.gz"
    out = StringIO()
    call_command("backup", "--output", str(archive), stdout=out)
    assert "backup written" in out.getvalue()
    assert archive.stat().st_size > 0

    call_command("flush", "--no-input", verbosity=0)  # the disaster
    for path in data.rglob("*.*"):
        path.unlink()
    assert not User.objects.exists()

    out = StringIO()
    call_command("restore", str(archive), "--yes", stdout=out)

    assert "restore verified" in out.getvalue()
    assert table_digests() == before_rows
    assert media_digests(data) == before_files
    assert (data / "posters" / "秀英.pdf").read_bytes() == b"%PDF-1.7 poster"
    # The restored site works: the worker signs in with the password they had.
    client = Client()
    response = client.post("/accounts/login/", {"username": "worker", "password": TEST_PASSWORD})
    assert response.status_code == 302


def test_restore_says_what_differs_from_the_backup(data, tmp_path):
    import json
    import tarfile

    archive = tmp_path / "drill.tar.gz"
    call_command("backup", "--output", str(archive), stdout=StringIO())
    # A manifest that disagrees with the archived database: as a damaged copy would.
    tampered = tmp_path / "tampered.tar.gz"
    with tarfile.open(archive) as src, tarfile.open(tampered, "w:gz") as dst:
        for member in src.getmembers():
            content = src.extractfile(member) if member.isfile() else None
            if member.name == "manifest.json":
                manifest = json.load(content)
                manifest["tables"]["accounts_user"]["rows"] += 1
                manifest["media"]["posters/missing.pdf"] = "0" * 64
                raw = json.dumps(manifest).encode()
                member.size = len(raw)
                content = io.BytesIO(raw)
            dst.addfile(member, content)

    with pytest.raises(CommandError) as refused:
        call_command("restore", str(tampered), "--yes", stdout=StringIO())

    message = str(refused.value)
    assert "table accounts_user: 1 rows (expected 2)" in message
    assert "file posters/missing.pdf: missing" in message


def test_restore_needs_yes(data, tmp_path):
    with pytest.raises(CommandError, match="--yes"):
        call_command("restore", str(tmp_path / "any.tar.gz"), stdout=StringIO())
    assert Path(data).exists()
