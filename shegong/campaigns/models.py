from django.db import models

from shegong.core.models import TimeStampedModel


class CampaignQuerySet(models.QuerySet):
    def current(self):
        """The campaign users work on now: the one that started last."""
        return self.order_by("-starts_on", "-id").first()


class Campaign(TimeStampedModel):
    """A yearly publicity campaign as planned by the issuing bureau."""

    slug = models.SlugField("标识", max_length=60, unique=True)
    name = models.CharField("方案名称", max_length=200)
    theme = models.CharField("宣传主题", max_length=200)
    starts_on = models.DateField("开始日期")
    ends_on = models.DateField("结束日期")
    summary_deadline = models.DateField("总结报送截止日期")
    issuer = models.ForeignKey(
        "orgs.Unit", verbose_name="发文单位", on_delete=models.PROTECT, related_name="+"
    )

    objects = CampaignQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = "宣传活动方案"
        verbose_name_plural = "宣传活动方案"

    def __str__(self) -> str:
        return self.name
