"""The activity ledger (活动台账) and what hangs off it: photos and videos, risk assessments,
news drafts, media coverage, submissions (投稿), live-stream sessions, budget caps, cases."""

import uuid
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.urls import reverse

from shegong.core.models import TimeStampedModel
from shegong.orgs.models import Unit, unit_scope_q

# As long as a form's URL check lets through: links copied from WeChat on a PC run past the
# default 200, which PostgreSQL then refused with a server error.
URL_MAX_LENGTH = 2048


class Audience(models.TextChoices):
    PRACTITIONERS = "practitioners", "从业人员"
    SERVICE_USERS = "service_users", "服务对象"
    PUBLIC = "public", "社会公众"


class Focus(models.TextChoices):
    ELDERLY = "elderly", "一老"
    CHILDREN = "children", "一小"
    FIVE_SOCIAL = "five_social", "五社联动"
    POLICY = "policy", "政策宣传"
    ACHIEVEMENTS = "achievements", "工作成效"
    BRAND = "brand", "品牌宣传"
    VOLUNTEERING = "volunteering", "志愿服务"


def codes_join(codes) -> str:
    """Store a set of choice codes as ",a,b," so one ``contains`` finds a code exactly."""
    codes = [c for c in codes if c]
    return f",{','.join(codes)}," if codes else ""


def codes_split(value: str) -> list[str]:
    return [c for c in value.split(",") if c]


def _labels(value: str, choices) -> list[str]:
    names = dict(choices)
    return [names.get(code, code) for code in codes_split(value)]


class ScopedQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(unit_scope_q(user, field="unit"))


class ActivityQuerySet(ScopedQuerySet):
    def with_focus(self, code: str):
        return self.filter(focus_tags__contains=f",{code},")

    def with_audience(self, code: str):
        return self.filter(audiences__contains=f",{code},")

    def awaiting_review_by(self, user):
        """Submitted activities ``user`` must review: their stations' (district officer) or
        the districts' and the city's own (city admin)."""
        submitted = self.filter(status=Activity.Status.SUBMITTED)
        if not user.is_authenticated:
            return self.none()
        # The units as a subquery, not a join: a handful of units, each read through the
        # (unit, status) index, instead of every submitted activity joined to its unit.
        if user.sees_everything:
            return submitted.filter(
                unit__in=Unit.objects.exclude(level=Unit.Level.STATION).values("pk")
            )
        if user.is_district_officer and user.unit_id:
            return submitted.filter(
                unit__in=Unit.objects.filter(parent_id=user.unit_id).values("pk")
            )
        return self.none()

    def flagged(self):
        return self.filter(models.Q(over_plan=True) | models.Q(over_cap=True))


class Activity(TimeStampedModel):
    """One row of the 台账: something a unit did to publicise social work."""

    class Kind(models.TextChoices):
        ONSITE = "onsite", "现场活动"
        LIVE_STREAM = "live_stream", "直播"
        VISIT_SCHOOL = "visit_school", "进学校"
        VISIT_HOSPITAL = "visit_hospital", "进医院"
        VISIT_INSTITUTION = "visit_institution", "进公共机构"
        POSTER = "poster", "张贴海报"
        MEDIA_REPORT = "media_report", "媒体报道"
        PUBLIC_AD = "public_ad", "公益广告"
        SHORT_VIDEO = "short_video", "短视频"
        PROMO_FILM = "promo_film", "宣传片"
        BUS_AD = "bus_ad", "公交广告"
        OTHER = "other", "其他"

    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        SUBMITTED = "submitted", "待审核"
        RETURNED = "returned", "已退回"
        APPROVED = "approved", "已通过"
        FEATURED = "featured", "优秀案例"

    unit = models.ForeignKey(
        "orgs.Unit", verbose_name="单位", on_delete=models.PROTECT, related_name="activities"
    )
    campaign = models.ForeignKey(
        "campaigns.Campaign",
        verbose_name="宣传活动",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="activities",
    )
    kind = models.CharField("活动形式", max_length=20, choices=Kind.choices, db_index=True)
    title = models.CharField("活动名称", max_length=200)
    starts_at = models.DateTimeField("活动时间", db_index=True)
    place = models.CharField("活动地点", max_length=200, blank=True)
    audiences = models.CharField("受众", max_length=100, blank=True)
    focus_tags = models.CharField("宣传重点", max_length=200, blank=True)
    partners = models.ManyToManyField(
        "orgs.Partner", verbose_name="参与伙伴", blank=True, related_name="activities"
    )
    tasks = models.ManyToManyField(
        "campaigns.Task",
        verbose_name="对应的方案任务",
        blank=True,
        related_name="activities",
        help_text="本活动落实的宣传活动方案任务（活动安排）。",
    )
    participants = models.PositiveIntegerField("参与人数", default=0)
    volunteers = models.PositiveIntegerField("志愿者人数", default=0)
    views = models.PositiveIntegerField("浏览量", default=0)
    live_viewers = models.PositiveIntegerField("直播观看人数", default=0)
    reads = models.PositiveIntegerField("阅读量", default=0)
    budget_planned = models.DecimalField(
        "计划预算（元）", max_digits=12, decimal_places=2, default=Decimal("0")
    )
    spend_actual = models.DecimalField(
        "实际支出（元）", max_digits=12, decimal_places=2, default=Decimal("0")
    )
    over_plan = models.BooleanField("超出计划", default=False)
    over_cap = models.BooleanField("超出经费上限", default=False)
    outcome = models.TextField("活动成效", blank=True)
    held = models.BooleanField("已举办", default=False)
    status = models.CharField(
        "状态", max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    review_comment = models.TextField("审核意见", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="填报人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_demo = models.BooleanField("演示数据", default=False)

    objects = ActivityQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at", "-id"]
        verbose_name = "活动"
        verbose_name_plural = "活动台账"
        indexes = [
            models.Index(fields=["unit", "campaign", "starts_at"]),
            models.Index(fields=["unit", "status"], name="activity_unit_status"),
            # The campaign page's KPIs (reviewed activities, their participants) read from
            # the index alone instead of a million rows.
            models.Index(fields=["campaign", "status", "participants"], name="activity_kpi"),
            # The budget report's GROUP BY reads this index alone (548 -> ~330 ms for the city
            # at a million activities, under load; a district's ~30 ms).
            models.Index(
                fields=[
                    "unit",
                    "campaign",
                    "budget_planned",
                    "spend_actual",
                    "over_plan",
                    "over_cap",
                    "id",
                ],
                name="activity_budget",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("activities:activity_detail", args=[self.pk])

    @property
    def audience_labels(self) -> list[str]:
        return _labels(self.audiences, Audience.choices)

    @property
    def focus_labels(self) -> list[str]:
        return _labels(self.focus_tags, Focus.choices)

    @property
    def needs_risk_assessment(self) -> bool:
        return self.kind == self.Kind.ONSITE

    @property
    def is_editable(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)


class ActivityEvent(models.Model):
    """A step of an activity's review: who moved it, from where to where, and why."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    from_status = models.CharField(max_length=12, choices=Activity.Status.choices)
    to_status = models.CharField(max_length=12, choices=Activity.Status.choices)
    comment = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.activity_id}: {self.from_status} → {self.to_status}"


class RiskAssessment(TimeStampedModel):
    """The pre-assessment an on-site event needs before it happens (八项规定, 风险防控)."""

    class Venue(models.TextChoices):
        INDOOR = "indoor", "室内场所"
        OUTDOOR = "outdoor", "室外场地"
        STREET = "street", "街头、广场等开放场所"
        WATERSIDE = "waterside", "海边、水边"

    class Weather(models.TextChoices):
        FINE = "fine", "天气良好"
        HOT = "hot", "高温"
        RAIN = "rain", "降雨"
        TYPHOON = "typhoon", "台风、暴雨等恶劣天气"

    class Level(models.TextChoices):
        LOW = "low", "低"
        MEDIUM = "medium", "中"
        HIGH = "high", "高"

    activity = models.OneToOneField(Activity, on_delete=models.CASCADE, related_name="risk")
    expected_crowd = models.PositiveIntegerField("预计人数")
    venue = models.CharField("场地类型", max_length=12, choices=Venue.choices)
    weather = models.CharField("天气", max_length=12, choices=Weather.choices)
    emergency_plan = models.TextField("应急预案", blank=True)
    person_responsible = models.CharField("安全责任人", max_length=50)
    level = models.CharField("风险等级", max_length=8, choices=Level.choices)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="批准人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_at = models.DateTimeField("批准时间", null=True, blank=True)

    @property
    def is_cleared(self) -> bool:
        """Low and medium risk are cleared by the assessment itself; high needs approval."""
        return self.level != self.Level.HIGH or self.approved_at is not None


def _media_path(instance, filename: str) -> str:
    return f"activities/{uuid.uuid4().hex}{filename[filename.rfind('.') :]}"


class ActivityMedia(TimeStampedModel):
    """A photo or video of an activity. The stored file is the served copy: re-encoded without
    EXIF (photos) or with its metadata boxes blanked (videos); capture time and place are kept
    here, in the internal record, only."""

    class Kind(models.TextChoices):
        PHOTO = "photo", "照片"
        VIDEO = "video", "视频"

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="media")
    kind = models.CharField("类型", max_length=8, choices=Kind.choices)
    file = models.FileField("文件", upload_to=_media_path, max_length=200)
    thumbnail = models.FileField("缩略图", upload_to=_media_path, max_length=200, blank=True)
    content_type = models.CharField(max_length=40)
    caption = models.CharField("说明", max_length=200, blank=True)
    original_name = models.CharField("原文件名", max_length=200, blank=True)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    captured_at = models.DateTimeField("拍摄时间", null=True, blank=True)
    latitude = models.FloatField("拍摄地纬度", null=True, blank=True)
    longitude = models.FloatField("拍摄地经度", null=True, blank=True)
    shows_minors = models.BooleanField("画面中有未成年人", default=False)
    consent_recorded_at = models.DateTimeField("监护人同意登记时间", null=True, blank=True)
    consent_note = models.CharField("同意书说明", max_length=200, blank=True)
    is_demo = models.BooleanField("演示数据", default=False)

    class Meta:
        ordering = ["created_at", "id"]

    @property
    def public_use_allowed(self) -> bool:
        """Only consented media of approved activities may leave the console."""
        consented = not self.shows_minors or self.consent_recorded_at is not None
        approved = self.activity.status in (Activity.Status.APPROVED, Activity.Status.FEATURED)
        return consented and approved


class BudgetCap(TimeStampedModel):
    """The most a unit may spend on a campaign's publicity (厉行节约)."""

    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="+")
    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="+")
    amount = models.DecimalField("经费上限（元）", max_digits=12, decimal_places=2)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "campaign"], name="budgetcap_unique")
        ]


class NewsDraft(TimeStampedModel):
    """A news draft (新闻稿) of an activity, reviewed by the district before it goes out."""

    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        SUBMITTED = "submitted", "待审核"
        RETURNED = "returned", "已退回"
        APPROVED = "approved", "已审核"
        ADOPTED = "adopted", "已被媒体采用"

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="news")
    title = models.CharField("标题", max_length=200)
    body = models.TextField("正文")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    review_comment = models.TextField("审核意见", blank=True)
    adopted_by = models.CharField("采用媒体", max_length=100, blank=True)
    adopted_url = models.URLField("采用链接", max_length=URL_MAX_LENGTH, blank=True)

    class Meta:
        ordering = ["-created_at"]


class MediaCoverage(TimeStampedModel):
    """A report by a news medium, an ad or a video that ran (媒体宣传)."""

    class Type(models.TextChoices):
        NEWSPAPER = "newspaper", "报纸"
        TV = "tv", "电视"
        RADIO = "radio", "广播"
        WEB = "web", "网站"
        WECHAT = "wechat", "微信公众号"
        SHORT_VIDEO = "short_video", "短视频平台"
        OUTDOOR = "outdoor", "户外及公交广告"
        OTHER = "other", "其他"

    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="+")
    activity = models.ForeignKey(
        Activity, null=True, blank=True, on_delete=models.SET_NULL, related_name="coverage"
    )
    outlet = models.CharField("媒体", max_length=100)
    type = models.CharField("类型", max_length=12, choices=Type.choices)
    title = models.CharField("标题", max_length=200)
    url = models.URLField("链接", max_length=URL_MAX_LENGTH, blank=True)
    published_on = models.DateField("刊发日期")
    reach = models.PositiveIntegerField("阅读/观看量", default=0)
    focus_tags = models.CharField("宣传重点", max_length=200, blank=True)
    is_demo = models.BooleanField(default=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-published_on", "-id"]

    @property
    def focus_labels(self) -> list[str]:
        return _labels(self.focus_tags, Focus.choices)


class Submission(TimeStampedModel):
    """A piece sent to a medium or a professional account (投稿) and what became of it."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", "已投稿"
        ADOPTED = "adopted", "已采用"
        PUBLISHED = "published", "已刊发"
        REJECTED = "rejected", "未采用"

    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="+")
    activity = models.ForeignKey(
        Activity, null=True, blank=True, on_delete=models.SET_NULL, related_name="submissions"
    )
    outlet = models.CharField("投稿对象", max_length=100)
    title = models.CharField("稿件标题", max_length=200)
    submitted_on = models.DateField("投稿日期")
    status = models.CharField(
        "状态", max_length=12, choices=Status.choices, default=Status.SUBMITTED
    )
    url = models.URLField("刊发链接", max_length=URL_MAX_LENGTH, blank=True)
    is_demo = models.BooleanField(default=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_on", "-id"]


class LiveStream(TimeStampedModel):
    """A live-stream session (e.g. on 益播间)."""

    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="+")
    activity = models.ForeignKey(
        Activity, null=True, blank=True, on_delete=models.SET_NULL, related_name="streams"
    )
    platform = models.CharField("平台", max_length=60)
    title = models.CharField("直播主题", max_length=200)
    starts_at = models.DateTimeField("开播时间")
    peak_viewers = models.PositiveIntegerField("最高在线人数", default=0)
    replay_url = models.URLField("回放链接", max_length=URL_MAX_LENGTH, blank=True)
    is_demo = models.BooleanField(default=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at", "-id"]


class Case(TimeStampedModel):
    """A typical case of 五社联动 or a model social worker (典型案例、先进典型)."""

    class Kind(models.TextChoices):
        CASE = "case", "典型案例"
        EXEMPLAR = "exemplar", "先进典型"

    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        PUBLISHED = "published", "已发布"

    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("类别", max_length=10, choices=Kind.choices, default=Kind.CASE)
    title = models.CharField("标题", max_length=200)
    beneficiary_group = models.CharField("服务对象群体", max_length=100, blank=True)
    problem = models.TextField("问题与需求", blank=True)
    intervention = models.TextField("服务与介入", blank=True)
    outcome = models.TextField("成效", blank=True)
    person_name = models.CharField("先进人物姓名", max_length=50, blank=True)
    partners = models.ManyToManyField("orgs.Partner", blank=True, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(null=True, blank=True)
    is_demo = models.BooleanField(default=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title
