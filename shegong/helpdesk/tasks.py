from django_tasks import task

from .services import helprequest_notify


@task()
def helprequest_notify_task(request_id: int) -> bool:
    return helprequest_notify(request_id=request_id)
