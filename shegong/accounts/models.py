from django.contrib.auth.models import AbstractUser
from django.db import models

from shegong.core.validators import mask_phone


class User(AbstractUser):
    """A staff member. Citizens never have accounts.

    A user belongs to one unit and has one role; what they see follows from both
    (``shegong.orgs.models.unit_scope_q``).
    """

    class Role(models.TextChoices):
        CITY_ADMIN = "city_admin", "市局管理员"
        DISTRICT_OFFICER = "district_officer", "区局工作人员"
        STATION_WORKER = "station_worker", "社工站工作人员"
        JUDGE = "judge", "评委"

    role = models.CharField("角色", max_length=20, choices=Role.choices)
    unit = models.ForeignKey(
        "orgs.Unit",
        verbose_name="所属单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )
    display_name = models.CharField("姓名", max_length=50, blank=True)
    phone = models.CharField("手机号", max_length=30, blank=True)
    is_demo = models.BooleanField(
        "演示账号",
        default=False,
        help_text="演示账号的密码仅在演示模式（DEMO_MODE，由 make demo 开启）下可用。",
    )

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"

    def __str__(self) -> str:
        return self.display_name or self.username

    @property
    def is_city_admin(self) -> bool:
        return self.role == self.Role.CITY_ADMIN

    @property
    def is_district_officer(self) -> bool:
        return self.role == self.Role.DISTRICT_OFFICER

    @property
    def is_station_worker(self) -> bool:
        return self.role == self.Role.STATION_WORKER

    @property
    def is_judge(self) -> bool:
        return self.role == self.Role.JUDGE

    @property
    def sees_everything(self) -> bool:
        return self.is_superuser or self.is_city_admin

    @property
    def scope_path(self) -> str | None:
        """Tree path of what this user oversees; ``None`` for the whole platform."""
        if self.sees_everything:
            return None
        return self.unit.path if self.unit_id else "//nothing/"

    @property
    def can_read_audit(self) -> bool:
        return self.sees_everything or self.is_district_officer

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone) if self.phone else ""


class Notification(models.Model):
    """An item in a staff member's inbox: something they must look at or act on."""

    recipient = models.ForeignKey(
        User, verbose_name="接收人", on_delete=models.CASCADE, related_name="notifications"
    )
    message = models.CharField("内容", max_length=300)
    url = models.CharField("链接", max_length=300, blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)
    emailed_at = models.DateTimeField("邮件发送时间", null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "通知"
        verbose_name_plural = "通知"
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return self.message


class LoginThrottle(models.Model):
    """Failed sign-ins counted for one account or one client address.

    Kept in the database so every web worker sees the same count (the default cache is local
    to a worker). ``key`` is ``account:<username>`` or ``address:<ip>``.
    """

    key = models.CharField(max_length=200, unique=True)
    failures = models.PositiveIntegerField(default=0)
    window_start = models.DateTimeField()
    locked_until = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = "登录失败计数"
        verbose_name_plural = "登录失败计数"

    def __str__(self) -> str:
        return f"{self.key}: {self.failures}"
