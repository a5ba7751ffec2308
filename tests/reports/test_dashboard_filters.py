"""The dashboard's segment filters (活动人群, 答卷年龄段) by hand, and every figure's link
showing exactly the records the figure counts, with the same filters."""

import datetime
import html
import re
from decimal import Decimal

from django.utils import timezone

from shegong.activities.models import Activity
from shegong.reports.dashboard import dashboard_for
from shegong.reports.dashboard_rollups import rollup_rebuild
from tests.site_walk import page_words

from .conftest import at

TODAY = timezone.localdate()


def board(user, campaign, **kwargs):
    rollup_rebuild(campaign=campaign, now=at(3, 29))
    return dashboard_for(user, campaign, today=TODAY, **kwargs)


def tag(station, sibling_station):
    """秀英街道's 30 (approved) and 99 (not reviewed) activities and 中山街道's 7 are for
    elders (一老); 中山街道's is for the public as well."""
    Activity.objects.filter(unit=station, participants__in=[30, 99]).update(focus_tags=",elderly,")
    Activity.objects.filter(unit=sibling_station, participants=7).update(
        focus_tags=",elderly,brand,", audiences=",public,"
    )


def test_segment_narrows_the_activity_figures_only(world, city_admin, station, sibling_station):
    tag(station, sibling_station)

    d = board(city_admin, world, segment="focus:elderly")

    by = {row.label: row.figures for row in d.rows}
    assert (by["秀英区民政局"].activities, by["秀英区民政局"].participants) == (1, 30)
    assert (by["龙华区民政局"].activities, by["龙华区民政局"].participants) == (1, 7)
    assert (by["市级（市民政局）"].activities, by["市级（市民政局）"].participants) == (0, 0)
    assert (d.total.activities, d.total.participants) == (2, 37)
    # The other figures are not segmented.
    assert (d.total.help_requests, d.total.media_reports) == (4, 3)
    days = {p["day"]: p for p in d.timeline}
    assert days[datetime.date(2023, 3, 22)]["activities"] == 2
    assert days[datetime.date(2023, 3, 22)]["participants"] == 37
    assert days[datetime.date(2023, 3, 22)]["help_requests"] == 3
    assert {k.kind: k.actual for k in d.kpis}["activities"] == 2
    assert d.segment_label == "一老"

    public = board(city_admin, world, segment="audience:public")
    assert (public.total.activities, public.total.participants) == (1, 7)


def test_segment_in_a_district_never_counts_the_sibling(
    world, district_officer, station, sibling_station
):
    tag(station, sibling_station)

    d = board(district_officer, world, segment="focus:elderly")

    assert (d.total.activities, d.total.participants) == (1, 30)
    assert [row.figures.activities for row in d.rows] == [0, 1, 0]


def test_age_group_narrows_the_survey(world, city_admin):
    d = board(city_admin, world, age_group="60_plus")

    a = d.total.awareness
    # Those answering 知道 are 60+ in this world: 1 baseline, 3 during the campaign.
    assert (a.baseline_answers, a.campaign_answers, a.campaign_aware) == (1, 3, 3)
    assert a.campaign_rate == Decimal(100)
    assert [label for label, _a in d.by_age] == ["60 岁及以上"]
    assert d.total.activities == 7  # not segmented


def test_bad_segment_gets_a_specific_message(world, login, city_admin):
    content = login(city_admin).get("/console/dashboard/?segment=focus:nope").content.decode()

    assert "所选的活动人群不在可选范围内" in content


def _text(response) -> str:
    return page_words(response.content.decode())


def _href(content: str, pattern: str) -> str:
    found = re.search(pattern, content)
    assert found, pattern
    return html.unescape(found.group(1))


def test_every_figure_links_to_exactly_its_records(
    world, login, city_admin, district, station, sibling_station
):
    tag(station, sibling_station)
    client = login(city_admin)
    client.get("/console/dashboard/")  # builds the roll-ups
    rollup_rebuild(campaign=world, now=timezone.now())
    query = f"?segment=focus:elderly&date_from=2023-03-22&unit={district.code}"
    content = client.get(f"/console/dashboard/{query}").content.decode()

    # 秀英街道's row within 秀英区 (a station: its subtree is itself).
    row = content.split("秀英街道社工站</a></th>", 1)[1].split("</tr>", 1)[0]
    ledger = _href(row, r'href="(/console/activities/\?[^"]+)"')
    assert "focus=elderly" in ledger
    assert "status=reviewed" in ledger
    assert "date_from=2023-03-22" in ledger
    assert "共 1 条" in _text(client.get(ledger))  # the 30, not the unreviewed 99

    # The district's own row counts its own activity only, not its stations'.
    own = content.split('<th scope="row">秀英区民政局</th>', 1)[1].split("</tr>", 1)[0]
    assert "own=1" in _href(own, r'href="(/console/activities/\?[^"]+)"')

    # Help requests: 3 made in 秀英 from 03-22, one overdue.
    total = content.split("<tfoot>", 1)[1].split("</tfoot>", 1)[0]
    queue = client.get(_href(total, r'href="(/console/helpdesk/\?campaign[^"]+)"')).content
    assert queue.decode().count("<tr data-status=") == 3
    overdue = client.get(_href(total, r'href="(/console/helpdesk/\?overdue=1[^"]+)"')).content
    assert overdue.decode().count("<tr data-status=") == 1
    # Listings: one complete and one verified within 90 days, both 秀英街道's.
    complete = client.get(_href(total, r'href="(/console/directory/\?complete=1[^"]+)"'))
    assert "共 1 个" in _text(complete)
    assert "秀英街道社工站" in complete.content.decode()
    fresh = client.get(_href(total, r'href="(/console/directory/\?fresh=1[^"]+)"'))
    assert "共 1 个" in _text(fresh)
    # The row links to its own dashboard with the same filters.
    assert (
        f'href="?unit={station.code}&amp;date_from=2023-03-22&amp;segment=focus%3Aelderly"'
        in content
    )


def test_segment_rollup_follows_edits_after_a_rebuild(world, city_admin, station, sibling_station):
    tag(station, sibling_station)
    assert board(city_admin, world, segment="focus:elderly").total.activities == 2

    Activity.objects.filter(unit=sibling_station).update(focus_tags="")  # tag removed
    Activity.objects.filter(unit=station, participants=10).update(focus_tags=",elderly,")
    d = board(city_admin, world, segment="focus:elderly")

    assert (d.total.activities, d.total.participants) == (2, 40)
    assert {row.label: row.figures.activities for row in d.rows}["龙华区民政局"] == 0
