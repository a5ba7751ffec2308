"""The dashboard's figures, computed by hand on the small world of ``conftest.world``."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from shegong.activities.models import Activity
from shegong.campaigns.selectors import campaign_kpis
from shegong.reports.dashboard import dashboard_for
from shegong.reports.dashboard_rollups import rollup_rebuild
from shegong.reports.models import UnitDay

from .conftest import activity, at

TODAY = timezone.localdate()  # listings are verified relative to the real day


def board(user, campaign, **kwargs):
    rollup_rebuild(campaign=campaign, now=at(3, 29))
    return dashboard_for(user, campaign, today=TODAY, **kwargs)


def rows(dashboard) -> dict:
    return {row.label: row.figures for row in dashboard.rows}


def test_city_dashboard_figures_by_hand(world, city_admin):
    d = board(city_admin, world)

    by = rows(d)
    assert list(by) == ["市级（市民政局）", "秀英区民政局", "龙华区民政局"]
    xiuying, longhua, city = by["秀英区民政局"], by["龙华区民政局"], by["市级（市民政局）"]
    assert (xiuying.activities, xiuying.participants) == (5, 165)
    assert (longhua.activities, longhua.participants) == (1, 7)
    assert (city.activities, city.participants) == (1, 50)
    assert (d.total.activities, d.total.participants) == (7, 222)
    assert (xiuying.media_reports, longhua.media_reports) == (2, 1)
    assert (xiuying.submissions, xiuying.submissions_adopted) == (2, 1)
    assert (longhua.submissions, longhua.submissions_adopted) == (1, 1)
    # Help: 2 h on time, 30 h late, one overdue; 中山街道 1 h.
    assert (xiuying.help_requests, xiuying.help_responded, xiuying.help_overdue) == (3, 2, 1)
    assert xiuying.help_on_time == 1
    assert xiuying.help_on_time_rate == Decimal("33.3")
    assert xiuying.help_average_hours == Decimal("16.0")
    assert dict(xiuying.help_buckets) == {
        "4 小时内": 1,
        "4–24 小时": 0,
        "1–3 天": 1,
        "3 天以上": 0,
        "未响应·未逾期": 0,
        "未响应·已逾期": 1,
    }
    assert (d.total.help_requests, d.total.help_on_time_rate) == (4, Decimal(50))
    assert (xiuying.stations, xiuying.listings_complete, xiuying.listings_fresh) == (2, 1, 1)
    assert (longhua.stations, longhua.listings_complete) == (1, 0)
    assert (xiuying.tasks, xiuying.tasks_done, longhua.tasks, longhua.tasks_done) == (2, 1, 1, 0)
    # Survey: 秀英 baseline 1 of 2, campaign 2 of 4; 龙华 campaign 1 of 1.
    a = xiuying.awareness
    assert (a.baseline_answers, a.baseline_aware, a.campaign_answers, a.campaign_aware) == (
        2,
        1,
        4,
        2,
    )
    assert (a.baseline_rate, a.campaign_rate) == (Decimal(50), Decimal(50))
    assert longhua.awareness.campaign_rate == Decimal(100)
    assert d.total.awareness.campaign_rate == Decimal(60)
    assert dict(d.by_age)["60 岁及以上"].campaign_answers == 3
    # QR scans since the campaign started, by channel.
    assert d.qr_channels == [("公交1路", 10), ("公交2路", 6)]


def test_city_kpis_equal_the_campaign_providers(world, city_admin):
    d = board(city_admin, world)

    mine = {k.kind: k for k in d.kpis}
    theirs = {k.kind: k for k in campaign_kpis(world)}
    for kind in ("activities", "participants", "media_reports", "stations_listed", "stories"):
        assert mine[kind].actual == theirs[kind].actual, kind
    assert mine["awareness_rate"].actual == theirs["awareness_rate"].actual == Decimal(60)
    assert (mine["activities"].actual, mine["activities"].share) == (7, 70)
    # The contest provides the stories figure now: no entries in this world, and no
    # "尚无数据来源" mark any more.
    assert (mine["stories"].actual, mine["stories"].note) == (0, "")


def test_district_dashboard_lists_its_stations_and_nothing_of_its_sibling(world, district_officer):
    d = board(district_officer, world)

    by = rows(d)
    assert list(by) == ["秀英区民政局", "秀英街道社工站", "海秀街道社工站"]
    assert (by["秀英区民政局"].activities, by["秀英区民政局"].participants) == (1, 100)
    assert (by["秀英街道社工站"].activities, by["秀英街道社工站"].participants) == (3, 60)
    assert (by["海秀街道社工站"].activities, by["海秀街道社工站"].participants) == (1, 5)
    assert (d.total.activities, d.total.participants, d.total.help_requests) == (5, 165, 3)
    assert d.total.media_reports == 2
    assert d.qr_channels == [("公交1路", 10)]
    assert d.total.awareness.campaign_rate == Decimal(50)
    # The district-only answer sits with the district; the rest with their stations.
    assert by["秀英区民政局"].awareness.campaign_answers == 1
    assert by["海秀街道社工站"].awareness.baseline_rate == Decimal(0)
    assert {k.kind: k.actual for k in d.kpis}["activities"] == 5


def test_station_dashboard_is_its_station_only(world, station_worker):
    d = board(station_worker, world)

    assert [row.label for row in d.rows] == ["秀英街道社工站"]
    assert (d.total.activities, d.total.participants, d.total.help_requests) == (3, 60, 3)
    assert d.total.stations == 1


def test_city_admin_filters_by_district_and_period(world, city_admin, district):
    d = board(city_admin, world, scope=district, date_from=datetime.date(2023, 3, 23))

    assert [row.label for row in d.rows] == ["秀英区民政局", "秀英街道社工站", "海秀街道社工站"]
    # On or after 03-23: 秀英街道's 03-25 (10) and the district's 03-24 (100).
    assert (d.total.activities, d.total.participants) == (2, 110)
    assert d.timeline[0]["day"] == datetime.date(2023, 3, 23)
    assert d.timeline_by == "day"


def test_timeline_day_by_day_over_the_campaign(world, city_admin):
    d = board(city_admin, world)

    days = {p["day"]: p for p in d.timeline}
    assert min(days) == datetime.date(2023, 3, 21)
    assert max(days) == datetime.date(2023, 4, 10)
    assert days[datetime.date(2023, 3, 21)]["activities"] == 1
    assert days[datetime.date(2023, 3, 22)]["activities"] == 4
    assert days[datetime.date(2023, 3, 22)]["participants"] == 62
    assert days[datetime.date(2023, 3, 22)]["help_requests"] == 3
    assert days[datetime.date(2023, 3, 22)]["qr_scans"] == 16
    assert days[datetime.date(2023, 4, 5)]["media_reports"] == 1
    assert sum(p["activities"] for p in d.timeline) == 7


def test_rollups_follow_writes_edits_and_deletions_after_a_rebuild(world, station_worker, station):
    assert board(station_worker, world).total.activities == 3

    added = activity(station, world, 29, 40)
    # Until the roll-ups are rebuilt, the dashboard shows the last rebuild's figures.
    assert dashboard_for(station_worker, world, today=TODAY).total.activities == 3
    call_command("run_periodic", stdout=io.StringIO())  # the periodic job rebuilds
    d = dashboard_for(station_worker, world, today=TODAY)
    assert (d.total.activities, d.total.participants) == (4, 100)

    Activity.objects.filter(pk=added.pk).update(participants=45)
    assert board(station_worker, world).total.participants == 105

    Activity.objects.filter(pk=added.pk).update(status="returned")
    assert board(station_worker, world).total.activities == 3

    Activity.objects.filter(pk=added.pk).delete()
    UnitDay.objects.all().delete()  # even lost roll-ups come back from a rebuild
    call_command("dashboard_rebuild", "--campaign", world.slug, stdout=io.StringIO())
    assert (dashboard_for(station_worker, world, today=TODAY).total.participants) == 60


def test_dashboard_page_shows_the_figures_and_marks_missing_sources(world, login, city_admin):
    content = login(city_admin).get("/console/dashboard/").content.decode()

    assert "范围：全市" in content
    assert "秀英区民政局" in content
    assert "尚无数据来源" not in content  # the contest and the summaries fill their columns
    assert "故事征集进度" in content
    assert "<svg" in content
    assert "<script" not in content.split("</header>")[1]
    assert "基线（方案开始前）2 份答卷，知晓率 50.0%；活动期间 5 份，知晓率 60.0%" in content


def test_district_page_never_shows_the_sibling(world, login, district_officer, sibling_district):
    client = login(district_officer)
    for query in ("", f"?unit={sibling_district.code}", "?unit=460106001"):
        content = client.get(f"/console/dashboard/{query}").content.decode()
        assert "龙华区" not in content
        assert "中山街道" not in content
        assert "公交2路" not in content
        assert "范围：秀英区民政局" in content


def test_bad_filters_get_specific_messages(world, login, city_admin):
    content = (
        login(city_admin)
        .get("/console/dashboard/?date_from=2023-13-40&date_to=2023-03-01&unit=999")
        .content.decode()
    )

    assert "开始日期格式不正确" in content
    assert "所选的单位不在可选范围内" in content
    assert "范围：全市" in content


def test_judge_may_not_open_the_dashboard(world, login, judge):
    assert login(judge).get("/console/dashboard/").status_code == 403


def test_xlsx_has_every_table(world, login, district_officer):
    response = login(district_officer).get("/console/dashboard/export.xlsx")

    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == [
        "指标",
        "分单位",
        "每日",
        "二维码渠道",
        "求助响应",
        "知晓度",
        "故事征集",
    ]
    table = {row[0]: row for row in book["分单位"].iter_rows(values_only=True)}
    assert table["秀英街道社工站"][1:3] == (3, 60)
    assert table["合计"][1:3] == (5, 165)
    assert "中山街道社工站" not in table
    assert dict(book["二维码渠道"].iter_rows(values_only=True)) == {
        "渠道": "扫码次数",
        "公交1路": 10,
    }


@pytest.mark.parametrize("more", [1, 3])
def test_query_count_does_not_grow_with_rows(world, login, city_admin, district, more, request):
    from tests.factories import station_unit

    client = login(city_admin)
    client.get("/console/dashboard/")  # the first view builds the roll-ups
    counts = []
    for n in range(2):
        for k in range(more):
            unit = station_unit(district, f"46010590{n}{k}", f"新街道{n}{k}")
            activity(unit, world, 22 + k, 3)
        rollup_rebuild(campaign=world)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"/console/dashboard/?unit={district.code}")
        assert f"新街道{n}{more - 1}" in response.content.decode()
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_first_view_builds_the_rollups(world, login, city_admin):
    assert not UnitDay.objects.exists()

    content = login(city_admin).get("/console/dashboard/").content.decode()

    assert UnitDay.objects.filter(campaign=world).exists()
    assert "统计截至" in content
    assert timezone.now()  # the run is dated


def test_a_campaign_changed_through_the_services_has_its_rollups_before_any_view(world, city_admin):
    from shegong.campaigns.services import campaign_update
    from shegong.reports.models import RollupRun

    assert not RollupRun.objects.filter(campaign=world).exists()

    campaign_update(actor=city_admin, campaign=world, recipients="各区民政局")

    assert RollupRun.objects.filter(campaign=world).exists()
    assert UnitDay.objects.filter(campaign=world).exists()


def test_chart_labels_are_escaped(world, login, city_admin, district):
    district.name = '秀英<script>alert("x")</script>区'
    district.save()

    content = login(city_admin).get("/console/dashboard/").content.decode()

    assert "<script>alert" not in content
    assert "秀英&lt;script&gt;" in content.split("<svg", 1)[1]
