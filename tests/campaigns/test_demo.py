"""The campaigns app's demo data over the small test tree, and moving a campaign in time."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from shegong.campaigns.demo import LIVE_SLUG, seed_live
from shegong.campaigns.models import Campaign, TaskProgress
from shegong.campaigns.services import campaign_shift, progress_update
from shegong.core.models import AuditEntry

TODAY = datetime.date(2027, 1, 2)  # a Saturday, three days into a new year


def test_haikou_2023_is_closed_every_unit_done_on_time(haikou):
    rows = TaskProgress.objects.filter(task__campaign=haikou).select_related("task")

    assert rows.count() > 0
    assert {row.status for row in rows} == {TaskProgress.Status.DONE}
    assert all(row.on_time and row.done_on.year == 2023 for row in rows)


def test_seed_live_clones_2023_into_a_marked_campaign_running_today(haikou):
    live, days = seed_live(source=haikou, today=TODAY)

    assert days == 0
    assert live.slug == LIVE_SLUG
    assert Campaign.objects.current() == live
    # The window starts in the old year: the campaign is that year's.
    assert live.starts_on == datetime.date(2026, 12, 30)
    assert live.ends_on == datetime.date(2027, 1, 9)
    assert live.name == "海口市2026年社会工作主题宣传活动方案（演示数据）"
    assert live.document_number == "演示海民发〔2026〕1号"
    assert live.signed_on < live.starts_on
    assert live.tasks.count() == haikou.tasks.count()
    assert all(task.due_on > TODAY for task in live.tasks.all())
    done = TaskProgress.objects.filter(task__campaign=live, status=TaskProgress.Status.DONE)
    assert done.exists()
    assert all(live.starts_on <= row.done_on <= TODAY for row in done)


def test_seed_live_moves_only_when_asked_and_follows_the_year(haikou, city_admin):
    live, _ = seed_live(source=haikou, today=TODAY - datetime.timedelta(days=10))
    row = TaskProgress.objects.filter(task__campaign=live, status="not_started").first()
    progress_update(actor=city_admin, progress=row, status="in_progress", note="人工更新")

    same, days = seed_live(source=haikou, today=TODAY)
    assert (same.pk, days, same.starts_on) == (live.pk, 0, live.starts_on)

    moved, days = seed_live(source=haikou, today=TODAY + datetime.timedelta(days=5), refresh=True)
    assert moved.pk == live.pk
    assert days == 15
    assert moved.starts_on == datetime.date(2027, 1, 4)
    assert moved.name == "海口市2027年社会工作主题宣传活动方案（演示数据）"
    assert moved.document_number == "演示海民发〔2027〕1号"
    row.refresh_from_db()
    assert (row.status, row.note) == ("in_progress", "人工更新")
    assert Campaign.objects.filter(slug=LIVE_SLUG).count() == 1


def test_campaign_shift_moves_dates_together_and_keeps_on_time(haikou, city_admin):
    rows = list(TaskProgress.objects.filter(task__campaign=haikou).select_related("task"))

    campaign_shift(actor=city_admin, campaign=haikou, days=-7)

    haikou.refresh_from_db()
    assert (haikou.starts_on, haikou.ends_on) == (
        datetime.date(2023, 3, 14),
        datetime.date(2023, 3, 24),
    )
    assert haikou.summary_deadline == datetime.date(2023, 4, 3)
    assert haikou.signed_on == datetime.date(2023, 2, 27)
    for row in rows:
        moved = TaskProgress.objects.select_related("task").get(pk=row.pk)
        assert moved.task.due_on == row.task.due_on - datetime.timedelta(days=7)
        assert moved.done_on == row.done_on - datetime.timedelta(days=7)
        assert moved.on_time
    entry = AuditEntry.objects.get(action="campaign.shift")
    assert entry.actor == city_admin
    assert entry.changes == {"starts_on": ["2023-03-21", "2023-03-14"]}


def test_campaign_shift_refuses_dates_outside_the_calendar(haikou, city_admin):
    with pytest.raises(ValidationError) as error:
        campaign_shift(actor=city_admin, campaign=haikou, days=-800_000)

    assert "超出日历范围" in str(error.value)
    haikou.refresh_from_db()
    assert haikou.starts_on == datetime.date(2023, 3, 21)
