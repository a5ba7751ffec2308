"""The dashboard's 社工故事 column, filled by the contest: entries entered through the
contest's own services in two sibling districts, counted per entering unit."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from shegong.contest import services
from shegong.contest.selectors import dashboard_stories, kpi_stories
from shegong.reports.dashboard import dashboard_for

from .conftest import STORY


def _for_unit(actor, call, n):
    return services.entry_submit_for(
        actor=actor,
        call=call,
        author_name=f"同事{n}",
        phone=f"1380000{n:04d}",
        consent_note="已取得本人书面同意",
        title=f"站里的故事{n}",
        category="written",
        text=STORY,
    )


def _stories(dashboard) -> dict:
    return {row.label: row.figures.extra.get("stories", 0) for row in dashboard.rows}


def test_dashboard_counts_stories_per_entering_unit(
    call,
    enter,
    city_admin,
    district,
    sibling_district,
    district_officer,
    station_worker,
    sibling_worker,
    login,
):
    # 秀英: the 秀英街道 station enters two and withdraws one, the district bureau enters one,
    # a citizen names 秀英区. 龙华: the 中山街道 station enters one, a citizen names 龙华区.
    # A citizen naming no district counts in the campaign's total only.
    _for_unit(station_worker, call, 1)
    services.entry_withdraw(entry=_for_unit(station_worker, call, 2), actor=station_worker)
    _for_unit(district_officer, call, 3)
    _for_unit(sibling_worker, call, 4)
    enter(area=district)
    enter(area=sibling_district)
    enter()
    campaign = call.campaign
    today = timezone.localdate()

    city_view = dashboard_for(city_admin, campaign, today=today)
    assert _stories(city_view) == {"秀英区民政局": 3, "龙华区民政局": 2}
    assert city_view.total_row.extra_cells[0] == 5
    assert kpi_stories(campaign) == 6  # the unit-less citizen's entry counts city-wide only
    assert [key for key, _label, has in city_view.extra_columns if has] == ["stories"]

    officer_view = dashboard_for(district_officer, campaign, today=today)
    assert _stories(officer_view) == {"秀英区民政局": 2, "秀英街道社工站": 1}
    assert officer_view.total_row.extra_cells[0] == 3

    # The page: the column has its figures, no "尚无数据来源" mark for it any more.
    page = login(district_officer).get(f"/console/dashboard/?campaign={campaign.slug}")
    content = page.content.decode()
    assert "社工故事（篇）：尚无数据来源" not in content
    assert page.status_code == 200
    assert "龙华区" not in content
    assert "中山街道" not in content

    # One query whatever the number of entries.
    with CaptureQueriesContext(connection) as queries:
        assert sum(dashboard_stories(campaign).values()) == 5
    assert len(queries) == 1
