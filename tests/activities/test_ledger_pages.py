import datetime
import re

from shegong.activities.models import Activity
from tests.site_walk import page_words

from .conftest import NOW

LINK = re.compile(r'href="\?[^"]*?(after|before)=([0-9.]+)"')


def _titles(html: str) -> list[str]:
    return re.findall(r'/console/activities/\d+/">([^<]+)</a>', html)


def _cursor(html: str, which: str) -> str | None:
    found = [value for kind, value in LINK.findall(html) if kind == which]
    return found[0] if found else None


def test_ledger_pages_follow_one_another_without_gaps_or_repeats(login, district_officer, station):
    # 120 activities, some sharing a start time, so the id breaks the tie across pages.
    Activity.objects.bulk_create(
        Activity(
            unit=station,
            kind=Activity.Kind.POSTER,
            title=f"活动{n:03d}",
            starts_at=NOW - datetime.timedelta(hours=n // 3),
        )
        for n in range(120)
    )
    expected = list(Activity.objects.order_by("-starts_at", "-id").values_list("title", flat=True))
    client = login(district_officer)

    pages = [client.get("/console/activities/").content.decode()]
    while (after := _cursor(pages[-1], "after")) is not None:
        pages.append(client.get(f"/console/activities/?after={after}").content.decode())

    assert [len(_titles(page)) for page in pages] == [50, 50, 20]
    assert [title for page in pages for title in _titles(page)] == expected
    assert "共 120 条" in page_words(pages[0])
    back = client.get(f"/console/activities/?before={_cursor(pages[2], 'before')}")
    assert _titles(back.content.decode()) == _titles(pages[1])


def test_a_tampered_cursor_shows_the_first_page(login, district_officer, station):
    Activity.objects.create(
        unit=station, kind=Activity.Kind.POSTER, title="唯一的活动", starts_at=NOW
    )

    page = login(district_officer).get("/console/activities/?after=9999999999999999999999.x")

    assert _titles(page.content.decode()) == ["唯一的活动"]
