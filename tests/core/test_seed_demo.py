"""The demo as a new user finds it: Haikou 2023 closed, and a campaign running today.

Time matters here, so these tests seed with a fixed clock (``seed_demo --today``);
test_demo_console.py walks the console on the real clock, as ``make demo`` shows it.
"""

import datetime
import io
import re
import zipfile
import zoneinfo
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import transaction
from django.test import Client, override_settings
from lxml import etree

from shegong.accounts.models import User
from shegong.activities.models import Activity, ActivityEvent
from shegong.campaigns.documents import notice_docx
from shegong.campaigns.models import Campaign, KpiTarget, TaskProgress
from shegong.campaigns.services import campaign_update, progress_update
from shegong.directory.demo import CHANNELS
from shegong.directory.models import QrLink, QrScanDay
from shegong.helpdesk import services as helpdesk
from shegong.helpdesk.models import HelpRequest
from shegong.orgs.models import Unit
from shegong.survey.models import Answer

TODAY = datetime.date(2026, 6, 10)  # a Wednesday
NOW = datetime.datetime(2026, 6, 10, 10, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))
GOLDEN_NOTICE = Path(__file__).parent / "data" / "haikou-2023-notice.txt"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def seed(today: datetime.date | None = TODAY, *extra: str) -> str:
    out = StringIO()
    args = [f"--today={today.isoformat()}"] if today else []
    call_command("seed_demo", *args, *extra, stdout=out)
    return out.getvalue()


def row_counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def docx_text(data: bytes) -> str:
    """Every paragraph's text of the body, headers and footers, in order, one a line."""
    lines = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = sorted(
            name
            for name in archive.namelist()
            if re.fullmatch(r"word/(document|header\d*|footer\d*|footnotes|endnotes)\.xml", name)
        )
        for name in parts:
            lines.append(f"## {name}")
            root = etree.fromstring(archive.read(name))
            lines += ["".join(t.text or "" for t in p.iter(f"{W}t")) for p in root.iter(f"{W}p")]
    return "\n".join(lines) + "\n"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Demo photos go to a throw-away directory, not var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo seeded once at TODAY for the tests that only read it, inside a transaction
    rolled back at the module's end (each test's own writes roll back with the test)."""
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")),
        transaction.atomic(),
    ):
        printed = seed()
        yield printed
        transaction.set_rollback(True)


def client_for(username: str) -> Client:
    """Demo accounts cannot sign in while DEBUG is off, as in tests: make this one real."""
    User.objects.filter(username=username).update(is_demo=False)
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def test_seed_demo_prints_logins_and_both_campaigns(seeded, db):
    printed = seeded

    assert Unit.objects.count() == 50
    assert "city.admin" in printed
    assert "district.460108400" in printed
    assert "shegong-demo-2023" in printed
    assert "海口市2023年社会工作主题宣传活动方案（已结束" in printed
    assert (
        "海口市2026年社会工作主题宣传活动方案（演示数据）（进行中，2026-06-07 至 2026-06-17）"
        in (printed)
    )


def test_seed_demo_users_cover_every_role_and_unit(seeded, db):

    assert User.objects.filter(role=User.Role.CITY_ADMIN, unit__level="city").count() == 1
    for district in Unit.objects.districts():
        assert User.objects.filter(role=User.Role.DISTRICT_OFFICER, unit=district).count() == 1
        workers = User.objects.filter(role=User.Role.STATION_WORKER, unit__parent=district)
        assert workers.count() >= 2
    # judge.1 and judge.2 (accounts), judge.3 to judge.5 (the story contest's panel: N = 3)
    judges = User.objects.filter(role=User.Role.JUDGE).values_list("username", flat=True)
    assert sorted(judges) == [f"judge.{n}" for n in range(1, 6)]
    assert not User.objects.filter(is_demo=False).exists()
    campaign = Campaign.objects.get(slug="haikou-2023")
    assert campaign.theme == "推进“五社联动” 关爱“一老一小”"
    assert str(campaign.summary_deadline) == "2023-04-10"


def test_seed_demo_current_campaign_runs_today_with_records_in_each_state(seeded, db):
    closed = Campaign.objects.get(slug="haikou-2023")
    live = Campaign.objects.current()

    # A clone of 2023, marked as demonstration data, running today.
    assert live.slug != closed.slug
    assert live.name == "海口市2026年社会工作主题宣传活动方案（演示数据）"
    assert live.document_number == "演示海民发〔2026〕1号"
    assert live.theme == closed.theme
    assert (live.starts_on, live.ends_on) == (datetime.date(2026, 6, 7), datetime.date(2026, 6, 17))
    assert live.summary_deadline > live.ends_on
    assert dict(live.kpi_targets.values_list("kind", "target")) == dict(
        KpiTarget.objects.filter(campaign=closed).values_list("kind", "target")
    )
    assert list(live.tasks.values_list("title", flat=True)) == list(
        closed.tasks.values_list("title", flat=True)
    )

    # Tasks due within the week, some done on days already past; summaries not yet due.
    due = sorted(set(live.tasks.values_list("due_on", flat=True)))
    assert TODAY < due[0] <= TODAY + datetime.timedelta(days=7)
    progress = TaskProgress.objects.filter(task__campaign=live)
    statuses = set(progress.values_list("status", flat=True))
    assert statuses == {"done", "in_progress", "not_started"}
    done_on = set(progress.filter(status="done").values_list("done_on", flat=True))
    assert live.starts_on <= min(done_on)
    assert max(done_on) <= TODAY
    summary = progress.filter(task__due_on=live.summary_deadline)
    assert summary.exists()
    assert set(summary.values_list("status", flat=True)) == {"not_started"}

    # Activities: the last days awaiting review, earlier ones reviewed, the days ahead planned.
    activities = Activity.objects.filter(campaign=live)
    submitted = activities.filter(status=Activity.Status.SUBMITTED)
    assert submitted.filter(starts_at__date__gte=TODAY - datetime.timedelta(days=1)).count() >= 10
    assert activities.filter(status=Activity.Status.APPROVED, starts_at__date__lt=TODAY).exists()
    assert activities.filter(status=Activity.Status.RETURNED).exists()
    planned = activities.filter(starts_at__date__gt=TODAY)
    assert planned.exists()
    assert set(planned.values_list("status", flat=True)) == {Activity.Status.DRAFT}
    assert not activities.exclude(status=Activity.Status.DRAFT).filter(starts_at__gt=NOW).exists()
    reviews = ActivityEvent.objects.filter(activity__campaign=live)
    assert max(reviews.values_list("at", flat=True)) <= NOW

    # Help requests: new ones within their deadline (one urgent), others being handled.
    requests = HelpRequest.objects.filter(campaign=live)
    new = requests.filter(status=HelpRequest.Status.NEW)
    assert new.count() >= 3
    assert all(r.respond_by > NOW for r in new)
    assert new.filter(urgent=True).exists()
    assert not requests.overdue(NOW).exists()
    for state in ("accepted", "in_progress", "closed"):
        assert requests.filter(status=state).exists(), state
    assert all(r.created_at <= NOW for r in requests)
    assert all(n.at <= NOW for r in requests for n in r.notes.all())

    # Survey answers arriving day by day, none after now.
    answers = Answer.objects.filter(survey__campaign=live)
    days = set(
        answers.filter(answered_on__gte=live.starts_on).values_list("answered_on", flat=True)
    )
    assert days == {live.starts_on + datetime.timedelta(days=k) for k in range(4)}
    assert max(answers.values_list("answered_at", flat=True)) <= NOW
    assert answers.filter(answered_on__lt=live.starts_on).exists()  # the baseline

    # QR scans counted on every day of the campaign so far, none in the future.
    for link in QrLink.objects.filter(is_demo=True):
        days = set(link.scan_days.values_list("day", flat=True))
        assert {live.starts_on + datetime.timedelta(days=k) for k in range(4)} <= days
        assert max(days) == TODAY


def test_seed_demo_2023_is_closed_with_nothing_overdue(seeded, db):
    closed = Campaign.objects.get(slug="haikou-2023")

    rows = list(TaskProgress.objects.filter(task__campaign=closed).select_related("task"))
    assert rows
    assert all(row.status == "done" and row.on_time for row in rows)
    assert {row.done_on.year for row in rows} == {2023}
    statuses = set(Activity.objects.filter(campaign=closed).values_list("status", flat=True))
    assert statuses <= {Activity.Status.APPROVED, Activity.Status.FEATURED}
    reviews = ActivityEvent.objects.filter(activity__campaign=closed)
    assert {at.year for at in reviews.values_list("at", flat=True)} == {2023}
    requests = HelpRequest.objects.filter(campaign=closed)
    assert requests.count() >= 20
    assert set(requests.values_list("status", flat=True)) <= set(HelpRequest.FINAL_STATUSES)
    assert {r.created_at.year for r in requests} == {2023}
    # Handled in 2023: a year on, their contacts are purged; those of today's requests stay.
    purged = helpdesk.helprequest_purge_contacts(now=NOW)
    assert purged == requests.count()
    assert not requests.exclude(phone="").exists()
    assert not HelpRequest.objects.exclude(campaign=closed).filter(phone="").exists()
    assert QrScanDay.objects.filter(day=closed.starts_on).exists()

    client = client_for("city.admin")
    matrix = client.get(f"/console/campaigns/{closed.slug}/matrix/")
    assert matrix.status_code == 200
    assert "已完成" in matrix.content.decode()
    assert "逾期" not in matrix.content.decode()
    assert "按期完成率 100%" in matrix.content.decode()


def test_second_seed_demo_changes_no_row_count_and_moves_nothing_a_person_changed(seeded, db):
    counts = row_counts()

    seed()
    assert row_counts() == counts

    # A person works on the demo; seed_demo runs again two days later.
    live = Campaign.objects.current()
    closed = Campaign.objects.get(slug="haikou-2023")
    admin = User.objects.get(username="city.admin")
    row = TaskProgress.objects.filter(task__campaign=live, status="not_started").first()
    progress_update(actor=admin, progress=row, status="done", note="演示时完成", today=TODAY)
    old_row = TaskProgress.objects.filter(task__campaign=closed).first()
    progress_update(actor=admin, progress=old_row, status="in_progress", note="补充材料")
    campaign_update(actor=admin, campaign=closed, contact_person="李四")
    request = HelpRequest.objects.filter(campaign=live, status="new").first()
    worker = User.objects.filter(unit=request.unit).first() or admin
    helpdesk.helprequest_accept(actor=worker, request=request, note="已受理", now=NOW)
    counts = row_counts()

    seed(TODAY + datetime.timedelta(days=2))

    later = row_counts()
    # The only rows added: two more days of QR scans for each of the directory's demo channels,
    # and the live campaign's city-wide dashboard figures of those two days.
    links = len(CHANNELS)
    assert later.pop("directory.QrScanDay") == counts.pop("directory.QrScanDay") + 2 * links
    assert later.pop("reports.CampaignDay") == counts.pop("reports.CampaignDay") + 2
    assert later == counts
    live.refresh_from_db()
    assert live.starts_on == TODAY - datetime.timedelta(days=3)  # not moved
    row.refresh_from_db()
    old_row.refresh_from_db()
    assert (row.status, row.note, row.done_on) == ("done", "演示时完成", TODAY)
    assert (old_row.status, old_row.note) == ("in_progress", "补充材料")
    assert Campaign.objects.get(slug="haikou-2023").contact_person == "李四"
    request.refresh_from_db()
    assert request.status == "accepted"


def test_seed_demo_refresh_live_moves_the_current_campaign_to_today(seeded, db):
    live = Campaign.objects.current()
    activities = Activity.objects.filter(campaign=live)
    first_activity = activities.order_by("starts_at").first().starts_at
    new_requests = set(
        HelpRequest.objects.filter(campaign=live, status="new").values_list("pk", flat=True)
    )
    done_before = sorted(
        TaskProgress.objects.filter(task__campaign=live, status="done").values_list(
            "done_on", flat=True
        )
    )
    before = row_counts()

    weeks_later = TODAY + datetime.timedelta(days=30)
    printed = seed(weeks_later, "--refresh-live")

    assert "已顺延 30 天" in printed
    live.refresh_from_db()
    assert live.starts_on == weeks_later - datetime.timedelta(days=3)
    assert live.ends_on == weeks_later + datetime.timedelta(days=7)
    assert min(live.tasks.values_list("due_on", flat=True)) > weeks_later
    assert activities.order_by(
        "starts_at"
    ).first().starts_at == first_activity + datetime.timedelta(days=30)
    done_after = sorted(
        TaskProgress.objects.filter(task__campaign=live, status="done").values_list(
            "done_on", flat=True
        )
    )
    assert done_after == [d + datetime.timedelta(days=30) for d in done_before]
    later_now = NOW + datetime.timedelta(days=30)
    requests = HelpRequest.objects.filter(campaign=live)
    assert not requests.overdue(later_now).exists()
    assert set(requests.filter(status="new").values_list("pk", flat=True)) == new_requests
    assert all(r.created_at <= later_now for r in requests)
    answers = Answer.objects.filter(survey__campaign=live)
    assert max(answers.values_list("answered_at", flat=True)) <= later_now
    assert max(answers.values_list("answered_on", flat=True)) == weeks_later
    # Nothing added but the scans of the new days and the move's audit entry; 2023 untouched.
    after = row_counts()
    assert after.pop("directory.QrScanDay") > before.pop("directory.QrScanDay")
    assert after.pop("core.AuditEntry") == before.pop("core.AuditEntry") + 1
    assert after == before
    closed = Campaign.objects.get(slug="haikou-2023")
    assert (closed.starts_on, closed.ends_on) == (
        datetime.date(2023, 3, 21),
        datetime.date(2023, 3, 31),
    )


@pytest.mark.parametrize("refresh", [False, True])
def test_seed_demo_leaves_the_2023_notice_text_unchanged(seeded, db, refresh):
    seed(TODAY + datetime.timedelta(days=40), *(["--refresh-live"] if refresh else []))

    text = docx_text(notice_docx(Campaign.objects.get(slug="haikou-2023")))

    assert text == GOLDEN_NOTICE.read_text(encoding="utf-8")
