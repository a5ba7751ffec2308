"""One installation serving several cities: the superuser's nation-wide dashboard (one row
per city, each with its current campaign), computed by hand on ``conftest.world`` plus a
second city, 三亚, with its own campaign."""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from shegong.accounts.models import User
from shegong.activities.models import MediaCoverage
from shegong.reports.dashboard_national import national_dashboard
from shegong.reports.dashboard_rollups import rollup_rebuild
from tests.factories import CampaignFactory, UserFactory, city_unit, district_unit, station_unit
from tests.site_walk import page_words

from .conftest import activity, at, help_request

TODAY = timezone.localdate()


@pytest.fixture
def sanya(world):
    """三亚: one district, one station; its campaign (issued) with 2 reviewed activities (12
    people) and one help request, answered in 3 hours."""
    city = city_unit("460200", "三亚市民政局")
    district = district_unit(city, "460202", "海棠区")
    station = station_unit(district, "460202001", "海棠湾")
    campaign = CampaignFactory(
        slug="sanya-2023",
        starts_on=datetime.date(2023, 3, 21),
        ends_on=datetime.date(2023, 3, 31),
        summary_deadline=datetime.date(2023, 4, 10),
        issuer=city,
        document_number="三民发〔2023〕1号",
    )
    activity(station, campaign, 22, 5)
    activity(district, campaign, 23, 7)
    activity(station, campaign, 24, 100, status="returned")  # not reviewed
    help_request(station, campaign, at(3, 22), responded=at(3, 22, 13))
    # Media belong to no campaign: 三亚's counts for 三亚's campaign only.
    MediaCoverage.objects.create(
        unit=station,
        outlet="三亚日报",
        type="newspaper",
        title="报道",
        published_on=datetime.date(2023, 3, 25),
    )
    for campaign_ in (world, campaign):
        rollup_rebuild(campaign=campaign_, now=at(3, 29))
    return campaign


@pytest.fixture
def superuser(city):
    return UserFactory(username="root", role=User.Role.CITY_ADMIN, is_superuser=True)


def test_nation_has_one_row_per_city_with_its_campaign(world, sanya, superuser):
    d = national_dashboard(superuser, today=TODAY)

    by = {row.label: row.figures for row in d.rows}
    assert list(by) == ["海口市民政局", "三亚市民政局"]
    haikou, sanya_ = by["海口市民政局"], by["三亚市民政局"]
    # 海口: the same figures as its own dashboard (test_dashboard.py): 7 activities, 222.
    assert (haikou.activities, haikou.participants, haikou.help_requests) == (7, 222, 4)
    assert (haikou.stations, haikou.listings_complete, haikou.tasks_done) == (3, 1, 1)
    assert (sanya_.activities, sanya_.participants, sanya_.help_requests) == (2, 12, 1)
    assert (sanya_.help_on_time, sanya_.stations) == (1, 1)
    assert (haikou.media_reports, sanya_.media_reports) == (3, 1)
    assert (d.total.activities, d.total.participants, d.total.help_requests) == (9, 234, 5)
    assert d.total.awareness.campaign_answers == 5
    days = {p["day"]: p for p in d.timeline}
    assert days[datetime.date(2023, 3, 22)]["activities"] == 5  # 海口 4, 三亚 1
    assert d.qr_channels == [("公交1路", 10), ("公交2路", 6)]
    assert days[datetime.date(2023, 3, 22)]["qr_scans"] == 16
    # KPIs: 海口's targets (三亚 has none) against the nation's figures.
    assert {k.kind: (k.target, k.actual) for k in d.kpis}["activities"] == (10, 9)


def test_nation_with_a_period_and_a_segment(world, sanya, superuser):
    d = national_dashboard(superuser, today=TODAY, date_from=datetime.date(2023, 3, 23))

    by = {row.label: row.figures for row in d.rows}
    assert (by["海口市民政局"].activities, by["三亚市民政局"].activities) == (2, 1)


def test_superuser_page_national_then_a_city(world, sanya, superuser, login):
    client = login(superuser)

    content = client.get("/console/dashboard/").content.decode()
    assert "范围：全国（各城市）" in content
    assert "三亚市民政局" in content
    assert "/console/dashboard/?unit=460200" in content
    assert "/console/activities/?unit=460200&amp;campaign=sanya-2023&amp;status=reviewed" in content

    city = client.get("/console/dashboard/?unit=460200").content.decode()
    assert "范围：全市" in city
    assert "海棠区民政局" in city
    assert "秀英区" not in city  # another city's districts are not this campaign's

    ledger = client.get("/console/activities/?unit=460200&campaign=sanya-2023&status=reviewed")
    assert "共 2 条" in page_words(ledger.content.decode())

    book = load_workbook(io.BytesIO(client.get("/console/dashboard/export.xlsx").content))
    table = {row[0]: row for row in book["分单位"].iter_rows(values_only=True)}
    assert table["三亚市民政局"][1:3] == (2, 12)
    assert table["合计"][1:3] == (9, 234)


def test_city_admin_sees_their_city_only(world, sanya, city_admin, login):
    content = login(city_admin).get("/console/dashboard/").content.decode()

    assert "范围：全市" in content
    assert "三亚" not in content
    assert "海棠" not in content


@pytest.mark.parametrize("more", [1, 3])
def test_national_query_count_does_not_grow_with_cities(world, sanya, superuser, login, more):
    client = login(superuser)
    client.get("/console/dashboard/")  # warms the session and the per-process caches
    counts = []
    for n in range(2):
        for k in range(more):
            city = city_unit(f"47{n}{k}00", f"新城{n}{k}民政局")
            district = district_unit(city, f"47{n}{k}01", f"新区{n}{k}")
            station = station_unit(district, f"47{n}{k}01001", f"新街{n}{k}")
            campaign = CampaignFactory(slug=f"new-{n}{k}", issuer=city, starts_on=world.starts_on)
            activity(station, campaign, 22, 3)
            rollup_rebuild(campaign=campaign)
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/console/dashboard/")
        assert f"新城{n}{more - 1}民政局" in response.content.decode()
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_periodic_job_rebuilds_each_running_city_campaign(world, sanya):
    from shegong.reports.dashboard_rollups import rebuild_targets

    assert {c.slug for c in rebuild_targets(at(3, 25))} == {"haikou-2023", "sanya-2023"}
    # After the summary deadlines only the installation's current campaign is rebuilt.
    assert len(rebuild_targets(at(6, 1))) == 1
