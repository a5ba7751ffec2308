"""Reports' own tables.

Dashboard roll-ups: ``UnitDay``, one row per unit and day of a campaign, so a dashboard over
millions of activities and help requests reads tens of thousands of rows; ``DistrictDay``, the
same summed per district, for the city-wide view; ``AwarenessRollup``, survey answers counted
per area and age group; ``RollupRun``, when each campaign's were last rebuilt. They
are derived data, rebuilt from the source tables by ``dashboard_rollups.rollup_rebuild`` (the
periodic job, ``manage.py dashboard_rebuild``, and a dashboard's first view).

Summaries and reporting (总结报送, docs/reports.md): ``ReportingPlan`` and ``ReportingDuty``,
who reports to whom in a campaign; ``Summary`` with its ``SummaryEvent`` review steps and
``SummaryAttachment`` files; ``SummaryReminder``, the reminders sent about it.
"""

import uuid

from django.conf import settings
from django.db import models

from shegong.core.models import TimeStampedModel
from shegong.orgs.models import unit_scope_q


class DayFigures(models.Model):
    """The sums a dashboard reads for one day (see ``UnitDay`` for their definitions)."""

    activities = models.PositiveIntegerField(default=0)
    participants = models.PositiveBigIntegerField(default=0)
    media_reports = models.PositiveIntegerField(default=0)
    submissions = models.PositiveIntegerField(default=0)
    submissions_adopted = models.PositiveIntegerField(default=0)
    help_requests = models.PositiveIntegerField(default=0)
    help_responded = models.PositiveIntegerField(default=0)
    help_on_time = models.PositiveIntegerField(default=0)  # first response by the deadline
    help_response_seconds = models.PositiveBigIntegerField(default=0)  # sum over responded
    help_within_4h = models.PositiveIntegerField(default=0)
    help_within_24h = models.PositiveIntegerField(default=0)
    help_within_72h = models.PositiveIntegerField(default=0)
    help_overdue = models.PositiveIntegerField(default=0)  # unanswered past the deadline

    class Meta:
        abstract = True


class UnitDay(DayFigures):
    """One unit's figures for one day of one campaign (the dashboard's roll-up).

    ``district`` is the unit's district-level unit (itself for a district, ``None`` for the
    city bureau), so the city's per-district table is one GROUP BY without a join.
    Definitions match the campaign's KPI providers: activities and participants count
    reviewed activities (approved or featured) of the campaign, on the day they took place;
    media reports and 投稿 those dated from the campaign's first day to its summary deadline;
    help requests those of the campaign, on the day they were made.
    """

    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey("orgs.Unit", on_delete=models.CASCADE, related_name="+")
    district = models.ForeignKey(
        "orgs.Unit", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField()

    class Meta:
        verbose_name = "单位日统计"
        verbose_name_plural = "单位日统计"
        constraints = [
            models.UniqueConstraint(fields=["campaign", "unit", "day"], name="unitday_unique")
        ]
        indexes = [models.Index(fields=["campaign", "district", "day"])]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.day}"


class DistrictDay(DayFigures):
    """``UnitDay`` summed per district and day (``district`` ``None``: the city bureau's own
    work): what the city-wide dashboard reads, a fiftieth of the rows."""

    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="+")
    district = models.ForeignKey(
        "orgs.Unit", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField()

    class Meta:
        verbose_name = "区日统计"
        verbose_name_plural = "区日统计"
        indexes = [models.Index(fields=["campaign", "day"])]

    def __str__(self) -> str:
        return f"{self.district_id} {self.day}"


class CampaignDay(DayFigures):
    """``DistrictDay`` summed per campaign and day, with the QR scans of the campaign's city
    that day: what the nation-wide dashboard reads (a row per city and day)."""

    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    qr_scans = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "方案日统计"
        verbose_name_plural = "方案日统计"
        indexes = [models.Index(fields=["day"])]

    def __str__(self) -> str:
        return f"{self.campaign_id} {self.day}"


class SegmentDay(models.Model):
    """Reviewed activities and their participants per campaign, unit, day and segment: an
    audience (``audience:public``) or a focus (``focus:elderly``, 一老) the activity names. An
    activity naming several counts once in each; the dashboard's 人群 filter reads this
    instead of ``UnitDay`` for its activity figures."""

    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey("orgs.Unit", on_delete=models.CASCADE, related_name="+")
    district = models.ForeignKey(
        "orgs.Unit", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField()
    segment = models.CharField(max_length=40)
    activities = models.PositiveIntegerField(default=0)
    participants = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = "人群日统计"
        verbose_name_plural = "人群日统计"
        indexes = [models.Index(fields=["campaign", "segment", "district", "day"])]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.day} {self.segment}"


class RollupRun(models.Model):
    """When a campaign's roll-ups were last rebuilt, and what it took."""

    campaign = models.OneToOneField(
        "campaigns.Campaign", on_delete=models.CASCADE, related_name="+"
    )
    rebuilt_at = models.DateTimeField("统计时间")
    seconds = models.FloatField("用时（秒）", default=0)
    rows = models.PositiveIntegerField("行数", default=0)
    # The campaign's city as the nation-wide dashboard shows it, counted at the rebuild:
    # stations, listings (complete, verified within 90 days of the rebuild), task progress,
    # and QR scans per channel over the campaign's days.
    stations = models.PositiveIntegerField(default=0)
    listings = models.PositiveIntegerField(default=0)
    listings_complete = models.PositiveIntegerField(default=0)
    listings_fresh = models.PositiveIntegerField(default=0)
    tasks = models.PositiveIntegerField(default=0)
    tasks_done = models.PositiveIntegerField(default=0)
    qr_channels = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = "统计重建记录"
        verbose_name_plural = "统计重建记录"

    def __str__(self) -> str:
        return f"{self.campaign_id} {self.rebuilt_at:%Y-%m-%d %H:%M}"


class AwarenessRollup(models.Model):
    """Survey answers of one campaign counted per area (the district or town/street chosen)
    and age group: baseline and campaign answers, those aware, and where those aware heard
    of social work. Rebuilt with ``UnitDay`` (thousands of rows instead of every answer)."""

    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="+")
    area = models.ForeignKey("orgs.Unit", on_delete=models.CASCADE, related_name="+")
    age_group = models.CharField(max_length=8)
    baseline_answers = models.PositiveIntegerField(default=0)
    baseline_aware = models.PositiveIntegerField(default=0)
    campaign_answers = models.PositiveIntegerField(default=0)
    campaign_aware = models.PositiveIntegerField(default=0)
    heard_bus = models.PositiveIntegerField(default=0)
    heard_poster = models.PositiveIntegerField(default=0)
    heard_video = models.PositiveIntegerField(default=0)
    heard_event = models.PositiveIntegerField(default=0)
    heard_friends = models.PositiveIntegerField(default=0)
    heard_other = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "知晓度统计"
        verbose_name_plural = "知晓度统计"
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "area", "age_group"], name="awarenessrollup_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.area_id} {self.age_group}"


# --- Summaries and reporting (总结报送) -------------------------------------------------------

# The five narrative sections of a summary, as a bureau numbers them.
SECTIONS = [
    ("work", "一、工作开展情况"),
    ("methods", "二、主要做法"),
    ("highlights", "三、特色亮点"),
    ("problems", "四、存在问题"),
    ("plans", "五、下一步打算"),
]
SECTION_KEYS = [key for key, _ in SECTIONS]


class ReportingPlan(models.Model):
    """How a campaign's summaries flow upward: district-level units always report to the city
    on the campaign's summary deadline; stations report to their district ``stations_days_before``
    days earlier when ``stations_report`` is on."""

    campaign = models.OneToOneField(
        "campaigns.Campaign", on_delete=models.CASCADE, related_name="reporting_plan"
    )
    stations_report = models.BooleanField("社工站向区局报送总结", default=False)
    stations_days_before = models.PositiveSmallIntegerField(
        "社工站提前天数", default=3, help_text="社工站的截止日期比区级总结截止日期早几天。"
    )
    city_report_to = models.CharField(
        "市级报告主送机关", max_length=100, default="省民政厅", help_text="如 海南省民政厅。"
    )

    class Meta:
        verbose_name = "报送安排"
        verbose_name_plural = "报送安排"

    def __str__(self) -> str:
        return f"{self.campaign} 报送安排"


class DutyQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A unit sees its own duty and those of units under it."""
        return self.filter(unit_scope_q(user, field="unit"))


class ReportingDuty(models.Model):
    """One unit owes one summary in one campaign to ``reports_to`` by ``due_on``: the rows a
    reporting rate counts as expected (DHIS2's "expected reports")."""

    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.CASCADE, related_name="reporting_duties"
    )
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="+")
    reports_to = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField("报送截止日期")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = DutyQuerySet.as_manager()

    class Meta:
        ordering = ["campaign", "unit__path"]
        verbose_name = "报送任务"
        verbose_name_plural = "报送任务"
        constraints = [
            models.UniqueConstraint(fields=["campaign", "unit"], name="duty_one_per_unit")
        ]

    def __str__(self) -> str:
        return f"{self.unit} → {self.reports_to}（{self.due_on}）"


class SummaryQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(unit_scope_q(user, field="unit"))


class Summary(TimeStampedModel):
    """A unit's campaign summary (工作总结), or the city's report when ``unit`` is the city.

    The five narrative sections are drafted from the unit's figures when the summary is first
    saved; ``figures`` holds the figures frozen at submission (empty while a draft: the page
    computes them live).
    """

    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        SUBMITTED = "submitted", "已报送"
        RETURNED = "returned", "已退回"
        ACCEPTED = "accepted", "已采用"

    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.PROTECT, related_name="summaries"
    )
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        "状态", max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    work = models.TextField("一、工作开展情况", blank=True)
    methods = models.TextField("二、主要做法", blank=True)
    highlights = models.TextField("三、特色亮点", blank=True)
    problems = models.TextField("四、存在问题", blank=True)
    plans = models.TextField("五、下一步打算", blank=True)
    document_number = models.CharField("发文字号", max_length=40, blank=True)
    signer = models.CharField("签发人", max_length=20, blank=True)
    contact_person = models.CharField("联系人", max_length=50, blank=True)
    contact_phone = models.CharField("联系电话", max_length=30, blank=True)
    figures = models.JSONField("报送时的数据", default=list, blank=True)
    figures_frozen_at = models.DateTimeField("数据截取时间", null=True, blank=True)
    first_submitted_at = models.DateTimeField("首次报送时间", null=True, blank=True)
    submitted_at = models.DateTimeField("报送时间", null=True, blank=True)
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    review_comment = models.TextField("审核意见", blank=True)
    is_demo = models.BooleanField(default=False)

    objects = SummaryQuerySet.as_manager()

    class Meta:
        ordering = ["campaign", "unit__path"]
        verbose_name = "工作总结"
        verbose_name_plural = "工作总结"
        constraints = [
            models.UniqueConstraint(fields=["campaign", "unit"], name="summary_one_per_unit")
        ]

    def __str__(self) -> str:
        return f"{self.unit.name}{self.campaign.name}工作总结"

    @property
    def is_editable(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)

    def sections(self) -> list[tuple[str, str, str]]:
        """``(key, heading, text)`` of the five narrative sections."""
        return [(key, heading, getattr(self, key)) for key, heading in SECTIONS]


class SummaryEvent(models.Model):
    """A step of a summary's review: who moved it, from where to where, and why."""

    summary = models.ForeignKey(Summary, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    from_status = models.CharField(max_length=12, choices=Summary.Status.choices)
    to_status = models.CharField(max_length=12, choices=Summary.Status.choices)
    comment = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.summary_id}: {self.from_status} → {self.to_status}"


def _attachment_path(instance, filename: str) -> str:
    dot = filename.rfind(".")
    return f"summaries/{uuid.uuid4().hex}{filename[dot:] if dot >= 0 else ''}"


class SummaryAttachment(TimeStampedModel):
    """A file sent with a summary: a photo, or the 台账 (.xlsx) of the period."""

    class Kind(models.TextChoices):
        PHOTO = "photo", "照片"
        LEDGER = "ledger", "活动台账"
        OTHER = "other", "其他材料"

    summary = models.ForeignKey(Summary, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField("类别", max_length=8, choices=Kind.choices)
    name = models.CharField("名称", max_length=200)
    file = models.FileField("文件", upload_to=_attachment_path, max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = "总结附件"
        verbose_name_plural = "总结附件"

    def __str__(self) -> str:
        return self.name


class SummaryReminder(models.Model):
    """A reminder written to a unit that had not submitted: once per duty and moment."""

    class Moment(models.TextChoices):
        BEFORE = "before", "截止前3天"
        ON_DAY = "on_day", "截止当天"
        AFTER = "after", "已逾期"

    duty = models.ForeignKey(ReportingDuty, on_delete=models.CASCADE, related_name="reminders")
    moment = models.CharField(max_length=8, choices=Moment.choices)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["sent_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["duty", "moment"], name="reminder_once_per_moment")
        ]

    def __str__(self) -> str:
        return f"{self.duty} {self.moment}"
