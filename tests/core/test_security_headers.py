"""Security headers and a strict Content-Security-Policy that every page lives under.

The policy forbids inline script and style (``settings.CONTENT_SECURITY_POLICY``). This test
crawls the site with the demo data as a citizen (Chinese, English, elder mode), a station
worker, a district officer, a city admin and a superuser in the admin, following every link,
and fails on any page without the headers or with markup the policy would block: an inline
``<script>`` or ``<style>``, a ``style=`` or ``on…=`` attribute, a ``javascript:`` address, or
an asset from another host. ``tests/browser/test_csp.py`` checks the same in chromium.
"""

from collections import Counter, deque
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import Resolver404, resolve
from django.utils import timezone

from shegong.accounts.models import User
from shegong.activities.excel import ledger_template
from shegong.activities.models import Activity, NewsDraft
from shegong.campaigns.models import Campaign
from shegong.jobs.models import Job
from shegong.orgs.models import Unit
from tests.site_walk import all_routes

pytestmark = pytest.mark.heavy  # scheduled first (tests/conftest.py)

STAFF = {
    "station": "station.460105001.1",
    "district": "district.460105",
    "city": "city.admin",
    "judge": "judge.1",
}
STARTS = {
    "public": [
        "/",
        "/help/",
        "/help/track/",
        "/stations/",
        "/stories/",
        "/stories/submit/",
        "/accounts/login/",
    ],
    "public-en": ["/?lang=en", "/help/?lang=en", "/stations/?lang=en"],
    "public-elder": ["/?elder=1", "/help/?elder=1", "/stations/?elder=1"],
    "station": [
        "/console/",
        "/accounts/2fa/",
        "/accounts/password/",
        "/accounts/notifications/",
        "/console/contest/entries/new/",
    ],
    "district": ["/console/"],
    "city": ["/console/", "/console/audit/", "/console/contest/new/"],
    "judge": ["/console/", "/console/contest/review/"],
    "admin": ["/admin/", "/admin/accounts/user/", "/admin/core/auditentry/"],
}
PER_ROUTE = 3  # pages of one URL pattern worth opening, per visitor
SCRIPT_DATA_TYPES = {"application/json", "application/ld+json"}


class InlineFinder(HTMLParser):
    """Collects links to follow and markup a strict policy blocks."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.problems: list[str] = []
        self._script_src: bool | None = None
        self._script_text = ""

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for name, value in attrs:
            if name == "style":
                self.problems.append(f"<{tag} style=…>")
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=…>")
            if name in ("href", "src", "action", "formaction") and (
                value or ""
            ).strip().lower().startswith("javascript:"):
                self.problems.append(f"<{tag} {name}=javascript:…>")
            if name in ("src", "href") and tag in ("script", "link", "img", "iframe") and value:
                host = urlsplit(value).netloc
                if host and host != "testserver":
                    self.problems.append(f"<{tag} {name}={value[:60]}> from another host")
        if tag == "style":
            self.problems.append("<style> element")
        if tag == "script":
            executable = (a.get("type") or "text/javascript") not in SCRIPT_DATA_TYPES
            self._script_src = bool(a.get("src")) or not executable
            self._script_text = ""
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])

    def handle_data(self, data):
        if self._script_src is False:
            self._script_text += data

    def handle_endtag(self, tag):
        if tag == "script" and self._script_src is not None:
            if not self._script_src and self._script_text.strip():
                self.problems.append(f"inline <script>: {self._script_text.strip()[:60]!r}")
            self._script_src = None


def _route_name(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.view_name


@pytest.fixture(scope="module")
def crawl(demo_loader):
    """Every page reached from the start pages, by each visitor: {url: (visitor, problems)}."""
    with demo_loader(*STAFF.values()):
        # Pages only some records link to: a draft the station may still edit, with its news.
        station = Unit.objects.get(code="460105001")
        draft = Activity.objects.create(
            unit=station,
            campaign=Campaign.objects.first(),
            kind="poster",
            title="张贴海报",
            starts_at=timezone.now(),
        )
        news = NewsDraft.objects.create(activity=draft, title="草稿", body="<p>正文</p>")
        # A finished export, which the district officer's list of jobs links to.
        job = Job.objects.create(
            kind="activities.ledger_export",
            title="导出活动台账",
            owner=User.objects.get(username=STAFF["district"]),
            state=Job.State.DONE,
            result_name="activities.xlsx",
        )
        job.result.save("activities.xlsx", ContentFile(ledger_template()))
        starts = {**STARTS, "station": [*STARTS["station"], f"/console/activities/{draft.pk}/"]}
        starts["station"].append(f"/console/activities/{draft.pk}/news/{news.pk}/")
        clients = {}
        for role in starts:
            client = Client()
            if role in STAFF:
                client.force_login(User.objects.get(username=STAFF[role]))
            if role == "admin":
                client.force_login(
                    User.objects.create_superuser("root", "root@example.org", "Xy7!long-pass")
                )
            clients[role] = client
        result = {"pages": {}, "routes": set(), "headers": []}
        for role, first in starts.items():
            client = clients[role]
            seen: set[str] = set()
            per_route: Counter = Counter()
            queue = deque(first)
            while queue:
                url = queue.popleft()
                path = urlsplit(url).path
                if url in seen or path.startswith("/static/") or path.startswith("/media/"):
                    continue
                seen.add(url)
                name = _route_name(path)
                if name is None or per_route[name] >= PER_ROUTE:
                    continue
                if role != "admin" and name.startswith("admin:"):
                    continue
                if role == "admin" and not name.startswith("admin:"):
                    continue
                if name in ("admin:logout", "accounts:logout"):
                    continue
                per_route[name] += 1
                response = client.get(url)
                result["headers"].append((role, url, response))
                if response.status_code in (301, 302, 303, 307, 308):
                    # A redirect within the site leads on, as a link does (e.g. a menu entry
                    # that opens the current campaign's page).
                    target = urlsplit(urljoin(url, response["Location"]))
                    if target.netloc in ("", "testserver"):
                        queue.append(target.path + (f"?{target.query}" if target.query else ""))
                    continue
                if response.status_code != 200:
                    continue
                result["routes"].add(name)
                if not response["Content-Type"].startswith("text/html"):
                    continue
                finder = InlineFinder()
                finder.feed(response.content.decode())
                result["pages"][url] = (role, finder.problems)
                for link in finder.links:
                    absolute = urljoin(url, link)
                    parts = urlsplit(absolute)
                    if parts.netloc in ("", "testserver") and parts.scheme in ("", "http"):
                        queue.append(parts.path + (f"?{parts.query}" if parts.query else ""))
        yield result


def test_no_page_has_markup_the_policy_blocks(crawl):
    # Add style="color:red" to any template (e.g. console/base.html) to see this fail.
    problems = [
        f"{url} [{role}]: {', '.join(sorted(set(found)))}"
        for url, (role, found) in crawl["pages"].items()
        if found
    ]
    assert not problems, "\n".join(problems)
    assert len(crawl["pages"]) > 150


def test_every_answer_carries_the_strict_policy(crawl):
    # Remove SecurityHeadersMiddleware from settings.MIDDLEWARE to see this fail.
    for role, url, response in crawl["headers"]:
        policy = response.get("Content-Security-Policy", "")
        assert "script-src 'self'" in policy, f"{url} [{role}]"
        assert "style-src 'self'" in policy, f"{url} [{role}]"
        assert "unsafe-inline" not in policy
        assert "unsafe-eval" not in policy
        assert "frame-ancestors 'none'" in policy
        assert "camera=()" in response.get("Permissions-Policy", ""), f"{url} [{role}]"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response.get("X-Frame-Options") == "DENY" or response.status_code >= 300


def test_crawl_reaches_every_page_of_the_site(crawl):
    """Each GET page of the resolver is reached by following links from the start pages,
    so a page added later is checked without being listed here."""
    not_pages = {
        "accounts:two_factor_verify",  # only while a sign-in waits for its code
        "accounts:password_changed",  # shown after a password change
        "helpdesk_public_sent",  # shown after a request is sent
        "survey_public_thanks",  # shown after the survey is answered
        "contest_public_sent",  # shown after a story is sent
        "contest:entry_new",  # only while a call accepts entries (the demo's window is over)
        "contest_public_verify",  # the address in the confirmation sent to the author
    }
    post_only = {
        "accounts:logout",
        "accounts:notification_open",
        "activities:activity_transition",
        "activities:media_consent",
        "activities:media_minors",
        "activities:media_upload",
        "activities:news_action",
        "activities:submission_status",
        "campaigns:task_withdraw",
        "directory:listing_verify",
        "helpdesk:act",
        "helpdesk_public_rate",
        "contest:entry_action",
        "contest:media_consent",
        "contest:judge_action",
        "contest:judge_remove",
        "contest:review_start",
        "contest:shortlist",
        "contest:publish_decisions",
        "reports:summary_submit",
        "reports:summary_review",
        "reports:summary_attach",
        "reports:summary_attach_ledger",
        "reports:summary_attachment_remove",
        "api_console:token_revoke",
        "jobs:job_retry",
    }
    not_html = {
        "healthz",  # JSON
        "activities:media_thumb",  # an image
        "directory:poster",  # a PDF
        "directory_qr_redirect",  # a redirect
        "core:audit_target",  # a redirect to the record an audit entry names
        "reports:summary_home",  # a redirect to the current campaign's summaries
        "reports:summary_attachment",  # an attached photo or .xlsx
        "hsds_root",  # the HSDS API: JSON
        "hsds_service_list",
        "hsds_service_detail",
        "hsds_organization_list",
        "hsds_organization_detail",
        "contest:certificate",  # a PDF
        "contest:media_file",  # an image
        "contest_public_media",  # an image
        "jobs:job_download",  # the job's .xlsx
        "activities:activity_export",  # an .xlsx, asked for by the ledger's POST button
    }
    wanted = {
        route.name
        for route in all_routes()
        if route.name
        and not route.name.startswith("admin:")
        and route.name not in not_pages | post_only | not_html
        # The REST API answers JSON to a token (its docs page and description are linked from
        # the tokens page, and crawled): tests/api and the leak sweep walk it.
        and (route.area != "api" or route.name in ("api:docs", "api:openapi"))
    }
    missing = sorted(wanted - crawl["routes"])
    assert not missing, f"pages no link leads to: {missing}"


def test_policy_setting_is_strict():
    policy = settings.CONTENT_SECURITY_POLICY
    for directive in ("script-src", "style-src", "img-src", "default-src"):
        assert policy[directive] == ["'self'"], directive
    assert policy["object-src"] == ["'none'"]


def test_healthz_answers_plain_http_with_ssl_redirect(client, settings, db):
    # Remove SECURE_REDIRECT_EXEMPT from settings.py to see this fail.
    settings.SECURE_SSL_REDIRECT = True

    health = client.get("/healthz")
    moved = client.get("/help/")

    assert health.json()["database"] == "ok"
    assert moved.status_code == 301  # everything else goes to HTTPS
    assert moved["Location"] == "https://testserver/help/"


def test_preference_cookies_are_secure_in_production(client, settings, db):
    # Remove `secure=secure` in DisplayPreferencesMiddleware to see this fail.
    settings.SESSION_COOKIE_SECURE = True
    response = client.get("/?lang=en&elder=1")

    assert response.cookies[settings.LANGUAGE_COOKIE_NAME]["secure"]
    assert response.cookies["elder"]["secure"]


def test_production_settings_make_every_cookie_secure():
    """With DEBUG off, the session, CSRF and preference cookies are all Secure."""
    import os
    import subprocess
    import sys

    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "x" * 30 + "abcdefghijklmnopqrstuvwxyz",
        "ALLOWED_HOSTS": "example.org",
    }
    code = (
        "import django;django.setup();from django.conf import settings as s;"
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.OTP_REQUIRED_FOR_CITY_ADMINS)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        env=env | {"DJANGO_SETTINGS_MODULE": "shegong.settings"},
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert out == ["True", "True", "True"]
