"""Hostile input on every form of the site.

The bar: bad input on any form gets a specific message in the page's language (Chinese; English
on public pages in English), the form keeps what was typed, nothing ends in a server error, and
no hostile value is stored in a way that renders as HTML.

The forms are found, not listed: every page the URL resolver knows is fetched as each role
that may use it (URL parameters filled from the demo data), each <form> on it is parsed, and
the forms a successful submission reveals (the rating form behind tracking) are added. Each
form is then posted with a valid baseline (what the page shows, completed where empty) in
which hostile values replace the fields of their kind.
"""

import datetime
import io
import itertools
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from types import SimpleNamespace
from urllib.parse import urlencode, urlsplit

import pytest
from django import forms
from django.conf import settings
from django.core import validators
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import fields as model_fields
from django.forms import formsets
from django.forms import models as form_models
from django.test import Client
from django.urls import resolve, reverse
from django.utils import timezone, translation
from django.utils.functional import Promise
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from PIL import Image

from shegong.accounts.demo import DEMO_PASSWORD
from shegong.accounts.models import Notification, User
from shegong.activities import services as activity_services
from shegong.activities.excel import ledger_template
from shegong.activities.models import Activity, Case, NewsDraft, Submission
from shegong.campaigns.models import Campaign, TaskProgress
from shegong.directory.models import QrLink, StationListing
from shegong.helpdesk import services as helpdesk_services
from shegong.helpdesk.models import HelpRequest
from shegong.jobs.models import Job
from shegong.orgs.models import Partner
from shegong.reports.services import attachment_add_ledger, summary_save
from tests.contest.sweeps import open_for_the_sweep, open_review_of
from tests.factories import TEST_PASSWORD, UserFactory
from tests.site_walk import all_routes

pytestmark = [pytest.mark.django_db, pytest.mark.heavy]

# --- who uses the site -----------------------------------------------------------------------

# Demo users of 秀英区 and, for choices that belong to another district, of 龙华区.
STAFF = {
    "station": ("station.460105001.1", "station.460106001.1"),
    "district": ("district.460105", "district.460106"),
    "city": ("city.admin", None),
    "judge": ("judge.1", None),
}
PUBLIC = {"public": "zh-hans", "public-en": "en"}  # anonymous citizens and their language

# URLs that serve no page with a form: downloads, images, redirects, machine-readable data.
NOT_PAGES = {
    "healthz": "JSON for the load balancer",
    "activities:activity_export": "Excel download",
    "activities:activity_template": "Excel download",
    "activities:media_file": "photo or video file",
    "activities:media_thumb": "photo file",
    "campaigns:notice": "document download",
    "core:audit_target": "redirect to the record an audit entry names",
    "reports:dashboard_export": "Excel download",
    "campaigns_public:download": "document download",
    "directory:poster": "PDF download",
    "directory:qr_image": "image download",
    "directory_qr_redirect": "redirect to the QR target",
    "hsds_root": "HSDS JSON",
    "hsds_service_list": "HSDS JSON",
    "hsds_service_detail": "HSDS JSON",
    "hsds_organization_list": "HSDS JSON",
    "hsds_organization_detail": "HSDS JSON",
    "helpdesk_public_sent": "shown once after a request is sent",
    "reports:summary_home": "redirect to the current campaign's summaries",
    "reports:summary_export": "document download",
    "reports:city_report_export": "document download",
    "reports:summary_attachment": "attachment file",
    "contest:media_file": "photo or video file",
    "contest:certificate": "PDF download",
    "contest_public_media": "photo or video file",
    "contest_public_sent": "shown once after a story is sent",
    "survey_public_thanks": "shown once after a survey is answered",
    "jobs:job_download": "the job's file",
}
# Endpoints that only take a POST: they are reached through the forms other pages show.
POST_ONLY = {
    "accounts:logout",
    "accounts:notification_open",
    "activities:activity_transition",
    "activities:media_upload",
    "activities:media_consent",
    "activities:media_minors",
    "activities:news_action",
    "activities:submission_status",
    "campaigns:task_withdraw",
    "directory:listing_verify",
    "helpdesk:act",
    "helpdesk_public_rate",
    "reports:summary_submit",
    "reports:summary_review",
    "reports:summary_attach",
    "reports:summary_attach_ledger",
    "reports:summary_attachment_remove",
    "api_console:token_revoke",
    "contest:entry_action",
    "contest:media_consent",
    "contest:judge_action",
    "contest:judge_remove",
    "contest:review_start",
    "contest:shortlist",
    "contest:publish_decisions",
    "jobs:job_retry",
}


def _url_kwargs(demo) -> dict:
    """URL parameters per page and role: real objects each role may work on."""

    def unit(role):
        return [{"code": demo.users[role].unit.code}]

    campaign = [{"slug": demo.campaign.slug}]

    def own(queryset, key, attr="pk"):
        """The first object of the role's own unit."""
        return lambda role: [
            {key: getattr(obj, attr)} for obj in queryset.filter(unit=demo.users[role].unit)[:1]
        ]

    return {
        "orgs:unit_detail": unit,
        "orgs:unit_edit": unit,
        "campaigns:detail": lambda role: campaign,
        "campaigns:edit": lambda role: campaign,
        "campaigns:clone": lambda role: campaign,
        "campaigns:kpis": lambda role: campaign,
        "campaigns:task_new": lambda role: campaign,
        "campaigns:task_edit": lambda role: [
            {"slug": demo.campaign.slug, "pk": task.pk} for task in demo.campaign.tasks.all()[:1]
        ],
        "campaigns:task_withdraw": lambda role: [
            {"slug": demo.campaign.slug, "pk": task.pk} for task in demo.campaign.tasks.all()[:1]
        ],
        "campaigns:matrix": lambda role: campaign,
        "campaigns:progress_edit": lambda role: [
            {"slug": demo.campaign.slug, "pk": progress.pk}
            for progress in TaskProgress.objects.filter(
                task__campaign=demo.campaign, unit=demo.users[role].unit
            )[:1]
        ],
        "activities:activity_detail": lambda role: [
            {"pk": activity.pk} for activity in demo.activities[role]
        ],
        "activities:activity_edit": lambda role: [
            {"pk": activity.pk} for activity in demo.activities[role]
        ],
        "activities:news_create": lambda role: [
            {"pk": activity.pk} for activity in demo.activities[role]
        ],
        "activities:news_edit": lambda role: [
            {"pk": news.activity_id, "news_id": news.pk} for news in demo.news[role]
        ],
        "orgs:partner_edit": own(Partner.objects.all(), "partner_id"),
        "activities:case_detail": own(Case.objects.all(), "case_id"),
        "activities:case_edit": own(Case.objects.all(), "case_id"),
        "directory:listing_edit": own(StationListing.objects.all(), "slug", "slug"),
        "directory:qr_detail": own(QrLink.objects.all(), "code", "code"),
        "helpdesk:detail": own(HelpRequest.objects.filter(status="new"), "code", "code"),
        "campaigns_public:document": lambda role: campaign,
        "directory_station_detail": lambda role: [{"slug": demo.listing.slug}],
        "reports:summary_list": lambda role: campaign,
        "reports:reporting_plan": lambda role: campaign,
        "reports:summary_compare": lambda role: campaign,
        "reports:city_report": lambda role: campaign,
        # The city reviews 龙华区's summary, submitted in the demo; the others write their own.
        "reports:summary_detail": lambda role: [
            {
                "slug": demo.campaign.slug,
                "code": "460106" if role == "city" else demo.users[role].unit.code,
            }
        ],
        "reports:summary_records": lambda role: [
            {"slug": demo.campaign.slug, "code": demo.users[role].unit.code, "key": "cases"}
        ],
        "contest:call_detail": lambda role: campaign,
        "contest:call_edit": lambda role: campaign,
        "contest:ranking": lambda role: campaign,
        "contest:schedule": lambda role: campaign,
        "contest:entry_detail": lambda role: [
            {"pk": entry.pk}
            for entry in {
                "city": [demo.contest.published, demo.contest.awarded],
                "station": [demo.contest.minors],
            }.get(role, [])
        ],
        "contest:wechat": lambda role: [{"pk": demo.contest.published.pk}],
        "contest:review_detail": lambda role: [
            {"pk": review.entry_id}
            for review in [open_review_of(demo.users[role])]
            if review is not None
        ],
        "contest_public_story": lambda role: [{"slug": demo.contest.published.slug}],
        "contest_public_verify": lambda role: [{"code": demo.contest.published.certificate_code}],
        "survey_public_form": lambda role: campaign,
        "jobs:job_detail": lambda role: [{"pk": failed_job_of(demo.users[role]).pk}],
    }


def failed_job_of(user) -> Job:
    """A job of the user's that failed: its page offers the retry form."""
    return Job.objects.create(
        kind="activities.ledger_export",
        title="导出活动台账",
        owner=user,
        state=Job.State.FAILED,
        message="处理时出错",
    )


# --- the values ------------------------------------------------------------------------------

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MARKUP = '<script>alert("hostile")</script><img src=x onerror=alert(1)>'
RAW_MARKUP = ('<script>alert("hostile")', "<img src=x onerror=alert(1)>")
LONG = "长" * 100_000
LONG_URL = "https://example.org/" + "a" * 300  # as links copied from WeChat on a PC can be
NASTY = "社工" + MARKUP + "😀\u202e\u200b%(x)s{{ x }}１２"

TEXT = {
    "nul": "社工\x00站",
    "long": LONG,
    "spaces": "   ",
    "ideographic-spaces": "\u3000\u3000 ",
    "emoji": "社工😀👨‍👩‍👧‍👦🇨🇳",
    "bidi-zero-width": "\u202e站工社\u200b\u200d\ufeff",
    "fullwidth-digits": "１３８００１３８０００",
    "markup": MARKUP,
    "format-string": "%(value)s %s {0} {{ request }}",
    "crlf": "第一行\r\n第二行\r\n",
    "foreign-code": "460106001",
    "long-url": LONG_URL,
}
NUMBER = {
    "negative": "-1",
    "huge": "4000000000",
    "forty-nines": "9" * 40,
    "1e309": "1e309",
    "nan": "NaN",
    "infinity": "Infinity",
    "fullwidth": "１２",
    "thousands-separator": "1,000",
    "tiny-fraction": "0.0000001",
}
# (date input, datetime-local input)
DATE = {
    "feb-30": ("2023-02-30", "2023-02-30T09:30"),
    "month-13": ("2023-13-45", "2023-13-45T09:30"),
    "hour-25": ("2023-03-21", "2023-03-21T25:61"),
    "year-1": ("0001-01-01", "0001-01-01T00:00"),
    "year-9999": ("9999-12-31", "9999-12-31T23:59"),
    "words": ("明天", "明天上午"),
    "1e309": ("1e309", "1e309"),
}
CHOICE = {
    "unknown": "不存在的选项",
    "no-such-id": "999999999",
    "markup": MARKUP,
    "empty": "",
}
HIDDEN = {
    "empty": "",
    "negative": "-1",
    "1e309": "1e309",
    "long": "9" * 10_000,
    "markup": MARKUP,
    "nul": "1\x00",
}


def _jpeg(size=(64, 48)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "teal").save(out, "JPEG")
    return out.getvalue()


# (file name, content, content type, must it be refused)
FILES = {
    "text-as-jpeg": ("photo.jpg", b"not an image at all", "image/jpeg", True),
    "html-as-png": ("logo.png", MARKUP.encode(), "image/png", True),
    "empty": ("empty.jpg", b"", "image/jpeg", True),
    "svg-with-script": (
        "logo.svg",
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        "image/svg+xml",
        True,
    ),
    "garbage-as-xlsx": (
        "ledger.xlsx",
        b"PK\x03\x04" + b"\x00garbage" * 64,
        XLSX,
        True,
    ),
    "exe-as-mp4": ("clip.mp4", b"MZ\x90\x00" + b"\x00" * 256, "video/mp4", True),
    "odd-long-name": ("\u202e" + "照" * 300 + ".jpg", None, "image/jpeg", False),
}

# Messages a form must never show: Django's generic defaults, in English or in Django's own
# Chinese. A user needs to be told which entry is wrong and how to put it right.
SAMPLE = 7391


class _Sample(dict):
    def __missing__(self, key):
        return SAMPLE


def _django_default_messages() -> list[str]:
    templates = []

    def collect(cls):
        for klass in cls.__mro__:
            templates.extend(getattr(klass, "default_error_messages", {}).values())
        for sub in cls.__subclasses__():
            collect(sub)

    collect(forms.Field)
    collect(model_fields.Field)
    collect(formsets.BaseFormSet)
    collect(form_models.BaseModelFormSet)
    for name in dir(validators):
        obj = getattr(validators, name)
        if isinstance(getattr(obj, "message", None), Promise):
            templates.append(obj.message)
        if isinstance(getattr(obj, "messages", None), dict):
            templates.extend(obj.messages.values())
    return templates


def _default_message_patterns() -> list[re.Pattern]:
    patterns = set()
    for language in ("en", "zh-hans"):
        with translation.override(language):
            for template in _django_default_messages():
                try:
                    text = str(template % _Sample())  # plural forms take their number here
                except (TypeError, ValueError, KeyError):
                    text = str(template)
                text = re.sub(r"\s+", " ", text).strip()
                if len(text.replace(str(SAMPLE), "")) > 3:  # never a bare placeholder
                    pattern = re.escape(text).replace(str(SAMPLE), ".*?")
                    patterns.add(pattern)
    return [re.compile(p) for p in sorted(patterns)]


CJK = re.compile(r"[\u3400-\u9fff]")

# --- reading pages ---------------------------------------------------------------------------


@dataclass
class Field:
    name: str
    kind: str  # text textarea password number date datetime hidden select radio checkboxes ...
    input_type: str = "text"
    value: str = ""
    values: list = field(default_factory=list)  # checked or selected values of a multi-choice
    options: list = field(default_factory=list)
    required: bool = False
    maxlength: int | None = None
    tabindex: str = ""


@dataclass
class Form:
    method: str
    action: str
    novalidate: bool
    fields: dict = field(default_factory=dict)

    @property
    def route(self) -> str:
        return resolve(urlsplit(self.action).path).route

    @property
    def url_name(self) -> str:
        return resolve(urlsplit(self.action).path).view_name

    @property
    def user_fields(self) -> list[Field]:
        return [f for f in self.fields.values() if f.name != "csrfmiddlewaretoken"]

    def of_kind(self, *kinds) -> list[Field]:
        return [f for f in self.user_fields if f.kind in kinds]

    def distinct_of_kind(self, *kinds) -> list[Field]:
        """Fields of these kinds, one of each for the rows of a formset (which behave alike)."""
        seen, fields = set(), []
        for f in self.of_kind(*kinds):
            if _row_free(f.name) not in seen:
                seen.add(_row_free(f.name))
                fields.append(f)
        return fields


def _row_free(name: str) -> str:
    return re.sub(r"-\d+-", "-N-", name)


@dataclass
class Page:
    status: int
    url: str
    language: str
    forms: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    successes: list = field(default_factory=list)
    content: str = ""


class PageParser(HTMLParser):
    """The forms of a page with their fields and values, and the errors and notices shown."""

    def __init__(self, url: str):
        super().__init__(convert_charrefs=True)
        self.url = url
        self.forms: list[Form] = []
        self.errors: list[str] = []
        self.successes: list[str] = []
        self._form: Form | None = None
        self._select: Field | None = None
        self._textarea: Field | None = None
        self._capture: tuple[str, int, list, list] | None = None  # tag, depth, parts, target

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        classes = (a.get("class") or "").split()
        if self._capture is not None:
            if tag == self._capture[0]:
                self._capture = (tag, self._capture[1] + 1, self._capture[2], self._capture[3])
        elif (
            {"error", "errors"} & set(classes)
            and (self._form is not None or a.get("role") == "status")
        ) or "error-summary" in classes:  # the public forms' GOV.UK summary, above the form
            self._capture = (tag, 1, [], self.errors)
        elif "success" in classes:
            self._capture = (tag, 1, [], self.successes)
        if tag == "form":
            self._form = Form(
                method=(a.get("method") or "get").lower(),
                action=a.get("action") or self.url,
                novalidate="novalidate" in a,
            )
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "input":
            self._input(a)
        elif tag == "textarea" and a.get("name"):
            self._textarea = self._add(a, "textarea")
        elif tag == "select" and a.get("name"):
            self._select = self._add(a, "multiselect" if "multiple" in a else "select")
        elif tag == "option" and self._select is not None and "value" in a:
            self._select.options.append(a["value"])
            if "selected" in a:
                self._select.values.append(a["value"])

    def _add(self, a: dict, kind: str, input_type: str = "") -> Field:
        found = Field(
            name=a["name"],
            kind=kind,
            input_type=input_type or kind,
            value=a.get("value") or "",
            required="required" in a,
            maxlength=int(a["maxlength"]) if a.get("maxlength", "").isdigit() else None,
            tabindex=a.get("tabindex") or "",
        )
        return self._form.fields.setdefault(found.name, found)

    def _input(self, a: dict) -> None:
        input_type = (a.get("type") or "text").lower()
        if not a.get("name") or input_type in ("submit", "button", "reset", "image"):
            return
        if input_type in ("radio", "checkbox"):
            if input_type == "checkbox" and "value" not in a:
                found = self._add(a, "boolean", input_type)
                found.value = "on" if "checked" in a else ""
                return
            found = self._add(a, "radio" if input_type == "radio" else "checkboxes", input_type)
            found.value = ""
            found.options.append(a.get("value", "on"))
            if "checked" in a:
                found.values.append(a.get("value", "on"))
            return
        kinds = {
            "hidden": "hidden",
            "password": "password",
            "number": "number",
            "date": "date",
            "datetime-local": "datetime",
            "file": "file",
        }
        self._add(a, kinds.get(input_type, "text"), input_type)

    def handle_endtag(self, tag):
        if self._capture is not None and tag == self._capture[0]:
            tag_, depth, parts, target = self._capture
            if depth == 1:
                text = re.sub(r"\s+", " ", "".join(parts)).strip()
                if text:
                    target.append(text)
                self._capture = None
            else:
                self._capture = (tag_, depth - 1, parts, target)
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            # The newline right after <textarea> is not part of the value (HTML spec).
            if self._textarea.value.startswith("\n"):
                self._textarea.value = self._textarea.value[1:]
            self._textarea = None

    def handle_data(self, data):
        if self._capture is not None:
            self._capture[2].append(data)
        if self._textarea is not None:
            self._textarea.value += data


def read_page(response, url: str) -> Page:
    page = Page(
        status=response.status_code,
        url=url,
        language=response.headers.get("Content-Language", "zh-hans"),
    )
    if "text/html" in response.headers.get("Content-Type", "") and not response.streaming:
        page.content = response.content.decode()
        parser = PageParser(url)
        parser.feed(page.content)
        page.forms, page.errors, page.successes = parser.forms, parser.errors, parser.successes
    return page


# --- submitting ------------------------------------------------------------------------------


class Visitors:
    """Test clients for every role; a fresh address for each post (per-address limits)."""

    addresses = (f"10.{a}.{b}.{c}" for a, b, c in itertools.product(range(1, 250), repeat=3))
    numbers = itertools.count(1)

    def __init__(self, users: dict):
        self.clients = {}
        for role, user in users.items():
            client = Client(raise_request_exception=True)
            if user is not None:
                client.force_login(user)
            if role in PUBLIC:
                client.cookies[settings.LANGUAGE_COOKIE_NAME] = PUBLIC[role]
            self.clients[role] = client

    def get(self, role: str, url: str) -> Page:
        return read_page(self.clients[role].get(url), url)

    def post(self, role: str, form: Form, data: dict) -> tuple[Page, Page]:
        """Post and follow redirects; returns the direct answer and the page finally shown."""
        client = self.clients[role]
        response = client.post(form.action, data, REMOTE_ADDR=next(self.addresses))
        first = read_page(response, form.action)
        final, hops = first, 0
        while response.status_code in (301, 302, 303) and hops < 3:
            url = response.headers["Location"]
            response = client.get(url)
            final, hops = read_page(response, url), hops + 1
        return first, final


def _filler(field_: Field, number: int) -> str:
    """A valid value for an empty field the form requires."""
    name = field_.name.rsplit("-", 1)[-1]
    if "phone" in name:
        return f"139{number:08d}"
    if field_.input_type == "url" or name.endswith("url"):
        return "https://example.org/hostile"
    if field_.kind == "date":
        return "2023-03-25"
    if field_.kind == "datetime":
        return "2023-03-25T09:30"
    if field_.kind == "number":
        return "1"
    if name == "target":
        return "/help/"
    return f"测试{number}"


def baseline(found, demo) -> dict:
    """What the form shows, with required entries completed as a careful user would."""
    data = {}
    number = next(Visitors.numbers)
    overrides = demo.baseline.get(found.url_name, {})
    for f in found.form.user_fields:
        if f.name in overrides:
            value = overrides[f.name]
            data[f.name] = value() if callable(value) else value
        elif f.kind == "select":
            data[f.name] = (f.values or f.options or [""])[0]
            if not data[f.name] and f.required:
                data[f.name] = next((o for o in f.options if o), "")
        elif f.kind in ("multiselect", "checkboxes"):
            data[f.name] = list(f.values)
        elif f.kind == "radio":
            data[f.name] = (f.values or f.options)[0]
        elif f.kind == "boolean":
            if f.value or f.required:
                data[f.name] = "on"
        elif f.kind == "file":
            if f.required:
                data[f.name] = SimpleUploadedFile("photo.jpg", _jpeg(), "image/jpeg")
        elif f.kind == "password":
            data[f.name] = DEMO_PASSWORD if "old" in f.name else "Hostile-Sweep-2026!"
        elif f.value or not f.required:
            data[f.name] = f.value
        else:
            data[f.name] = _filler(f, number)
    return data


@dataclass
class FoundForm:
    role: str
    host: str  # the page that shows the form
    form: Form
    foreign: dict = field(default_factory=dict)  # choice values only another district sees
    baseline_errors: list = field(default_factory=list)

    @property
    def url_name(self) -> str:
        return self.form.url_name

    def __str__(self) -> str:
        return f"{self.url_name} [{self.role}]"


def site_urls() -> list[tuple[str, str]]:
    """Every named URL with pages or forms. The REST API (/api/v1/) answers JSON to programs
    holding a token: its bad input is answered in tests/api, and the leak sweep walks it."""
    return [
        (route.name, route.route) for route in all_routes() if route.name and route.area != "api"
    ]


def _roles_for(route: str) -> list[str]:
    if route.startswith("console/"):
        return list(STAFF)
    if route.startswith("accounts/"):
        return [*STAFF, "public"]
    return list(PUBLIC)


def _url(name: str, kwargs: dict, role: str) -> str:
    url = reverse(name, kwargs=kwargs)
    return f"{url}?lang=en" if role == "public-en" else url


def _form_key(role: str, form: Form) -> tuple:
    language = "en" if role == "public-en" else "zh"
    return (language, form.method, form.route, frozenset(f.name for f in form.user_fields))


def discover(demo) -> SimpleNamespace:
    """Fetch every page as each role that may use it and collect the forms found."""
    visitors = Visitors(demo.users | {"public": None, "public-en": None})
    siblings = Visitors({role: demo.siblings[role] for role in demo.siblings})
    kwargs_for = _url_kwargs(demo)
    found: dict[tuple, FoundForm] = {}
    fetched: dict[str, list[str]] = {}
    for name, route in site_urls():
        if name.startswith("admin:") or name in NOT_PAGES or name in POST_ONLY:
            continue
        for role in _roles_for(route):
            has_params = "<" in route or "(?P" in route
            kwargs_list = kwargs_for[name](role) if has_params else [{}]
            for kwargs in kwargs_list:
                url = _url(name, kwargs, role)
                page = visitors.get(role, url)
                if page.status != 200:
                    continue
                fetched.setdefault(name, []).append(url)
                new = [form for form in page.forms if _form_key(role, form) not in found]
                sibling_forms = []
                if role in siblings.clients and any(
                    form.of_kind("select", "multiselect", "radio", "checkboxes") for form in new
                ):
                    sibling_page = siblings.get(role, url)
                    sibling_forms = sibling_page.forms if sibling_page.status == 200 else []
                for form in new:
                    key = _form_key(role, form)
                    found[key] = FoundForm(role=role, host=url, form=form)
                    found[key].foreign = _foreign_choices(form, sibling_forms, key, role)
    # Submitting a form may reveal another (tracking shows the rating form): one level deep,
    # in a savepoint so the baseline submissions change nothing for the tests.
    with transaction.atomic():
        for item in list(found.values()):
            if item.form.method != "post" or not item.form.user_fields:
                continue
            first, final = visitors.post(item.role, item.form, baseline(item, demo))
            item.baseline_errors = final.errors
            for form in first.forms if first.status == 200 else []:
                key = _form_key(item.role, form)
                found.setdefault(key, FoundForm(role=item.role, host=item.form.action, form=form))
        transaction.set_rollback(True)
    return SimpleNamespace(forms=list(found.values()), fetched=fetched)


def _foreign_choices(form: Form, sibling_forms: list, key: tuple, role: str) -> dict:
    twin = next((f for f in sibling_forms if _form_key(role, f) == key), None)
    if twin is None:
        return {}
    foreign = {}
    for f in form.of_kind("select", "multiselect", "radio", "checkboxes"):
        theirs = set(twin.fields[f.name].options) - set(f.options) - {""}
        if theirs:
            foreign[f.name] = sorted(theirs)
    return foreign


# --- the fixtures ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def site(demo_loader):
    """The demo data (tests/demo_data.py), a few objects it lacks for every form to show, and
    the forms found. Made once for the module inside a transaction rolled back at its end."""
    with demo_loader(*(name for names in STAFF.values() for name in names if name)):
        demo = _complete_demo()
        demo.patterns = _default_message_patterns()
        demo.found = discover(demo)
        yield demo


def _complete_demo() -> SimpleNamespace:
    users = {role: User.objects.get(username=names[0]) for role, names in STAFF.items()}
    siblings = {
        role: User.objects.get(username=names[1]) for role, names in STAFF.items() if names[1]
    }
    station, district = users["station"].unit, users["district"].unit
    contest = open_for_the_sweep(users["city"])
    campaign = Campaign.objects.get(slug="haikou-2023")
    starts_at = timezone.make_aware(datetime.datetime(2023, 3, 25, 9, 30))  # noqa: DTZ001

    # A draft with a photo showing minors and news in each state, for the station's forms; a
    # submitted activity with submitted news, for the district's review forms.
    draft = Activity.objects.create(
        unit=station, campaign=campaign, kind="poster", title="张贴海报", starts_at=starts_at
    )
    submitted = Activity.objects.create(
        unit=station,
        campaign=campaign,
        kind="poster",
        title="社区宣传",
        starts_at=starts_at,
        status=Activity.Status.SUBMITTED,
    )
    for shows_minors in (True, False):
        activity_services.media_add(
            actor=users["station"],
            activity=draft,
            upload=SimpleUploadedFile("photo.jpg", _jpeg(), "image/jpeg"),
            shows_minors=shows_minors,
        )
    news = {
        "station": [
            NewsDraft.objects.create(activity=draft, title="草稿", body="<p>正文</p>"),
            NewsDraft.objects.create(
                activity=draft, title="已审", body="<p>正文</p>", status="approved"
            ),
        ],
        "district": [
            NewsDraft.objects.create(
                activity=submitted, title="待审", body="<p>正文</p>", status="submitted"
            )
        ],
    }
    Case.objects.create(unit=station, title="独居老人探访", problem="行动不便")
    Submission.objects.create(
        unit=station, outlet="海口日报", title="稿件", submitted_on=starts_at.date()
    )
    for user in users.values():
        Notification.objects.create(recipient=user, message="请查看", url="/console/")
    QrLink.objects.get_or_create(
        code="hostile1", defaults={"unit": district, "channel": "公交", "target": "/help/"}
    )
    login_user = UserFactory(username="hostile.login", unit=station)
    # An authenticator app being set up, with one known key, so the baseline can type its code.
    otp_key = "3132333435363738393031323334353637383930"
    for user in users.values():
        TOTPDevice.objects.create(user=user, name="验证器应用", key=otp_key, confirmed=False)
    helpdesk_services.helprequest_submit(
        for_whom="self",
        category="elderly",
        description="需要上门探访",
        area=district,
        contact_name="王阿姨",
        phone="13912345678",
        ip="hostile",
    )
    closed = HelpRequest.objects.filter(status=HelpRequest.Status.CLOSED, rating=None).first()
    # The station's summary with the 台账 attached, for the forms that remove an attachment.
    station_summary = summary_save(actor=users["station"], campaign=campaign, unit=station)
    attachment_add_ledger(actor=users["station"], summary=station_summary)
    return SimpleNamespace(
        users=users,
        siblings=siblings,
        campaign=campaign,
        listing=StationListing.objects.get(unit=station),
        activities={"station": [draft], "district": [submitted], "city": [], "judge": []},
        news={**news, "city": [], "judge": []},
        contest=contest,
        # Entries whose valid value depends on the data.
        baseline={
            "accounts:login": {"username": login_user.username, "password": TEST_PASSWORD},
            "accounts:two_factor": {
                "token": lambda: f"{TOTP(bytes.fromhex(otp_key)).token():06d}",
            },
            "activities:activity_create": {"kind": "poster"},
            "activities:activity_import": {
                "file": lambda: SimpleUploadedFile("ledger.xlsx", ledger_template(), XLSX)
            },
            "activities:activity_transition": {"comment": "请补充照片"},
            "activities:news_action": {"comment": "请补充照片", "outlet": "海口日报"},
            "activities:budget_report": {"unit": station.code},
            "helpdesk:act": {"note": "已电话联系求助人"},
            "helpdesk_public_form": {"description": "独居老人腿脚不便，需要上门探访。"},
            "helpdesk_public_track": {"code": closed.code, "last4": closed.phone_last4},
            "contest_public_follow": {
                "code": contest.awarded.code,
                "last4": contest.awarded.phone_last4,
            },
            "contest:call_new": {
                "categories": ["written"],
                "submission_opens": "2030-01-01T09:00",
                "submission_closes": "2030-02-01T09:00",
                "review_opens": "2030-02-02T09:00",
                "review_closes": "2030-03-01T09:00",
                "criteria": "真实感人 60\n专业体现 40",
                "tiers": "一等奖 1\n二等奖 2",
            },
        },
    )


@pytest.fixture
def visitors(site):
    return Visitors(site.users | {"public": None, "public-en": None})


def _forms(site, method="post"):
    return [
        item
        for item in site.found.forms
        if item.form.method == method and (method == "get" or item.form.user_fields)
    ]


# --- checks ----------------------------------------------------------------------------------


def _typeable(f: Field, form: Form, value) -> bool:
    """Whether a person could type this value into this field in a browser: maxlength stops
    the typing, and without ``novalidate`` the browser refuses blank required entries and
    addresses that are not URLs. A field out of the tab order is a trap for bots."""
    if f.kind not in ("text", "textarea") or not isinstance(value, str) or not value.strip():
        return False
    if f.tabindex == "-1" or "\x00" in value:
        return False
    if f.maxlength is not None and len(value) > f.maxlength:
        return False
    return form.novalidate or f.input_type != "url" or value.startswith(("http://", "https://"))


def _browser_could_send(form: Form, data: dict) -> bool:
    """Whether a browser could send this submission at all (a date input sends only real
    dates, a select only its options, a hidden field what the page put in it …)."""
    for name, value in data.items():
        f = form.fields[name]
        values = value if isinstance(value, list) else [value]
        if f.kind in ("text", "textarea") and value and not _typeable(f, form, value):
            return False
        if f.kind in ("select", "multiselect", "radio", "checkboxes") and not set(values) <= {
            *f.options
        }:
            return False
        if f.kind == "hidden" and value != f.value:
            return False
        if f.kind == "number" and value and not re.fullmatch(r"-?\d+(\.\d+)?", value):
            return False
        if f.kind in ("date", "datetime") and value:
            try:
                datetime.datetime.fromisoformat(value)
            except ValueError:
                return False
    return True


class Findings(list):
    """Problems found, each form and field reported once per kind of problem."""

    def add(self, where: str, problem: str, detail: str = "") -> None:
        where = _row_free(where)
        line = f"{where}: {problem}"
        if not any(found.startswith(line) for found in self):
            self.append(f"{line} {detail}".rstrip())

    def check(self, site, item: FoundForm, data: dict, changed: str, first: Page, final: Page):
        """What every answer to a post must satisfy; returns 'error', 'success' or 'silent'."""
        where = f"{item} {changed}"
        for page in (first, final):
            if page.status >= 500 or page.status in (400, 403, 405):
                self.add(where, f"status {page.status}", page.url)
            if any(raw in page.content for raw in RAW_MARKUP):
                self.add(where, "hostile markup rendered as HTML", page.url)
        typed = [v for v in data.values() if isinstance(v, str) and len(v.strip()) > 1]
        for error in final.errors:
            self.check_message(site, where, error, final.language, typed)
        if not final.errors:
            return "success" if final.successes else "silent"
        again = next(
            (
                form
                for form in final.forms
                if urlsplit(form.action).path == urlsplit(item.form.action).path
                and set(form.fields) >= set(data)
            ),
            None,
        )
        # A form shown again must keep what was typed; one answered with a redirect and a
        # message loses it, which matters only when a browser could have sent the values.
        if first.status == 200 or _browser_could_send(item.form, data):
            for name, value in data.items():
                if not _typeable(item.form.fields[name], item.form, value):
                    continue
                if again is None or again.fields[name].value != value:
                    self.add(where, f"{name} lost what was typed", repr(value[:30]))
        return "error"

    def check_message(self, site, where, error, language, typed):
        shown = error
        for value in sorted(typed, key=len, reverse=True):
            shown = shown.replace(value.strip(), "")
        brief = repr(error[:100])
        if language == "en":
            if CJK.search(shown):
                self.add(where, "Chinese message on an English page", brief)
        elif not CJK.search(shown):
            self.add(where, "message not in Chinese", brief)
        if any(pattern.search(shown) for pattern in site.patterns):
            self.add(where, "Django's generic message", brief)


def _post(visitors, site, item: FoundForm, data: dict, changed: str, findings: Findings):
    try:
        first, final = visitors.post(item.role, item.form, data)
    except Exception as exc:  # the client re-raises what would be a 500
        findings.add(f"{item} {changed}", "server error", f"{type(exc).__name__}: {exc}"[:200])
        return None
    return findings.check(site, item, data, changed, first, final)


# --- the sweep -------------------------------------------------------------------------------


def test_every_page_and_post_endpoint_is_reached(site):
    """The sweep covers the site: each URL is a page fetched, a download, or a POST endpoint
    that a form found on some page submits to."""
    posted_to = {item.url_name for item in site.found.forms if item.form.method == "post"}
    missed = []
    for name, _route in site_urls():
        if name.startswith("admin:") or name in NOT_PAGES:
            continue
        if name in POST_ONLY:
            if name not in posted_to:
                missed.append(f"{name}: no form found that posts to it")
        elif name not in site.found.fetched:
            missed.append(f"{name}: no role could open it")
    assert not missed, "\n".join(missed)
    assert len(_forms(site)) >= 30


def test_baseline_submissions_are_valid(site):
    """The valid baseline every hostile value is set into passes the form's own checks, so the
    hostile value is what each form answers to."""
    wrong = [f"{item}: {item.baseline_errors}" for item in _forms(site) if item.baseline_errors]
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("value", TEXT.values(), ids=TEXT.keys())
def test_hostile_text_gets_a_specific_message_or_is_kept_as_text(site, visitors, value):
    """Into every text field of every form at once (the long values one field at a time)."""
    findings = Findings()
    for item in _forms(site):
        fields = item.form.of_kind("text", "textarea", "password")
        if value is LONG:
            # One field at a time: in all of them at once it exceeds the request size limit.
            groups = [[f] for f in item.form.distinct_of_kind("text", "textarea", "password")]
        elif value is LONG_URL:
            # One field at a time, where it is valid but for its length.
            groups = [[f] for f in fields if f.input_type == "url" or f.name.endswith("url")]
        else:
            groups = [fields] if fields else []
        for group in groups:
            changed = group[0].name if len(group) == 1 else "text fields"
            data = baseline(item, site) | {f.name: value for f in group}
            outcome = _post(visitors, site, item, data, changed, findings)
            if outcome == "success" and "\x00" in value:
                findings.add(f"{item} {changed}", "accepted a NUL byte")
            required = [f.name for f in group if f.required]
            if outcome == "success" and not value.strip() and required:
                findings.add(f"{item} {required}", "accepted only spaces where required")
    assert not findings, "\n".join(findings)


@pytest.mark.parametrize("value", NUMBER.values(), ids=NUMBER.keys())
def test_hostile_number_gets_a_specific_message_or_is_stored(site, visitors, value):
    """Into every number field of a form at once; what is not a finite number is refused."""
    findings = Findings()
    for item in _forms(site):
        fields = item.form.of_kind("number")
        if not fields:
            continue
        data = baseline(item, site) | {f.name: value for f in fields}
        outcome = _post(visitors, site, item, data, "numbers", findings)
        if outcome in ("success", "silent") and value in ("1e309", "NaN", "Infinity", "9" * 40):
            findings.add(f"{item} numbers", f"accepted {value!r} as a number")
    assert not findings, "\n".join(findings)


IMPOSSIBLE_DATES = {"2023-02-30", "2023-13-45", "明天", "明天上午", "1e309", "2023-03-21T25:61"}


@pytest.mark.parametrize("values", DATE.values(), ids=DATE.keys())
def test_hostile_date_gets_a_specific_message_or_is_stored(site, visitors, values):
    """Into every date and time field of a form at once; impossible dates are refused."""
    findings = Findings()
    for item in _forms(site):
        fields = item.form.of_kind("date", "datetime")
        if not fields:
            continue
        typed = {f.name: values[f.kind == "datetime"] for f in fields}
        outcome = _post(visitors, site, item, baseline(item, site) | typed, "dates", findings)
        if outcome in ("success", "silent") and IMPOSSIBLE_DATES & set(typed.values()):
            findings.add(f"{item} dates", "accepted an impossible date", repr(typed))
    assert not findings, "\n".join(findings)


@pytest.mark.parametrize("value", CHOICE.values(), ids=CHOICE.keys())
def test_choice_not_offered_is_refused_with_a_specific_message(site, visitors, value):
    """Into each select, radio group and checkbox group, one at a time."""
    findings = Findings()
    for item in _forms(site):
        for f in item.form.distinct_of_kind("select", "multiselect", "radio", "checkboxes"):
            if value in f.options or (value == "" and not f.required):
                continue
            typed = [value] if f.kind in ("multiselect", "checkboxes") else value
            data = baseline(item, site) | {f.name: typed}
            if _post(visitors, site, item, data, f.name, findings) in ("success", "silent"):
                findings.add(f"{item} {f.name}", f"accepted {value!r}")
    assert not findings, "\n".join(findings)


def test_choice_of_another_district_is_refused(site, visitors):
    """Options only a sibling district's user is offered (its partners, activities, units)."""
    findings = Findings()
    tried = 0
    for item in _forms(site):
        for name, values in item.foreign.items():
            f = item.form.fields[name]
            typed = values[:1] if f.kind in ("multiselect", "checkboxes") else values[0]
            data = baseline(item, site) | {name: typed}
            tried += 1
            if _post(visitors, site, item, data, name, findings) in ("success", "silent"):
                findings.add(f"{item} {name}", "accepted a choice of another district", values[0])
    assert tried >= 3
    assert not findings, "\n".join(findings)


@pytest.mark.parametrize("upload", FILES.values(), ids=FILES.keys())
def test_file_not_what_it_claims_is_refused_with_a_specific_message(site, visitors, upload):
    name, content, content_type, refused = upload
    findings = Findings()
    for item in _forms(site):
        fields = item.form.of_kind("file")
        if not fields:
            continue
        files = {
            f.name: SimpleUploadedFile(name, _jpeg() if content is None else content, content_type)
            for f in fields
        }
        outcome = _post(visitors, site, item, baseline(item, site) | files, "file", findings)
        if refused and outcome in ("success", "silent"):
            findings.add(f"{item} file", f"accepted {name} ({content_type})")
    assert not findings, "\n".join(findings)


@pytest.mark.parametrize("value", HIDDEN.values(), ids=HIDDEN.keys())
def test_tampered_hidden_fields_end_in_a_page(site, visitors, value):
    """Hidden fields are typed by no one: tampering must end in a page, not a crash."""
    findings = Findings()
    for item in _forms(site):
        fields = item.form.of_kind("hidden")
        if not fields:
            continue
        data = baseline(item, site) | {f.name: value for f in fields}
        try:
            first, final = visitors.post(item.role, item.form, data)
        except Exception as exc:
            findings.add(f"{item}", "server error", f"{type(exc).__name__}: {exc}"[:200])
            continue
        for page in (first, final):
            if page.status >= 500:
                findings.add(f"{item}", f"status {page.status}")
            if any(raw in page.content for raw in RAW_MARKUP):
                findings.add(f"{item}", "hidden value rendered as HTML")
    assert not findings, "\n".join(findings)


def _get(visitors, role: str, url: str, findings: Findings, where: str) -> None:
    try:
        page = visitors.get(role, url)
    except Exception as exc:
        findings.add(where, "server error", f"{type(exc).__name__}: {exc}"[:200])
        return
    if page.status >= 500:
        findings.add(where, f"status {page.status}")
    if any(raw in page.content for raw in RAW_MARKUP):
        findings.add(where, "hostile markup rendered as HTML")


@pytest.mark.parametrize(
    "value",
    ["\x00", LONG, MARKUP, "2023-02-30"],
    ids=["nul", "long", "markup", "feb-30"],
)
def test_hostile_query_in_search_forms_ends_in_a_page(site, visitors, value):
    """Filter and search forms (method=get) with a hostile value in every field."""
    findings = Findings()
    for item in _forms(site, "get"):
        query = {f.name: value for f in item.form.user_fields}
        url = f"{urlsplit(item.form.action).path}?{urlencode(query)}"
        _get(visitors, item.role, url, findings, f"{item} GET")
    assert not findings, "\n".join(findings)


def test_hostile_text_saved_anywhere_leaves_every_page_working(site, visitors):
    """Hostile but storable text in each text field, one at a time, and the extreme dates and
    numbers a form may accept; then every page, as every role, still renders it as text."""
    findings = Findings()
    for item in _forms(site):
        tries = [(f.name, NASTY) for f in item.form.distinct_of_kind("text", "textarea")]
        for f in item.form.distinct_of_kind("date", "datetime"):
            for values in (DATE["year-1"], DATE["year-9999"]):
                tries.append((f.name, values[f.kind == "datetime"]))
        tries += [(f.name, "2147483647") for f in item.form.distinct_of_kind("number")]
        for name, value in tries:
            data = baseline(item, site) | {name: value}
            _post(visitors, site, item, data, f"{name}={value[:12]!r}", findings)
    kwargs_for = _url_kwargs(site)
    for name, route in site_urls():
        if name not in site.found.fetched:
            continue
        for role in _roles_for(route):
            has_params = "<" in route or "(?P" in route
            for kwargs in kwargs_for[name](role) if has_params else [{}]:
                url = _url(name, kwargs, role)
                _get(visitors, role, url, findings, f"{url} [{role}]")
    assert not findings, "\n".join(findings)
