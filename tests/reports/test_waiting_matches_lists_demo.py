"""Every "waiting" figure on the console home equals the list its link opens, for every role,
on the demo data (issue #16). Apart from tests/reports/test_waiting_matches_lists.py: the demo is
loaded for the whole module (tests/demo_data.py), and the test units there share its codes."""

import pytest
from django.test import Client

from shegong.accounts.models import User
from shegong.core.registry import waiting_items
from tests.reports.test_waiting_matches_lists import _total

USERNAMES = {
    "city_admin": "city.admin",
    "district_officer": "district.460105",
    "station_worker": "station.460105001.1",
    "judge": "judge.1",
}


@pytest.fixture(scope="module")
def demo_staff(demo_loader):
    """The demo data (tests/demo_data.py), these users able to sign in."""
    with demo_loader(*USERNAMES.values()):
        yield


def test_every_waiting_figure_equals_its_list_for_every_role(demo_staff, db):
    checked = []
    for role, username in USERNAMES.items():
        user = User.objects.get(username=username)
        client = Client()
        client.force_login(user)
        for item in waiting_items(user):
            response = client.get(item.url)
            assert response.status_code == 200, (role, item)
            total = _total(response.content.decode())
            if total is not None:
                assert total == item.count, f"{role}: {item.label} {item.count}, list {total}"
                checked.append((role, item.label))
    # Not vacuous: the demo has work waiting in each of these lists.
    assert ("district_officer", "待审核的活动") in checked
    assert ("city_admin", "待审核的活动") in checked
    assert ("city_admin", "未读通知") in checked
    assert ("station_worker", "本单位未完成的方案任务") in checked
