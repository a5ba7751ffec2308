from django_tasks import task

from .services import job_execute


@task()
def job_run(job_id: int) -> str:
    """Do one job's work in the worker (``services.job_execute``)."""
    return job_execute(job_id=job_id)
