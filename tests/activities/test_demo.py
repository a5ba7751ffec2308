import pytest

from shegong.accounts.models import User
from shegong.activities.models import Activity, Case
from shegong.orgs.models import Partner

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


USERNAMES = ["city.admin", "district.460105", "station.460105001.1"]


@pytest.fixture(scope="module")
def seeded(demo_loader):
    """The demo data (tests/demo_data.py), these users able to sign in."""
    with demo_loader(*USERNAMES):
        yield


@pytest.mark.parametrize("username", USERNAMES)
def test_every_console_page_renders_with_the_demo_data(seeded, db, login, username):
    user = User.objects.get(username=username)
    client = login(user)
    activity = Activity.objects.visible_to(user).filter(media__isnull=False).first()
    case = Case.objects.visible_to(user).first()
    partner = Partner.objects.visible_to(user).first()
    newest = Activity.objects.visible_to(user).order_by("-starts_at", "-id").first()
    # Each page with something of this user's data it must show.
    pages = {
        "/console/": user.display_name or user.username,
        "/console/activities/": newest.title[:16],
        "/console/activities/?status=approved&focus=elderly&flagged=1": "活动台账",
        f"/console/activities/{activity.pk}/": activity.title,
        "/console/activities/new/": "登记活动",
        "/console/activities/import/": "从 Excel 导入活动台账",
        "/console/activities/budget/": "经费情况（厉行节约）",
        "/console/units/partners/": partner.name,
        "/console/units/partners/new/": "名称",
        "/console/activities/coverage/": "媒体",
        "/console/activities/coverage/new/": "标题",
        "/console/activities/submissions/": "投稿",
        "/console/activities/streams/new/": "直播",
        "/console/activities/cases/": case.title[:16],
        f"/console/activities/cases/{case.pk}/": case.title,
    }
    for page, expected in pages.items():
        response = client.get(page)
        assert response.status_code == 200, page
        assert expected in response.content.decode(), (page, expected)
    export = client.get("/console/activities/export.xlsx")
    assert export["Content-Type"] == XLSX
    assert export.content[:2] == b"PK"
    thumb = client.get(f"/console/activities/media/{activity.media.first().pk}/thumb/")
    assert thumb["Content-Type"] == "image/jpeg"
    assert b"".join(thumb.streaming_content)[:2] == b"\xff\xd8"
