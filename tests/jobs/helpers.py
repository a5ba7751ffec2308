from shegong.jobs.models import Job
from shegong.jobs.services import job_execute


def run_queued_jobs() -> list[Job]:
    """What the task worker does with each queued job (``job_run`` calls ``job_execute``);
    tests outside a transaction never see the on-commit enqueue, so they run them here."""
    jobs = list(Job.objects.filter(state=Job.State.QUEUED).order_by("pk"))
    for job in jobs:
        job_execute(job_id=job.pk)
        job.refresh_from_db()
    return jobs
