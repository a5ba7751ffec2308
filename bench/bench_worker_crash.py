"""A worker killed in the middle of a task: how long until another worker has run it again.

Usage: .venv/bin/python bench/bench_worker_crash.py   (a throw-away SQLite file; the production
defaults TASK_HEARTBEAT_SECONDS=5 and TASK_WORKER_STALE_SECONDS=30 unless set). Starts a worker,
SIGKILLs it while it runs a 1-second task, starts a second worker at once (as systemd's
Restart= would) and prints the seconds until the task has succeeded. Target (issue #14): an
urgent help request is notified within 60 s across a worker crash.
"""

import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def status(db: Path) -> str | None:
    with sqlite3.connect(db) as con:
        row = con.execute("SELECT status FROM django_tasks_database_dbtaskresult").fetchone()
    return row[0] if row else None


def wait(predicate, timeout: float) -> float:
    start = time.monotonic()
    while not predicate():
        if time.monotonic() - start > timeout:
            raise SystemExit(f"gave up after {timeout} s")
        time.sleep(0.1)
    return time.monotonic() - start


def main() -> None:
    tmp = Path(tempfile.mkdtemp(prefix="bench-worker-"))
    db, marks = tmp / "db.sqlite3", tmp / "marks"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{db}",
        "DEBUG": "1",
        "SHEGONG_TEST_MARKS": str(marks),
        "DJANGO_SETTINGS_MODULE": "shegong.settings",
    }
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    enqueue = "import django; django.setup(); from tests.core.worker_tasks import nap; "
    subprocess.run(
        [sys.executable, "-c", enqueue + "nap.enqueue(seconds=1)"], cwd=ROOT, env=env, check=True
    )
    worker = [*manage, "db_worker", "--interval", "0.5", "--no-startup-delay", "--no-reload"]
    first = subprocess.Popen(worker, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
    wait(lambda: marks.exists() and "start" in marks.read_text(), 60)
    first.send_signal(signal.SIGKILL)
    first.wait()
    killed = time.monotonic()
    second = subprocess.Popen(worker, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
    try:
        wait(lambda: status(db) == "SUCCESSFUL", 180)
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(timeout=15)
    print(
        f"heartbeat {os.getenv('TASK_HEARTBEAT_SECONDS', '5')} s, stale after "
        f"{os.getenv('TASK_WORKER_STALE_SECONDS', '30')} s"
    )
    print(
        f"task of the killed worker done again after {time.monotonic() - killed:.1f} s "
        f"(runs: {marks.read_text().split().count('start')}, finished: "
        f"{marks.read_text().split().count('done')})"
    )


if __name__ == "__main__":
    main()
