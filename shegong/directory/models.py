import datetime
import uuid

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from shegong.core.models import TimeStampedModel
from shegong.orgs.models import unit_scope_q

# A listing nobody has confirmed for this long is flagged to its station and district.
STALE_AFTER_DAYS = 90


class BrandKit(TimeStampedModel):
    """A campaign's brand: the name and colours printed on posters and QR codes."""

    campaign = models.ForeignKey(
        "campaigns.Campaign",
        verbose_name="宣传活动",
        on_delete=models.CASCADE,
        related_name="brand_kits",
    )
    name = models.CharField("品牌名称", max_length=50)
    slogan = models.CharField("口号", max_length=100, blank=True)
    primary_color = models.CharField("主色", max_length=7, default="#a3211b")
    accent_color = models.CharField("辅助色", max_length=7, default="#f2b705")
    logo = models.FileField("标志", upload_to="brand/", blank=True)
    is_demo = models.BooleanField("演示数据", default=False)

    class Meta:
        ordering = ["-id"]
        verbose_name = "品牌"
        verbose_name_plural = "品牌"

    def __str__(self) -> str:
        return self.name


class ListingQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(unit_scope_q(user, field="unit"))

    def stale(self, *, today: datetime.date):
        cutoff = today - datetime.timedelta(days=STALE_AFTER_DAYS)
        return self.filter(models.Q(last_verified_on__lt=cutoff) | models.Q(last_verified_on=None))

    def complete(self):
        """Listings showing all six items the notice requires: name, service content, service
        list, staff, service process and contacts (address and phone)."""
        filled = self
        for name in NOTICE_TEXT_FIELDS:
            filled = filled.exclude(**{name: ""})
        return filled.filter(
            models.Exists(Service.objects.filter(listing=models.OuterRef("pk"))),
            models.Exists(StaffMember.objects.filter(listing=models.OuterRef("pk"))),
        )


# A listing's fields, declared once: what a station edits of its own listing (the edit form
# offers exactly these, ``listing_update`` writes only these), the text items the notice
# requires on display (``complete()``; the service list and staff are rows of their own), and
# what must be filled before anyone may confirm the listing as true (hours too).
LISTING_FIELDS = (
    "name",
    "summary",
    "address",
    "latitude",
    "longitude",
    "hours",
    "phone",
    "process_steps",
    "name_en",
    "summary_en",
    "address_en",
    "hours_en",
    "process_steps_en",
)
NOTICE_TEXT_FIELDS = ("name", "summary", "process_steps", "address", "phone")
VERIFY_REQUIRED = ("name", "summary", "address", "hours", "phone", "process_steps")
SERVICE_FIELDS = (
    "name",
    "category",
    "target_group",
    "description",
    "eligibility",
    "fee",
    "how_to_apply",
    "name_en",
    "target_group_en",
    "description_en",
    "eligibility_en",
    "fee_en",
    "how_to_apply_en",
)


class StationListing(TimeStampedModel):
    """What a station shows the public: the six items the notice requires on display.

    Name, service content (``summary``), service list (``services``), staff (``staff``),
    service process (``process_steps``, one step a line) and contacts (address, hours, phone).
    ``version`` goes up on every change, so cached pages and posters know they are stale.
    """

    unit = models.OneToOneField(
        "orgs.Unit", verbose_name="社工站", on_delete=models.PROTECT, related_name="listing"
    )
    slug = models.SlugField("网址标识", max_length=60, unique=True)
    hsds_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField("站点名称", max_length=100)
    summary = models.TextField("服务内容", blank=True)
    address = models.CharField("地址", max_length=200, blank=True)
    latitude = models.DecimalField("纬度", max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField("经度", max_digits=9, decimal_places=6, null=True, blank=True)
    hours = models.CharField("服务时间", max_length=200, blank=True)
    phone = models.CharField("联系电话", max_length=30, blank=True)
    process_steps = models.TextField("服务流程", blank=True, help_text="每行一步，按顺序填写。")
    # English for foreign residents; the public pages fall back to Chinese where blank.
    name_en = models.CharField("站点名称（英文）", max_length=150, blank=True)
    summary_en = models.TextField("服务内容（英文）", blank=True)
    address_en = models.CharField("地址（英文）", max_length=250, blank=True)
    hours_en = models.CharField("服务时间（英文）", max_length=200, blank=True)
    process_steps_en = models.TextField(
        "服务流程（英文）", blank=True, help_text="每行一步，与中文一一对应。"
    )
    last_verified_on = models.DateField("最近核实日期", null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    is_demo = models.BooleanField("演示数据", default=False)

    objects = ListingQuerySet.as_manager()

    class Meta:
        ordering = ["unit__path"]
        verbose_name = "社工站名录"
        verbose_name_plural = "社工站名录"

    def __str__(self) -> str:
        return self.name

    @property
    def steps(self) -> list[str]:
        return [line.strip() for line in self.process_steps.splitlines() if line.strip()]

    @property
    def steps_en(self) -> list[str]:
        return [line.strip() for line in self.process_steps_en.splitlines() if line.strip()]

    def is_stale(self, *, today: datetime.date) -> bool:
        if self.last_verified_on is None:
            return True
        return (today - self.last_verified_on).days > STALE_AFTER_DAYS

    def get_absolute_url(self) -> str:
        return f"/stations/{self.slug}/"


class StaffMember(models.Model):
    class Qualification(models.TextChoices):
        SENIOR = "senior", _("高级社会工作师")
        SOCIAL_WORKER = "social_worker", _("社会工作师")
        ASSISTANT = "assistant", _("助理社会工作师")
        NONE = "none", _("暂无职业资格")

    listing = models.ForeignKey(
        StationListing, on_delete=models.CASCADE, related_name="staff", verbose_name="名录"
    )
    name = models.CharField("姓名", max_length=50)
    role = models.CharField("岗位", max_length=50)
    role_en = models.CharField("岗位（英文）", max_length=50, blank=True)
    qualification = models.CharField(
        "职业资格", max_length=20, choices=Qualification.choices, default=Qualification.ASSISTANT
    )
    position = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = "工作人员"
        verbose_name_plural = "工作人员"

    def __str__(self) -> str:
        return self.name


class Service(models.Model):
    class Category(models.TextChoices):
        ELDERLY = "elderly", _("养老服务")
        CHILDREN = "children", _("儿童关爱")
        FAMILY = "family", _("家庭支持")
        ASSISTANCE = "assistance", _("社会救助")
        DISABILITY = "disability", _("助残服务")
        COMMUNITY = "community", _("社区发展")

    listing = models.ForeignKey(
        StationListing, on_delete=models.CASCADE, related_name="services", verbose_name="名录"
    )
    hsds_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField("服务名称", max_length=100)
    category = models.CharField("服务类别", max_length=20, choices=Category.choices)
    target_group = models.CharField("服务对象", max_length=100)
    description = models.TextField("服务内容")
    eligibility = models.CharField("申请条件", max_length=200, blank=True)
    fee = models.CharField("收费", max_length=100, default="免费")
    how_to_apply = models.CharField("申请方式", max_length=200, blank=True)
    # English for foreign residents (optional): the public page shows the Chinese, marked as
    # Chinese, where a field has none.
    name_en = models.CharField("服务名称（英文）", max_length=100, blank=True)
    target_group_en = models.CharField("服务对象（英文）", max_length=100, blank=True)
    description_en = models.TextField("服务内容（英文）", blank=True)
    eligibility_en = models.CharField("申请条件（英文）", max_length=200, blank=True)
    fee_en = models.CharField("收费（英文）", max_length=100, blank=True)
    how_to_apply_en = models.CharField("申请方式（英文）", max_length=200, blank=True)
    position = models.PositiveSmallIntegerField("排序", default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = "服务项目"
        verbose_name_plural = "服务项目"

    def __str__(self) -> str:
        return self.name


class QrLinkQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(unit_scope_q(user, field="unit"))


class QrLink(TimeStampedModel):
    """A printed code: ``/q/<code>`` forever, pointing at a target that may change.

    One link per channel, named by the people who print it (公交12路广告, 人民医院海报 …), so
    scans per link are scans per channel.
    """

    code = models.CharField("短码", max_length=16, unique=True, editable=False)
    channel = models.CharField("投放渠道", max_length=100)
    target = models.CharField("跳转地址", max_length=300)
    unit = models.ForeignKey(
        "orgs.Unit", verbose_name="所属单位", on_delete=models.PROTECT, related_name="qr_links"
    )
    is_demo = models.BooleanField("演示数据", default=False)

    objects = QrLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        verbose_name = "二维码短链"
        verbose_name_plural = "二维码短链"

    def __str__(self) -> str:
        return f"{self.channel}（{self.path}）"

    @property
    def path(self) -> str:
        return reverse("directory_qr_redirect", args=[self.code])


class QrScanDay(models.Model):
    """Scans of one link on one day; the redirect adds one with a single UPDATE."""

    link = models.ForeignKey(QrLink, on_delete=models.CASCADE, related_name="scan_days")
    day = models.DateField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-day"]
        constraints = [models.UniqueConstraint(fields=["link", "day"], name="qr_scan_day_unique")]

    def __str__(self) -> str:
        return f"{self.link_id} {self.day} {self.count}"


class QrScanLogPosition(models.Model):
    """How far ``qr_scans_ingest_log`` has read nginx's scan log (``DIRECTORY_QR_SCAN_LOG``).

    Written in the same transaction as the counts it read, so a crash between the two neither
    loses nor repeats a scan. ``inode`` tells a rotated log from the one being read.
    """

    path = models.CharField(max_length=500, unique=True)
    inode = models.BigIntegerField(default=0)
    offset = models.BigIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.path} @ {self.offset}"


class Poster(models.Model):
    """A printed poster of a listing; valid while ``listing_version`` equals the listing's."""

    class Size(models.TextChoices):
        A4 = "a4", "A4"
        A3 = "a3", "A3"

    listing = models.ForeignKey(StationListing, on_delete=models.CASCADE, related_name="posters")
    size = models.CharField(max_length=2, choices=Size.choices)
    listing_version = models.PositiveIntegerField()
    pdf = models.FileField(upload_to="posters/")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["listing", "size"], name="poster_one_per_size")
        ]

    def __str__(self) -> str:
        return f"{self.listing} {self.size}"

    @property
    def is_current(self) -> bool:
        return self.listing_version == self.listing.version and self.is_for_this_site

    @property
    def is_for_this_site(self) -> bool:
        """Its QR code holds today's SITE_URL (the file name carries its mark)."""
        from .qrcodes import site_tag

        return self.pdf.name.endswith(f"-{site_tag()}.pdf")
