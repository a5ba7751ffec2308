"""Reports' own tables.

Dashboard roll-ups: ``UnitDay``, one row per unit and day of a campaign, so a dashboard over
millions of activities and help requests reads tens of thousands of rows; ``DistrictDay``, the
same summed per district, for the city-wide view; ``AwarenessRollup``, survey answers counted
per area and age group; ``RollupRun``, when each campaign's were last rebuilt. They
are derived data, rebuilt from the source tables by ``dashboard_rollups.rollup_rebuild`` (the
periodic job, ``manage.py dashboard_rebuild``, and a dashboard's first view).
"""

from django.db import models


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


class RollupRun(models.Model):
    """When a campaign's roll-ups were last rebuilt, and what it took."""

    campaign = models.OneToOneField(
        "campaigns.Campaign", on_delete=models.CASCADE, related_name="+"
    )
    rebuilt_at = models.DateTimeField("统计时间")
    seconds = models.FloatField("用时（秒）", default=0)
    rows = models.PositiveIntegerField("行数", default=0)

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
