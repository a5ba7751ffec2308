"""Every "waiting" figure on the console home equals the list its link opens (issue #16: the
district home said 待审核的活动 21 while its link listed 23, two being the district's own,
which only the city approves). Each app counts with the selector its list uses; the lists show
their total as ``data-testid="list-total"``."""

import re

from shegong.activities.models import Activity
from shegong.core.registry import waiting_items
from tests.activities.conftest import make_activity


def _total(content: str) -> int | None:
    found = re.search(r'data-testid="list-total">(\d+)<', content)
    return int(found.group(1)) if found else None


def test_district_officer_counts_and_lists_only_what_it_reviews(
    login, district, station, district_officer
):
    for _ in range(3):
        make_activity(station, status=Activity.Status.SUBMITTED)
    # The district's own submitted activities wait for the city, not for the district.
    for _ in range(2):
        make_activity(district, status=Activity.Status.SUBMITTED)
    item = next(i for i in waiting_items(district_officer) if i.label == "待审核的活动")

    content = login(district_officer).get(item.url).content.decode()

    assert item.count == 3
    assert _total(content) == 3
    assert content.count(f"{district.area_name}张贴社工站服务海报") == 0
