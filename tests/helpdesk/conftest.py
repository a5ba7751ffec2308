from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from shegong.helpdesk import services

SHANGHAI = ZoneInfo("Asia/Shanghai")
# A Friday afternoon: the next working day is Monday.
FRIDAY = datetime(2023, 3, 10, 15, 0, tzinfo=SHANGHAI)


def at(*args) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI)


@pytest.fixture
def submit():
    """``submit(area, **overrides)`` stores a request through the service, like the form."""
    counter = iter(range(1000, 10000))

    def make(area, **overrides):
        n = next(counter)
        data = {
            "for_whom": "neighbour",
            "category": "elderly",
            "description": "隔壁独居老人需要有人上门探访。",
            "area": area,
            "contact_name": "王阿姨",
            "phone": f"1391234{n:04d}",
            "ip": f"10.0.{n // 250}.{n % 250}",
            "now": FRIDAY,
        }
        data.update(overrides)
        return services.helprequest_submit(**data)

    return make


@pytest.fixture
def help_data(station):
    """A valid POST to /help/."""
    return {
        "for_whom": "neighbour",
        "category": "elderly",
        "description": "楼上的陈阿婆八十多岁独居，想请社工上门看看。",
        "area": station.code,
        "contact_name": "李先生",
        "phone": "138 0013 8000",
        "preferred_time": "morning",
        "consent": "on",
        "website": "",
    }
