"""No page's query count grows with the rows it lists (STYLE.md: lists and dashboards under a
fixed query count).

The URL resolver is walked, as in ``test_unit_leaks``: every console, account and public URL
is measured here or named in ``NOT_MEASURED`` with the reason, so a page added later fails
``test_every_url_is_measured_or_skipped`` until someone decides.

On the demo tree (``seed_demo``) a first batch of rows of every kind a page lists is added
through the services staff use, in 秀英街道社工站 (the station worker's own station, inside the
district officer's and the city's scope): activities with partners, tasks, photos, news,
coverage, submissions, live streams and review events, cases, help requests with notes and
access-log entries, QR links and their scan days, the listing's staff and services, task
progress, notifications, users, new stations with their listings, copies of the campaign,
and the audit entries all of these write. The batch gives every list at least one row: a
prefetch over no rows runs no query, so growth from nothing would look like an N+1.

Then every page is asked for by every role that opens it (the city admin, 秀英区's officer,
the station's worker; public pages by an anonymous citizen) and its queries counted; a second,
larger batch is added, and every page is counted again. The counts must be equal, and the
second count's page must show a row of the second batch where the page lists such rows, or
the batch never reached the page and the comparison would prove nothing. Each count is taken
with the caches emptied, after one unmeasured request (work done once per process, or once per
new station, is not the page's cost per row).

No difference is allowed, not even where a list passes its 50-row page: Django's paginator
counts the rows on every page, so the COUNT query is there with one row as with a thousand. A
list that fills its page for every role (the audit log) is also measured filtered, where the
batch makes it longer.
"""

import datetime
import html
import io
import json
import re
import time
import zipfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.models import Max
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from shegong.accounts.models import User
from shegong.accounts.services import notification_send, user_create
from shegong.activities import services as activity_services
from shegong.activities.models import Activity, Case, MediaCoverage
from shegong.api.services import apitoken_create
from shegong.campaigns.models import Campaign, Task, TaskProgress
from shegong.campaigns.services import campaign_clone, progress_update, task_create, tasks_assign
from shegong.directory.models import QrLink, Service, StationListing
from shegong.directory.services import (
    SERVICE_FIELDS,
    listing_ensure,
    listing_update,
    qr_scan_record,
    qrlink_create,
)
from shegong.helpdesk import services as helpdesk_services
from shegong.helpdesk.models import HelpRequest
from shegong.jobs.models import Job
from shegong.orgs.models import Partner, Unit
from shegong.orgs.partners import partner_create
from tests.contest.sweeps import ContestGrower
from tests.factories import TEST_PASSWORD, station_unit
from tests.site_walk import all_routes

pytestmark = pytest.mark.heavy  # scheduled first (tests/conftest.py)

DISTRICT = "460105"  # 秀英区: the officer's district
STATION = "460105001"  # 秀英街道社工站: the worker's station, where the rows are added
CAMPAIGN = "haikou-2023"

USERNAMES = {
    "city_admin": "city.admin",
    "district_officer": f"district.{DISTRICT}",
    "station_worker": f"station.{STATION}.1",
    "judge": "judge.1",
}
STAFF = ("city_admin", "district_officer", "station_worker")
JUDGE = ("judge",)
CITY = ("city_admin",)
DISTRICT_UP = ("city_admin", "district_officer")
WORKER = ("station_worker",)
PUBLIC = ("anonymous",)
EN = {"lang": "en"}
API_PAGE = {"page_size": "200"}  # public pages in English: units are named from their English names


# --- what is measured ------------------------------------------------------------------------


@dataclass
class Own:
    """The objects of 秀英街道社工站 whose own pages (and the children they list) are measured."""

    activity_id: int = 0
    news_id: int = 0
    partner_id: int = 0
    case_id: int = 0
    progress_id: int = 0
    listing_slug: str = STATION
    organization_hsds_id: str = ""
    service_hsds_id: str = ""
    qr_code: str = ""
    help_code: str = ""
    help_last4: str = ""
    entry_id: int = 0  # a published story of the station
    entry_slug: str = ""
    entry_code: str = ""
    entry_last4: str = ""
    certificate_code: str = ""
    review_entry_id: int = 0  # an entry judge.1 reviews


@dataclass
class Batch:
    """What one batch added. ``mark`` is part of every text it wrote."""

    number: int
    mark: str
    station_names: list[str] = field(default_factory=list)  # stations added under 秀英区
    station_areas: list[str] = field(default_factory=list)  # their towns/streets
    help_codes: list[str] = field(default_factory=list)  # as the console shows them
    campaign_slugs: list[str] = field(default_factory=list)


def _marked(batch: Batch) -> str:
    return batch.mark


@dataclass(frozen=True)
class Page:
    """One request to count: a URL name, its path parameters (from ``Own``), a query, how
    it is sent, the roles that open it, and what of a new batch it must show (``None``: it
    lists nothing that grows, e.g. a form without choices or a single record). A query value
    may name ``{organization}``: the station's HSDS id, known once the rows are made."""

    name: str
    roles: tuple[str, ...]
    kwargs: Callable[[Own], dict] = lambda own: {}
    query: dict = field(default_factory=dict)
    shows: Callable[[Batch], str] | None = None
    shows_to: tuple[str, ...] | None = None  # roles that see the new rows (default: all)
    htmx: bool = False
    post: Callable[[Own], dict] | None = None  # sent as a POST with this data

    @property
    def label(self) -> str:
        query = "&".join(f"{k}={v}" for k, v in self.query.items())
        how = " (htmx)" if self.htmx else " (POST)" if self.post else ""
        return f"{self.name}{'?' + query if query else ''}{how}"


def _campaign(own):
    return {"slug": CAMPAIGN}


PAGES = [
    # accounts
    Page("accounts:login", PUBLIC),
    Page("accounts:password_change", STAFF),
    Page("accounts:password_changed", STAFF),
    Page("accounts:notifications", STAFF, shows=_marked),
    Page("accounts:two_factor", STAFF),
    Page("accounts:two_factor_verify", STAFF),
    # console home, audit log, units
    Page("reports:home", STAFF),
    # The dashboard reads per-unit daily roll-ups; a district's lists its stations.
    Page("reports:dashboard", STAFF),
    Page(
        "reports:dashboard",
        DISTRICT_UP,
        query={"unit": DISTRICT},
        shows=lambda b: b.station_names[0],
    ),
    Page("reports:dashboard_export", STAFF),
    Page(
        "reports:dashboard_export",
        DISTRICT_UP,
        query={"unit": DISTRICT},
        shows=lambda b: b.station_names[0],
    ),
    Page("core:audit_list", DISTRICT_UP, shows=_marked),
    # The log fills its 50-row page at once; a filter keeps it short enough to grow.
    Page("core:audit_list", DISTRICT_UP, query={"action": "partner.create"}, shows=_marked),
    Page("orgs:unit_list", STAFF, shows=lambda b: b.station_names[0], shows_to=DISTRICT_UP),
    Page(
        "orgs:unit_detail",
        STAFF,
        kwargs=lambda own: {"code": DISTRICT},
        shows=lambda b: b.station_names[0],
        shows_to=DISTRICT_UP,
    ),
    Page("orgs:unit_edit", DISTRICT_UP, kwargs=lambda own: {"code": DISTRICT}),
    # campaigns
    Page("campaigns:list", STAFF, shows=lambda b: b.campaign_slugs[0]),
    Page("campaigns:detail", STAFF, kwargs=_campaign, shows=_marked),
    Page("campaigns:edit", CITY, kwargs=_campaign),
    Page("campaigns:clone", CITY, kwargs=_campaign),
    Page("campaigns:kpis", CITY, kwargs=_campaign),
    Page("campaigns:task_new", CITY, kwargs=_campaign),
    Page(
        "campaigns:task_edit",
        CITY,
        kwargs=lambda own: {
            "slug": CAMPAIGN,
            "pk": Task.objects.filter(campaign__slug=CAMPAIGN).values_list("pk", flat=True)[0],
        },
    ),
    Page("campaigns:matrix", STAFF, kwargs=_campaign, shows=_marked),
    Page(
        "campaigns:matrix",
        STAFF,
        kwargs=_campaign,
        query={"level": "station"},
        shows=lambda b: b.station_names[0],
        shows_to=DISTRICT_UP,
    ),
    Page("campaigns:matrix", STAFF, kwargs=_campaign, htmx=True, shows=_marked),
    Page(
        "campaigns:progress_edit",
        STAFF,
        kwargs=lambda own: {"slug": CAMPAIGN, "pk": own.progress_id},
    ),
    Page(
        "campaigns:notice",
        STAFF,
        kwargs=lambda own: {"slug": CAMPAIGN, "fmt": "docx"},
        shows=_marked,
    ),
    # activities
    Page("activities:activity_list", STAFF, shows=_marked),
    Page("activities:activity_create", STAFF, shows=_marked, shows_to=WORKER),
    Page("activities:activity_export", STAFF, shows=_marked),
    Page("activities:activity_template", STAFF),
    Page("jobs:job_list", STAFF, shows=_marked),
    Page("activities:activity_import", STAFF),
    Page(
        "activities:activity_detail",
        STAFF,
        kwargs=lambda own: {"pk": own.activity_id},
        shows=_marked,
    ),
    Page(
        "activities:activity_edit",
        WORKER,
        kwargs=lambda own: {"pk": own.activity_id},
        shows=_marked,
    ),
    Page("activities:news_create", WORKER, kwargs=lambda own: {"pk": own.activity_id}),
    Page(
        "activities:news_edit",
        WORKER,
        kwargs=lambda own: {"pk": own.activity_id, "news_id": own.news_id},
    ),
    Page(
        "activities:budget_report", STAFF, shows=lambda b: b.station_names[0], shows_to=DISTRICT_UP
    ),
    Page("orgs:partner_list", STAFF, shows=_marked),
    Page("orgs:partner_create", STAFF),
    Page("orgs:partner_edit", WORKER, kwargs=lambda own: {"partner_id": own.partner_id}),
    Page("activities:coverage_list", STAFF, shows=_marked),
    Page("activities:coverage_create", STAFF, shows=_marked, shows_to=WORKER),
    Page("activities:submissions_list", STAFF, shows=_marked),
    Page("activities:submissions_create", STAFF, shows=_marked, shows_to=WORKER),
    Page("activities:streams_list", STAFF, shows=_marked),
    Page("activities:streams_create", STAFF, shows=_marked, shows_to=WORKER),
    Page("activities:case_list", STAFF, shows=_marked),
    Page("activities:case_create", STAFF, shows=_marked, shows_to=WORKER),
    Page(
        "activities:case_detail",
        STAFF,
        kwargs=lambda own: {"case_id": own.case_id},
        shows=_marked,
    ),
    Page(
        "activities:case_edit",
        WORKER,
        kwargs=lambda own: {"case_id": own.case_id},
        shows=_marked,
    ),
    # directory
    Page("directory:listing_list", STAFF, shows=lambda b: b.station_names[0], shows_to=DISTRICT_UP),
    Page(
        "directory:listing_edit",
        STAFF,
        kwargs=lambda own: {"slug": own.listing_slug},
        shows=_marked,
    ),
    Page("directory:qr_list", STAFF, shows=_marked),
    Page("directory:qr_detail", STAFF, kwargs=lambda own: {"code": own.qr_code}),
    Page("directory:brand_edit", CITY),
    # help requests
    Page("helpdesk:queue", STAFF, shows=lambda b: b.help_codes[0]),
    Page("helpdesk:access_log", CITY, shows=lambda b: b.help_codes[0]),
    Page(
        "helpdesk:detail",
        STAFF,
        kwargs=lambda own: {"code": own.help_code},
        shows=_marked,
    ),
    # summaries (总结报送): figures are aggregates, so no page lists the batch's rows
    Page("reports:summary_list", STAFF, kwargs=_campaign),
    Page("reports:reporting_plan", CITY, kwargs=_campaign),
    Page("reports:summary_compare", STAFF, kwargs=_campaign),
    Page("reports:city_report", CITY, kwargs=_campaign),
    Page("reports:city_report_export", CITY, kwargs=lambda own: {"slug": CAMPAIGN, "fmt": "xlsx"}),
    Page("reports:summary_detail", STAFF, kwargs=lambda own: {"slug": CAMPAIGN, "code": STATION}),
    Page(
        "reports:summary_export",
        STAFF,
        kwargs=lambda own: {"slug": CAMPAIGN, "code": STATION, "fmt": "xlsx"},
    ),
    Page(
        "reports:summary_records",
        STAFF,
        kwargs=lambda own: {"slug": CAMPAIGN, "code": STATION, "key": "media_reports"},
    ),
    # public pages
    Page("healthz", PUBLIC),
    Page("public:home", PUBLIC),
    Page("public:home", PUBLIC, query=EN),
    # /docs/ lists campaigns, which no batch adds: one query whatever it lists.
    Page("campaigns_public:index", PUBLIC),
    Page("campaigns_public:index", PUBLIC, query=EN),
    Page("campaigns_public:document", PUBLIC, kwargs=_campaign, shows=_marked),
    Page("campaigns_public:document", PUBLIC, kwargs=_campaign, query=EN, shows=_marked),
    Page(
        "campaigns_public:download",
        PUBLIC,
        kwargs=lambda own: {"slug": CAMPAIGN, "fmt": "docx"},
        shows=_marked,
    ),
    Page("directory_station_index", PUBLIC),
    Page(
        "directory_station_index",
        PUBLIC,
        query={"district": DISTRICT},
        shows=lambda b: b.station_names[0],
    ),
    Page(
        "directory_station_index",
        PUBLIC,
        query={"district": DISTRICT, **EN},
        shows=lambda b: b.station_names[0],
    ),
    Page("directory_station_index", PUBLIC, query={"lat": "20.03", "lng": "110.25"}),
    Page(
        "directory_station_detail",
        PUBLIC,
        kwargs=lambda own: {"slug": own.listing_slug},
        shows=_marked,
    ),
    Page(
        "directory_station_detail",
        PUBLIC,
        kwargs=lambda own: {"slug": own.listing_slug},
        query=EN,
        shows=_marked,
    ),
    Page("hsds_root", PUBLIC),
    Page("hsds_service_list", PUBLIC),
    Page(
        "hsds_service_list",
        PUBLIC,
        query={"organization_id": "{organization}"},
        shows=_marked,
    ),
    Page("hsds_service_detail", PUBLIC, kwargs=lambda own: {"pk": own.service_hsds_id}),
    Page("hsds_organization_list", PUBLIC, shows=lambda b: b.station_names[0]),
    Page(
        "hsds_organization_detail",
        PUBLIC,
        kwargs=lambda own: {"pk": own.organization_hsds_id},
        shows=_marked,
    ),
    Page("helpdesk_public_form", PUBLIC, shows=lambda b: b.station_areas[0]),
    Page("helpdesk_public_form", PUBLIC, query=EN, shows=lambda b: b.station_areas[0]),
    Page("helpdesk_public_track", PUBLIC),
    # the story contest
    Page("contest_public_list", PUBLIC, shows=_marked),
    Page("contest_public_list", PUBLIC, query=EN, shows=_marked),
    Page("contest_public_story", PUBLIC, kwargs=lambda own: {"slug": own.entry_slug}),
    Page("contest_public_submit", PUBLIC),
    Page("contest_public_follow", PUBLIC),
    Page(
        "contest_public_follow",
        PUBLIC,
        post=lambda own: {"code": own.entry_code, "last4": own.entry_last4},
    ),
    Page("contest_public_verify", PUBLIC, kwargs=lambda own: {"code": own.certificate_code}),
    Page("contest:call_list", CITY),
    Page("contest:call_new", CITY, query={"campaign": "grow-1-0"}),
    Page("contest:call_detail", CITY, kwargs=_campaign),
    Page("contest:call_edit", CITY, kwargs=_campaign),
    Page("contest:ranking", CITY, kwargs=lambda own: {"slug": "contest-grow"}, shows=_marked),
    Page("contest:schedule", CITY, kwargs=lambda own: {"slug": "contest-grow"}, shows=_marked),
    Page("contest:unit_entries", STAFF, shows=_marked),
    Page("contest:entry_new", WORKER),
    Page("contest:entry_detail", STAFF, kwargs=lambda own: {"pk": own.entry_id}),
    Page("contest:wechat", CITY, kwargs=lambda own: {"pk": own.entry_id}),
    Page("contest:review_list", JUDGE, shows=_marked),
    Page("contest:review_detail", JUDGE, kwargs=lambda own: {"pk": own.review_entry_id}),
    # The citizen's view of their request and its public notes is the answer to the form.
    Page(
        "helpdesk_public_track",
        PUBLIC,
        post=lambda own: {"code": own.help_code, "last4": own.help_last4},
        shows=_marked,
    ),
    Page(
        "helpdesk_public_track",
        PUBLIC,
        query=EN,
        post=lambda own: {"code": own.help_code, "last4": own.help_last4},
        shows=_marked,
    ),
    # The survey lists the districts and towns/streets a citizen chooses from.
    Page("survey_public_form", PUBLIC, kwargs=_campaign, shows=lambda b: b.station_areas[0]),
    Page(
        "survey_public_form", PUBLIC, kwargs=_campaign, query=EN, shows=lambda b: b.station_areas[0]
    ),
    # The REST API (the clients carry a token too) and its tokens page. Lists are asked for
    # 200 rows a page, so the rows a batch adds are on the page measured.
    Page("api_console:tokens", STAFF),
    Page("api:openapi", PUBLIC),
    Page("api:docs", PUBLIC),
    *(
        Page(f"api:{name}", STAFF, query=API_PAGE)
        for name in (
            "unit_list",
            "campaign_list",
            "activity_list",
            "coverage_list",
            "submission_list",
            "livestream_list",
            "helprequest_list",
            "station_list",
            "qrlink_list",
            "partner_list",
        )
    ),
    Page(
        "api:progress_list", STAFF, kwargs=lambda own: {"campaign_slug": CAMPAIGN}, query=API_PAGE
    ),
    Page("api:summary_list", STAFF, kwargs=lambda own: {"campaign_slug": CAMPAIGN}, query=API_PAGE),
    Page(
        "api:summary_detail",
        STAFF,
        kwargs=lambda own: {"campaign_slug": CAMPAIGN, "unit_code": STATION},
    ),
    Page("api:unit_detail", STAFF, kwargs=lambda own: {"unit_code": STATION}),
    Page("api:review_list", JUDGE, query=API_PAGE),
    Page("api:review_detail", JUDGE, kwargs=lambda own: {"entry_id": own.review_entry_id}),
    Page("api:campaign_detail", STAFF, kwargs=lambda own: {"campaign_slug": CAMPAIGN}),
    Page("api:activity_detail", WORKER, kwargs=lambda own: {"activity_id": own.activity_id}),
    Page("api:helprequest_detail", WORKER, kwargs=lambda own: {"help_code": own.help_code}),
    Page("api:station_detail", STAFF, kwargs=lambda own: {"listing_slug": STATION}),
]

# URLs not measured, and why. Each is POST-only, a redirect, or one file of one record.
NOT_MEASURED = {
    "api_console:token_revoke": "POST-only: revokes one token, redirects",
    "api:not_found": "the API's JSON 404 for any other address under /api/v1/",
    "api:review_score": "POST-only: one judge's scores of one entry (the service's queries)",
    "api:activity_submit": "POST-only: one activity's transition (the service's queries)",
    "api:helprequest_act": "POST-only: one request's transition (the service's queries)",
    "api:story_submit": "POST-only: one citizen's entry (the public form's service)",
    # POST-only actions: they change one record and redirect; the pages they lead to are
    # measured above.
    "accounts:logout": "POST-only",
    "accounts:notification_open": "POST-only: marks one notification read, redirects",
    "activities:activity_transition": "POST-only",
    "activities:media_upload": "POST-only",
    "activities:news_action": "POST-only",
    "activities:media_consent": "POST-only",
    "activities:media_minors": "POST-only",
    "activities:submission_status": "POST-only",
    "campaigns:task_withdraw": "POST-only",
    "directory:listing_verify": "POST-only",
    "helpdesk:act": "POST-only (its htmx answer is the detail page, measured)",
    "helpdesk_public_rate": "POST-only (its answer is the status page, measured via track)",
    "contest:entry_action": "POST-only",
    "contest:media_consent": "POST-only",
    "contest:judge_action": "POST-only",
    "contest:judge_remove": "POST-only",
    "contest:review_start": "POST-only",
    "contest:shortlist": "POST-only",
    "contest:publish_decisions": "POST-only",
    "jobs:job_retry": "POST-only",
    "jobs:job_detail": "one job's progress (an htmx part polls it): no rows to grow",
    # Files of one record: no rows to grow.
    "activities:media_file": "one photo's file",
    "activities:media_thumb": "one photo's thumbnail",
    "directory:qr_image": "one QR code's image",
    "directory:poster": "one station's poster PDF, made by the task worker (202 until then)",
    "reports:summary_submit": "POST-only",
    "reports:summary_review": "POST-only",
    "reports:summary_attach": "POST-only",
    "reports:summary_attach_ledger": "POST-only",
    "reports:summary_attachment_remove": "POST-only",
    "reports:summary_attachment": "one attachment's file",
    "contest:media_file": "one photo's file",
    "contest_public_media": "one photo's file",
    "contest:certificate": "one award's certificate PDF",
    "jobs:job_download": "one job's file",
    # Redirects.
    "core:audit_target": "a redirect to the record one audit entry names",
    "reports:summary_home": "a redirect to the current campaign's summaries",
    "directory_qr_redirect": "a redirect to the link's target (the scan is counted in memory)",
    "helpdesk_public_sent": "redirects to the form unless this session just sent a request; "
    "shows that one receipt",
    "contest_public_sent": "redirects to the form unless this session just sent a story; "
    "shows that one code",
    "survey_public_thanks": "redirects to the form unless this session just answered; "
    "a fixed thank-you page",
}


# --- the URLs --------------------------------------------------------------------------------


def url_names() -> list[tuple[str, str]]:
    """``(name, route)`` of every URL pattern but the admin's."""
    return [(r.name or r.route, r.route) for r in all_routes() if r.area != "admin"]


def test_every_url_is_measured_or_skipped():
    """A new URL fails here until it is in ``PAGES`` or, with its reason, ``NOT_MEASURED``."""
    names = {name for name, _ in url_names()}
    measured = {page.name for page in PAGES}
    missing = names - measured - set(NOT_MEASURED)
    assert not missing, f"URLs neither measured nor skipped: {sorted(missing)}"
    stale = (measured | set(NOT_MEASURED)) - names
    assert not stale, f"entries for URLs that no longer exist: {sorted(stale)}"
    assert not measured & set(NOT_MEASURED)
    assert len(names) >= 75


# --- the rows --------------------------------------------------------------------------------


def _jpeg(text: str) -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), "teal").save(out, "JPEG")
    return SimpleUploadedFile(f"{text}.jpg", out.getvalue(), content_type="image/jpeg")


class Grower:
    """Adds batches of rows through the services, in 秀英街道社工站 unless said otherwise."""

    def __init__(self):
        self.campaign = Campaign.objects.get(slug=CAMPAIGN)
        self.admin = User.objects.get(username=USERNAMES["city_admin"])
        self.officer = User.objects.get(username=USERNAMES["district_officer"])
        self.worker = User.objects.get(username=USERNAMES["station_worker"])
        self.district = Unit.objects.get(code=DISTRICT)
        self.station = Unit.objects.get(code=STATION)
        self.own = Own()
        self.partners: list[Partner] = []
        self.station_tasks: list[Task] = []
        self.activity: Activity | None = None
        self.case: Case | None = None
        self.contest = ContestGrower(
            self.admin, self.worker, User.objects.get(username=USERNAMES["judge"])
        )

    def batch(self, number: int, n: int) -> Batch:
        batch = Batch(number=number, mark=f"第{number}批")
        self.tasks(batch, n)
        self.units(batch, n)
        self.partners_and_cases(batch, n)
        self.activities(batch, n)
        self.measured_activity(batch, n)
        self.help_requests(batch, n)
        self.directory(batch, n)
        self.campaigns(batch, n)
        self.stories(batch, n)
        notification_send(
            recipients=[self.admin, self.officer, self.worker] * n,
            message=f"{batch.mark}通知",
        )
        for owner in [self.admin, self.officer, self.worker] * n:
            Job.objects.create(
                kind="activities.ledger_export", title=f"{batch.mark}导出", owner=owner
            )
        return batch

    def stories(self, batch: Batch, n: int) -> None:
        """Published stories of the station and one entry under review (tests/contest)."""
        self.contest.batch(batch.mark, n)
        entry = self.contest.entry
        self.own.entry_id, self.own.entry_slug = entry.pk, entry.slug
        self.own.entry_code, self.own.entry_last4 = entry.code, entry.phone_last4
        self.own.certificate_code = entry.certificate_code
        self.own.review_entry_id = self.contest.review.entry_id

    def tasks(self, batch: Batch, n: int) -> None:
        """Tasks of the plan for districts and for stations, so the matrix grows both ways;
        the station's progress on its new tasks, with notes."""
        last = self.campaign.tasks.aggregate(last=Max("paragraph"))["last"] or 0
        for i in range(n):
            for level in (Task.Level.DISTRICT, Task.Level.STATION):
                task = task_create(
                    actor=self.admin,
                    campaign=self.campaign,
                    level=level,
                    title=f"{batch.mark}{level}任务{i}",
                    text=f"{batch.mark}{level}任务{i}：按要求完成。",
                    due_on=self.campaign.ends_on,
                    paragraph=last + 1,
                )
                if level == Task.Level.STATION:
                    self.station_tasks.append(task)
                    progress_update(
                        actor=self.worker,
                        progress=TaskProgress.objects.get(task=task, unit=self.station),
                        status=TaskProgress.Status.IN_PROGRESS,
                        note=f"{batch.mark}进展{i}",
                    )
        if not self.own.progress_id:
            self.own.progress_id = TaskProgress.objects.get(
                task=self.station_tasks[0], unit=self.station
            ).pk

    def units(self, batch: Batch, n: int) -> None:
        """New stations under 秀英区, each with a worker, a listing, progress rows, a budget
        cap and an activity (a row of the budget report); users in the worker's station."""
        for i in range(n):
            code = f"{DISTRICT}{900 + 10 * batch.number + i}"
            new = station_unit(self.district, code, f"{batch.mark}第{i}街道")
            batch.station_names.append(new.name)
            batch.station_areas.append(new.area_name)
            listing_ensure(unit=new)
            staff = user_create(
                actor=self.admin,
                username=f"grow.{code}",
                password=TEST_PASSWORD,
                role=User.Role.STATION_WORKER,
                unit=new,
                display_name=f"{batch.mark}新站社工{i}",
            )
            activity_services.activity_create(
                actor=staff,
                unit=new,
                campaign=self.campaign,
                kind=Activity.Kind.POSTER,
                title=f"{batch.mark}新站活动{i}",
                starts_at=timezone.now(),
                budget_planned=100,
                spend_actual=50,
            )
            activity_services.budgetcap_set(
                actor=self.officer, unit=new, campaign=self.campaign, amount=1000
            )
            user_create(
                actor=self.admin,
                username=f"grow.{batch.number}.{i}",
                password=TEST_PASSWORD,
                role=User.Role.STATION_WORKER,
                unit=self.station,
                display_name=f"{batch.mark}社工{i}",
            )
        tasks_assign(campaign=self.campaign)

    def partners_and_cases(self, batch: Batch, n: int) -> None:
        """Partners (五社), cases that name them, and all of them on the measured case."""
        for i in range(n):
            self.partners.append(
                partner_create(
                    actor=self.worker,
                    unit=self.station,
                    name=f"{batch.mark}伙伴{i}",
                    kind=Partner.Kind.SOCIAL_ORGANISATION,
                    contact_person=f"{batch.mark}联系人{i}",
                )
            )
        for i in range(n):
            activity_services.case_save(
                actor=self.worker,
                unit=self.station,
                kind=Case.Kind.CASE,
                title=f"{batch.mark}案例{i}",
                problem="需求",
                partners=self.partners[-n:],
            )
        self.case = activity_services.case_save(
            actor=self.worker,
            unit=self.station,
            case=self.case,
            kind=Case.Kind.CASE,
            title=self.case.title if self.case else f"{batch.mark}被测案例",
            problem="需求",
            partners=self.partners,
        )
        self.own.case_id = self.case.pk
        self.own.partner_id = self.partners[0].pk

    def activities(self, batch: Batch, n: int) -> None:
        """Activities with partners, tasks and a photo, reviewed by the district."""
        for i in range(n):
            activity = activity_services.activity_create(
                actor=self.worker,
                unit=self.station,
                campaign=self.campaign,
                kind=Activity.Kind.POSTER,
                title=f"{batch.mark}活动{i}",
                # After everything the demo holds (its campaign in progress plans activities
                # up to a week ahead, and past midnight in Haikou today's are still to come),
                # so the newest-first ledger shows this batch on its first page.
                starts_at=timezone.now()
                + datetime.timedelta(days=60, minutes=batch.number * 10 + i),
                partners=self.partners[-n:],
                tasks=self.station_tasks[-n:],
                participants=10,
            )
            activity_services.media_add(
                actor=self.worker, activity=activity, upload=_jpeg("photo"), caption=batch.mark
            )
            activity_services.activity_submit(actor=self.worker, activity=activity)
            activity_services.activity_approve(actor=self.officer, activity=activity)

    def measured_activity(self, batch: Batch, n: int) -> None:
        """The activity whose page is measured: more partners, tasks, photos, news drafts,
        coverage, submissions, live streams and review events with each batch."""
        worker, station = self.worker, self.station
        if self.activity is None:
            self.activity = activity_services.activity_create(
                actor=worker,
                unit=station,
                campaign=self.campaign,
                kind=Activity.Kind.POSTER,
                title=f"{batch.mark}被测活动",
                starts_at=timezone.now() + datetime.timedelta(hours=1),
            )
        activity = activity_services.activity_update(
            actor=worker, activity=self.activity, partners=self.partners, tasks=self.station_tasks
        )
        today = timezone.localdate()
        for i in range(n):
            text = f"{batch.mark}{i}"
            activity_services.media_add(
                actor=worker, activity=activity, upload=_jpeg(text), caption=f"{text}照片"
            )
            news = activity_services.news_save(
                actor=worker, activity=activity, title=f"{text}新闻稿", body="<p>正文</p>"
            )
            activity_services.coverage_create(
                actor=worker,
                unit=station,
                activity=activity,
                outlet="海口日报",
                type=MediaCoverage.Type.NEWSPAPER,
                title=f"{text}报道",
                published_on=today,
            )
            activity_services.submission_create(
                actor=worker,
                unit=station,
                activity=activity,
                outlet="海南民政",
                title=f"{text}投稿",
                submitted_on=today,
            )
            activity_services.livestream_create(
                actor=worker,
                unit=station,
                activity=activity,
                platform="益播间",
                title=f"{text}直播",
                starts_at=timezone.now() + datetime.timedelta(days=1, minutes=batch.number + i),
            )
            activity_services.activity_submit(actor=worker, activity=activity)
            activity = activity_services.activity_return(
                actor=self.officer, activity=activity, comment=f"{text}请补充"
            )
        self.activity = activity
        self.own.activity_id = activity.pk
        self.own.news_id = self.own.news_id or news.pk

    def help_requests(self, batch: Batch, n: int) -> None:
        """Requests routed to the station, each with a staff note and an access-log entry;
        more notes on the request whose pages are measured."""
        for i in range(n):
            request = helpdesk_services.helprequest_submit(
                for_whom="self",
                category="elderly",
                description=f"{batch.mark}求助{i}：想请社工上门。",
                area=self.station,
                contact_name=f"{batch.mark}求助人{i}",
                phone=f"1390{batch.number:03d}{i:04d}",
                ip=f"10.{batch.number}.{i}.1",
            )
            assert request.unit_id == self.station.pk
            batch.help_codes.append(request.display_code)
            self.own.help_code = self.own.help_code or request.code
            helpdesk_services.helprequest_note_add(
                actor=self.worker, request=request, text=f"{batch.mark}记录{i}", public=False
            )
            helpdesk_services.access_log_record(user=self.worker, request=request)
        measured = HelpRequest.objects.get(code=self.own.help_code)
        self.own.help_last4 = measured.phone_last4
        for i in range(n):
            helpdesk_services.helprequest_note_add(
                actor=self.worker, request=measured, text=f"{batch.mark}回复{i}", public=True
            )
            helpdesk_services.access_log_record(user=self.officer, request=measured)

    def directory(self, batch: Batch, n: int) -> None:
        """QR links with scans on several days; more staff and services on the listing."""
        today = timezone.localdate()
        for i in range(n):
            link = qrlink_create(
                actor=self.worker,
                unit=self.station,
                channel=f"{batch.mark}渠道{i}",
                target="/help/",
            )
            self.own.qr_code = self.own.qr_code or link.code
            for day in range(n):
                qr_scan_record(link_id=link.pk, day=today - datetime.timedelta(days=day), count=2)
        measured = QrLink.objects.get(code=self.own.qr_code)
        for day in range(n):  # days of its own that earlier batches left without scans
            qr_scan_record(
                link_id=measured.pk, day=today - datetime.timedelta(days=5 * batch.number + day)
            )
        listing = StationListing.objects.get(unit=self.station)
        staff = [
            {"name": p.name, "role": p.role, "qualification": p.qualification}
            for p in listing.staff.all()
        ]
        services = [
            {"id": s.pk, **{name: getattr(s, name) for name in SERVICE_FIELDS}}
            for s in listing.services.all()
        ]
        for i in range(n):
            staff.append(
                {"name": f"{batch.mark}社工{i}", "role": "社工", "qualification": "assistant"}
            )
            services.append(
                {
                    "name": f"{batch.mark}服务{i}",
                    "category": Service.Category.ELDERLY,
                    "target_group": "老年人",
                    "description": f"{batch.mark}服务内容{i}",
                    "eligibility": "",
                    "fee": "免费",
                    "how_to_apply": "电话预约",
                }
            )
        listing_update(
            actor=self.worker,
            listing=listing,
            fields={},
            staff=staff,
            services=services,
            today=today,
        )
        self.own.listing_slug = listing.slug
        self.own.organization_hsds_id = str(listing.hsds_id)
        self.own.service_hsds_id = str(listing.services.first().hsds_id)

    def campaigns(self, batch: Batch, n: int) -> None:
        """Next years' campaigns, copied from this one (drafts: the current one stays)."""
        for i in range(n):
            slug = f"grow-{batch.number}-{i}"
            campaign_clone(
                actor=self.admin,
                source=self.campaign,
                year=self.campaign.year + 10 * batch.number + i + 1,
                slug=slug,
            )
            batch.campaign_slugs.append(slug)


# --- the measurement -------------------------------------------------------------------------


def response_text(response) -> str:
    """What a reader gets: HTML, JSON, or the XML inside a .docx/.xlsx."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if content[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return "\n".join(
                html.unescape(archive.read(name).decode("utf-8", "replace"))
                for name in archive.namelist()
                if name.endswith(".xml")
            )
    if "json" in response.get("Content-Type", ""):
        return json.dumps(json.loads(content), ensure_ascii=False)
    return html.unescape(content.decode("utf-8", "replace"))


def _shape(sql: str) -> str:
    """A statement with its values blanked: the same query for another row reads the same."""
    return re.sub(r"'[^']*'|\b\d+\b", "?", sql)


def _forget_caches() -> None:
    cache.clear()


def ask(client: Client, page: Page, own: Own):
    url = reverse(page.name, kwargs=page.kwargs(own))
    query = {
        key: value.format(organization=own.organization_hsds_id)
        for key, value in page.query.items()
    }
    headers = {"HX-Request": "true"} if page.htmx else {}
    if page.post:
        url += f"?{urlencode(query)}" if query else ""
        return client.post(url, page.post(own), headers=headers)
    return client.get(url, query, headers=headers)


def count(client: Client, page: Page, own: Own):
    """Queries of one request, caches emptied. Asked once before, unmeasured, so that work
    done once per process or per new row (listings for new stations) is not counted."""
    _forget_caches()
    ask(client, page, own)
    _forget_caches()
    with CaptureQueriesContext(connection) as queries:
        response = ask(client, page, own)
    return len(queries), response, [q["sql"] for q in queries.captured_queries]


@dataclass
class Measure:
    status: int
    queries: int
    sql: list[str]
    text: str


def measure_all(clients: dict[str, Client], own: Own) -> dict[tuple[str, str], Measure]:
    found = {}
    for page in PAGES:
        for role in page.roles:
            # A citizen comes fresh each time: ?lang=en is remembered in a cookie.
            client = Client() if role == "anonymous" else clients[role]
            n, response, sql = count(client, page, own)
            found[(page.label, role)] = Measure(
                response.status_code, n, sql, response_text(response)
            )
    return found


@pytest.fixture(scope="module")
def demo_data(demo_loader):
    """The demo data (tests/demo_data.py), these users able to sign in."""
    with demo_loader(*USERNAMES.values()):
        yield


@pytest.fixture
def demo(demo_data, db, monkeypatch):
    # The session's idle-timeout stamp and a token's last use are written at most once a
    # minute: a minute turning between the unmeasured request and the measured one would add
    # a write to whichever page was being measured. Here they are written on first use only.
    import shegong.accounts.middleware
    import shegong.api.services

    for module in (shegong.accounts.middleware, shegong.api.services):
        monkeypatch.setattr(module, "TOUCH_EVERY", module.TOUCH_EVERY * 10**6)
    clients = {}
    for role, username in USERNAMES.items():
        user = User.objects.get(username=username)
        # A token for the API, a session for the console: each ignores the other.
        _token, raw = apitoken_create(actor=user, name="query counts")
        clients[role] = Client(headers={"authorization": f"Bearer {raw}"})
        clients[role].force_login(user)
    return clients


def test_query_counts_do_not_grow_with_rows(demo):
    """Every page, as every role that opens it: as many queries with the second batch as
    before it, and the second batch on the page. ``-s`` prints the counts."""
    started = time.monotonic()
    grower = Grower()
    grower.batch(1, 1)
    before = measure_all(demo, grower.own)
    second = grower.batch(2, 3)
    after = measure_all(demo, grower.own)

    problems, report = [], []
    for page in PAGES:
        for role in page.roles:
            old, new = before[(page.label, role)], after[(page.label, role)]
            where = f"{page.label} as {role}"
            report.append(f"{where}: {old.queries} → {new.queries}")
            if old.status != 200 or new.status != 200:
                problems.append(f"{where}: answered {old.status}, then {new.status}")
                continue
            if new.queries != old.queries:
                grown = Counter(map(_shape, new.sql)) - Counter(map(_shape, old.sql))
                problems.append(
                    f"{where}: {old.queries} queries, {new.queries} with more rows; more of\n"
                    + "\n".join(f"    {n} × {sql[:300]}" for sql, n in grown.most_common(3))
                )
            shows_to = page.shows_to or page.roles
            if page.shows and role in shows_to and page.shows(second) not in new.text:
                problems.append(f"{where}: does not show the new rows ({page.shows(second)})")
    print("\n".join(report))
    print(f"{len(report)} pages measured in {time.monotonic() - started:.1f} s")
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)
