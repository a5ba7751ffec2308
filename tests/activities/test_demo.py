import io
import time

import pytest
from django.core.management import call_command

from shegong.activities.models import Activity, ActivityMedia, Case, MediaCoverage


def test_seed_demo_spreads_activities_over_the_campaign_and_is_idempotent(db, media_root):
    started = time.perf_counter()
    call_command("seed_demo", stdout=io.StringIO())
    elapsed = time.perf_counter() - started
    call_command("seed_demo", stdout=io.StringIO())

    assert Activity.objects.filter(is_demo=True, campaign__slug="haikou-live-demo").count() == 150
    activities = Activity.objects.filter(is_demo=True, campaign__slug="haikou-2023")
    assert activities.count() == 420
    days = {a.starts_at.date().isoformat() for a in activities}
    assert min(days) == "2023-03-21"
    assert max(days) == "2023-03-31"
    assert activities.values("unit").distinct().count() > 40
    assert activities.values("kind").distinct().count() == len(Activity.Kind)
    assert ActivityMedia.objects.filter(is_demo=True).exists()
    assert MediaCoverage.objects.exists()
    assert Case.objects.exists()
    assert elapsed < 15


@pytest.mark.parametrize("username", ["city.admin", "district.460105", "station.460105001.1"])
def test_every_console_page_renders_with_the_demo_data(db, media_root, login, username):
    from shegong.accounts.models import User

    call_command("seed_demo", stdout=io.StringIO())
    user = User.objects.get(username=username)
    User.objects.filter(pk=user.pk).update(is_demo=False)  # demo logins only work in DEMO_MODE
    client = login(user)
    activity = Activity.objects.visible_to(user).filter(media__isnull=False).first()
    case = Case.objects.visible_to(user).first()
    pages = [
        "/console/",
        "/console/activities/",
        "/console/activities/?status=approved&focus=elderly&flagged=1",
        f"/console/activities/{activity.pk}/",
        "/console/activities/new/",
        "/console/activities/import/",
        "/console/activities/export.xlsx",
        "/console/activities/budget/",
        "/console/activities/partners/",
        "/console/activities/partners/new/",
        "/console/activities/coverage/",
        "/console/activities/coverage/new/",
        "/console/activities/submissions/",
        "/console/activities/streams/new/",
        "/console/activities/cases/",
        f"/console/activities/cases/{case.pk}/",
        f"/console/activities/media/{activity.media.first().pk}/thumb/",
    ]
    for page in pages:
        assert client.get(page).status_code == 200, page
