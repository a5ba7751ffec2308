"""The story contest (椰城社工故事): a call per campaign, entries, blind reviews, awards."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from shegong.core.models import TimeStampedModel
from shegong.orgs.models import unit_scope_q

# Codes a citizen copies by hand: no 0/O, 1/I/L, 2/Z, 5/S, 8/B (as help requests use).
CODE_ALPHABET = "34679ACDEFGHJKMNPQRTUVWXY"
CODE_LENGTH = 8


class Category(models.TextChoices):
    WRITTEN = "written", "文字故事"
    PHOTO = "photo", "图片故事"
    VIDEO = "video", "短视频"


class CallQuerySet(models.QuerySet):
    def open_for_entries(self, now=None):
        now = now or timezone.now()
        return self.filter(submission_opens__lte=now, submission_closes__gt=now)


class Call(TimeStampedModel):
    """A campaign's call for stories (征集通知): rules, windows, criteria and award tiers."""

    campaign = models.OneToOneField(
        "campaigns.Campaign", verbose_name="方案", on_delete=models.PROTECT, related_name="call"
    )
    slug = models.SlugField("标识", max_length=60, unique=True)
    title = models.CharField("征集名称", max_length=200)
    rules = models.TextField("征集规则", blank=True)
    categories = models.CharField(
        "作品类别", max_length=60, default="written,photo,video", help_text="逗号分隔"
    )
    submission_opens = models.DateTimeField("征集开始")
    submission_closes = models.DateTimeField("征集截止")
    review_opens = models.DateTimeField("评审开始")
    review_closes = models.DateTimeField("评审截止")
    reviews_per_entry = models.PositiveSmallIntegerField("每件作品评审人数", default=3)
    decisions_published_at = models.DateTimeField("评审结果公布时间", null=True, blank=True)
    is_demo = models.BooleanField(default=False)

    objects = CallQuerySet.as_manager()

    class Meta:
        ordering = ["-submission_opens", "-id"]
        verbose_name = "故事征集"
        verbose_name_plural = "故事征集"

    def __str__(self) -> str:
        return self.title

    @property
    def category_codes(self) -> list[str]:
        return [c for c in self.categories.split(",") if c in Category.values]

    def category_choices(self) -> list[tuple[str, str]]:
        return [(c.value, c.label) for c in Category if c.value in self.category_codes]

    def accepts_entries(self, now=None) -> bool:
        now = now or timezone.now()
        return self.submission_opens <= now < self.submission_closes

    def reviews_locked(self, now=None) -> bool:
        return (now or timezone.now()) >= self.review_closes

    def review_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.review_opens <= now < self.review_closes


class Criterion(models.Model):
    """A weighted criterion of the review, e.g. 真实感人 40%."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField("评分项", max_length=50)
    weight = models.PositiveSmallIntegerField("权重（%）")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["call", "position", "id"]

    def __str__(self) -> str:
        return f"{self.name} {self.weight}%"


class AwardTier(models.Model):
    """An award level with how many entries may receive it, e.g. 一等奖 × 1."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="tiers")
    name = models.CharField("奖项", max_length=30)
    name_en = models.CharField("英文名称", max_length=60, blank=True)
    count = models.PositiveSmallIntegerField("名额")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["call", "position", "id"]

    def __str__(self) -> str:
        return self.name


class EntryQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Staff see the entries of their units (city admins all, public ones included);
        judges see none through this: they reach entries only through their assignments."""
        if not user.is_authenticated or user.is_judge:
            return self.none()
        return self.filter(unit_scope_q(user, field="unit"))

    def published(self):
        return self.filter(status=Entry.Status.PUBLISHED)

    def counted(self):
        """Entries that count as entered: all but withdrawn ones."""
        return self.exclude(status=Entry.Status.WITHDRAWN)


class Entry(TimeStampedModel):
    """A story entered in a call, by a citizen (no account) or by a unit on someone's behalf."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", "已提交"
        WITHDRAWN = "withdrawn", "已撤回"
        UNDER_REVIEW = "under_review", "评审中"
        SHORTLISTED = "shortlisted", "入围"
        NOT_SELECTED = "not_selected", "未入选"
        AWARDED = "awarded", "获奖"
        PUBLISHED = "published", "已发布"

    class Source(models.TextChoices):
        PUBLIC = "public", "公众投稿"
        UNIT = "unit", "单位代报"

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="entries")
    code = models.CharField("查询码", max_length=CODE_LENGTH, unique=True)
    slug = models.SlugField("公开地址", max_length=40, unique=True, null=True, blank=True)
    source = models.CharField("来源", max_length=10, choices=Source.choices)
    status = models.CharField(
        "状态", max_length=20, choices=Status.choices, default=Status.SUBMITTED
    )
    # Who wrote it. Judges never see any of these fields.
    author_name = models.CharField("作者", max_length=50)
    unit = models.ForeignKey(
        "orgs.Unit",
        verbose_name="作者单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    area = models.ForeignKey(
        "orgs.Unit",
        verbose_name="作者所在区",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="评审回避：不分给本单位及所在区的评委。",
    )
    phone = models.CharField("联系电话", max_length=30)
    phone_last4 = models.CharField(max_length=4)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="代报人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    consent_note = models.CharField("本人同意情况", max_length=200, blank=True)
    # The story.
    title = models.CharField("标题", max_length=100)
    category = models.CharField("类别", max_length=10, choices=Category.choices)
    text = models.TextField("正文")
    originality_at = models.DateTimeField("原创声明时间")
    publish_consent_at = models.DateTimeField("同意发布时间")
    ip_hash = models.CharField(max_length=64, blank=True)
    # Outcome.
    tier = models.ForeignKey(
        AwardTier, verbose_name="奖项", null=True, blank=True, on_delete=models.PROTECT
    )
    certificate_code = models.CharField(max_length=12, unique=True, null=True, blank=True)
    awarded_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    serial_on = models.DateField("公众号连载日期", null=True, blank=True)
    is_demo = models.BooleanField(default=False)

    objects = EntryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "故事作品"
        verbose_name_plural = "故事作品"
        indexes = [models.Index(fields=["call", "status"])]

    def __str__(self) -> str:
        return f"作品 {self.pk}"

    @property
    def display_code(self) -> str:
        return f"{self.code[:4]}-{self.code[4:]}"

    @property
    def conflict_unit_ids(self) -> set[int]:
        """Units whose judges may not review this entry: the author's unit and area, and the
        district each belongs to."""
        ids = set()
        for unit in (self.unit, self.area):
            if unit is not None:
                ids.add(unit.pk)
                if unit.district is not None:
                    ids.add(unit.district.pk)
        return ids

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("contest_public_story", args=[self.slug]) if self.slug else ""


class EntryMedia(TimeStampedModel):
    """A photo or video of an entry, cleaned (EXIF stripped) as activity photos are."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="media")
    kind = models.CharField(max_length=10)
    content_type = models.CharField(max_length=50)
    file = models.FileField(upload_to="contest/%Y/%m/")
    thumbnail = models.FileField(upload_to="contest/%Y/%m/", blank=True)
    original_name = models.CharField(max_length=200, blank=True)  # never shown to judges
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    shows_minors = models.BooleanField("含未成年人", default=False)
    consent_recorded_at = models.DateTimeField(null=True, blank=True)
    consent_note = models.CharField("监护人同意情况", max_length=200, blank=True)

    class Meta:
        ordering = ["entry", "id"]

    @property
    def public_ok(self) -> bool:
        """May appear in public: no minors, or their guardians' consent recorded."""
        return not self.shows_minors or self.consent_recorded_at is not None


class JudgeQuerySet(models.QuerySet):
    def active(self):
        return self.filter(removed_at=None)


class Judge(models.Model):
    """A judge seated on a call's panel."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="judges")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    removed_at = models.DateTimeField(null=True, blank=True)

    objects = JudgeQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["call", "user"], name="contest_judge_once_per_call")
        ]

    def __str__(self) -> str:
        return f"评委 {self.user_id}"


class Review(TimeStampedModel):
    """One judge's review of one entry (the assignment, then the scores)."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="reviews")
    judge = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="contest_reviews"
    )
    comment = models.TextField("评语", blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    total = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["entry", "id"]
        constraints = [
            models.UniqueConstraint(fields=["entry", "judge"], name="contest_review_once")
        ]

    def __str__(self) -> str:
        return f"评审 {self.pk}"

    @staticmethod
    def for_judge(user):
        if not user.is_authenticated or not user.is_judge:
            return Review.objects.none()
        return Review.objects.filter(judge=user).filter(~Q(entry__status=Entry.Status.WITHDRAWN))


class Score(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="+")
    value = models.PositiveSmallIntegerField("得分（0–100）")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["review", "criterion"], name="contest_score_once")
        ]

    def __str__(self) -> str:
        return str(self.value)


class MediaPush(TimeStampedModel):
    """A published story pushed to a medium (推送媒体): outlet, date, link."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="pushes")
    outlet = models.CharField("媒体", max_length=100)
    pushed_on = models.DateField("推送日期")
    url = models.URLField("链接", max_length=500, blank=True)

    class Meta:
        ordering = ["-pushed_on", "-id"]


class FollowAttempt(models.Model):
    """A try at following an entry with its code; failures are counted against guessing."""

    at = models.DateTimeField()
    ip_hash = models.CharField(max_length=64)
    code = models.CharField(max_length=CODE_LENGTH, db_index=True)
    success = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.success}"
