"""In chromium, under the real Content-Security-Policy header: no page of the site (public in
Chinese, English and elder mode; the console of each role; the two-step sign-in) makes the
browser refuse anything. A refused inline style or script shows up as a
``securitypolicyviolation`` event and a console error; either fails the test."""

import base64
import hashlib
import hmac
import struct
import time

import pytest
from playwright.sync_api import expect

from shegong.accounts.models import User
from shegong.helpdesk.models import HelpRequest
from shegong.jobs.models import Job
from tests.site_walk import seed_demo_with_staff

pytestmark = pytest.mark.django_db(transaction=True)

WATCH = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  const where = `${e.sourceFile}:${e.lineNumber}`;
  window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI} ${where}`);
});
"""


@pytest.fixture
def watched(phone_page):
    """The phone page, recording CSP violations (events and console errors)."""
    console = []
    phone_page.on(
        "console",
        lambda m: console.append(m.text) if "Content Security Policy" in m.text else None,
    )
    phone_page.add_init_script(WATCH)
    phone_page.console_csp = console
    return phone_page


def _violations(page) -> list[str]:
    return page.evaluate("window.__cspViolations || []") + page.console_csp


def _visit(page, url: str, seen: list[str]) -> None:
    response = page.goto(url)
    assert response.status < 400, f"{url}: {response.status}"
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.wait_for_load_state("networkidle")
    seen.extend(f"{url}: {v}" for v in _violations(page))


def _sign_in(page, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()


def _totp(secret: str, at: float) -> str:
    """RFC 6238 code for a base32 secret, computed here as the phone's app would."""
    key = base64.b32decode(secret.replace(" ", "") + "=" * (-len(secret.replace(" ", "")) % 8))
    counter = struct.pack(">Q", int(at) // 30)
    digest = hmac.new(key, counter, hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    code = (struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 1_000_000
    return f"{code:06d}"


def test_no_page_breaks_the_content_security_policy(live_server, watched):
    # Add style="…" or an inline <script> to any template to see this fail.
    seed_demo_with_staff("city.admin", "district.460105", "station.460105001.1")
    base = live_server.url
    seen: list[str] = []
    for path in (
        "/",
        "/?lang=en",
        "/?elder=1",
        "/stations/",
        "/stations/460105001/",
        "/help/",
        "/help/track/",
        "/survey/haikou-2023/",
        "/?lang=zh-hans&elder=0",
    ):
        _visit(watched, f"{base}{path}", seen)
    # The help form's danger-word script runs on typing.
    watched.goto(f"{base}/help/")
    watched.locator("textarea[name=description]").fill("有人要自杀，请帮帮忙")
    seen.extend(_violations(watched))

    for username in ("city.admin", "district.460105", "station.460105001.1"):
        watched.context.clear_cookies()
        _sign_in(watched, base, username, "shegong-demo-2023")
        expect(watched.get_by_role("heading", name="工作台")).to_be_visible()
        for path in (
            "/console/",
            "/console/dashboard/",
            "/console/activities/",
            "/console/helpdesk/",
            "/accounts/2fa/",
        ):
            _visit(watched, f"{base}{path}", seen)
        if username == "city.admin":
            for path in ("/console/audit/", "/console/campaigns/", "/console/directory/"):
                _visit(watched, f"{base}{path}", seen)
        mine = HelpRequest.objects.visible_to(User.objects.get(username=username)).first()
        if mine is not None:  # a request's page, with its masked phone and notes
            _visit(watched, f"{base}/console/helpdesk/{mine.code}/", seen)

    assert not seen, "\n".join(seen)


def test_worker_sets_up_two_step_sign_in_in_the_browser(live_server, watched, station_worker):
    base = live_server.url
    _sign_in(watched, base, "worker", "correct-horse-battery-staple")
    watched.get_by_role("link", name="两步验证").click()
    expect(watched.get_by_role("heading", name="设置两步验证")).to_be_visible()
    expect(watched.locator("figure.qr svg")).to_be_visible()
    secret = watched.get_by_test_id("otp-secret").inner_text()

    enrolled_at = time.time()
    watched.get_by_label("验证码").fill(_totp(secret, enrolled_at))
    watched.get_by_role("button", name="启用").click()
    expect(watched.get_by_text("两步验证已启用")).to_be_visible()

    watched.get_by_role("button", name="退出").click()
    _sign_in(watched, base, "worker", "correct-horse-battery-staple")
    expect(watched.get_by_role("heading", name="两步验证")).to_be_visible()
    watched.goto(f"{base}/console/")  # held at the code page
    expect(watched.get_by_label("验证码")).to_be_visible()
    # A code is good once (django-otp refuses a time step already used) and the server
    # follows the phone's clock drift, so wait for the next step and send the current code,
    # as a person would, rather than a code from the future.
    while int(time.time()) // 30 == int(enrolled_at) // 30:
        time.sleep(0.5)
    watched.get_by_label("验证码").fill(_totp(secret, time.time()))
    watched.get_by_role("button", name="验证").click()
    expect(watched.get_by_role("heading", name="工作台")).to_be_visible()
    assert User.objects.get(username="worker").totpdevice_set.filter(confirmed=True).exists()
    assert not _violations(watched)


def test_api_docs_and_tokens_keep_the_policy(live_server, watched):
    """Swagger UI (vendored) renders the API's description under the policy (its stylesheet's
    data: icons are the one thing that page allows); the tokens page makes a token."""
    seed_demo_with_staff("station.460105001.1")
    base = live_server.url
    seen: list[str] = []
    _visit(watched, f"{base}/api/v1/docs/", seen)
    expect(watched.get_by_text("/api/v1/activities/", exact=True).first).to_be_visible()
    seen.extend(_violations(watched))

    _sign_in(watched, base, "station.460105001.1", "shegong-demo-2023")
    _visit(watched, f"{base}/console/", seen)
    watched.get_by_role("link", name="接口令牌").click()
    watched.get_by_label("令牌名称").fill("台账表格")
    watched.get_by_role("button", name="生成令牌").click()
    expect(watched.get_by_test_id("new-token")).to_contain_text("sg_")
    seen.extend(_violations(watched))
    assert not seen, "\n".join(seen)


def test_job_pages_keep_the_policy(live_server, watched):
    """The job pages (a progress bar refreshed by htmx, a failed job's reason and retry, a
    finished job's download) under the policy, as their owner sees them."""
    seed_demo_with_staff("district.460105")
    officer = User.objects.get(username="district.460105")
    jobs = [
        Job.objects.create(
            kind="activities.ledger_export",
            title="导出活动台账",
            owner=officer,
            unit=officer.unit,
            state=state,
            rows_done=done,
            rows_total=1200,
            message=message,
        )
        for state, done, message in (
            (Job.State.RUNNING, 480, ""),
            (Job.State.FAILED, 0, "导出失败：数据库暂时不可用，请重试。"),
        )
    ]
    base = live_server.url
    seen: list[str] = []
    _sign_in(watched, base, "district.460105", "shegong-demo-2023")
    expect(watched.get_by_role("heading", name="工作台")).to_be_visible()
    _visit(watched, f"{base}/console/jobs/", seen)
    for job in jobs:
        _visit(watched, f"{base}/console/jobs/{job.pk}/", seen)
    expect(watched.get_by_text("数据库暂时不可用")).to_be_visible()

    # The running job's page polls for its progress; the poll answers when the job is done.
    running = jobs[0]
    watched.goto(f"{base}/console/jobs/{running.pk}/")
    expect(watched.get_by_test_id("job-state")).to_have_text("进行中")
    Job.objects.filter(pk=running.pk).update(state=Job.State.DONE, rows_done=1200)
    expect(watched.get_by_test_id("job-state")).to_have_text("已完成", timeout=15_000)
    seen.extend(_violations(watched))
    assert not seen, "\n".join(seen)
