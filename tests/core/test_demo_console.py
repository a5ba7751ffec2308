"""The console on the real clock after ``seed_demo``, as ``make demo`` shows it (in its own
module: test_seed_demo.py keeps a demo seeded at a fixed date for its whole module)."""

from django.test import Client

from shegong.accounts.models import User
from shegong.helpdesk.models import HelpRequest


def client_for(username: str) -> Client:
    """Demo accounts cannot sign in while DEBUG is off, as in tests: make this one real."""
    User.objects.filter(username=username).update(is_demo=False)
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def test_seed_demo_console_home_shows_the_campaign_running_today(demo_data, db):
    # The demo on the real clock (tests/demo_data.py).

    home = client_for("city.admin").get("/console/")
    page = home.content.decode()
    assert "（演示数据）" in page
    assert 'data-phase="running"' in page
    assert "活动进行中，距结束还有 7 天" in page
    # Waiting for each role: reviews for the district, a new request for the station; nothing
    # overdue anywhere.
    officer = client_for("district.460105").get("/console/").content.decode()
    assert "待审核的活动" in officer
    assert "逾期" not in officer
    worker = client_for("station.460105001.1")
    assert "待受理的求助" in worker.get("/console/").content.decode()
    queue = worker.get("/console/helpdesk/?status=new").content.decode()
    assert "没有符合条件的求助" not in queue
    assert "逾期" not in queue.replace("仅逾期", "")
    assert not HelpRequest.objects.overdue().exists()
    # 2023 stays browsable.
    detail = client_for("city.admin").get("/console/campaigns/haikou-2023/")
    assert "海民发〔2023〕79号" in detail.content.decode()
