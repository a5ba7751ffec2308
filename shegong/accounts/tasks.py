from django_tasks import task

from .services import notification_deliver_email


@task()
def notification_email(notification_id: int) -> bool:
    return notification_deliver_email(notification_id=notification_id)
