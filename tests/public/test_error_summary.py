"""Refusals on public forms follow the GOV.UK pattern: a summary at the top listing each problem
as a link to its field, focused on load; the title starts with "错误："; each field in error is
``aria-invalid`` and described by its message; no ``aria-describedby`` names a missing id."""

import datetime
import re
from html.parser import HTMLParser

import pytest

from shegong.survey.services import survey_create
from tests.contest.conftest import call, media_root  # noqa: F401 — fixtures used below
from tests.factories import CampaignFactory


class Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids: set[str] = set()
        self.described: list[tuple[str, str]] = []  # (element, id it names)
        self.invalid: list[str] = []  # names of controls marked aria-invalid
        self.summary_links: list[str] = []
        self.autofocus: list[str] = []
        self.autocomplete: dict[str, str] = {}
        self._in_summary = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"])
        for name in (a.get("aria-describedby") or "").split():
            self.described.append((f"<{tag} name={a.get('name')}>", name))
        if a.get("aria-invalid") == "true":
            self.invalid.append(a.get("name"))
        if "autofocus" in a:
            self.autofocus.append(a.get("class") or tag)
        if tag == "input" and a.get("name"):
            self.autocomplete[a["name"]] = a.get("autocomplete", "")
        if a.get("class") == "error-summary":
            self._in_summary = 1
        elif self._in_summary and tag == "a":
            self.summary_links.append(a["href"])

    def handle_endtag(self, tag):
        if self._in_summary and tag == "div":
            self._in_summary = 0


def parse(response) -> tuple[Page, str]:
    html = response.content.decode()
    page = Page()
    page.feed(html)
    return page, re.search(r"<title>(.*?)</title>", html, re.S)[1]


def check_refusal(response, *, fields: set[str], title_prefix="错误："):
    page, title = parse(response)
    assert title.startswith(title_prefix)
    assert page.autofocus == ["error-summary"]
    # Each problem links to a control of the page, and every field in error is marked.
    assert page.summary_links
    assert all(href.lstrip("#") in page.ids for href in page.summary_links)
    assert fields <= set(page.invalid)
    # Every description names an element that exists.
    assert [(el, ref) for el, ref in page.described if ref not in page.ids] == []
    return page


@pytest.fixture
def survey(city):
    campaign = CampaignFactory(
        slug="haikou-2023", issuer=city, starts_on=datetime.date(2023, 3, 21)
    )
    return survey_create(
        actor=None,
        campaign=campaign,
        slug="haikou-2023",
        opens_on=datetime.date(2023, 2, 1),
        closes_on=datetime.date(2099, 12, 31),
    )


def test_help_form_refusal_has_an_error_summary(anonymous, station):
    response = anonymous.post("/help/", {"description": "楼上老人需要探访"})

    page = check_refusal(response, fields={"for_whom", "category", "contact_name", "phone"})
    assert "#id_for_whom_0" in page.summary_links  # radios: the first one
    assert "#id_contact_name" in page.summary_links
    assert page.autocomplete["contact_name"] == "name"
    assert page.autocomplete["phone"] == "tel"


def test_help_form_in_english_says_error(anonymous, station):
    anonymous.get("/?lang=en")
    response = anonymous.post("/help/", {})

    _, title = parse(response)
    assert title.startswith("Error: ")


def test_help_form_untouched_has_no_summary_and_sound_descriptions(anonymous, station):
    page, title = parse(anonymous.get("/help/"))

    assert not title.startswith("错误")
    assert page.autofocus == []
    assert page.invalid == []
    assert [(el, ref) for el, ref in page.described if ref not in page.ids] == []


def test_track_refusal_has_an_error_summary(anonymous, db):
    response = anonymous.post("/help/track/", {"code": "", "last4": "12"})

    check_refusal(response, fields={"code", "last4"})


def test_survey_refusal_has_an_error_summary(anonymous, survey, station):
    response = anonymous.post("/survey/haikou-2023/", {"area": station.code})

    page = check_refusal(response, fields={"knows_social_work", "knows_station"})
    assert "#id_knows_social_work_0" in page.summary_links


def test_story_refusal_has_an_error_summary(anonymous, call):  # noqa: F811
    response = anonymous.post("/stories/submit/", {"title": "老屋"})

    page = check_refusal(response, fields={"author_name", "phone"})
    assert page.autocomplete["author_name"] == "name"
    assert page.autocomplete["phone"] == "tel"


def test_story_follow_refusal_has_an_error_summary(anonymous, db):
    response = anonymous.post("/stories/follow/", {"code": "", "last4": ""})

    check_refusal(response, fields={"code", "last4"})
