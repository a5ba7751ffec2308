"""A small world whose dashboard figures are computed by hand in the tests.

Campaign 2023-03-21 … 03-31, summary deadline 04-10. Units (tests/conftest.py): 秀英区 with
秀英街道 (station) and 海秀街道 (second_station); 龙华区 with 中山街道 (sibling_station).
"""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from shegong.activities.models import Activity, MediaCoverage, Submission
from shegong.campaigns.models import KpiTarget, Task, TaskProgress
from shegong.directory.models import QrLink, QrScanDay, Service, StaffMember, StationListing
from shegong.helpdesk.models import HelpRequest
from shegong.survey.models import Answer
from shegong.survey.services import survey_create
from tests.factories import CampaignFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")
START = datetime.date(2023, 3, 21)


def at(month, day, hour=10) -> datetime.datetime:
    return datetime.datetime(2023, month, day, hour, tzinfo=SHANGHAI)


def activity(unit, campaign, day, participants, status="approved"):
    return Activity.objects.create(
        unit=unit,
        campaign=campaign,
        kind="onsite",
        title=f"{unit.name}活动{day}",
        starts_at=at(3, day),
        participants=participants,
        status=status,
    )


def help_request(unit, campaign, created, *, responded=None, status="new", n=[0]):  # noqa: B006
    n[0] += 1
    request = HelpRequest.objects.create(
        code=f"T{n[0]:07d}",
        for_whom="self",
        category="elderly",
        description="需要帮助",
        area=unit,
        unit=unit,
        campaign=campaign,
        phone="13800138000",
        phone_last4="8000",
        consent_at=created,
        respond_by=created + datetime.timedelta(days=1),
        first_response_at=responded,
        status=status if responded is None else "accepted",
    )
    HelpRequest.objects.filter(pk=request.pk).update(created_at=created)
    return request


def answer(survey, area, day: datetime.date, knows: str):
    district = area if area.level == "district" else area.parent
    return Answer.objects.create(
        survey=survey,
        answered_at=datetime.datetime.combine(day, datetime.time(9), tzinfo=SHANGHAI),
        answered_on=day,
        area=area,
        district=district,
        age_group="60_plus" if knows == "yes" else "18_34",
        knows_social_work=knows,
        knows_station="no",
        used_service="no",
    )


@pytest.fixture
def world(city, district, sibling_district, station, second_station, sibling_station):
    campaign = CampaignFactory(
        slug="haikou-2023",
        starts_on=START,
        ends_on=datetime.date(2023, 3, 31),
        summary_deadline=datetime.date(2023, 4, 10),
        issuer=city,
        document_number="海民发〔2023〕79号",
    )
    other = CampaignFactory(slug="other", starts_on=datetime.date(2022, 3, 1), issuer=city)
    for kind, target in (
        ("activities", 10),
        ("participants", 200),
        ("media_reports", 4),
        ("stations_listed", 2),
        ("awareness_rate", 60),
        ("stories", 5),
    ):
        KpiTarget.objects.create(campaign=campaign, kind=kind, target=target)

    # Activities: 秀英 5 reviewed (165 people), 龙华 1 (7), the city bureau 1 (50).
    activity(station, campaign, 22, 30)
    activity(station, campaign, 22, 20, status="featured")
    activity(station, campaign, 23, 99, status="submitted")  # not reviewed: not counted
    activity(station, campaign, 25, 10)
    activity(second_station, campaign, 22, 5)
    activity(district, campaign, 24, 100)
    activity(sibling_station, campaign, 22, 7)
    activity(sibling_station, other, 22, 1000)  # another campaign
    activity(city, campaign, 21, 50)

    # Media: 秀英 2 in the campaign's range, 1 after the summary deadline; 龙华 1.
    for unit, day in (
        (station, datetime.date(2023, 3, 23)),
        (station, datetime.date(2023, 4, 5)),
        (station, datetime.date(2023, 5, 1)),
        (sibling_station, datetime.date(2023, 3, 26)),
    ):
        MediaCoverage.objects.create(
            unit=unit, outlet="海口日报", type="newspaper", title="报道", published_on=day
        )
    for unit, status in (
        (station, "adopted"),
        (station, "submitted"),
        (sibling_station, "published"),
    ):
        Submission.objects.create(
            unit=unit,
            outlet="中国社会工作",
            title="投稿",
            submitted_on=datetime.date(2023, 3, 24),
            status=status,
        )

    # Help requests: 秀英街道 answered in 2 h (on time) and in 30 h (late), one never
    # answered (overdue); 中山街道 answered in 1 h.
    help_request(station, campaign, at(3, 22), responded=at(3, 22, 12))
    help_request(station, campaign, at(3, 22), responded=at(3, 23, 16))
    help_request(station, campaign, at(3, 27))
    help_request(sibling_station, campaign, at(3, 22), responded=at(3, 22, 11))

    # Listings: 秀英街道 complete and verified today; 海秀街道 incomplete and stale.
    today = timezone.localdate()
    complete = StationListing.objects.create(
        unit=station,
        slug=station.code,
        name=station.name,
        summary="服务老人和儿童。",
        address="秀英街道1号",
        phone="0898-66666666",
        process_steps="来站\n登记",
        last_verified_on=today,
    )
    Service.objects.create(
        listing=complete, name="探访", category="elderly", target_group="老人", description="上门"
    )
    StaffMember.objects.create(listing=complete, name="王社工", role="站长")
    StationListing.objects.create(
        unit=second_station,
        slug=second_station.code,
        name=second_station.name,
        last_verified_on=today - datetime.timedelta(days=200),
    )

    # Tasks: one station task; 秀英街道 done, the other two stations not.
    task = Task.objects.create(campaign=campaign, level="station", title="张贴海报", due_on=START)
    for unit, status in (
        (station, "done"),
        (second_station, "in_progress"),
        (sibling_station, "not_started"),
    ):
        TaskProgress.objects.create(task=task, unit=unit, status=status)

    # The survey: 秀英 baseline 2 (1 aware), campaign 4 (2 aware, one naming the district
    # only); 龙华 campaign 1 (aware).
    survey = survey_create(
        actor=None,
        campaign=campaign,
        slug="haikou-2023",
        opens_on=START - datetime.timedelta(days=30),
        closes_on=datetime.date(2023, 3, 31),
    )
    before = START - datetime.timedelta(days=2)
    for area, day, knows in (
        (station, before, "yes"),
        (second_station, before, "no"),
        (station, START, "yes"),
        (station, START, "heard"),
        (second_station, START + datetime.timedelta(days=3), "yes"),
        (district, START + datetime.timedelta(days=4), "no"),
        (sibling_station, START, "yes"),
    ):
        answer(survey, area, day, knows)

    # QR scans: 秀英街道's bus code 10 during the campaign (4 before it: not counted);
    # 中山街道's 6.
    for unit, channel, counts in (
        (station, "公交1路", {datetime.date(2023, 3, 22): 10, datetime.date(2023, 3, 10): 4}),
        (sibling_station, "公交2路", {datetime.date(2023, 3, 22): 6}),
    ):
        link = QrLink.objects.create(
            code=channel[-2:] + "x", channel=channel, target="/", unit=unit
        )
        for day, count in counts.items():
            QrScanDay.objects.create(link=link, day=day, count=count)
    return campaign
