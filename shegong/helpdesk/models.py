"""Citizens' help requests (求助), their handling notes, and who looked at whose details."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shegong.core.models import TimeStampedModel
from shegong.core.validators import mask_phone
from shegong.orgs.models import unit_scope_q

# Codes are read aloud over the phone: no 0/O, 1/I/L, 2/Z, 5/S, 8/B look-alikes.
CODE_ALPHABET = "34679ACDEFGHJKMNPQRTUVWXY"
CODE_LENGTH = 8


class HelpRequestQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Requests assigned to a unit the user oversees (city admin: all, for audit)."""
        return self.filter(unit_scope_q(user, field="unit"))

    def open(self):
        return self.exclude(status__in=HelpRequest.FINAL_STATUSES)

    def overdue(self, now=None):
        """Still waiting for a first response after the deadline."""
        now = now or timezone.now()
        return self.filter(status=HelpRequest.Status.NEW, respond_by__lt=now)

    def created_since(self, since):
        return self.filter(created_at__gte=since)


class HelpRequest(TimeStampedModel):
    class ForWhom(models.TextChoices):
        SELF = "self", _("本人")
        FAMILY = "family", _("家人")
        NEIGHBOUR = "neighbour", _("邻居")
        OTHER = "other", _("其他人")

    class Category(models.TextChoices):
        ELDERLY = "elderly", _("老年人")
        MINOR = "minor", _("未成年人")
        FAMILY = "family", _("家庭")
        DISABILITY = "disability", _("残疾人")
        OTHER = "other", _("其他")

    class PreferredTime(models.TextChoices):
        ANY = "any", _("任何时间")
        MORNING = "morning", _("上午")
        AFTERNOON = "afternoon", _("下午")
        EVENING = "evening", _("晚上")

    class Status(models.TextChoices):
        NEW = "new", _("待受理")
        ACCEPTED = "accepted", _("已受理")
        IN_PROGRESS = "in_progress", _("处理中")
        REFERRED = "referred", _("已转介")
        CLOSED = "closed", _("已办结")
        REJECTED = "rejected", _("不予受理")

    class RejectReason(models.TextChoices):
        DUPLICATE = "duplicate", _("重复求助")
        OUT_OF_SCOPE = "out_of_scope", _("不属于社工服务范围")

    FINAL_STATUSES = (Status.REFERRED, Status.CLOSED, Status.REJECTED)
    # The state machine, once: the states each staff action may start from. The services
    # refuse any other; the detail page offers only these actions.
    ACTIONS_FROM = {
        "accept": (Status.NEW,),
        "start": (Status.ACCEPTED,),
        "close": (Status.ACCEPTED, Status.IN_PROGRESS),
        "reject": (Status.NEW, Status.ACCEPTED, Status.IN_PROGRESS),
        "refer": (Status.NEW, Status.ACCEPTED, Status.IN_PROGRESS),
        "note": tuple(Status),
    }

    code = models.CharField("查询码", max_length=CODE_LENGTH, unique=True)
    for_whom = models.CharField("为谁求助", max_length=12, choices=ForWhom.choices)
    category = models.CharField("类别", max_length=12, choices=Category.choices)
    description = models.TextField("情况说明", max_length=2000)
    area = models.ForeignKey(
        "orgs.Unit",
        verbose_name="所选区域",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="求助人选择的区或乡镇（街道）。",
    )
    unit = models.ForeignKey(
        "orgs.Unit",
        verbose_name="承办单位",
        on_delete=models.PROTECT,
        related_name="help_requests",
    )
    campaign = models.ForeignKey(
        "campaigns.Campaign", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    contact_name = models.CharField("联系人", max_length=50, blank=True)
    phone = models.CharField("联系电话", max_length=30, blank=True)
    phone_last4 = models.CharField(max_length=4)
    preferred_time = models.CharField(
        "方便联系时间", max_length=12, choices=PreferredTime.choices, default=PreferredTime.ANY
    )
    consent_at = models.DateTimeField("同意隐私说明时间")
    ip_hash = models.CharField(max_length=64, blank=True, db_index=True)

    status = models.CharField(
        "状态", max_length=12, choices=Status.choices, default=Status.NEW, db_index=True
    )
    urgent = models.BooleanField("紧急", default=False)
    danger_words = models.CharField("触发的危险词", max_length=200, blank=True)
    respond_by = models.DateTimeField("首次响应期限", db_index=True)
    first_response_at = models.DateTimeField("首次响应时间", null=True, blank=True)
    escalated_at = models.DateTimeField("上报区局时间", null=True, blank=True)
    outcome = models.TextField("办结结果", blank=True)
    reject_reason = models.CharField(
        "不予受理原因", max_length=20, choices=RejectReason.choices, blank=True
    )
    referred_to = models.CharField("转介对象", max_length=100, blank=True)
    notified_at = models.DateTimeField("已通知承办单位", null=True, blank=True)
    notify_attempts = models.PositiveSmallIntegerField(default=0)
    rating = models.PositiveSmallIntegerField("服务评价", null=True, blank=True)
    rating_comment = models.CharField("评价意见", max_length=300, blank=True)
    purged_at = models.DateTimeField("联系方式清除时间", null=True, blank=True)
    is_demo = models.BooleanField("演示数据", default=False)

    objects = HelpRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-urgent", "-created_at", "-id"]
        verbose_name = "求助"
        verbose_name_plural = "求助"
        indexes = [
            models.Index(fields=["unit", "status"]),
            models.Index(fields=["-urgent", "-created_at", "-id"], name="helprequest_queue_order"),
            models.Index(
                fields=["unit", "-urgent", "-created_at", "-id"], name="helprequest_unit_queue"
            ),
            models.Index(fields=["phone", "created_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="helprequest_rating_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"求助 {self.display_code}"

    @property
    def display_code(self) -> str:
        return f"{self.code[:4]}-{self.code[4:]}"

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone) if self.phone else "—"

    def is_overdue(self, now=None) -> bool:
        return self.status == self.Status.NEW and self.respond_by < (now or timezone.now())


class Note(models.Model):
    """One step of the handling: a status change or a remark, public or internal."""

    request = models.ForeignKey(HelpRequest, on_delete=models.CASCADE, related_name="notes")
    at = models.DateTimeField("时间", default=timezone.now)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status_from = models.CharField(max_length=12, blank=True)
    status_to = models.CharField(max_length=12, blank=True)
    text = models.TextField("说明", max_length=2000)
    public = models.BooleanField("求助人可见", default=False)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = "处理记录"
        verbose_name_plural = "处理记录"

    def __str__(self) -> str:
        return self.text[:50]

    RECEIPT_PREFIX = "已收到求助，转交"

    @property
    def receipt_unit(self) -> str:
        """The unit named by the note written on submission ("" for any other note).

        Public pages render that note in the reader's language rather than as stored.
        """
        system = self.author_id is None and not self.status_from and self.status_to == "new"
        if system and self.text.startswith(self.RECEIPT_PREFIX):
            return self.text.removeprefix(self.RECEIPT_PREFIX).removesuffix("。")
        return ""

    @property
    def status_to_label(self) -> str:
        return HelpRequest.Status(self.status_to).label if self.status_to else ""


class AccessLogEntry(models.Model):
    """Every time a staff member saw a citizen's personal data, and why.

    One row per viewing: the actions taken on the page while it is open (accept, a note …)
    show the same details again and are part of that viewing (``services.VIEWING``).
    """

    class Purpose(models.TextChoices):
        HANDLE = "handle", "办理求助"
        SUPERVISE = "supervise", "督办检查"

    at = models.DateTimeField("时间", default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="查看人", on_delete=models.PROTECT, related_name="+"
    )
    request = models.ForeignKey(
        HelpRequest, verbose_name="求助", on_delete=models.CASCADE, related_name="access_log"
    )
    action = models.CharField("操作", max_length=40, default="view")
    purpose = models.CharField(
        "目的", max_length=12, choices=Purpose.choices, default=Purpose.HANDLE
    )
    scope_path = models.CharField(max_length=255, db_index=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = "个人信息查看记录"
        verbose_name_plural = "个人信息查看记录"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user} {self.action} {self.request}"


class TrackAttempt(models.Model):
    """A citizen's try at /help/track/: failures are counted to slow down guessing."""

    at = models.DateTimeField(default=timezone.now, db_index=True)
    ip_hash = models.CharField(max_length=64, db_index=True)
    code = models.CharField(max_length=CODE_LENGTH, db_index=True)
    success = models.BooleanField(default=False)

    class Meta:
        verbose_name = "查询记录"
        verbose_name_plural = "查询记录"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.code} {self.success}"


class CampaignSetting(models.Model):
    """Per-campaign helpdesk settings (deadline, retention)."""

    campaign = models.OneToOneField(
        "campaigns.Campaign", on_delete=models.CASCADE, related_name="helpdesk_setting"
    )
    first_response_working_days = models.PositiveSmallIntegerField(
        "首次响应期限（工作日）", default=1
    )
    retention_days = models.PositiveSmallIntegerField("联系方式保留天数", default=365)

    class Meta:
        verbose_name = "求助设置"
        verbose_name_plural = "求助设置"

    def __str__(self) -> str:
        return f"{self.campaign} 求助设置"
