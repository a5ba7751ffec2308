"""Tasks survive a crashed worker: a real worker process is killed (SIGKILL) in the middle of a
task, and another worker runs the task again once the first one's heartbeat has gone stale."""

import datetime
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from shegong.core.models import TaskWorker
from shegong.core.worker import LOST, tasks_recover_orphans

pytestmark = pytest.mark.heavy  # scheduled first (tests/conftest.py)

ROOT = Path(__file__).resolve().parents[2]
TABLE = "django_tasks_database_dbtaskresult"  # DBTaskResult._meta.db_table


def _status(db: Path) -> str | None:
    with sqlite3.connect(db) as con:
        row = con.execute("SELECT status FROM django_tasks_database_dbtaskresult").fetchone()
    return row[0] if row else None


def _wait(predicate, timeout: float, what: str) -> float:
    start = time.monotonic()
    while not predicate():
        if time.monotonic() - start > timeout:
            raise AssertionError(f"waited {timeout} s for {what}")
        time.sleep(0.1)
    return time.monotonic() - start


def test_task_of_a_killed_worker_runs_again_on_another(tmp_path):
    # Remove the `tasks_recover_orphans(now=now)` call in core.worker.Heartbeat.run to see the
    # task stay RUNNING for ever.
    db = tmp_path / "db.sqlite3"
    marks = tmp_path / "marks"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{db}",
        "DEBUG": "1",
        "TASK_HEARTBEAT_SECONDS": "0.5",
        "TASK_WORKER_STALE_SECONDS": "3",
        "SHEGONG_TEST_MARKS": str(marks),
    }
    python = [sys.executable, "manage.py"]
    subprocess.run([*python, "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from tests.core.worker_tasks import nap; "
            "nap.enqueue(seconds=2)",
        ],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "shegong.settings"},
        check=True,
    )
    worker = [*python, "db_worker", "--interval", "0.1", "--no-startup-delay", "--no-reload"]
    first = subprocess.Popen(worker, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
    try:
        _wait(lambda: marks.exists() and "start" in marks.read_text(), 30, "the task to start")
        first.send_signal(signal.SIGKILL)
        first.wait()
    finally:
        first.kill()
    assert _status(db) == "RUNNING"  # what django-tasks-db alone would leave for ever

    second = subprocess.Popen(worker, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
    try:
        _wait(lambda: _status(db) == "SUCCESSFUL", 60, "the task to run again")
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(timeout=10)

    assert marks.read_text().split() == ["start", "start", "done"]
    # How long it takes with the production settings: bench/bench_worker_crash.py.
    with sqlite3.connect(db) as con:
        workers = con.execute(
            "SELECT worker_ids FROM django_tasks_database_dbtaskresult"
        ).fetchone()[0]
        left = con.execute("SELECT count(*) FROM core_taskworker").fetchone()[0]
    assert workers.count(":") >= 4  # both workers' ids (host:pid:suffix) are recorded
    # The stopped worker removed its own heartbeat. The killed one's stays when it beat before
    # the kill (under load it may be killed before its first beat; the task is recovered all
    # the same, as asserted above).
    assert left <= 1


def _running(*, worker_ids, started_ago=60):
    from tests.core.worker_tasks import nap

    result = nap.enqueue(seconds=0)
    DBTaskResult.objects.filter(pk=result.id).update(
        status=TaskResultStatus.RUNNING,
        started_at=timezone.now() - datetime.timedelta(seconds=started_ago),
        worker_ids=worker_ids,
    )
    return result.id


@pytest.mark.django_db
def test_recovery_requeues_only_tasks_of_silent_workers():
    now = timezone.now()
    TaskWorker.objects.create(worker_id="alive", last_seen=now)
    TaskWorker.objects.create(worker_id="silent", last_seen=now - datetime.timedelta(minutes=5))
    of_alive = _running(worker_ids=["alive"])
    of_silent = _running(worker_ids=["silent"])
    of_unknown = _running(worker_ids=["gone"])
    just_started = _running(worker_ids=["gone"], started_ago=1)

    assert tasks_recover_orphans(now=now) == (2, 0)

    status = {str(pk): s for pk, s in DBTaskResult.objects.values_list("pk", "status")}
    assert status[of_alive] == "RUNNING"
    assert status[of_silent] == "READY"
    assert status[of_unknown] == "READY"
    assert status[just_started] == "RUNNING"
    assert tasks_recover_orphans(now=now) == (0, 0)  # once only


@pytest.mark.django_db
def test_task_that_kills_its_worker_every_time_fails_after_three_tries():
    # Remove the TASK_MAX_ATTEMPTS branch in tasks_recover_orphans to see this fail.
    pk = _running(worker_ids=["w1", "w2", "w3"])

    assert tasks_recover_orphans(now=timezone.now()) == (0, 1)

    task = DBTaskResult.objects.get(pk=pk)
    assert task.status == "FAILED"
    assert task.exception_class_path == LOST
    assert "w1, w2, w3" in task.traceback


def test_table_name_is_the_models():
    assert DBTaskResult._meta.db_table == TABLE


@pytest.mark.django_db(transaction=True)
def test_notification_task_run_again_after_a_crash_notifies_once(station, station_worker):
    """The worker was killed after the notification committed but before the task was marked
    done: the task runs again and tells nobody twice."""
    from django.core.management import call_command

    from shegong.accounts.models import Notification
    from shegong.helpdesk import services

    request = services.helprequest_submit(
        for_whom="self",
        category="elderly",
        description="独居老人需要上门探访",
        area=station,
        contact_name="王阿姨",
        phone="13912345678",
        ip="198.51.100.2",
    )
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    assert Notification.objects.filter(recipient=station_worker).count() == 1
    # As a SIGKILL right after the commit leaves it: RUNNING, for a worker that is gone.
    task = DBTaskResult.objects.get(task_path__endswith="helprequest_notify_task")
    DBTaskResult.objects.filter(pk=task.pk).update(
        status=TaskResultStatus.RUNNING,
        started_at=timezone.now() - datetime.timedelta(minutes=2),
        worker_ids=["killed"],
    )

    assert tasks_recover_orphans(now=timezone.now()) == (1, 0)
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)

    task.refresh_from_db()
    assert task.status == "SUCCESSFUL"
    assert task.return_value is False  # nothing left to do
    assert Notification.objects.filter(recipient=station_worker).count() == 1
    request.refresh_from_db()
    assert request.notified_at is not None
