"""The help pages, like every public page, have no WCAG 2.1 AA violation found by axe-core, in
both languages and in normal and elder mode (elder mode: 7:1 contrast), including the pages a
citizen sees after a refusal, after sending and when tracking."""

from pathlib import Path

import pytest

from tests.browser.forms import submit

pytestmark = pytest.mark.django_db(transaction=True)

AXE = Path(__file__).parent / "vendor" / "axe.min.js"


def axe_violations(page, *, elder: bool) -> list:
    # Through the DevTools protocol: the page's policy forbids inline scripts (test_csp.py).
    page.evaluate(AXE.read_text(encoding="utf-8") + "\n;true")
    result = page.evaluate(
        """async () => await axe.run(document, {runOnly: {type: 'tag',
            values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"""
    )
    found = [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]]
    if elder:
        enhanced = page.evaluate(
            """async () => (await axe.run(document, {runOnly: {type: 'rule',
                values: ['color-contrast-enhanced']}})).violations"""
        )
        found += [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in enhanced]
    return found


@pytest.mark.parametrize("lang", ["zh-hans", "en"])
@pytest.mark.parametrize("elder", [False, True], ids=["normal", "elder"])
def test_help_pages_have_no_axe_violations(
    live_server, phone_page, station, station_worker, lang, elder
):
    page = phone_page
    query = f"?lang={lang}&elder={int(elder)}"

    page.goto(f"{live_server.url}/help/{query}&station={station.code}")
    assert axe_violations(page, elder=elder) == [], "form"

    # A refusal: nothing filled in but a danger word, so the emergency numbers show too.
    page.fill("textarea[name=description]", "我不想活了")
    submit(page, "form.help-form button[type=submit]")
    assert page.locator(".error-summary").count() == 1
    assert axe_violations(page, elder=elder) == [], "form with errors"

    page.check("input[name=for_whom][value=neighbour]")
    page.check("input[name=category][value=elderly]")
    page.fill("textarea[name=description]", "楼上陈阿婆八十多岁独居，最近没见她出门。")
    page.fill("input[name=contact_name]", "李先生")
    page.fill("input[name=phone]", "13800138000")
    page.check("input[name=consent]")
    submit(page, "form.help-form button[type=submit]")
    code = page.get_by_test_id("tracking-code").inner_text()
    assert axe_violations(page, elder=elder) == [], "sent"

    page.goto(f"{live_server.url}/help/track/{query}")
    page.fill("input[name=code]", code)
    page.fill("input[name=last4]", "0000")
    submit(page, "form.help-form button[type=submit]")
    assert axe_violations(page, elder=elder) == [], "track refused"

    page.fill("input[name=last4]", "8000")
    submit(page, "form.help-form button[type=submit]")
    assert page.get_by_test_id("status").count() == 1
    assert axe_violations(page, elder=elder) == [], "status"
