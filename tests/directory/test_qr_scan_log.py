"""QR scans counted from nginx's scan log (deploy/nginx/shegong.conf, DIRECTORY_QR_SCAN_LOG):
nginx answers a burst of scans from its cache and logs each one; run_periodic counts the log,
each scan exactly once, through rotation and half-written lines."""

import datetime
import os
import zoneinfo

import pytest
from django.apps import apps
from django.utils import timezone

from shegong.directory.models import QrScanDay
from shegong.directory.services import qr_scans_ingest_log

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def _at(year, month, day, hour=10) -> str:
    return f"{datetime.datetime(year, month, day, hour, tzinfo=SHANGHAI).timestamp():.3f}"


def _counts(link) -> dict:
    return dict(QrScanDay.objects.filter(link=link).values_list("day", "count"))


def _append(log, *lines: str) -> None:
    with log.open("a") as handle:
        handle.write("".join(line + "\n" for line in lines))


@pytest.fixture
def log(tmp_path, settings):
    path = tmp_path / "shegong.scans.log"
    path.touch()
    settings.DIRECTORY_QR_SCAN_LOG = str(path)
    return path


def test_only_redirected_gets_of_known_links_count_on_the_day_of_the_scan(
    log, qr_link, sibling_qr_link
):
    _append(
        log,
        f"{_at(2023, 9, 1)} GET /q/bus12x 302",
        f"{_at(2023, 9, 1)} GET /q/bus12x 302",
        f"{_at(2023, 9, 1)} HEAD /q/bus12x 302",  # a link checker, not a scan
        f"{_at(2023, 9, 1)} GET /q/nosuch 404",
        f"{_at(2023, 9, 1)} GET /q/nosuch 302",  # a link deleted since: nothing to count
        f"{_at(2023, 9, 2, hour=0)} GET /q/bus12x 302",  # just after midnight in Haikou
        f"{_at(2023, 9, 1)} GET /q/lh9999 302",
        "garbage that is not a log line",
    )

    added = qr_scans_ingest_log(path=log)

    assert added == 4
    assert _counts(qr_link) == {datetime.date(2023, 9, 1): 2, datetime.date(2023, 9, 2): 1}
    assert _counts(sibling_qr_link) == {datetime.date(2023, 9, 1): 1}


def test_each_scan_is_counted_once_and_a_half_written_line_waits_for_the_next_run(log, qr_link):
    _append(log, f"{_at(2023, 9, 1)} GET /q/bus12x 302")
    with log.open("a") as handle:
        handle.write(f"{_at(2023, 9, 1)} GET /q/bus1")  # nginx is still writing this line

    assert qr_scans_ingest_log(path=log) == 1
    assert qr_scans_ingest_log(path=log) == 0

    with log.open("a") as handle:
        handle.write("2x 302\n")
    assert qr_scans_ingest_log(path=log) == 1
    assert _counts(qr_link) == {datetime.date(2023, 9, 1): 2}


def test_a_rotated_log_is_read_to_its_end_before_the_new_one(log, qr_link):
    day = datetime.date(2023, 9, 1)
    _append(log, f"{_at(2023, 9, 1)} GET /q/bus12x 302")
    assert qr_scans_ingest_log(path=log) == 1
    _append(log, f"{_at(2023, 9, 1)} GET /q/bus12x 302")  # written before the rotation
    os.rename(log, log.with_name(log.name + ".1"))  # logrotate, delaycompress
    log.touch()
    _append(log, f"{_at(2023, 9, 1)} GET /q/bus12x 302", f"{_at(2023, 9, 1)} GET /q/bus12x 302")

    assert qr_scans_ingest_log(path=log) == 3
    assert _counts(qr_link) == {day: 4}
    assert qr_scans_ingest_log(path=log) == 0


def test_a_log_truncated_in_place_is_read_from_its_start(log, qr_link):
    _append(log, *[f"{_at(2023, 9, 1)} GET /q/bus12x 302"] * 3)
    assert qr_scans_ingest_log(path=log) == 3
    log.write_text("")  # copytruncate
    _append(log, f"{_at(2023, 9, 1)} GET /q/bus12x 302")

    assert qr_scans_ingest_log(path=log) == 1
    assert _counts(qr_link) == {datetime.date(2023, 9, 1): 4}


def test_a_missing_log_counts_nothing_and_breaks_nothing(tmp_path, qr_link):
    assert qr_scans_ingest_log(path=tmp_path / "not-there.log") == 0


def test_the_periodic_job_counts_the_log_when_one_is_configured(log, qr_link):
    today = timezone.localdate()
    now = datetime.datetime.combine(today, datetime.time(12), tzinfo=SHANGHAI).timestamp()
    _append(log, *[f"{now:.3f} GET /q/bus12x 302"] * 2)

    report = apps.get_app_config("directory").periodic(timezone.now())

    assert report.endswith("QR scans from nginx's log: 2")
    assert _counts(qr_link) == {today: 2}


def test_the_app_leaves_scans_nginx_logged_to_the_log_and_counts_all_others(
    anonymous, log, qr_link, settings
):
    settings.DIRECTORY_QR_FLUSH_SECONDS = 0
    logged = anonymous.get("/q/bus12x", headers={"X-Scan-Logged": "1"})
    direct = anonymous.get("/q/bus12x")

    assert logged.status_code == direct.status_code == 302
    assert _counts(qr_link) == {timezone.localdate(): 1}

    settings.DIRECTORY_QR_SCAN_LOG = ""  # no log is read: the header cannot hide a scan
    anonymous.get("/q/bus12x", headers={"X-Scan-Logged": "1"})
    assert _counts(qr_link) == {timezone.localdate(): 2}
