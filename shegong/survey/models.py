"""The awareness survey (知晓度调查): a short public questionnaire reached by QR code.

Answers given before the campaign's first day are the baseline; answers from that day on are
the campaign's figure. An answer holds no personal data: the area, an age group and four
questions, plus a keyed hash of the address for the per-address limit.
"""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from shegong.core.models import TimeStampedModel


class SurveyQuerySet(models.QuerySet):
    def open_on(self, day):
        return self.filter(opens_on__lte=day, closes_on__gte=day)


class Survey(TimeStampedModel):
    """One campaign's questionnaire at ``/survey/<slug>/`` (a URL kept forever)."""

    campaign = models.ForeignKey(
        "campaigns.Campaign",
        verbose_name="宣传活动方案",
        on_delete=models.CASCADE,
        related_name="surveys",
    )
    slug = models.SlugField("网址标识", max_length=60, unique=True)
    opens_on = models.DateField("开始收集日期", help_text="早于方案开始日期的答卷计为基线。")
    closes_on = models.DateField("停止收集日期")
    is_demo = models.BooleanField("演示数据", default=False)

    objects = SurveyQuerySet.as_manager()

    class Meta:
        ordering = ["-opens_on", "-id"]
        verbose_name = "知晓度调查"
        verbose_name_plural = "知晓度调查"

    def __str__(self) -> str:
        return f"{self.campaign} 知晓度调查"

    def get_absolute_url(self) -> str:
        return reverse("survey_public_form", args=[self.slug])

    def is_open(self, day) -> bool:
        return self.opens_on <= day <= self.closes_on


class Answer(models.Model):
    class Knows(models.TextChoices):
        YES = "yes", _("知道")
        HEARD = "heard", _("听说过，但不清楚")
        NO = "no", _("不知道")

    class YesNo(models.TextChoices):
        YES = "yes", _("是")
        NO = "no", _("否")

    class AgeGroup(models.TextChoices):
        UNDER_18 = "u18", _("18 岁以下")
        FROM_18 = "18_34", _("18–34 岁")
        FROM_35 = "35_59", _("35–59 岁")
        FROM_60 = "60_plus", _("60 岁及以上")

    # How the person heard of social work (several may apply): field name → label.
    SOURCES = {
        "heard_bus": _("公交车身广告"),
        "heard_poster": _("海报、宣传栏"),
        "heard_video": _("短视频"),
        "heard_event": _("社区活动现场"),
        "heard_friends": _("亲友介绍"),
        "heard_other": _("其他"),
    }

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="answers")
    answered_at = models.DateTimeField("提交时间")
    answered_on = models.DateField("提交日期")
    area = models.ForeignKey(
        "orgs.Unit", verbose_name="所在区域", on_delete=models.PROTECT, related_name="+"
    )
    district = models.ForeignKey(
        "orgs.Unit",
        verbose_name="所在区",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="所选区域所属的区（区级单位），按区统计用。",
    )
    age_group = models.CharField("年龄段", max_length=8, choices=AgeGroup.choices)
    knows_social_work = models.CharField("知道社工做什么", max_length=8, choices=Knows.choices)
    knows_station = models.CharField("知道社工站在哪", max_length=3, choices=YesNo.choices)
    used_service = models.CharField("用过社工服务", max_length=3, choices=YesNo.choices)
    heard_bus = models.BooleanField("公交车身广告", default=False)
    heard_poster = models.BooleanField("海报、宣传栏", default=False)
    heard_video = models.BooleanField("短视频", default=False)
    heard_event = models.BooleanField("社区活动现场", default=False)
    heard_friends = models.BooleanField("亲友介绍", default=False)
    heard_other = models.BooleanField("其他", default=False)
    ip_hash = models.CharField(max_length=64, blank=True)
    is_demo = models.BooleanField("演示数据", default=False)

    class Meta:
        ordering = ["-answered_at", "-id"]
        verbose_name = "问卷答卷"
        verbose_name_plural = "问卷答卷"
        indexes = [
            models.Index(fields=["survey", "answered_on"]),
            models.Index(fields=["survey", "district", "answered_on"]),
            models.Index(fields=["ip_hash", "answered_at"]),
        ]

    def __str__(self) -> str:
        return f"答卷 {self.pk} {self.answered_on}"

    @property
    def aware(self) -> bool:
        """知晓: the person knows what social workers do (the survey's headline figure)."""
        return self.knows_social_work == self.Knows.YES
