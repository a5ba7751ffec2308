"""Every public form, refused in a real browser, follows the GOV.UK pattern as a citizen meets
it: the error summary has the focus when the page loads (a screen reader reads it first), the
title starts with "错误：" ("Error: " in English), and each problem's link takes the citizen to
its field. tests/public/test_error_summary.py checks the markup; this checks what the browser
does with it, on /help/, /help/track/, the survey, /stories/submit/, /stories/follow/ and the
rating form of a closed request."""

import pytest

from shegong.helpdesk import services as helpdesk
from tests.browser.forms import submit
from tests.contest.conftest import call, media_root  # noqa: F401 — fixtures used below
from tests.public.test_error_summary import survey  # noqa: F401 — fixture used below

pytestmark = pytest.mark.django_db(transaction=True)


def focused_on_summary(page) -> None:
    """The refused form comes back as a new page, which moves the focus to its error summary
    (waited for: right after the click the old page may still be the one showing)."""
    page.wait_for_function(
        "() => document.activeElement && document.activeElement.className === 'error-summary'"
    )


def refuse(page, url: str, form: str, lang: str, fill=None):
    """Open url, fill what ``fill`` does, send ``form`` and check the refusal page."""
    page.goto(url + ("&" if "?" in url else "?") + f"lang={lang}&elder=1")
    if fill:
        fill(page)
    page.locator(form).locator("button[type=submit]").first.click()
    focused_on_summary(page)
    assert page.title().startswith("错误：" if lang == "zh-hans" else "Error: ")
    links = page.eval_on_selector_all(
        ".error-summary a", "links => links.map(a => a.getAttribute('href'))"
    )
    assert links, "an error summary lists its problems"
    for href in links:
        assert href.startswith("#")
        # The link's target is a control of the page: following it lands there.
        page.click(f".error-summary a[href='{href}']")
        assert page.evaluate("() => location.hash") == href
        assert page.locator(href).count() == 1
        page.evaluate("() => document.querySelector('.error-summary').focus()")
    return links


LANGS = ["zh-hans", "en"]


@pytest.mark.parametrize("lang", LANGS)
def test_help_track_refusal(live_server, phone_page, lang):
    links = refuse(
        phone_page,
        f"{live_server.url}/help/track/",
        "form.help-form",
        lang,
        fill=lambda p: p.fill("input[name=last4]", "12"),
    )
    assert set(links) == {"#id_code", "#id_last4"}


@pytest.mark.parametrize("lang", LANGS)
def test_survey_refusal(live_server, phone_page, survey, station, lang):  # noqa: F811
    links = refuse(phone_page, f"{live_server.url}/survey/{survey.slug}/", "form.help-form", lang)
    assert "#id_knows_social_work_0" in links  # radios: the first one


@pytest.mark.parametrize("lang", LANGS)
def test_story_submit_refusal(live_server, phone_page, call, lang):  # noqa: F811
    links = refuse(
        phone_page,
        f"{live_server.url}/stories/submit/",
        "form.story-form",
        lang,
        fill=lambda p: p.fill("input[name=title]", "老屋"),
    )
    assert {"#id_author_name", "#id_phone"} <= set(links)


@pytest.mark.parametrize("lang", LANGS)
def test_story_follow_refusal(live_server, phone_page, lang, db):
    links = refuse(phone_page, f"{live_server.url}/stories/follow/", "form.story-form", lang)
    assert {"#id_code", "#id_last4"} <= set(links)


@pytest.mark.parametrize("lang", LANGS)
def test_rating_form_refusal(live_server, phone_page, station, station_worker, lang):
    request = helpdesk.helprequest_submit(
        for_whom="neighbour",
        category="elderly",
        description="隔壁独居老人需要有人上门探访。",
        area=station,
        contact_name="王阿姨",
        phone="13912345678",
    )
    helpdesk.helprequest_accept(actor=station_worker, request=request, note="受理")
    helpdesk.helprequest_close(actor=station_worker, request=request, outcome="已安排助餐。")
    page = phone_page
    page.goto(f"{live_server.url}/help/track/?lang={lang}&elder=1")
    page.fill("input[name=code]", request.code)
    page.fill("input[name=last4]", "5678")
    submit(page, "form.help-form button[type=submit]")
    assert not page.title().startswith(("错误", "Error"))

    # Sent without choosing a rating.
    submit(page, "form[action='/help/track/rate/'] button[type=submit]")
    focused_on_summary(page)
    assert page.title().startswith("错误：" if lang == "zh-hans" else "Error: ")
    href = page.get_attribute(".error-summary a", "href")
    page.click(".error-summary a")
    assert page.evaluate("() => location.hash") == href
    assert page.locator(f"{href}[name=rating]").count() == 1
