"""Jobs: long work (exports, imports, documents) done by the task worker, with progress.

An app names the work it hands to jobs in its AppConfig, ``job_kinds = {"kind": "dotted.path"}``.
The function is called in the worker as ``f(job, progress, workdir)``: it reads what it needs
from ``job.params`` (and ``job.source``, an uploaded file), calls ``progress.total(n)`` and
``progress.advance(k)`` as it goes, writes its file under ``workdir`` (a temporary directory,
removed afterwards) and returns a ``JobOutput``. It refuses with ``ValidationError`` (the
message, in Chinese, is what the user reads; ``JobRefused`` adds a report such as an import's
list of bad cells). Any other exception fails the job with a generic message and is logged.

The job runs with its owner's rights as they are when it runs: an export started by a district
officer is scoped by ``visible_to(job.owner)`` in the worker as it would be in the request.
"""

import logging
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string

from .models import Job

logger = logging.getLogger(__name__)

INTERNAL_ERROR = "处理时出错（系统内部错误）。请点“重试”；仍不成功请联系平台管理员。"
PROGRESS_EVERY_SECONDS = 0.5


@dataclass
class JobOutput:
    path: Path | None = None  # the file written under ``workdir``, kept for download
    name: str = ""  # the name the browser saves it under
    message: str = ""  # shown on the job page and in the notification
    report: dict = field(default_factory=dict)  # shown on the job page (e.g. a link)


class JobRefused(ValidationError):
    """The work was refused for a reason the user can fix; ``report`` says where."""

    def __init__(self, message: str, *, report: dict):
        super().__init__(message)
        self.report = report


class Progress:
    """Rows done of rows to do, written to the job at most every half second (a row written
    per activity would cost more than the export itself)."""

    def __init__(self, job: Job):
        self.job = job
        self.done = 0
        self._written_at = 0.0

    def total(self, rows: int) -> None:
        self.job.rows_total = rows
        Job.objects.filter(pk=self.job.pk).update(rows_total=rows, rows_done=self.done)

    def advance(self, rows: int = 1) -> None:
        self.done += rows
        now = time.monotonic()
        if now - self._written_at >= PROGRESS_EVERY_SECONDS:
            self._written_at = now
            Job.objects.filter(pk=self.job.pk).update(rows_done=self.done)


def job_kinds() -> dict[str, str]:
    kinds: dict[str, str] = {}
    for config in apps.get_app_configs():
        kinds.update(getattr(config, "job_kinds", {}))
    return kinds


def _keep_until(now):
    return now + timezone.timedelta(days=settings.JOB_KEEP_DAYS)


def job_start(
    *, owner, kind: str, title: str, unit=None, params: dict | None = None, source=None
) -> Job:
    """Record a job and queue it for the worker once the caller's transaction commits.

    Side effects: a ``Job`` row (with the uploaded ``source`` saved to storage), a task.
    Exports and documents are not audited (they change nothing); an import's service audits
    what it writes when it runs.
    """
    from .tasks import job_run

    if kind not in job_kinds():
        raise ValueError(f"no app runs jobs of kind {kind!r}")
    job = Job(
        kind=kind,
        title=title,
        owner=owner,
        unit=unit,
        params=params or {},
        expires_at=_keep_until(timezone.now()),
    )
    if source is not None:
        job.source.save(Path(source.name).name or "upload", source, save=False)
    job.save()
    transaction.on_commit(lambda: job_run.enqueue(job.pk))
    return job


def _notify(job: Job, message: str) -> None:
    from shegong.accounts.services import notification_send

    notification_send(
        recipients=[job.owner],
        message=message[:300],
        url=reverse("jobs:job_detail", kwargs={"pk": job.pk}),
    )


def _finish(job: Job, **fields) -> None:
    now = timezone.now()
    fields.update(finished_at=now, expires_at=_keep_until(now))
    for name, value in fields.items():
        setattr(job, name, value)
    job.save(update_fields=[*fields])


def job_execute(*, job_id: int) -> str:
    """Run a queued job (called by the ``job_run`` task). Safe to run again: a job the worker
    lost while running is claimed again; a finished one is left alone.

    Side effects: the job's state, progress, result file and expiry; a notification to its
    owner when it is done or failed (with the reason).
    """
    now = timezone.now()
    claimed = Job.objects.filter(pk=job_id, state__in=[Job.State.QUEUED, Job.State.RUNNING]).update(
        state=Job.State.RUNNING, started_at=now, attempts=F("attempts") + 1, rows_done=0
    )
    if not claimed:
        return "not queued"
    job = Job.objects.select_related("owner", "unit").get(pk=job_id)
    run = import_string(job_kinds()[job.kind])
    progress = Progress(job)
    with tempfile.TemporaryDirectory(prefix="shegong-job-") as workdir:
        try:
            output: JobOutput = run(job, progress, Path(workdir))
            if output.path is not None:
                with open(output.path, "rb") as handle:
                    job.result.save(output.name or output.path.name, File(handle), save=False)
        except ValidationError as error:
            report = getattr(error, "report", {})
            message = "；".join(error.messages)[:500]
            _finish(job, state=Job.State.FAILED, message=message, report=report)
            _notify(job, f"“{job.title}”未完成：{job.message}")
            return "refused"
        except Exception:
            logger.exception("job %s (%s) failed", job.pk, job.kind)
            _finish(job, state=Job.State.FAILED, message=INTERNAL_ERROR, report={})
            _notify(job, f"“{job.title}”未完成：{INTERNAL_ERROR}")
            return "failed"
        _finish(
            job,
            state=Job.State.DONE,
            rows_done=progress.done,
            message=output.message[:500],
            report=output.report,
            result=job.result,
            result_name=output.name,
        )
    # The uploaded file has served: an import's source holds what the person typed.
    if job.source:
        job.source.delete(save=True)
    _notify(job, f"“{job.title}”已完成。{output.message}")
    return "done"


def job_retry(*, actor, job: Job) -> Job:
    """Queue a failed job again, as it was asked. Side effects: the job back to queued, a
    task. Only its owner retries it (the view fetches it through ``visible_to``)."""
    from .tasks import job_run

    if job.state != Job.State.FAILED:
        raise ValidationError("只有失败的任务可以重试。")
    if job.kind in job_kinds() and job.params.get("needs_source") and not job.source:
        raise ValidationError("上传的文件已不在，请重新上传。")
    Job.objects.filter(pk=job.pk).update(
        state=Job.State.QUEUED,
        message="",
        report={},
        rows_done=0,
        finished_at=None,
        expires_at=_keep_until(timezone.now()),
    )
    job.refresh_from_db()
    transaction.on_commit(lambda: job_run.enqueue(job.pk))
    return job


def jobs_purge_expired(*, now) -> int:
    """Delete jobs past ``expires_at`` with their files. Returns how many."""
    expired = list(Job.objects.filter(expires_at__lt=now))
    for job in expired:
        for stored in (job.result, job.source):
            if stored:
                stored.delete(save=False)
        job.delete()
    return len(expired)
