"""Demo survey answers for the Haikou 2023 campaign: a baseline month before it and answers
during it, over every district and station, with awareness rising during the campaign.

Idempotent: the survey, its QR code and its answers are made once.
"""

import datetime
import random

from django.utils import timezone

from shegong.directory.models import QrLink, QrScanDay
from shegong.directory.services import qrlink_create
from shegong.orgs.models import Unit

from .models import Answer, Survey
from .services import survey_create

QR_CODE = "zsd23q"
QR_CHANNEL = "公交车身广告（知晓度调查）"
BASELINE_DAYS = 30
ANSWERS = {"baseline": 240, "campaign": 360}
AWARE_SHARE = {"baseline": 0.34, "campaign": 0.58}


def seed(demo: dict) -> None:
    report = demo.setdefault("report", [])
    campaign = demo["campaign"]
    survey = Survey.objects.filter(campaign=campaign).first()
    if survey is None:
        today = timezone.localdate()
        survey = survey_create(
            actor=None,
            campaign=campaign,
            slug=campaign.slug,
            opens_on=campaign.starts_on - datetime.timedelta(days=BASELINE_DAYS),
            # Kept open so the demo can be answered today; the campaign figure is everything
            # from the campaign's first day on.
            closes_on=max(campaign.ends_on, today + datetime.timedelta(days=365)),
            is_demo=True,
        )
    if not QrLink.objects.filter(code=QR_CODE).exists():
        link = qrlink_create(
            actor=None,
            unit=demo["city"],
            channel=QR_CHANNEL,
            target=survey.get_absolute_url(),
            code=QR_CODE,
            is_demo=True,
        )
        today = timezone.localdate()
        QrScanDay.objects.bulk_create(
            QrScanDay(
                link=link, day=today - datetime.timedelta(days=back), count=20 + 7 * back % 30
            )
            for back in range(14)
        )
    if survey.answers.exists():
        report.append(
            f"知晓度调查：/survey/{survey.slug}/，{survey.answers.count()} 份答卷（已存在）"
        )
        return
    rng = random.Random(2023)  # noqa: S311 — demo data, reproducible
    areas = list(
        Unit.objects.filter(level__in=[Unit.Level.DISTRICT, Unit.Level.STATION]).order_by("path")
    )
    by_pk = {unit.pk: unit for unit in areas}
    answers = []
    for phase, count in ANSWERS.items():
        if phase == "baseline":
            first, days = survey.opens_on, BASELINE_DAYS
        else:
            first, days = campaign.starts_on, (campaign.ends_on - campaign.starts_on).days + 1
        for n in range(count):
            area = areas[rng.randrange(len(areas))]
            day = first + datetime.timedelta(days=rng.randrange(days))
            at = timezone.make_aware(
                datetime.datetime.combine(
                    day, datetime.time(8 + rng.randrange(12), rng.randrange(60))
                )
            )
            aware = rng.random() < AWARE_SHARE[phase]
            heard = aware or rng.random() < 0.3
            answers.append(
                Answer(
                    survey=survey,
                    answered_at=at,
                    answered_on=day,
                    area=area,
                    district=area if area.level == Unit.Level.DISTRICT else by_pk[area.parent_id],
                    age_group=Answer.AgeGroup.values[n % 4],
                    knows_social_work=Answer.Knows.YES
                    if aware
                    else rng.choice([Answer.Knows.HEARD, Answer.Knows.NO]),
                    knows_station="yes" if aware and rng.random() < 0.7 else "no",
                    used_service="yes" if aware and rng.random() < 0.3 else "no",
                    heard_bus=heard and phase == "campaign" and rng.random() < 0.5,
                    heard_poster=heard and rng.random() < 0.4,
                    heard_video=heard and rng.random() < 0.4,
                    heard_event=heard and rng.random() < 0.3,
                    heard_friends=heard and rng.random() < 0.3,
                    is_demo=True,
                )
            )
    Answer.objects.bulk_create(answers)
    report.append(
        f"知晓度调查：/survey/{survey.slug}/，{len(answers)} 份演示答卷，二维码 /q/{QR_CODE}"
    )
