"""Demo data of this app, loaded by ``manage.py seed_demo``."""

import datetime

from shegong.orgs.models import Unit

from .models import Campaign

HAIKOU_2023_SLUG = "haikou-2023"


def seed(*, city: Unit) -> Campaign:
    campaign, _ = Campaign.objects.update_or_create(
        slug=HAIKOU_2023_SLUG,
        defaults={
            "name": "海口市2023年社会工作主题宣传活动方案",
            "theme": "推进“五社联动” 关爱“一老一小”",
            "starts_on": datetime.date(2023, 3, 21),
            "ends_on": datetime.date(2023, 3, 31),
            "summary_deadline": datetime.date(2023, 4, 10),
            "issuer": city,
        },
    )
    return campaign
