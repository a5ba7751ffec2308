"""A citizen reads a published campaign document on a phone: normal and elder mode, Chinese
and English, JavaScript off; axe-core finds no WCAG 2.1 AA violation, and elder mode keeps its
promises (7:1 contrast, controls at least 60 px tall)."""

from pathlib import Path

import pytest

from shegong.campaigns.demo import seed

pytestmark = pytest.mark.django_db(transaction=True)

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


@pytest.fixture
def haikou(city, district, sibling_district, station, second_station, sibling_station):
    return seed(city=city)


@pytest.fixture
def phone(browser):
    contexts = []

    def make(*, js: bool = True):
        context = browser.new_context(locale="zh-CN", java_script_enabled=js, **PHONE)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.mark.parametrize("lang", ["zh-hans", "en"])
@pytest.mark.parametrize("elder", ["0", "1"], ids=["normal", "elder"])
def test_public_document_page_has_no_axe_violations(live_server, phone, haikou, elder, lang):
    page = phone()
    page.goto(f"{live_server.url}/docs/{haikou.slug}/?elder={elder}&lang={lang}")
    # Through the DevTools protocol: the page's policy forbids inline scripts (test_csp.py).
    page.evaluate(AXE.read_text(encoding="utf-8") + "\n;true")

    result = page.evaluate(
        """async () => await axe.run(document, {runOnly: {type: 'tag',
            values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"""
    )
    assert [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]] == []
    if elder == "1":
        enhanced = page.evaluate(
            """async () => (await axe.run(document, {runOnly: {type: 'rule',
                values: ['color-contrast-enhanced']}})).violations"""
        )
        assert [n["target"] for v in enhanced for n in v["nodes"]] == []


def test_public_document_page_elder_mode_download_links_are_large(live_server, phone, haikou):
    page = phone(js=False)
    page.goto(f"{live_server.url}/docs/{haikou.slug}/?elder=1")

    heights = page.evaluate(
        """() => [...document.querySelectorAll('.downloads a')]
            .map(el => el.getBoundingClientRect().height)"""
    )
    assert heights
    assert min(heights) >= 60
    assert page.get_by_role("link", name="Word 文件（.docx）").get_attribute("href") == (
        f"/docs/{haikou.slug}/notice.docx"
    )
