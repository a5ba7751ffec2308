"""The story contest end to end on a phone-sized screen: a citizen enters a story with
JavaScript off, a judge scores it blind, the city admin awards and publishes it, and it
appears under /stories/ (JavaScript off too). The story pages have no axe-core violation in
both languages, normal and elder mode."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from shegong.accounts.models import User
from shegong.contest import services
from shegong.contest.models import Call, Entry
from tests.browser.forms import submit
from tests.browser.test_helpdesk_a11y import axe_violations
from tests.factories import CampaignFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

CRITERIA = [("真实感人", 40), ("专业体现", 30), ("文字表达", 20), ("传播价值", 10)]
STORY = (
    "每天下午四点半，社工站的门准时打开。孩子们放下书包，在长桌前写作业。"
    "社工小陈说，这里不只是托管，更是孩子们学会互相帮助的地方。"
)


def _call(city, admin, judge):
    now = timezone.now()
    campaign = CampaignFactory(slug="haikou-2023", issuer=city, starts_on=now.date())
    call = services.call_save(
        actor=admin,
        campaign=campaign,
        title="“椰城社工”故事征集活动",
        rules_text="真实、原创。",
        categories=["written", "photo", "video"],
        submission_opens=now - timedelta(days=1),
        submission_closes=now + timedelta(days=10),
        review_opens=now + timedelta(days=10),
        review_closes=now + timedelta(days=20),
        reviews_per_entry=1,
        criteria=CRITERIA,
        tiers=[("一等奖", 1), ("二等奖", 2)],
    )
    services.judge_add(actor=admin, call=call, user=judge)
    return call


def _move_clock(call, *, review_open: bool):
    """Time passes: the submission window closes, then the review window."""
    now = timezone.now()
    if review_open:
        windows = (now - timedelta(days=3), now - timedelta(days=1), now - timedelta(days=1),
                   now + timedelta(days=5))  # fmt: skip
    else:
        windows = (now - timedelta(days=9), now - timedelta(days=7), now - timedelta(days=7),
                   now - timedelta(minutes=1))  # fmt: skip
    Call.objects.filter(pk=call.pk).update(
        submission_opens=windows[0],
        submission_closes=windows[1],
        review_opens=windows[2],
        review_closes=windows[3],
    )
    call.refresh_from_db()


def _log_in(page, url, username, password):
    page.goto(url)
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()


def test_citizen_enters_judge_scores_admin_awards_and_it_is_published(
    live_server, browser, phone_page, city, city_admin, password
):
    judge = UserFactory(username="judge.b", role=User.Role.JUDGE, unit=city, display_name="评委乙")
    call = _call(city, city_admin, judge)
    no_js = browser.new_context(
        java_script_enabled=False,
        viewport={"width": 390, "height": 844},
        locale="zh-CN",
        is_mobile=True,
        has_touch=True,
    )
    citizen = no_js.new_page()

    # The citizen, in elder mode, finds the call from the stories page and enters.
    citizen.goto(f"{live_server.url}/stories/?elder=1")
    expect(citizen.locator("html")).to_have_class("elder")
    citizen.get_by_role("link", name="我要投稿").click()
    submit = citizen.get_by_role("button", name="提交作品")
    assert submit.bounding_box()["height"] >= 60
    citizen.get_by_label("作品标题").fill("放学后的四点半课堂")
    citizen.get_by_label("文字故事").check()
    citizen.get_by_label("故事正文").fill(STORY)
    citizen.get_by_label("作者姓名").fill("符小梅")
    citizen.get_by_label("联系电话").fill("13800138000")
    citizen.get_by_label("我声明作品为本人原创").check()
    citizen.get_by_label("我同意主办方").check()
    submit.click()
    expect(citizen.get_by_role("heading", name="投稿成功")).to_be_visible()
    code = citizen.get_by_test_id("code").inner_text()
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}", code)

    # Time passes; the city admin closes entries and assigns the judges.
    _move_clock(call, review_open=True)
    admin = phone_page
    _log_in(admin, f"{live_server.url}/console/contest/calls/{call.slug}/", "city", password)
    admin.get_by_role("button", name="截止征集并分配评委").click()
    expect(admin.locator(".messages")).to_contain_text("1 件作品已分配评委")

    # The judge scores it, never seeing who wrote it.
    judge_page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    _log_in(judge_page, f"{live_server.url}/console/contest/review/", "judge.b", password)
    judge_page.get_by_role("link", name="放学后的四点半课堂").click()
    expect(judge_page.locator("main")).to_contain_text("每天下午四点半")
    expect(judge_page.locator("body")).not_to_contain_text("符小梅")
    expect(judge_page.locator("body")).not_to_contain_text("13800138000")
    for name, value in (
        ("真实感人", "92"),
        ("专业体现", "88"),
        ("文字表达", "85"),
        ("传播价值", "90"),
    ):
        judge_page.get_by_label(re.compile(f"^{name}")).fill(value)
    judge_page.get_by_label("评语").fill("细节真实，孩子们的变化写得动人。")
    judge_page.get_by_role("button", name="保存评分").click()
    expect(judge_page.locator("table")).to_contain_text("89.20")

    # The review window ends; the admin shortlists, awards and publishes in the console.
    _move_clock(call, review_open=False)
    admin.goto(f"{live_server.url}/console/contest/calls/{call.slug}/ranking/")
    expect(admin.get_by_test_id("tie-rule")).to_contain_text("并列")
    admin.get_by_label("入围数量").fill("1")
    admin.get_by_role("button", name="按排名确定入围").click()
    admin.get_by_label("奖项").select_option(label="一等奖")
    admin.get_by_role("button", name="评定").click()
    admin.get_by_role("button", name="公布评审结果").click()
    expect(admin.locator(".messages")).to_contain_text("1 件作品获奖")
    admin.get_by_role("link", name="放学后的四点半课堂").click()
    admin.get_by_role("button", name="发布到社工故事").click()
    expect(admin.get_by_test_id("status")).to_contain_text("已发布")

    # The story is public, read with JavaScript off; the author sees the award with the code.
    citizen.goto(f"{live_server.url}/stories/")
    expect(citizen.locator("html")).to_have_class("elder")  # remembered from the first visit
    story_link = citizen.get_by_role("link", name="放学后的四点半课堂")
    assert story_link.bounding_box()["height"] >= 60
    story_link.click()
    expect(citizen.locator("article")).to_contain_text("每天下午四点半")
    expect(citizen.locator("article")).to_contain_text("一等奖")
    citizen.goto(f"{live_server.url}/stories/follow/")
    citizen.get_by_label("查询码").fill(code)
    citizen.get_by_label("联系电话后四位").fill("8000")
    citizen.get_by_role("button", name="查询").click()
    expect(citizen.get_by_test_id("status")).to_contain_text("获奖并已发表")
    entry = Entry.objects.get()
    assert entry.status == Entry.Status.PUBLISHED
    assert str(entry.reviews.get().total) == "89.20"
    no_js.close()


@pytest.mark.parametrize("lang", ["zh-hans", "en"])
@pytest.mark.parametrize("elder", [False, True], ids=["normal", "elder"])
def test_story_pages_have_no_axe_violations(live_server, phone_page, city, city_admin, lang, elder):
    judge = UserFactory(username="judge.a", role=User.Role.JUDGE, unit=city)
    call = _call(city, city_admin, judge)
    entry = services.entry_submit(
        call=call,
        author_name="符小梅",
        phone="13800138000",
        title="放学后的四点半课堂",
        category="written",
        text=STORY,
    )
    query = f"?lang={lang}&elder={int(elder)}"
    page = phone_page

    page.goto(f"{live_server.url}/stories/submit/{query}")
    assert axe_violations(page, elder=elder) == [], "form"
    submit(page, "form.story-form button[type=submit]")
    assert page.locator(".error-summary").count() == 1
    assert axe_violations(page, elder=elder) == [], "form with errors"

    page.goto(f"{live_server.url}/stories/follow/{query}")
    page.fill("input[name=code]", entry.code)
    page.fill("input[name=last4]", "8000")
    submit(page, "form.story-form button[type=submit]")
    assert page.get_by_test_id("status").count() == 1
    assert axe_violations(page, elder=elder) == [], "status"

    # Published (through the services, with the clock moved as in the journey above).
    _move_clock(call, review_open=True)
    services.review_start(actor=city_admin, call=call)
    review = entry.reviews.get()
    scores = {c.pk: 90 for c in call.criteria.all()}
    services.review_score(actor=judge, review=review, scores=scores, comment="")
    _move_clock(call, review_open=False)
    services.call_shortlist(actor=city_admin, call=call, count=1)
    entry.refresh_from_db()
    services.entry_set_tier(actor=city_admin, entry=entry, tier=call.tiers.first())
    services.call_publish_decisions(actor=city_admin, call=call)
    entry.refresh_from_db()
    services.entry_publish(actor=city_admin, entry=entry)
    entry.refresh_from_db()

    for url in (
        "/stories/",
        f"/stories/{entry.slug}/",
        f"/stories/verify/{entry.certificate_code}/",
    ):
        page.goto(f"{live_server.url}{url}{query}")
        assert axe_violations(page, elder=elder) == [], url
