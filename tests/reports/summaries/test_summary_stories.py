"""The summary's story figures (社工故事征集作品, 其中获奖), counted by hand: entries made through
the contest's services in both districts, counted under their entering unit's subtree."""

import datetime
import io

import docx
import pytest
from django.utils import timezone
from openpyxl import load_workbook

from shegong.contest import services as contest
from shegong.contest.models import Entry
from shegong.reports import services
from shegong.reports.summary_documents import export_summary
from shegong.reports.summary_figures import summary_figures

from .conftest import START, at

pytestmark = pytest.mark.django_db

STORY = "第一次走进那间老屋时，屋里很暗，奶奶坐在门边。社工蹲下来和她拉起家常。" * 4


def values(figures):
    return {figure["key"]: figure["value"] for figure in figures}


@pytest.fixture
def stories(world, city_admin, district, sibling_district, district_officer, station_worker,
            sibling_worker, settings, tmp_path):  # fmt: skip
    """秀英: the 秀英街道 station enters two and withdraws one; the district bureau enters one
    (awarded); a citizen naming 秀英区 enters one (awarded and published). 龙华: the 中山街道
    station enters one, a citizen naming 龙华区 one. A citizen naming no district enters one."""
    settings.MEDIA_ROOT = tmp_path / "media"
    now = timezone.now()
    call = contest.call_save(
        actor=city_admin, campaign=world, title="椰城社工故事", rules_text="原创。",
        categories=["written"], submission_opens=now - datetime.timedelta(days=1),
        submission_closes=now + datetime.timedelta(days=1),
        review_opens=now + datetime.timedelta(days=1),
        review_closes=now + datetime.timedelta(days=2), reviews_per_entry=1,
        criteria=[("真实感人", 100)], tiers=[("一等奖", 2)],
    )  # fmt: skip
    made = iter(range(1000, 2000))

    def by_unit(actor):
        n = next(made)
        return contest.entry_submit_for(
            actor=actor, call=call, author_name=f"同事{n}", phone=f"1380000{n}",
            consent_note="已取得本人书面同意", title=f"故事{n}", category="written", text=STORY,
        )  # fmt: skip

    def by_citizen(area):
        n = next(made)
        return contest.entry_submit(
            call=call, author_name=f"市民{n}", phone=f"1390000{n}", title=f"故事{n}",
            category="written", text=STORY, area=area, ip=f"10.0.0.{n % 250}",
        )  # fmt: skip

    by_unit(station_worker)
    contest.entry_withdraw(entry=by_unit(station_worker), actor=station_worker)
    officer_entry = by_unit(district_officer)
    citizen_entry = by_citizen(district)
    by_unit(sibling_worker)
    by_citizen(sibling_district)
    by_citizen(None)
    # The award itself goes through a whole blind review (tests/contest); here the outcome.
    Entry.objects.filter(pk=officer_entry.pk).update(status=Entry.Status.AWARDED)
    Entry.objects.filter(pk=citizen_entry.pk).update(status=Entry.Status.PUBLISHED)
    return call


def test_story_figures_by_hand(world, stories, city, district, station, sibling_district):
    got = {
        unit.code: (v["stories_entered"], v["stories_awarded"])
        for unit in (city, district, station, sibling_district)
        for v in [values(summary_figures(unit, world))]
    }
    assert got == {
        "460105": (3, 2),  # station 1 (one withdrawn), bureau 1 awarded, citizen 1 published
        "460105001": (1, 0),
        "460106": (2, 0),
        city.code: (5, 2),  # the citizen naming no district is in no unit's subtree
    }
    own = values(summary_figures(city, world, own_only=True))
    assert (own["stories_entered"], own["stories_awarded"]) == (0, 0)


def test_story_figures_are_drafted_frozen_and_exported(world, stories, district, district_officer):
    draft = services.summary_draft(campaign=world, unit=district)
    assert "报送社工故事征集作品3篇，其中获奖2篇。" in draft.work

    summary = services.summary_save(actor=district_officer, campaign=world, unit=district)
    services.summary_submit(actor=district_officer, summary=summary, now=at(START))
    Entry.objects.filter(call=stories, area=district).update(status=Entry.Status.WITHDRAWN)
    summary.refresh_from_db()
    assert values(summary.figures)["stories_entered"] == 3  # frozen on submit

    workbook = load_workbook(
        io.BytesIO(export_summary(campaign=world.slug, unit="460105", fmt="xlsx"))
    )
    rows = {r[0]: r[1] for r in workbook["主要数据"].iter_rows(min_row=3, values_only=True)}
    assert (rows["社工故事征集作品（篇）"], rows["其中获奖作品（篇）"]) == (3, 2)
    document = docx.Document(
        io.BytesIO(export_summary(campaign=world.slug, unit="460105", fmt="docx"))
    )
    (annex,) = document.tables
    cells = {row.cells[0].text: row.cells[1].text for row in annex.rows[1:]}
    assert (cells["社工故事征集作品（篇）"], cells["其中获奖作品（篇）"]) == ("3", "2")
