"""The admin shows activities and budget caps but never writes them: a cap set there would
skip the re-flagging of the unit's activities and the audit log (``budgetcap_set`` does both)."""

from decimal import Decimal

import pytest

from shegong.accounts.models import User
from shegong.activities.models import Activity, BudgetCap
from tests.factories import UserFactory

from .conftest import make_activity


@pytest.fixture
def superuser(city):
    return UserFactory(
        username="root", role=User.Role.CITY_ADMIN, unit=city, is_superuser=True, is_staff=True
    )


def test_admin_shows_budget_caps_but_cannot_set_one(login, superuser, station, campaign):
    cap = BudgetCap.objects.create(unit=station, campaign=campaign, amount=Decimal("500"))
    admin = login(superuser)

    listing = admin.get("/admin/activities/budgetcap/")
    add = admin.post(
        "/admin/activities/budgetcap/add/",
        {"unit": station.pk, "campaign": campaign.pk, "amount": "1"},
    )
    change = admin.post(
        f"/admin/activities/budgetcap/{cap.pk}/change/",
        {"unit": station.pk, "campaign": campaign.pk, "amount": "1"},
    )

    assert "秀英街道社工站" in listing.content.decode()
    assert add.status_code == 403
    assert change.status_code == 403
    cap.refresh_from_db()
    assert cap.amount == Decimal("500")


def test_admin_cannot_change_an_activity_past_its_services(login, superuser, station, campaign):
    activity = make_activity(station, campaign=campaign, title="社工宣传周启动仪式")

    page = login(superuser).get(f"/admin/activities/activity/{activity.pk}/change/")
    posted = login(superuser).post(
        f"/admin/activities/activity/{activity.pk}/change/", {"title": "改过的标题"}
    )

    assert "社工宣传周启动仪式" in page.content.decode()
    assert 'name="title"' not in page.content.decode()
    assert posted.status_code == 403
    assert Activity.objects.get(pk=activity.pk).title == "社工宣传周启动仪式"
