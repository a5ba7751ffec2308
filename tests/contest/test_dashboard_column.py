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
    assert [key for key, _label, has in city_view.extra_columns if has] == ["stories", "summary"]

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


def test_dashboard_contest_progress_by_stage_and_links(
    call, enter, city_admin, district, sibling_district, district_officer, station_worker, login
):
    """故事征集进度: per district and stage, by hand; each figure links to the entries it
    counted, and the list shows exactly those."""
    from shegong.contest.models import Entry

    a, b, c = (_for_unit(station_worker, call, n) for n in (1, 2, 3))
    d = _for_unit(district_officer, call, 4)
    e = enter(area=sibling_district)
    withdrawn = _for_unit(station_worker, call, 5)
    Entry.objects.filter(pk__in=[b.pk, c.pk]).update(status="under_review")
    Entry.objects.filter(pk=d.pk).update(status="published")
    Entry.objects.filter(pk=e.pk).update(status="not_selected")
    Entry.objects.filter(pk=withdrawn.pk).update(status="withdrawn")
    campaign = call.campaign

    view = dashboard_for(city_admin, campaign, today=timezone.localdate())
    by = {row.label: row.figures.contest for row in view.rows}
    assert by["秀英区民政局"] == {"submitted": 4, "in_review": 2, "scored": 1, "published": 1}
    assert by["龙华区民政局"] == {"submitted": 1, "in_review": 0, "scored": 1, "published": 0}
    assert view.total.contest == {"submitted": 5, "in_review": 2, "scored": 2, "published": 1}
    assert a.status == "submitted"

    officer = dashboard_for(district_officer, campaign, today=timezone.localdate())
    assert officer.total.contest["submitted"] == 4  # never the sibling's entry

    client = login(city_admin)
    page = client.get(f"/console/dashboard/?campaign={campaign.slug}").content.decode()
    assert "共投稿 5 篇（不含撤回），评审中 2 篇，已评定 2 篇，已发布 1 篇" in page
    link = (
        f"/console/contest/entries/?campaign={campaign.slug}&amp;stage=in_review"
        f"&amp;unit={district.code}"
    )
    assert link in page
    listed = client.get(link.replace("&amp;", "&")).content.decode()
    assert listed.count('data-status="under_review"') == 2
    assert listed.count("<tr data-status=") == 2
    book_link = client.get(f"/console/dashboard/export.xlsx?campaign={campaign.slug}")
    from io import BytesIO

    from openpyxl import load_workbook

    sheet = load_workbook(BytesIO(book_link.content))["故事征集"]
    table = {row[0]: row[1:] for row in sheet.iter_rows(values_only=True)}
    assert table["合计"] == (5, 2, 2, 1)
