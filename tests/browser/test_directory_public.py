"""Citizens find a station on a phone: by district and town, in normal and elder mode, with
JavaScript on and off; axe-core finds no WCAG 2.1 AA violation on any public page."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.directory.conftest import make_listing

pytestmark = pytest.mark.django_db(transaction=True)


AXE = Path(__file__).parent / "vendor" / "axe.min.js"
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


@pytest.fixture
def stations(station, second_station, sibling_station):
    return [make_listing(unit) for unit in (station, second_station, sibling_station)]


@pytest.fixture
def phone(browser):
    """``phone(js=True, elder=False)`` opens a phone-sized page in Chinese."""
    contexts = []

    def make(*, js: bool = True, **extra):
        context = browser.new_context(locale="zh-CN", java_script_enabled=js, **PHONE, **extra)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.mark.parametrize("elder", [False, True], ids=["normal", "elder"])
@pytest.mark.parametrize("js", [True, False], ids=["js", "nojs"])
def test_citizen_finds_station_by_district_and_town(live_server, phone, stations, elder, js):
    page = phone(js=js)
    page.goto(f"{live_server.url}/?elder={int(elder)}")

    page.get_by_role("link", name="找身边的社工站").click()
    expect(page.get_by_role("heading", name="找社工站", exact=True)).to_be_visible()
    page.get_by_role("link", name="秀英区").click()
    expect(page.get_by_role("heading", name="秀英区的镇和街道")).to_be_visible()
    expect(page.get_by_role("link", name="中山街道")).to_have_count(0)
    page.get_by_role("link", name="海秀街道").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("海秀街道社工站")
    call = page.get_by_role("link", name="拨打电话 0898-68650001")
    expect(call).to_have_attribute("href", "tel:0898-68650001")
    expect(page.get_by_role("link", name="在线求助")).to_have_attribute(
        "href", "/help/?station=460105002"
    )
    assert (page.locator("html").get_attribute("class") == "elder") is elder
    if elder:
        size = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
        line = page.evaluate(
            "parseFloat(getComputedStyle(document.body).lineHeight) /"
            " parseFloat(getComputedStyle(document.body).fontSize)"
        )
        assert size >= 22
        assert line >= 1.5
        assert call.bounding_box()["height"] >= 60


def test_near_me_uses_the_phones_position(live_server, phone, stations):
    page = phone(geolocation={"latitude": 20.02, "longitude": 110.30}, permissions=["geolocation"])
    page.goto(f"{live_server.url}/stations/")

    page.get_by_role("button", name="查找离我最近的社工站").click()

    expect(page.get_by_role("heading", name="离您最近的社工站")).to_be_visible()
    expect(page.locator(".station-list li").first).to_contain_text("约 0.0 公里")


def test_near_me_button_is_absent_without_javascript(live_server, phone, stations):
    page = phone(js=False)
    page.goto(f"{live_server.url}/stations/")

    expect(page.get_by_role("button", name="查找离我最近的社工站")).to_be_hidden()
    expect(page.get_by_role("link", name="秀英区")).to_be_visible()


PAGES = [
    "/",
    "/stations/",
    "/stations/?district=460105",
    "/stations/?lat=20.02&lng=110.30",
    "/stations/460105001/",
]


@pytest.mark.parametrize("lang", ["zh-hans", "en"])
@pytest.mark.parametrize("elder", ["0", "1"], ids=["normal", "elder"])
def test_public_pages_have_no_axe_violations(live_server, phone, stations, elder, lang):
    page = phone()
    for path in PAGES:
        sep = "&" if "?" in path else "?"
        page.goto(f"{live_server.url}{path}{sep}elder={elder}&lang={lang}")
        # Through the DevTools protocol: the page's policy forbids inline scripts (test_csp.py).
        page.evaluate(AXE.read_text(encoding="utf-8") + "\n;true")
        result = page.evaluate(
            """async () => await axe.run(document, {runOnly: {type: 'tag',
                values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"""
        )
        violations = [
            (v["id"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]
        ]
        assert violations == [], f"{path} elder={elder} lang={lang}"
        if elder == "1":  # elder mode promises 7:1 (WCAG AAA contrast), beyond AA's 4.5:1
            enhanced = page.evaluate(
                """async () => (await axe.run(document, {runOnly: {type: 'rule',
                    values: ['color-contrast-enhanced']}})).violations"""
            )
            assert [n["target"] for v in enhanced for n in v["nodes"]] == [], path


@pytest.mark.parametrize("path", PAGES)
def test_elder_mode_controls_are_large(live_server, phone, stations, path):
    page = phone()
    sep = "&" if "?" in path else "?"
    page.goto(f"{live_server.url}{path}{sep}elder=1")

    small = page.evaluate(
        """() => [...document.querySelectorAll('main .button, .main-nav a, .prefs a')]
            .filter(el => el.offsetParent !== null && el.getBoundingClientRect().height < 60)
            .map(el => el.textContent.trim())"""
    )
    assert small == []
