"""Tasks issued to chosen units, changed or withdrawn after issue, with the units told."""

import datetime

import pytest

from shegong.accounts.models import Notification
from shegong.campaigns.models import Task, TaskProgress
from shegong.campaigns.services import task_create, task_update, tasks_assign
from shegong.core.models import AuditEntry
from tests.factories import station_unit


def test_task_for_chosen_stations_goes_only_to_them(
    login, city_admin, campaign, station, second_station, sibling_station, station_worker
):
    response = login(city_admin).post(
        f"/console/campaigns/{campaign.slug}/tasks/new/",
        {
            "level": "station",
            "title": "进医院张贴服务清单",
            "due_on": "2023-03-30",
            "units": [station.pk, sibling_station.pk],
        },
    )

    assert response.status_code == 302
    task = Task.objects.get(title="进医院张贴服务清单")
    assert task.chosen_units
    assert set(task.progress.values_list("unit__code", flat=True)) == {
        station.code,
        sibling_station.code,
    }
    assert Notification.objects.filter(
        recipient=station_worker, message__contains="进医院张贴服务清单"
    ).exists()
    # A station opened later does not get a task meant for chosen stations.
    station_unit(second_station.parent, "460105199", "新设街道")
    tasks_assign(campaign=campaign)
    assert task.progress.count() == 2


def test_chosen_units_must_be_of_the_task_level(login, city_admin, campaign, district, station):
    response = login(city_admin).post(
        f"/console/campaigns/{campaign.slug}/tasks/new/",
        {"level": "station", "title": "走进学校", "due_on": "2023-03-30", "units": [district.pk]},
    )

    assert "不属于“各社工站”，请只勾选该层级的单位。" in response.content.decode()
    assert not Task.objects.filter(title="走进学校").exists()


def test_task_edited_after_issue_tells_its_units(
    login, city_admin, campaign, district_task, district_officer
):
    response = login(city_admin).post(
        f"/console/campaigns/{campaign.slug}/tasks/{district_task.pk}/edit/",
        {
            "title": district_task.title,
            "text": district_task.text,
            "deliverables": "活动照片和新闻稿",
            "due_on": "2023-03-29",
        },
    )

    assert response.status_code == 302
    district_task.refresh_from_db()
    assert district_task.due_on == datetime.date(2023, 3, 29)
    told = Notification.objects.get(recipient=district_officer)
    assert "完成期限改为2023年3月29日" in told.message
    assert "任务内容有调整" in told.message
    entry = AuditEntry.objects.get(action="task.update")
    assert entry.changes["due_on"] == ["2023-03-31", "2023-03-29"]


def test_chosen_units_changed_after_issue(
    city_admin, campaign, station, second_station, sibling_station
):
    task = task_create(
        actor=city_admin,
        campaign=campaign,
        level="station",
        title="进社区宣传",
        due_on=campaign.ends_on,
        units=[station, second_station],
    )
    TaskProgress.objects.filter(task=task, unit=station).update(status="in_progress")

    with pytest.raises(Exception, match="已开始这项任务，不能撤下"):
        task_update(actor=city_admin, task=task, units=[second_station])
    task_update(actor=city_admin, task=task, units=[station, sibling_station])

    assert set(task.progress.values_list("unit__code", flat=True)) == {
        station.code,
        sibling_station.code,
    }


def test_task_withdrawn_leaves_the_plan_and_its_units_are_told(
    login, city_admin, campaign, district_task, district_officer, sibling_officer
):
    client = login(city_admin)
    url = f"/console/campaigns/{campaign.slug}/tasks/{district_task.pk}/withdraw/"

    refused = client.post(url, {"reason": ""})
    assert "请写明撤回的原因" in refused.content.decode()
    response = client.post(url, {"reason": "与区里的常规工作重复"})

    assert response.status_code == 302
    assert not Task.objects.filter(pk=district_task.pk).exists()
    assert not TaskProgress.objects.filter(task_id=district_task.pk).exists()
    for officer in (district_officer, sibling_officer):
        message = Notification.objects.get(recipient=officer).message
        assert message == f"任务“{district_task.title}”已撤回：与区里的常规工作重复"
    entry = AuditEntry.objects.get(action="task.withdraw")
    assert entry.target_repr == district_task.title


@pytest.mark.parametrize(
    ("user_fixture", "status"),
    # The district carries the task: it sees it, may not change it; the station does not.
    [("district_officer", 403), ("station_worker", 404)],
)
def test_only_the_issuer_edits_or_withdraws_tasks(
    request, login, campaign, district_task, user_fixture, status
):
    client = login(request.getfixturevalue(user_fixture))
    base = f"/console/campaigns/{campaign.slug}/tasks/{district_task.pk}"

    assert client.get(f"{base}/edit/").status_code == status
    assert client.post(f"{base}/withdraw/", {"reason": "x"}).status_code == status
    assert Task.objects.filter(pk=district_task.pk).exists()


def test_campaign_page_offers_edit_and_withdraw_to_the_issuer(
    login, city_admin, district_officer, campaign, district_task
):
    link = f"/console/campaigns/{campaign.slug}/tasks/{district_task.pk}/edit/"

    assert link in login(city_admin).get(f"/console/campaigns/{campaign.slug}/").content.decode()
    officer_page = login(district_officer).get(f"/console/campaigns/{campaign.slug}/")
    assert link not in officer_page.content.decode()
