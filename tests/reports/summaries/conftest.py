"""A small world for summaries, whose every figure is counted by hand in ``EXPECTED``

秀英区 (460105) with 秀英街道 (460105001, complete fresh listing, a QR code, two help requests)
and 海秀街道 (460105002, incomplete listing); 龙华区 (460106) with 中山街道 (460106001), whose
records must never count in 秀英区's figures.
"""

import datetime

import pytest
from django.utils import timezone

from shegong.activities.models import Activity, Case, MediaCoverage, Submission, codes_join
from shegong.directory.models import QrLink, QrScanDay, Service, StaffMember, StationListing
from shegong.helpdesk.models import HelpRequest
from shegong.orgs.models import Partner
from shegong.survey.models import Answer
from shegong.survey.services import survey_create
from tests.factories import CampaignFactory

START = datetime.date(2023, 3, 21)
END = datetime.date(2023, 3, 31)
DEADLINE = datetime.date(2023, 4, 10)


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


# Counted by hand from the records below (秀英区's subtree, the campaign, its period).
EXPECTED = {
    "activities": 3,  # A1, A2, A3 (A4 is 龙华区's, A5 belongs to no campaign)
    "kind_onsite": 1,
    "kind_poster": 1,
    "kind_live_stream": 1,
    "participants": 40,  # 30 + 10 + 0
    "volunteers": 5,
    "reach": 550,  # views 100 + reads 50 + live viewers 400
    "audience_practitioners": 1,  # A3
    "audience_service_users": 1,  # A2
    "audience_public": 2,  # A1, A2
    "elderly": 1,  # A1
    "children": 1,  # A2
    "five_social_activities": 1,  # A1
    "five_social_partners": 2,  # 社区 P1 and 志愿服务队 P2; the school P3 is not one of 五社
    "media_reports": 1,  # the report of 3月25日; the one of 4月20日 is after the period
    "submissions_adopted": 2,  # adopted + published; the rejected one does not count
    "cases": 1,  # the published case; the draft does not count
    "stations": 2,
    "stations_listed": 1,  # 秀英街道; 海秀街道's listing has no staff, services or phone
    "qr_scans": 7,  # 3月22日; the 100 scans of 4月15日 are after the period
    "help_received": 2,
    "help_in_time": 1,
    "survey_answers": 3,  # from the campaign's first day; the baseline answer and 龙华's do not
    "survey_aware": 2,  # knows_social_work "yes"; "heard" is not aware
    "stories_entered": 0,  # no story call in this world (test_summary_stories.py has one)
    "stories_awarded": 0,
}


def _listing(unit, *, complete: bool, today):
    listing = StationListing.objects.create(
        unit=unit,
        slug=f"s-{unit.code}",
        name=unit.name,
        summary="为困难群众提供社工服务" if complete else "",
        address="海口市秀英区某路1号" if complete else "",
        phone="0898-66000000" if complete else "",
        process_steps="来电预约\n上门评估" if complete else "",
        last_verified_on=today,
    )
    if complete:
        Service.objects.create(
            listing=listing,
            name="独居老人探访",
            category="elderly",
            target_group="独居老人",
            description="每周上门探访",
        )
        StaffMember.objects.create(listing=listing, name="王社工", role="站长")
    return listing


def _activity(unit, campaign, kind, title, **fields):
    partners = fields.pop("partners", [])
    activity = Activity.objects.create(
        unit=unit,
        campaign=campaign,
        kind=kind,
        title=title,
        starts_at=at(datetime.date(2023, 3, 22)),
        status=fields.pop("status", Activity.Status.APPROVED),
        **fields,
    )
    activity.partners.set(partners)
    return activity


def _help(unit, code: str, *, in_time: bool):
    created = at(datetime.date(2023, 3, 25))
    request = HelpRequest.objects.create(
        code=code,
        unit=unit,
        area=unit,
        for_whom="self",
        category="elderly",
        description="想请社工上门看看老人",
        contact_name="李先生",
        phone="13800000001",
        phone_last4="0001",
        consent_at=created,
        respond_by=created + datetime.timedelta(hours=24),
        first_response_at=created + datetime.timedelta(hours=2 if in_time else 30),
    )
    HelpRequest.objects.filter(pk=request.pk).update(created_at=created)
    return request


@pytest.fixture
def world(city, district, sibling_district, station, second_station, sibling_station):
    campaign = CampaignFactory(
        slug="haikou-2023",
        name="海口市2023年社会工作主题宣传活动方案",
        starts_on=START,
        ends_on=END,
        summary_deadline=DEADLINE,
        issuer=city,
        document_number="海民发〔2023〕79号",
    )
    today = timezone.localdate()
    p1 = Partner.objects.create(unit=station, name="秀英社区居委会", kind="community")
    p2 = Partner.objects.create(unit=district, name="秀英志愿服务队", kind="volunteers")
    p3 = Partner.objects.create(unit=district, name="秀英小学", kind="school")
    _activity(
        station,
        campaign,
        Activity.Kind.ONSITE,
        "秀英街道关爱老人义诊",
        participants=30,
        volunteers=5,
        views=100,
        audiences=codes_join(["public"]),
        focus_tags=codes_join(["elderly", "five_social"]),
        partners=[p1],
    )
    _activity(
        station,
        campaign,
        Activity.Kind.POSTER,
        "秀英街道张贴服务海报",
        participants=10,
        reads=50,
        audiences=codes_join(["service_users", "public"]),
        focus_tags=codes_join(["children"]),
    )
    _activity(
        district,
        campaign,
        Activity.Kind.LIVE_STREAM,
        "益播间秀英社工在身边",
        live_viewers=400,
        audiences=codes_join(["practitioners"]),
        status=Activity.Status.FEATURED,
        outcome="线上观看400人次。",
        partners=[p2, p3],
    )
    _activity(
        sibling_station, campaign, Activity.Kind.ONSITE, "中山街道龙华专属活动", participants=999
    )
    _activity(district, None, Activity.Kind.ONSITE, "秀英区不属于方案的活动", participants=77)
    MediaCoverage.objects.create(
        unit=district, outlet="海口日报", type="newspaper", title="秀英社工见报",
        published_on=datetime.date(2023, 3, 25),
    )  # fmt: skip
    MediaCoverage.objects.create(
        unit=district, outlet="海口日报", type="newspaper", title="秀英四月报道",
        published_on=datetime.date(2023, 4, 20),
    )  # fmt: skip
    MediaCoverage.objects.create(
        unit=sibling_station, outlet="南海网", type="web", title="龙华专属报道",
        published_on=datetime.date(2023, 3, 25),
    )  # fmt: skip
    for status, title in (
        ("adopted", "秀英稿件甲"),
        ("published", "秀英稿件乙"),
        ("rejected", "秀英稿件丙"),
    ):
        Submission.objects.create(
            unit=station, outlet="海南民政", title=title, status=status,
            submitted_on=datetime.date(2023, 3, 26),
        )  # fmt: skip
    Submission.objects.create(
        unit=sibling_station, outlet="海南民政", title="龙华专属稿件", status="adopted",
        submitted_on=datetime.date(2023, 3, 26),
    )  # fmt: skip
    Case.objects.create(unit=station, title="秀英独居老人守护案例", status="published")
    Case.objects.create(unit=station, title="秀英草稿案例", status="draft")
    _listing(station, complete=True, today=today)
    _listing(second_station, complete=False, today=today)
    _listing(sibling_station, complete=True, today=today)
    link = QrLink.objects.create(code="xy01", channel="秀英公交站", target="/help/", unit=station)
    QrScanDay.objects.create(link=link, day=datetime.date(2023, 3, 22), count=7)
    QrScanDay.objects.create(link=link, day=datetime.date(2023, 4, 15), count=100)
    other = QrLink.objects.create(
        code="lh01", channel="龙华公交", target="/help/", unit=sibling_station
    )
    QrScanDay.objects.create(link=other, day=datetime.date(2023, 3, 22), count=50)
    _help(station, "AAAA1111", in_time=True)
    _help(station, "AAAA2222", in_time=False)
    _help(sibling_station, "BBBB3333", in_time=True)
    survey = survey_create(
        actor=None,
        campaign=campaign,
        slug="haikou-2023",
        opens_on=START - datetime.timedelta(days=10),
        closes_on=END,
    )
    for area, day, knows in (
        (station, START - datetime.timedelta(days=2), "yes"),  # baseline
        (station, START, "yes"),
        (second_station, START + datetime.timedelta(days=1), "heard"),
        (district, START + datetime.timedelta(days=2), "yes"),
        (sibling_station, START, "yes"),
    ):
        Answer.objects.create(
            survey=survey,
            answered_at=at(day),
            answered_on=day,
            area=area,
            district=area if area.level == "district" else area.parent,
            age_group="60_plus",
            knows_social_work=knows,
            knows_station="no",
            used_service="no",
        )
    return campaign
