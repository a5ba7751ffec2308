"""The dashboard's 总结报送 column: where each unit's summary stands, from the summaries app."""

import datetime

from django.utils import timezone

from shegong.reports.dashboard import dashboard_for
from shegong.reports.dashboard_rollups import rollup_rebuild
from shegong.reports.models import Summary
from shegong.reports.services import reporting_duties_ensure

from .conftest import at


def _column(dashboard) -> dict:
    index = [key for key, _label, _has in dashboard.extra_columns].index("summary")
    return {row.label: row.extra_cells[index] for row in [*dashboard.rows, dashboard.total_row]}


def test_summary_status_per_district(world, city_admin, district, sibling_district):
    reporting_duties_ensure(campaign=world)
    Summary.objects.create(
        campaign=world,
        unit=district,
        status="accepted",
        first_submitted_at=at(4, 8),
    )
    Summary.objects.create(campaign=world, unit=sibling_district, status="draft")
    rollup_rebuild(campaign=world, now=at(3, 29))

    d = dashboard_for(city_admin, world, today=datetime.date(2023, 4, 11))

    assert _column(d) == {
        "市级（市民政局）": None,  # the city owes itself no summary
        "秀英区民政局": "已采用",
        "龙华区民政局": "未报送",  # a draft is not handed in
        "合计": "已采用 1；未报送 1",
    }
    assert ("summary", "总结报送", True) in d.extra_columns


def test_summary_column_on_the_page_links_to_the_summaries(world, login, city_admin):
    reporting_duties_ensure(campaign=world)

    content = login(city_admin).get("/console/dashboard/").content.decode()

    assert "总结报送：尚无数据来源" not in content
    assert f'<a href="/console/summaries/{world.slug}/">未报送</a>' in content
    assert timezone.now()
