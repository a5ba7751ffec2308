from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        abstract = True


class AuditEntryQuerySet(models.QuerySet):
    def within_scope(self, scope_path: str | None):
        """Entries inside a unit subtree; ``None`` means the whole platform."""
        if scope_path is None:
            return self
        return self.filter(scope_path__startswith=scope_path)


class AuditEntry(models.Model):
    """Who did what to which object, with the fields that changed.

    ``scope_path`` is the tree path of the unit the object belongs to, so a district can read
    its own subtree's entries without this app knowing what a unit is.
    """

    at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField("操作", max_length=64)
    target_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    target_id = models.CharField(max_length=64, blank=True)
    target_repr = models.CharField("对象", max_length=200, blank=True)
    changes = models.JSONField("变更字段", default=dict, blank=True)
    scope_path = models.CharField(max_length=255, blank=True, db_index=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = "审计记录"
        verbose_name_plural = "审计记录"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.action} {self.target_repr}"


class TaskWorker(models.Model):
    """A running task worker's heartbeat (``manage.py db_worker``, see ``core.worker``).

    A task left RUNNING by a worker whose heartbeat stopped (killed, out of memory, machine
    lost) is put back in the queue by :func:`shegong.core.worker.tasks_recover_orphans`.
    """

    worker_id = models.CharField(max_length=64, unique=True)
    host = models.CharField(max_length=255, blank=True)
    pid = models.PositiveIntegerField(null=True)
    started_at = models.DateTimeField(auto_now_add=True)
    last_seen = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = "任务进程"
        verbose_name_plural = "任务进程"

    def __str__(self) -> str:
        return f"{self.worker_id} ({self.host}:{self.pid})"
