from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Concat
from django.utils import translation
from django.utils.translation import gettext

from shegong.core.models import TimeStampedModel


class UnitQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Units a user may see: their own subtree and the units above them."""
        if not user.is_authenticated:
            return self.none()
        if user.sees_everything:
            return self
        if user.unit_id is None or not (user.is_district_officer or user.is_station_worker):
            return self.none()
        return self.filter(unit_scope_q(user, field=None) | Q(pk__in=user.unit.ancestor_ids()))

    def changeable_by(self, user):
        """Units whose records ``user`` may change and record for: the query form of
        ``orgs.rules.can_change_unit`` (and ``can_record_for_unit``), for choice lists."""
        return self.filter(unit_scope_q(user, field=None))

    def in_subtree_of(self, unit):
        return self.filter(path__startswith=unit.path)

    def districts(self):
        return self.filter(level=Unit.Level.DISTRICT)

    def stations(self):
        return self.filter(level=Unit.Level.STATION)


class Unit(TimeStampedModel):
    """A unit of the bureau's hierarchy: the city bureau, a district-level unit, a station.

    ``path`` is the chain of codes from the root ("460100/460105/460105001/"), so a subtree is
    one indexed prefix query and scoping never walks the tree in Python.
    """

    class Level(models.TextChoices):
        CITY = "city", "市级"
        DISTRICT = "district", "区级"
        STATION = "station", "乡镇（街道）社工站"

    class AreaKind(models.TextChoices):
        CITY = "city", "市"
        DISTRICT = "district", "区"
        STREET = "street", "街道"
        TOWN = "town", "镇"
        DEVELOPMENT_ZONE = "development_zone", "开发区"

    code = models.CharField("单位代码", max_length=20, unique=True)
    division_code = models.CharField("统计用区划代码", max_length=12, db_index=True)
    name = models.CharField("单位名称", max_length=100)
    area_name = models.CharField("行政区域", max_length=100)
    area_name_en = models.CharField("行政区域（英文）", max_length=150, blank=True)
    area_kind = models.CharField("区域类型", max_length=20, choices=AreaKind.choices)
    level = models.CharField("层级", max_length=10, choices=Level.choices, db_index=True)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(max_length=255, unique=True, editable=False)
    located_in_code = models.CharField(
        "所在区划代码",
        max_length=12,
        blank=True,
        help_text="单位归属上级单位管理、但地理上位于另一区划时填写（如开发区位于美兰区）。",
    )
    contact_person = models.CharField("联系人", max_length=50, blank=True)
    contact_phone = models.CharField("联系电话", max_length=30, blank=True)
    is_demo = models.BooleanField("演示数据", default=False)

    objects = UnitQuerySet.as_manager()

    class Meta:
        ordering = ["path"]
        verbose_name = "单位"
        verbose_name_plural = "单位"
        constraints = [
            # Scoping is ``path__startswith=user.unit.path``: an empty path would match every
            # unit. A path is never empty and always ends with the unit's own code.
            models.CheckConstraint(
                condition=~Q(code="") & Q(path__endswith=Concat(F("code"), Value("/"))),
                name="unit_path_ends_with_code",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def area_label(self) -> str:
        """The area's name in the active language: English pages show the English name where
        one is known, and fall back to Chinese (see ``area_label_lang``)."""
        if self.area_name_en and translation.get_language() == "en":
            return self.area_name_en
        return self.area_name

    @property
    def area_label_lang(self) -> str:
        """The HTML ``lang`` of ``area_label``, so screen readers pick the right voice."""
        return "en" if self.area_label == self.area_name_en and self.area_name_en else "zh-Hans"

    @property
    def name_label(self) -> str:
        """The unit's name in the active language, built like the Chinese name is (area +
        kind of office) from the English area name; Chinese where none is known."""
        if not self.area_name_en or translation.get_language() != "en":
            return self.name
        if self.level == self.Level.STATION:
            template = gettext("%(area)s社工站")
        elif self.area_kind == self.AreaKind.DEVELOPMENT_ZONE:
            template = gettext("%(area)s社会事业管理科")
        else:
            template = gettext("%(area)s民政局")
        return template % {"area": self.area_name_en}

    @property
    def name_label_lang(self) -> str:
        """The HTML ``lang`` of ``name_label``."""
        return "zh-Hans" if self.name_label == self.name else "en"

    def ancestor_codes(self) -> list[str]:
        return self.path.rstrip("/").split("/")[:-1]

    def ancestor_ids(self) -> models.QuerySet:
        return Unit.objects.filter(code__in=self.ancestor_codes()).values("pk")

    @property
    def district(self):
        """The district-level unit this unit belongs to (itself for a district)."""
        if self.level == self.Level.DISTRICT:
            return self
        if self.level == self.Level.STATION:
            return self.parent
        return None


def unit_scope_q(user, field: str | None = "unit") -> Q:
    """The filter that scopes any model with a unit foreign key to what ``user`` may see.

    City admins see everything; a district officer sees their district and its stations; a
    station worker sees their station; anyone else sees nothing.
    """
    prefix = f"{field}__" if field else ""
    if not user.is_authenticated:
        return Q(pk__in=[])
    if user.sees_everything:
        return Q()
    if user.unit_id is None or not (user.is_district_officer or user.is_station_worker):
        return Q(pk__in=[])
    if user.is_district_officer:
        return Q(**{f"{prefix}path__startswith": user.unit.path})
    return Q(**{f"{prefix}pk" if not field else f"{field}_id": user.unit_id})


class PartnerQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Partners in the registries of the units this user may see."""
        return self.filter(unit_scope_q(user, field="unit"))

    def usable_by(self, user):
        """Partners a user may link to their work: their own unit's and those above it.

        A station links the district's and the city's partners as well as its own.
        """
        if not user.is_authenticated:
            return self.none()
        if user.sees_everything:
            return self
        if user.unit_id is None:
            return self.none()
        return self.filter(Q(unit_id=user.unit_id) | Q(unit__in=user.unit.ancestor_ids()))

    def offered_to(self, user, *, already=None):
        """Partners a form offers: usable by ``user`` and still partnering, plus those the
        record being edited already links (``already``: pks), so a retired partner stays on
        the records it took part in."""
        still = Q(is_active=True)
        if already is not None:
            still |= Q(pk__in=already)
        return self.usable_by(user).filter(still)


class Partner(TimeStampedModel):
    """A partner in a unit's registry: one of the five 社 of 五社联动, or an institution,
    department or mass organisation the notice asks units to work with."""

    class Kind(models.TextChoices):
        COMMUNITY = "community", "村（社区）"
        SOCIAL_ORGANISATION = "social_org", "社会组织"
        SOCIAL_WORK_AGENCY = "sw_agency", "社工机构"
        VOLUNTEER_TEAM = "volunteers", "志愿服务队"
        CHARITY = "charity", "慈善资源"
        CHILD_PROTECTION = "child_protection", "未成年人保护机构"
        CHILD_WELFARE = "child_welfare", "儿童福利机构"
        ELDERLY_CARE = "elderly_care", "养老服务机构"
        SCHOOL = "school", "学校"
        HOSPITAL = "hospital", "医院"
        DEPARTMENT = "department", "职能部门"
        MASS_ORGANISATION = "mass_org", "群团组织"
        OTHER = "other", "其他"

    # The five 社 of 五社联动; the rest are institutions and bodies the notice names.
    FIVE_SOCIAL = ("community", "social_org", "sw_agency", "volunteers", "charity")

    unit = models.ForeignKey(
        Unit, verbose_name="所属单位", on_delete=models.PROTECT, related_name="partners"
    )
    name = models.CharField("名称", max_length=120)
    kind = models.CharField("类型", max_length=20, choices=Kind.choices, db_index=True)
    contact_person = models.CharField("联系人", max_length=50, blank=True)
    contact_phone = models.CharField("联系电话", max_length=30, blank=True)
    address = models.CharField("地址", max_length=200, blank=True)
    note = models.TextField("备注", blank=True)
    is_active = models.BooleanField("合作中", default=True)
    is_demo = models.BooleanField("演示数据", default=False)

    objects = PartnerQuerySet.as_manager()

    class Meta:
        ordering = ["unit__path", "kind", "name"]
        verbose_name = "合作伙伴"
        verbose_name_plural = "合作伙伴"
        constraints = [
            models.UniqueConstraint(fields=["unit", "name"], name="partner_unique_name_per_unit")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_five_social(self) -> bool:
        return self.kind in self.FIVE_SOCIAL
