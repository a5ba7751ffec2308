from django.db import models
from django.db.models import Q

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

    def __str__(self) -> str:
        return self.name

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
