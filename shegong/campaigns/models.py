from django.db import models

from shegong.core.models import TimeStampedModel
from shegong.orgs.models import Unit, unit_scope_q
from shegong.orgs.rules import is_staff_member


class CampaignQuerySet(models.QuerySet):
    def current(self):
        """The campaign users work on now: the issued one (it has a 发文字号) that started
        last, so a copy being drafted for next year does not take over before it is issued;
        the latest draft when none is issued yet."""
        latest = self.order_by("-starts_on", "-id")
        return latest.exclude(document_number="").first() or latest.first()

    def visible_to(self, user):
        """Campaigns are the city's plan: every staff member with a unit role reads them."""
        return self if is_staff_member(user) else self.none()

    def published(self):
        """Documents the issuer discloses of its own accord (此件主动公开)."""
        return self.filter(disclosure=Campaign.Disclosure.PUBLIC).exclude(document_number="")


class Campaign(TimeStampedModel):
    """A yearly publicity campaign as planned by the issuing bureau.

    Holds everything the 印发通知 and its 方案 say, so the official document can be generated
    from it (``campaigns.documents``).
    """

    class Disclosure(models.TextChoices):
        PUBLIC = "public", "主动公开"
        ON_REQUEST = "on_request", "依申请公开"
        NOT_PUBLIC = "not_public", "不予公开"

    class AttachmentStyle(models.TextChoices):
        APPENDED = "appended", "印发件直接附后（不加附件说明）"
        ANNEX = "annex", "作为附件（正文后加附件说明，另面标“附件”）"

    slug = models.SlugField("标识", max_length=60, unique=True)
    name = models.CharField("方案名称", max_length=200)
    theme = models.CharField("宣传主题", max_length=200)
    starts_on = models.DateField("开始日期")
    ends_on = models.DateField("结束日期")
    summary_deadline = models.DateField("总结报送截止日期")
    issuer = models.ForeignKey(
        "orgs.Unit", verbose_name="发文单位", on_delete=models.PROTECT, related_name="+"
    )
    # 版头
    issuer_mark = models.CharField(
        "发文机关标志", max_length=60, blank=True, help_text="如“海口市民政局文件”。"
    )
    document_number = models.CharField(
        "发文字号", max_length=40, blank=True, help_text="如 海民发〔2023〕79号。"
    )
    signed_on = models.DateField("成文日期", null=True, blank=True)
    # 主体
    recipients = models.CharField("主送机关", max_length=300, blank=True)
    basis_title = models.CharField(
        "依据文件名称", max_length=200, blank=True, help_text="不含书名号。"
    )
    basis_number = models.CharField("依据文件字号", max_length=40, blank=True)
    notice_body = models.TextField(
        "通知正文",
        blank=True,
        help_text="印发通知的正文，一段一行；留空时按依据文件和方案名称生成。",
    )
    disclosure = models.CharField(
        "公开方式", max_length=20, choices=Disclosure.choices, default=Disclosure.PUBLIC
    )
    contact_person = models.CharField("联系人", max_length=50, blank=True)
    contact_phone = models.CharField("联系电话", max_length=30, blank=True)
    attachment_style = models.CharField(
        "方案附送方式",
        max_length=20,
        choices=AttachmentStyle.choices,
        default=AttachmentStyle.APPENDED,
    )
    copy_to = models.CharField("抄送机关", max_length=300, blank=True)
    printed_by = models.CharField("印发机关", max_length=100, blank=True)
    printed_on = models.DateField("印发日期", null=True, blank=True)
    # 方案
    preamble = models.TextField("方案导语", blank=True)
    goals = models.TextField("活动目标", blank=True)
    period_text = models.CharField(
        "活动时间表述", max_length=100, blank=True, help_text="留空时按开始、结束日期生成。"
    )
    city_heading = models.CharField("市级安排标题", max_length=60, default="市民政局")
    district_heading = models.CharField("区级安排标题", max_length=60, default="各区民政局")
    station_heading = models.CharField(
        "社工站安排标题", max_length=60, default="乡镇（街道）社工站"
    )
    requirements = models.TextField("有关要求", blank=True, help_text="每条要求一行。")
    closing = models.TextField("结尾要求", blank=True, help_text="如总结报送要求。")

    objects = CampaignQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = "宣传活动方案"
        verbose_name_plural = "宣传活动方案"

    def __str__(self) -> str:
        return self.name

    @property
    def year(self) -> int:
        return self.starts_on.year

    @property
    def notice_title(self) -> str:
        return f"{self.issuer.name}关于印发《{self.name}》的通知"


class KpiTarget(models.Model):
    """A measurable goal of the campaign; its progress is computed, never typed in."""

    class Kind(models.TextChoices):
        ACTIVITIES = "activities", "宣传活动（场）"
        PARTICIPANTS = "participants", "参与人数（人次）"
        MEDIA_REPORTS = "media_reports", "媒体报道（篇）"
        STATIONS_LISTED = "stations_listed", "信息完整的社工站（个）"
        STORIES = "stories", "社工故事作品（篇）"
        AWARENESS_RATE = "awareness_rate", "社会工作知晓率（%）"
        TASKS_DONE = "tasks_done", "已完成的任务进度（项）"

    campaign = models.ForeignKey(
        Campaign, verbose_name="方案", on_delete=models.CASCADE, related_name="kpi_targets"
    )
    kind = models.CharField("指标", max_length=30, choices=Kind.choices)
    target = models.DecimalField("目标值", max_digits=12, decimal_places=2)

    class Meta:
        ordering = ["campaign", "id"]
        verbose_name = "量化指标"
        verbose_name_plural = "量化指标"
        constraints = [
            models.UniqueConstraint(fields=["campaign", "kind"], name="kpi_one_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.target}"


class Task(models.Model):
    """One item of the plan's 活动安排, assigned to every unit of one level.

    ``text`` is the item as the document prints it. Items of one level that share a
    ``paragraph`` are printed as one paragraph (the notice writes several district duties in
    one paragraph); ``numbered`` items are printed "1．…", "2．…".
    """

    class Level(models.TextChoices):
        CITY = Unit.Level.CITY.value, "市级"
        DISTRICT = Unit.Level.DISTRICT.value, "区级"
        STATION = Unit.Level.STATION.value, "社工站"

    campaign = models.ForeignKey(
        Campaign, verbose_name="方案", on_delete=models.CASCADE, related_name="tasks"
    )
    level = models.CharField("层级", max_length=10, choices=Level.choices)
    order = models.PositiveSmallIntegerField("顺序", default=0)
    paragraph = models.PositiveSmallIntegerField("段落", default=0)
    numbered = models.BooleanField("编号", default=False)
    in_document = models.BooleanField("印入方案", default=True)
    title = models.CharField("任务", max_length=100)
    text = models.TextField("方案原文", blank=True)
    deliverables = models.CharField("交付成果", max_length=300, blank=True)
    due_on = models.DateField("完成期限")
    # Issued to the units chosen when it was issued (progress rows name them), not to every
    # unit of its level: units added to the tree later do not get it.
    chosen_units = models.BooleanField("只下达到选定单位", default=False)

    class Meta:
        ordering = ["campaign", "order", "id"]
        verbose_name = "任务"
        verbose_name_plural = "任务"
        indexes = [models.Index(fields=["campaign", "level"])]

    def __str__(self) -> str:
        return self.title


class ProgressQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(unit_scope_q(user, field="unit"))


class TaskProgress(TimeStampedModel):
    """How far one unit has got with one task."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "未开始"
        IN_PROGRESS = "in_progress", "进行中"
        DONE = "done", "已完成"

    task = models.ForeignKey(
        Task, verbose_name="任务", on_delete=models.CASCADE, related_name="progress"
    )
    unit = models.ForeignKey(
        "orgs.Unit", verbose_name="单位", on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        "状态", max_length=20, choices=Status.choices, default=Status.NOT_STARTED
    )
    note = models.TextField("进展说明", blank=True)
    evidence_links = models.TextField("佐证链接", blank=True, help_text="每行一个网址。")
    done_on = models.DateField("完成日期", null=True, blank=True)

    objects = ProgressQuerySet.as_manager()

    class Meta:
        ordering = ["task", "unit__path"]
        verbose_name = "任务进度"
        verbose_name_plural = "任务进度"
        constraints = [
            models.UniqueConstraint(fields=["task", "unit"], name="progress_one_per_unit")
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.task}：{self.get_status_display()}"

    @property
    def links(self) -> list[str]:
        return [line.strip() for line in self.evidence_links.splitlines() if line.strip()]

    @property
    def on_time(self) -> bool:
        return (
            self.status == self.Status.DONE
            and self.done_on is not None
            and (self.done_on <= self.task.due_on)
        )
