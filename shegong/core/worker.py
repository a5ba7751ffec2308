"""Tasks that survive a crashed worker.

django-tasks-db marks a task RUNNING when a worker claims it and leaves it so if the worker dies
(SIGKILL, out of memory, power loss): nothing would ever run it again. Here each worker beats
a heartbeat (a ``TaskWorker`` row, every ``TASK_HEARTBEAT_SECONDS``) from a thread beside the
task it runs, and every worker, and ``run_periodic``, puts back in the queue any task RUNNING
for a worker whose heartbeat is older than ``TASK_WORKER_STALE_SECONDS``. A task lost that way
``TASK_MAX_ATTEMPTS`` times is marked failed instead of crashing workers for ever.

Putting back is a conditional update on (status, started_at), so two workers recovering at once
requeue a task once, and never one another worker has claimed again meanwhile. Tasks must be
idempotent (ours are: a help request's notification checks ``notified_at`` in the transaction
that sets it; an e-mail checks ``emailed_at``), because a task killed after its work committed
runs again.
"""

import datetime
import logging
import os
import socket
import threading

from django.conf import settings
from django.db import close_old_connections, connection
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from .models import TaskWorker

logger = logging.getLogger(__name__)

LOST = "shegong.core.worker.WorkerLost"


class WorkerLost(Exception):
    """The worker running this task stopped beating (killed or crashed)."""


def _stale_after() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.TASK_WORKER_STALE_SECONDS)


def worker_beat(*, worker_id: str, now: datetime.datetime) -> None:
    """Record that this worker is alive."""
    updated = TaskWorker.objects.filter(worker_id=worker_id).update(last_seen=now)
    if not updated:
        TaskWorker.objects.update_or_create(
            worker_id=worker_id,
            defaults={"host": socket.gethostname(), "pid": os.getpid(), "last_seen": now},
        )


def worker_forget(*, worker_id: str) -> None:
    TaskWorker.objects.filter(worker_id=worker_id).delete()


def tasks_recover_orphans(*, now: datetime.datetime) -> tuple[int, int]:
    """Put back in the queue each task RUNNING for a worker that stopped beating.

    Side effects: such tasks become READY again (their ``worker_ids`` keep the lost worker), or
    FAILED with ``WorkerLost`` after ``TASK_MAX_ATTEMPTS`` lost runs; heartbeats of workers gone
    for a day are deleted. Returns (requeued, failed).
    """
    stale = now - _stale_after()
    alive = set(TaskWorker.objects.filter(last_seen__gte=stale).values_list("worker_id", flat=True))
    requeued = failed = 0
    running = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING, started_at__lt=stale)
    for task in running.only("pk", "started_at", "worker_ids"):
        if task.worker_ids and task.worker_ids[-1] in alive:
            continue
        claim = DBTaskResult.objects.filter(
            pk=task.pk, status=TaskResultStatus.RUNNING, started_at=task.started_at
        )
        if len(task.worker_ids) >= settings.TASK_MAX_ATTEMPTS:
            failed += claim.update(
                status=TaskResultStatus.FAILED,
                finished_at=now,
                exception_class_path=LOST,
                traceback=f"The worker running this task stopped {len(task.worker_ids)} times "
                f"(workers {', '.join(task.worker_ids)}); not tried again.",
            )
        else:
            requeued += claim.update(status=TaskResultStatus.READY, started_at=None)
    TaskWorker.objects.filter(last_seen__lt=now - datetime.timedelta(days=1)).delete()
    if requeued or failed:
        logger.warning("tasks of lost workers: %d queued again, %d failed", requeued, failed)
    return requeued, failed


class Heartbeat(threading.Thread):
    """Beats for one worker and recovers orphaned tasks, until stopped."""

    def __init__(self, worker_id: str):
        super().__init__(name=f"heartbeat-{worker_id}", daemon=True)
        self.worker_id = worker_id
        self.stopped = threading.Event()

    def beat(self) -> None:
        now = timezone.now()
        worker_beat(worker_id=self.worker_id, now=now)
        tasks_recover_orphans(now=now)

    def run(self) -> None:
        """Every ``TASK_HEARTBEAT_SECONDS`` after the first beat, which the worker makes itself
        before it takes work (so lost tasks are requeued first, and a short ``--batch`` run
        does not write from two threads at once)."""
        try:
            while not self.stopped.wait(settings.TASK_HEARTBEAT_SECONDS):
                try:
                    close_old_connections()
                    self.beat()
                except Exception:  # a locked or restarting database: beat again later
                    logger.exception("task worker heartbeat failed")
        finally:
            connection.close()

    def stop(self) -> None:
        self.stopped.set()


def worker_warm_up() -> list[str]:
    """Run each app's ``worker_warm_up()`` before the worker takes its first task.

    Loading a document renderer (WeasyPrint's import and its CJK fonts) takes longer than the
    rendering itself; paid at start, it no longer delays the first poster someone waits for.
    A warm-up that fails is logged and skipped: the task would load the renderer itself.
    Returns the names of the apps warmed up.
    """
    from django.apps import apps

    warmed = []
    for config in apps.get_app_configs():
        warm_up = getattr(config, "worker_warm_up", None)
        if warm_up is None:
            continue
        try:
            warm_up()
        except Exception:
            logger.exception("warming up %s failed", config.label)
            continue
        warmed.append(config.label)
    return warmed
