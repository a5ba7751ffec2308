from django.conf import settings
from django.db import models


class JobQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A job's file is the work of one person: only they see it (not their district)."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(owner=user)


class Job(models.Model):
    """Long work done by the task worker for one person: an export, an import, a document.

    The request that starts it answers at once with the job's page; the worker fills in the
    progress (``rows_done`` of ``rows_total``), then the file (``result``) or why it failed
    (``message``). The file is kept until ``expires_at`` (``JOB_KEEP_DAYS``), then deleted with
    the job by ``run_periodic``.
    """

    class State(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "进行中"
        DONE = "done", "已完成"
        FAILED = "failed", "失败"

    kind = models.CharField("类型", max_length=60)
    title = models.CharField("名称", max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="发起人", on_delete=models.CASCADE, related_name="+"
    )
    unit = models.ForeignKey(
        "orgs.Unit",
        verbose_name="单位",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    params = models.JSONField("参数", default=dict, blank=True)
    source = models.FileField("上传的文件", upload_to="jobs/in/%Y/%m/", blank=True)
    state = models.CharField(
        "状态", max_length=10, choices=State.choices, default=State.QUEUED, db_index=True
    )
    rows_done = models.PositiveIntegerField("已处理", default=0)
    rows_total = models.PositiveIntegerField("总数", default=0)
    message = models.CharField("说明", max_length=500, blank=True)
    report = models.JSONField("报告", default=dict, blank=True)
    result = models.FileField("结果文件", upload_to="jobs/out/%Y/%m/", blank=True)
    result_name = models.CharField("下载文件名", max_length=200, blank=True)
    attempts = models.PositiveSmallIntegerField("尝试次数", default=0)
    created_at = models.DateTimeField("发起时间", auto_now_add=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)
    expires_at = models.DateTimeField("保留至", null=True, blank=True, db_index=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "后台任务"
        verbose_name_plural = "后台任务"
        indexes = [models.Index(fields=["owner", "-created_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED)

    @property
    def percent(self) -> int:
        if self.state == self.State.DONE:
            return 100
        if not self.rows_total:
            return 0
        return min(99, self.rows_done * 100 // self.rows_total)
