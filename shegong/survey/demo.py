"""Demo survey answers for the Haikou 2023 campaign: a baseline month before it and answers
during it, over every district and station, with awareness rising during the campaign. The
campaign in progress gets its own survey: a baseline month, then answers arriving day by day
up to now (none in the days still to come).

Idempotent: each survey, the QR code and the answers are made once; ``seed_demo
--refresh-live`` moves the campaign in progress's survey and answers with it.
"""

import datetime
import random

from django.db.models import F
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


LIVE_ANSWERS = {"baseline": 120, "per_day": 24}


def seed(demo: dict) -> None:
    _seed_closed(demo)
    live = demo.get("live_campaign")
    if live is not None:
        _seed_live(demo, live)


def _seed_live(demo: dict, campaign) -> None:
    """The campaign in progress: answers so far, moved with the campaign on --refresh-live."""
    report = demo.setdefault("report", [])
    survey = Survey.objects.filter(campaign=campaign).first()
    if survey is not None:
        shift = demo.get("live_shift")
        if shift:
            Survey.objects.filter(pk=survey.pk).update(
                opens_on=F("opens_on") + shift, closes_on=F("closes_on") + shift
            )
            survey.answers.filter(is_demo=True).update(answered_at=F("answered_at") + shift)
            moved = list(survey.answers.filter(is_demo=True).only("pk", "answered_on"))
            for answer in moved:
                answer.answered_on += shift
            Answer.objects.bulk_update(moved, ["answered_on"], batch_size=500)
        report.append(f"知晓度调查：/survey/{survey.slug}/，{survey.answers.count()} 份答卷")
        return
    now = timezone.localtime(demo.get("now") or timezone.now())
    survey = survey_create(
        actor=None,
        campaign=campaign,
        slug=campaign.slug,
        opens_on=campaign.starts_on - datetime.timedelta(days=BASELINE_DAYS),
        closes_on=campaign.ends_on,
        is_demo=True,
    )
    rng = random.Random(2024)  # noqa: S311 — demo data, reproducible
    areas = list(
        Unit.objects.filter(level__in=[Unit.Level.DISTRICT, Unit.Level.STATION]).order_by("path")
    )
    by_pk = {unit.pk: unit for unit in areas}
    elapsed = max(0, (now.date() - campaign.starts_on).days) + 1
    plan = [("baseline", survey.opens_on, BASELINE_DAYS)] * LIVE_ANSWERS["baseline"] + [
        ("campaign", campaign.starts_on, elapsed)
    ] * (LIVE_ANSWERS["per_day"] * elapsed)
    answers = []
    for n, (phase, first, days) in enumerate(plan):
        area = areas[rng.randrange(len(areas))]
        day = first + datetime.timedelta(days=rng.randrange(days))
        at = timezone.make_aware(
            datetime.datetime.combine(day, datetime.time(8 + rng.randrange(12), rng.randrange(60)))
        )
        if at > now:  # today's answers so far only
            at = now - datetime.timedelta(minutes=rng.randrange(1, 120))
            day = at.date()
        answers.append(_answer(survey, rng, n, phase, at, day, area, by_pk))
    Answer.objects.bulk_create(answers)
    report.append(f"知晓度调查：/survey/{survey.slug}/，{len(answers)} 份演示答卷")


def _answer(survey, rng, n, phase, at, day, area, by_pk) -> Answer:
    aware = rng.random() < AWARE_SHARE[phase]
    heard = aware or rng.random() < 0.3
    return Answer(
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


def _seed_closed(demo: dict) -> None:
    report = demo.setdefault("report", [])
    campaign = demo["campaign"]
    today = demo.get("today") or timezone.localdate()
    survey = Survey.objects.filter(campaign=campaign).first()
    if survey is None:
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
