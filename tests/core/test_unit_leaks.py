"""No URL shows a user another unit's private records (architecture.md, "Units and scoping").

The URL resolver is walked, so a URL added later is checked without anyone writing a test for
it. On the demo tree (``seed_demo``), with marked records added through the services in a
station of 龙华区 (the other district), in 海秀街道 (another station of 秀英区) and in 秀英街道,
four people ask for every console, account, admin and public URL: a district officer of 秀英区,
a station worker of 秀英街道社工站, a judge and an anonymous citizen.

- Path parameters are filled with objects of a unit the role may not see (for the station
  worker: of 龙华区 and of 海秀街道); GET and POST must answer as for a missing object, a 404
  for staff: existence does not leak.
- Pages without such an object are asked for as they are, with ``?unit=``/``?district=``/
  ``?code=``/``?q=``/``?activity=`` pointing at the other unit, and as htmx fragments; public
  forms are also sent with the other unit's help-request code.
- No answer (HTML, fragment, JSON, Excel or Word export, redirect target, file name) contains
  a title, name, phone number or code of a record outside the role's scope: activities, news
  drafts, photos, media records, cases, partners, progress notes, help requests and their notes,
  QR links, notifications, staff accounts, units' contact people.
- The role's own objects open, and show citizens' phones and names whole only on the help
  request's own page, which logs the view; lists show them masked.
- Console and account pages send the anonymous citizen to the login page, admin pages send
  every role (none is staff) to the admin's login; public pages (stations, help, documents, the
  HSDS API) are public by design but show none of the above.

A new URL with a parameter fails ``test_every_url_parameter_is_filled`` until it gets a filler
in ``OBJECT_URLS`` (or a reasoned entry in ``SHARED_PARAMETERS``).

The REST API (``/api/v1/``) is walked from its own OpenAPI description, with a token of each
role: every operation it describes, its path parameters filled by name from the other units'
objects (``activity_id``, ``help_code`` … are ``Side`` fields), its unit filters and request
fields pointed at the other units. A new endpoint is walked without a line here.
"""

import datetime
import html
import io
import json
import re
import zipfile
from dataclasses import dataclass, field
from urllib.parse import unquote, urlencode

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import resolve
from django.utils import timezone
from PIL import Image

from shegong.accounts.models import Notification, User
from shegong.accounts.services import notification_send
from shegong.activities import services as activity_services
from shegong.activities.excel import ledger_template
from shegong.activities.models import (
    Activity,
    ActivityEvent,
    ActivityMedia,
    Case,
    LiveStream,
    MediaCoverage,
    NewsDraft,
    Submission,
)
from shegong.api.services import apitoken_create
from shegong.campaigns.models import Campaign, TaskProgress
from shegong.campaigns.services import progress_update, task_create
from shegong.contest.models import Entry
from shegong.core.models import AuditEntry
from shegong.directory.forms import QrLinkForm
from shegong.directory.models import QrLink, StationListing
from shegong.directory.services import qrlink_create
from shegong.helpdesk import services as helpdesk_services
from shegong.helpdesk.models import AccessLogEntry, HelpRequest, Note
from shegong.helpdesk.services import VIEWING
from shegong.jobs.models import Job
from shegong.orgs.models import Partner, Unit, unit_scope_q
from shegong.orgs.partners import partner_create
from shegong.orgs.services import unit_update
from shegong.reports.models import Summary, SummaryAttachment
from shegong.reports.services import summary_ensure
from tests.contest.sweeps import mark_entry
from tests.site_walk import Route, all_routes

pytestmark = pytest.mark.heavy  # scheduled first (tests/conftest.py)

DISTRICT = "460105"  # 秀英区: the officer's district
STATION = "460105001"  # 秀英街道社工站: the station worker's station
OTHER_STATION = "460105002"  # 海秀街道社工站: the same district, another station
OTHER_DISTRICT = "460106"  # 龙华区
MISSING_INT = 987654321

# --- the URLs ----------------------------------------------------------------------------------

# URLs whose path names an object: {url name: function(side) -> path parameters}. ``side`` holds
# the objects of one unit the role may not see (or identifiers that match nothing).
OBJECT_URLS = {
    "accounts:notification_open": lambda s: {"pk": s.notification_id},
    "orgs:unit_detail": lambda s: {"code": s.unit_code},
    "orgs:unit_edit": lambda s: {"code": s.unit_code},
    "campaigns:progress_edit": lambda s: {"slug": s.campaign_slug, "pk": s.progress_id},
    # A task carried by that unit only: the issuer changes or withdraws it.
    "campaigns:task_edit": lambda s: {"slug": s.campaign_slug, "pk": s.task_id},
    "campaigns:task_withdraw": lambda s: {"slug": s.campaign_slug, "pk": s.task_id},
    # An audit entry, followed to the record it names (the help request of that unit).
    "core:audit_target": lambda s: {"pk": s.audit_entry_id},
    "activities:activity_detail": lambda s: {"pk": s.activity_id},
    "activities:activity_edit": lambda s: {"pk": s.activity_id},
    "activities:activity_transition": lambda s: {"pk": s.activity_id, "action": "submit"},
    "activities:media_upload": lambda s: {"pk": s.activity_id},
    "activities:news_create": lambda s: {"pk": s.activity_id},
    "activities:news_edit": lambda s: {"pk": s.activity_id, "news_id": s.news_id},
    "activities:news_action": lambda s: {
        "pk": s.activity_id,
        "news_id": s.news_id,
        "to": "submitted",
    },
    "activities:media_file": lambda s: {"media_id": s.media_id},
    "activities:media_thumb": lambda s: {"media_id": s.media_id},
    "activities:media_consent": lambda s: {"media_id": s.media_id},
    "activities:media_minors": lambda s: {"media_id": s.media_id},
    "orgs:partner_edit": lambda s: {"partner_id": s.partner_id},
    "activities:submission_status": lambda s: {"submission_id": s.submission_id},
    "activities:case_detail": lambda s: {"case_id": s.case_id},
    "activities:case_edit": lambda s: {"case_id": s.case_id},
    "directory:listing_edit": lambda s: {"slug": s.listing_slug},
    "directory:listing_verify": lambda s: {"slug": s.listing_slug},
    "directory:poster": lambda s: {"slug": s.listing_slug, "size": "a4"},
    "directory:qr_detail": lambda s: {"code": s.qr_code},
    "directory:qr_image": lambda s: {"code": s.qr_code, "fmt": "svg"},
    "helpdesk:detail": lambda s: {"code": s.help_code},
    "helpdesk:act": lambda s: {"code": s.help_code},
    # A unit's campaign summary (总结报送) and what hangs off it.
    **{
        f"reports:{name}": lambda s: {"slug": s.campaign_slug, "code": s.unit_code}
        for name in (
            "summary_detail",
            "summary_submit",
            "summary_review",
            "summary_attach",
            "summary_attach_ledger",
        )
    },
    "reports:summary_export": lambda s: {
        "slug": s.campaign_slug,
        "code": s.unit_code,
        "fmt": "xlsx",
    },
    "reports:summary_records": lambda s: {
        "slug": s.campaign_slug,
        "code": s.unit_code,
        "key": "media_reports",
    },
    "reports:summary_attachment": lambda s: {
        "slug": s.campaign_slug,
        "code": s.unit_code,
        "pk": s.summary_attachment_id,
    },
    "reports:summary_attachment_remove": lambda s: {
        "slug": s.campaign_slug,
        "code": s.unit_code,
        "pk": s.summary_attachment_id,
    },
    # A person's background job: only its owner sees its page and its file.
    "jobs:job_detail": lambda s: {"pk": s.job_id},
    "jobs:job_download": lambda s: {"pk": s.job_id},
    "jobs:job_retry": lambda s: {"pk": s.job_id},
    "contest:entry_detail": lambda s: {"pk": s.entry_id},
    "contest:entry_action": lambda s: {"pk": s.entry_id},
    "contest:certificate": lambda s: {"pk": s.entry_id},
    "contest:wechat": lambda s: {"pk": s.entry_id},
    "contest:review_detail": lambda s: {"pk": s.entry_id},
    "contest:media_file": lambda s: {"pk": s.entry_media_id},
    "contest:media_consent": lambda s: {"pk": s.entry_media_id},
    # Public by design: a station's page, its QR short link, its open-data records.
    "directory_station_detail": lambda s: {"slug": s.listing_slug},
    "directory_qr_redirect": lambda s: {"code": s.qr_code},
    "hsds_service_detail": lambda s: {"pk": s.service_hsds_id},
    "hsds_organization_detail": lambda s: {"pk": s.organization_hsds_id},
    # Public by design, answering only for published stories and awarded certificates.
    "contest_public_story": lambda s: {"slug": f"2023-{s.entry_id:04d}"},
    "contest_public_media": lambda s: {"pk": s.entry_media_id},
    "contest_public_verify": lambda s: {"code": s.entry_code},
}


# Parameters that name something every unit shares, not an object of one unit: filled with the
# real value and checked like a page without parameters.
SHARED_PARAMETERS = {
    # The city's campaign (方案): every unit works on it; its pages show each user their part.
    "campaigns:detail": lambda c: {"slug": c},
    "campaigns:edit": lambda c: {"slug": c},
    "campaigns:clone": lambda c: {"slug": c},
    "campaigns:kpis": lambda c: {"slug": c},
    "campaigns:task_new": lambda c: {"slug": c},
    "campaigns:matrix": lambda c: {"slug": c},
    "campaigns:notice": lambda c: {"slug": c, "fmt": "docx"},
    # The campaign's summaries: each user sees the reporting of the units under them; the city
    # report and its export are the city admin's.
    "reports:summary_list": lambda c: {"slug": c},
    "reports:reporting_plan": lambda c: {"slug": c},
    "reports:summary_compare": lambda c: {"slug": c},
    "reports:city_report": lambda c: {"slug": c},
    "reports:city_report_export": lambda c: {"slug": c, "fmt": "xlsx"},
    # The campaign's call for stories: the city admin's pages.
    "contest:call_detail": lambda c: {"slug": c},
    "contest:call_edit": lambda c: {"slug": c},
    "contest:judge_action": lambda c: {"slug": c},
    "contest:judge_remove": lambda c: {"slug": c},
    "contest:review_start": lambda c: {"slug": c},
    "contest:ranking": lambda c: {"slug": c},
    "contest:shortlist": lambda c: {"slug": c},
    "contest:publish_decisions": lambda c: {"slug": c},
    "contest:schedule": lambda c: {"slug": c},
    # The published notice (此件主动公开) is public.
    "campaigns_public:document": lambda c: {"slug": c},
    "campaigns_public:download": lambda c: {"slug": c, "fmt": "docx"},
    # The campaign's awareness survey is public: a questionnaire, no unit's records.
    "survey_public_form": lambda c: {"slug": c},
    "survey_public_thanks": lambda c: {"slug": c},
}

# Console and account pages open to an anonymous visitor (everything else sends them to login).
OPEN_ACCOUNT_PAGES = {"accounts:login", "accounts:logout"}


def admin_values(route: Route) -> dict:
    """Any well-formed value will do: no role of this test may enter the admin at all."""
    values = {}
    for pattern in route.patterns:
        for name, body in re.findall(r"\(\?P<(\w+)>([^)]*)\)", str(pattern.pattern)):
            values[name] = body.split("|")[0] if "|" in body else "no-such-page"
    return {name: values.get(name, "1") for name in route.parameters}


# --- the world: the demo tree, with marked records in the units a role may not see -----------


@dataclass
class Side:
    """Identifiers of one unit's objects, put into URLs and query strings (``None``: a unit
    that has no such object, as a district has no station listing)."""

    label: str
    unit_code: str
    district_code: str
    campaign_slug: str
    activity_id: int
    activity_title: str
    activity_search: str  # a part of the title: a search box may repeat what was searched
    news_id: int
    media_id: int
    partner_id: int
    submission_id: int
    case_id: int
    progress_id: int
    notification_id: int
    listing_slug: str | None
    qr_code: str
    help_code: str
    help_phone: str
    service_hsds_id: str | None
    organization_hsds_id: str | None
    summary_attachment_id: int
    entry_id: int
    entry_media_id: int
    entry_code: str
    audit_entry_id: int
    task_id: int
    job_id: int

    def query(self) -> dict:
        return {
            "unit": self.unit_code,
            "district": self.district_code,
            "code": self.help_code,
            "q": self.activity_search,
            "activity": self.activity_id,
            "level": "station",
        }


def _jpeg() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), "teal").save(out, "JPEG")
    return SimpleUploadedFile("photo.jpg", out.getvalue(), content_type="image/jpeg")


def _mark(unit: Unit, campaign: Campaign, n: int) -> Side:
    """Records of ``unit`` through the services staff use, each text marked as this unit's."""
    tag = f"{unit.area_name}内部{n}"
    worker = User.objects.filter(unit=unit).exclude(role=User.Role.JUDGE).first()
    User.objects.filter(pk=worker.pk).update(phone=f"1392200{n:04d}")
    unit_update(
        actor=worker,
        unit=unit,
        contact_person=f"{tag}联系人",
        contact_phone=f"0898-6600{n:04d}",
    )
    partner = partner_create(
        actor=worker,
        unit=unit,
        name=f"{tag}合作社会组织",
        kind=Partner.Kind.SOCIAL_ORGANISATION,
        contact_person=f"{tag}伙伴联系人",
        contact_phone=f"1393300{n:04d}",
    )
    activity = activity_services.activity_create(
        actor=worker,
        unit=unit,
        campaign=campaign,
        kind=Activity.Kind.POSTER,
        title=f"{tag}活动张贴海报",
        starts_at=timezone.make_aware(datetime.datetime(2023, 3, 22, 9, 0)),  # noqa: DTZ001
        place=f"{tag}活动地点",
        partners=[partner],
    )
    media = activity_services.media_add(
        actor=worker,
        activity=activity,
        upload=_jpeg(),
        caption=f"{tag}照片说明",
        shows_minors=True,
    )
    news = activity_services.news_save(
        actor=worker, activity=activity, title=f"{tag}新闻稿标题", body="<p>正文</p>"
    )
    activity_services.coverage_create(
        actor=worker,
        unit=unit,
        outlet="海口日报",
        type="newspaper",
        title=f"{tag}媒体报道标题",
        published_on=datetime.date(2023, 3, 23),
    )
    submission = activity_services.submission_create(
        actor=worker,
        unit=unit,
        outlet="海南民政",
        title=f"{tag}投稿标题",
        submitted_on=datetime.date(2023, 3, 23),
    )
    activity_services.livestream_create(
        actor=worker,
        unit=unit,
        platform="益播间",
        title=f"{tag}直播主题",
        starts_at=timezone.make_aware(datetime.datetime(2023, 3, 24, 19, 0)),  # noqa: DTZ001
    )
    case = activity_services.case_save(
        actor=worker,
        unit=unit,
        kind=Case.Kind.EXEMPLAR,
        title=f"{tag}先进典型标题",
        person_name=f"{tag}先进人物",
        problem=f"{tag}问题与需求",
        partners=[partner],
    )
    progress = TaskProgress.objects.filter(unit=unit, task__campaign=campaign).first()
    # A task carried by this unit alone (the city's own, for the city): no other unit's staff
    # may open it. Its title is no secret: the plan shows every task to every unit.
    task = task_create(
        actor=None,
        campaign=campaign,
        level=unit.level,
        title=f"专项任务{n}",
        due_on=campaign.ends_on,
        units=[] if unit.level == Unit.Level.CITY else [unit],
    )
    progress_update(
        actor=worker,
        progress=progress,
        status=TaskProgress.Status.IN_PROGRESS,
        note=f"{tag}进展说明",
        evidence_links=f"https://example.org/evidence-{unit.code}",
    )
    link = qrlink_create(actor=worker, unit=unit, channel=f"{tag}公交站牌", target="/help/")
    help_request = helpdesk_services.helprequest_submit(
        for_whom="self",
        category="elderly",
        description=f"{tag}求助情况说明，想请社工上门。",
        area=unit,
        contact_name=f"{tag}求助人",
        phone=f"1391100{n:04d}",
        ip=f"10.9.0.{n}",
    )
    helpdesk_services.helprequest_note_add(
        actor=worker, request=help_request, text=f"{tag}内部处理记录", public=False
    )
    helpdesk_services.access_log_record(user=worker, request=help_request)
    [notification] = notification_send(recipients=[worker], message=f"{tag}通知内容")
    # The demo's summaries may be submitted already: marked as they stand, whatever their state.
    summary = summary_ensure(actor=worker, campaign=campaign, unit=unit)
    Summary.objects.filter(pk=summary.pk).update(work=f"{tag}总结正文")
    attachment = SummaryAttachment(summary=summary, kind="photo", name=f"{tag}总结照片")
    attachment.file.save("photo.jpg", _jpeg(), save=False)
    attachment.content_type = "image/jpeg"
    attachment.save()
    listing = StationListing.objects.filter(unit=unit).first()
    entry, entry_media_id = mark_entry(worker, tag)
    job = Job.objects.create(
        kind="activities.ledger_export",
        title=f"{tag}导出任务",
        owner=worker,
        unit=unit,
        state=Job.State.DONE,
        message=f"{tag}导出说明",
        result_name="activities.xlsx",
    )
    job.result.save("activities.xlsx", ContentFile(f"{tag}导出文件内容".encode()))
    return Side(
        label=f"{unit.name}（{unit.code}）",
        unit_code=unit.code,
        district_code=unit.parent.code if unit.parent else unit.code,
        campaign_slug=campaign.slug,
        activity_id=activity.pk,
        activity_title=activity.title,
        activity_search=f"内部{n}活动",
        news_id=news.pk,
        media_id=media.pk,
        partner_id=partner.pk,
        submission_id=submission.pk,
        case_id=case.pk,
        progress_id=progress.pk,
        notification_id=notification.pk,
        listing_slug=listing and listing.slug,
        qr_code=link.code,
        help_code=help_request.code,
        help_phone=help_request.phone,
        service_hsds_id=listing and str(listing.services.first().hsds_id),
        organization_hsds_id=listing and str(listing.hsds_id),
        summary_attachment_id=attachment.pk,
        entry_id=entry.pk,
        entry_media_id=entry_media_id,
        entry_code=entry.code,
        audit_entry_id=AuditEntry.objects.get(
            action="helprequest.submit", target_id=str(help_request.pk)
        ).pk,
        task_id=task.pk,
        job_id=job.pk,
    )


MISSING = Side(
    label="nothing",
    unit_code="999999999",
    district_code="999999",
    campaign_slug="haikou-2023",
    activity_id=MISSING_INT,
    activity_title="",
    activity_search="",
    news_id=MISSING_INT,
    media_id=MISSING_INT,
    partner_id=MISSING_INT,
    submission_id=MISSING_INT,
    case_id=MISSING_INT,
    progress_id=MISSING_INT,
    notification_id=MISSING_INT,
    listing_slug="no-such-station",
    qr_code="zz9999",
    help_code="ZZZZ9999",
    help_phone="",
    service_hsds_id="00000000-0000-4000-8000-000000000000",
    organization_hsds_id="00000000-0000-4000-8000-000000000000",
    summary_attachment_id=MISSING_INT,
    entry_id=MISSING_INT,
    entry_media_id=MISSING_INT,
    entry_code="ZZZZ9999",
    audit_entry_id=MISSING_INT,
    task_id=MISSING_INT,
    job_id=MISSING_INT,
)


@dataclass
class World:
    campaign: str
    other_district: Side  # a station of 龙华区
    other_station: Side  # 海秀街道, in the officer's and the worker's own district
    own_station: Side  # 秀英街道: the worker's own station, under the officer's district
    own_district: Side  # 秀英区 itself: above the worker
    city: Side  # the city bureau: above both


@pytest.fixture(scope="module")
def demo_world(demo_loader):
    """The demo data (tests/demo_data.py) and the marked records, made once for the module
    inside a transaction rolled back at its end; each test runs in its own savepoint within it."""
    with (
        # A scan of /q/… is written in this thread.
        override_settings(DIRECTORY_QR_FLUSH_SECONDS=0),
        demo_loader(f"district.{DISTRICT}", f"station.{STATION}.1", "judge.1", "city.admin"),
    ):
        yield _marked_world()


@pytest.fixture
def world(demo_world, db) -> World:
    return demo_world


def _marked_world() -> World:
    campaign = Campaign.objects.get(slug="haikou-2023")
    return World(
        campaign=campaign.slug,
        other_district=_mark(Unit.objects.filter(parent__code=OTHER_DISTRICT).first(), campaign, 1),
        other_station=_mark(Unit.objects.get(code=OTHER_STATION), campaign, 2),
        own_station=_mark(Unit.objects.get(code=STATION), campaign, 3),
        own_district=_mark(Unit.objects.get(code=DISTRICT), campaign, 4),
        city=_mark(Unit.objects.get(level=Unit.Level.CITY), campaign, 5),
    )


# --- what each role must not see --------------------------------------------------------------

# (model, path from the model to its unit, fields holding names, titles, phones and codes,
#  the part of them units below may see: a station links its district's and the city's partners,
#  opens its district's contact page, and reads the names of those who reviewed its work)
PRIVATE_FIELDS = [
    (Activity, "unit", ("title", "place", "outcome", "review_comment"), ()),
    (ActivityEvent, "activity__unit", ("comment",), ()),
    (ActivityMedia, "activity__unit", ("caption", "consent_note"), ()),
    (NewsDraft, "activity__unit", ("title",), ()),
    (MediaCoverage, "unit", ("title",), ()),
    (Submission, "unit", ("title",), ()),
    (LiveStream, "unit", ("title",), ()),
    (Case, "unit", ("title", "person_name", "problem", "intervention", "outcome"), ()),
    (Partner, "unit", ("name", "contact_person", "contact_phone"), ("name",)),
    (TaskProgress, "unit", ("note", "evidence_links"), ()),
    (HelpRequest, "unit", ("code", "contact_name", "phone", "description", "outcome"), ()),
    (Entry, "unit", ("code", "author_name", "phone", "title", "consent_note"), ()),
    (Note, "request__unit", ("text",), ()),
    (QrLink, "unit", ("code", "channel"), ()),
    (Notification, "recipient__unit", ("message",), ()),
    (User, "unit", ("username", "display_name", "phone"), ("display_name",)),
    (Unit, "", ("contact_person", "contact_phone"), ("contact_person", "contact_phone")),
    (Summary, "unit", ("work",), ()),
    (SummaryAttachment, "summary__unit", ("name",), ()),
]


def _texts(unit_ids, *, part: str = "all") -> set[str]:
    """The private texts of records in these units: ``all`` of them, only those ``shared``
    with units below, or those ``unshared``."""
    found = set()
    for model, to_unit, fields, shared in PRIVATE_FIELDS:
        if part == "shared":
            fields = shared
        elif part == "unshared":
            fields = tuple(name for name in fields if name not in shared)
        if not fields:
            continue
        rows = model.objects.filter(**{f"{to_unit}__pk__in" if to_unit else "pk__in": unit_ids})
        if model is Entry:
            rows = rows.exclude(status=Entry.Status.PUBLISHED)  # published stories are public
        for row in rows.values_list(*fields):
            found.update(value for value in row if value)
        if model in (HelpRequest, Entry) and "code" in fields:
            for code, phone in rows.values_list("code", "phone"):
                found.add(f"{code[:4]}-{code[4:]}")  # as the console shows it
                if phone:
                    found.add(f"{phone[:3]}****{phone[-4:]}")  # masked, as lists show it
    return found


def _needle(text: str) -> str:
    """What a page shows of a text: long texts may be cut, multi-line ones split by tags. Plain
    ASCII (a code, a phone number, a link) is looked for whole."""
    first_line = text.strip().splitlines()[0].strip()
    return first_line if first_line.isascii() else first_line[:16]


def private_strings(user: User | None) -> set[str]:
    """Texts of records in the units ``user`` may not see (``unit_scope_q``), less what units
    above share with those below them.

    Texts the user's own records share (the demo repeats some sentences in every district) are
    left out: finding them would prove nothing. So are strings too short to mean anything.
    """
    units = Unit.objects.all()
    if user is None or user.is_judge:
        mine = above = units.none()  # a judge sees none of the units' data, a citizen nothing
    else:
        mine = units.filter(unit_scope_q(user, field=None))
        above = units.filter(pk__in=user.unit.ancestor_ids())
    others = units.exclude(pk__in=mine).exclude(pk__in=above)
    foreign = _texts(others) | _texts(above, part="unshared")
    allowed = "\n".join(_texts(mine) | _texts(above, part="shared"))
    if user is not None:  # one's own name is no secret
        allowed += f"\n{user.username}\n{user.display_name}\n{user.phone}"
    if user is not None and user.is_judge:  # a judge reads the titles of the entries assigned
        allowed += "\n" + "\n".join(
            Entry.objects.filter(reviews__judge=user).values_list("title", flat=True)
        )
    # The demo names the city's QR links after the examples the QR form gives every unit.
    allowed += f"\n{QrLinkForm.base_fields['channel'].help_text}"
    needles = {_needle(text) for text in foreign if text.strip()}
    return {n for n in needles if len(n) >= 4 and n not in allowed}


def personal_data(user: User | None) -> set[str]:
    """Citizens' phone numbers and names in the help requests ``user`` may see: lists show
    them masked; only a request's own page shows them whole, and logs that it did."""
    if user is None:
        return set()
    found = set()
    for name, phone in HelpRequest.objects.visible_to(user).values_list("contact_name", "phone"):
        # Phones, and names long enough to be someone's (not 王阿姨, which the help form shows).
        found.update(value for value in (name, phone) if len(value) >= 4)
    return found


GRAM = 4  # every secret is at least this long (private_strings)


def found_in(text: str, needles: set[str]) -> list[str]:
    """The needles ``text`` contains, sorted. Thousands of needles × hundreds of pages: each
    needle is looked for only when the text holds its first characters (one set lookup)."""
    grams = {text[i : i + GRAM] for i in range(len(text) - GRAM + 1)}
    return sorted(n for n in needles if (len(n) < GRAM or n[:GRAM] in grams) and n in text)


def response_text(response) -> str:
    """Everything a reader gets: body (HTML, JSON, Office XML), redirect target, file name."""
    # No response.close() here: the test client has closed it already (a streamed one once
    # read), and closing again fires request_finished, whose handler drops the database
    # connection in the middle of the test's transaction on PostgreSQL.
    content = b"".join(response.streaming_content) if response.streaming else response.content
    kind = response.get("Content-Type", "")
    # The file name is percent-encoded (filename*=UTF-8''…): decoded, it is read like the rest.
    parts = [response.get("Location", ""), unquote(response.get("Content-Disposition", ""))]
    parts += [value for header, value in response.items() if header.lower().startswith("hx-")]
    if content[:2] == b"PK":  # .xlsx, .docx: the text is in XML parts
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            for name in archive.namelist():
                if name.endswith(".xml"):
                    parts.append(html.unescape(archive.read(name).decode("utf-8", "replace")))
    elif "json" in kind:
        parts.append(json.dumps(json.loads(content), ensure_ascii=False))
    elif kind.startswith("text/") or "svg" in kind:
        parts.append(html.unescape(content.decode("utf-8", "replace")))
    return "\n".join(parts)


# --- the walk -------------------------------------------------------------------------------


@dataclass
class Walk:
    role: str
    client: Client
    secrets: set[str]
    personal: set[str] = field(default_factory=set)
    problems: list[str] = field(default_factory=list)
    requests: int = 0
    checked: set[str] = field(default_factory=set)  # route texts

    def ask(self, method: str, url: str, *, query=None, htmx=False):
        self.requests += 1
        headers = {"HX-Request": "true"} if htmx else {}
        call = self.client.post if method == "POST" else self.client.get
        try:
            return call(url, query or {}, headers=headers)
        except Exception as error:  # a crash is a finding too, not the end of the walk
            self.problems.append(f"{method} {url} {query or ''} as {self.role}: raised {error!r}")
            return None

    def leaks(self, response, method: str, url: str, note: str = "", echo=()) -> str:
        """Record the secrets the response shows, besides what the request itself said (the
        URL and query a page may repeat in its links and form fields); return its text."""
        text = response_text(response)
        for said in (url, *echo):
            text = text.replace(str(said), "")
        found = found_in(text, self.secrets)
        if found:
            shown = ", ".join(found[:5]) + (f" … ({len(found)} in all)" if len(found) > 5 else "")
            self.problems.append(f"{method} {url}{note} as {self.role}: shows {shown}")
        return text

    def unmasked(self, text: str, where: str) -> None:
        """Record citizens' phones and names shown whole."""
        found = found_in(text, self.personal)
        if found:
            self.problems.append(f"{where} as {self.role}: unmasked {', '.join(found[:5])}")


def _login_redirect(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def walk_pages(walk: Walk, routes: list[Route], campaign: str, sides: list[Side]) -> None:
    """Pages without an object of a unit: as they are; filtered at another unit's records, also
    as htmx fragments; public forms also sent with another unit's request code."""
    for route in routes:
        values = SHARED_PARAMETERS[route.name](campaign) if route.parameters else {}
        url = route.path(values)
        walk.checked.add(route.route)
        response = walk.ask("GET", url)
        if response is None:
            continue
        needs_login = route.area in ("console", "accounts") and route.name not in (
            OPEN_ACCOUNT_PAGES
        )
        if walk.role == "anonymous" and needs_login:
            if not _login_redirect(response):
                walk.problems.append(
                    f"GET {url} as anonymous: {response.status_code}, not sent to login"
                )
            continue
        walk.unmasked(walk.leaks(response, "GET", url), f"GET {url}")
        asks = [("GET", False), ("GET", True)]
        if route.area == "public":
            asks.append(("POST", False))  # e.g. tracking another unit's request, wrong digits
        for side in sides:
            for method, htmx in asks:
                query = side.query() | ({"last4": "0000"} if method == "POST" else {})
                response = walk.ask(method, url, query=query, htmx=htmx)
                if response is None:
                    continue
                note = f" ?{side.label}{' (htmx)' if htmx else ''}"
                if response.status_code >= 500:
                    walk.problems.append(f"{method} {url}{note} as {walk.role}: 500")
                text = walk.leaks(response, method, url, note, echo=query.values())
                walk.unmasked(text, f"{method} {url}{note}")


# What a unit's staff may do with the units above them (``Unit.objects.visible_to``): read
# their contact page, not change it. Every other object of a unit above is not theirs to see.
VISIBLE_FROM_BELOW = {"orgs:unit_detail": 200, "orgs:unit_edit": 403}


def walk_objects(walk: Walk, routes: list[Route], sides: list[Side], above=()) -> None:
    """URLs naming another unit's object answer as if it did not exist, and show nothing;
    ``above``: sides of units above the role's, whose contact pages it may read."""
    for route in routes:
        walk.checked.add(route.route)
        missing_url = route.path(OBJECT_URLS[route.name](MISSING))
        for side in [*sides, *above]:
            values = OBJECT_URLS[route.name](side)
            if None in values.values():
                continue  # this unit has no such object
            url = route.path(values)
            for method in ("GET", "POST"):
                response = walk.ask(method, url)
                if response is None:
                    continue
                status = response.status_code
                where = f"{method} {url} ({side.label}) as {walk.role}"
                if route.area == "public":
                    if status >= 500:
                        walk.problems.append(f"{where}: {status}")
                    walk.leaks(response, method, url, echo=values.values())
                    continue
                if walk.role == "anonymous":
                    if not _login_redirect(response):
                        walk.problems.append(f"{where}: {status}, not sent to login")
                    continue
                walk.leaks(response, method, url, echo=values.values())
                if side in above and route.name in VISIBLE_FROM_BELOW:
                    if status != VISIBLE_FROM_BELOW[route.name]:
                        walk.problems.append(
                            f"{where}: {status}, expected {VISIBLE_FROM_BELOW[route.name]}"
                        )
                    continue
                missing = walk.ask(method, missing_url)
                # A judge is refused the staff's pages outright (403) before any lookup.
                expected = {404} if walk.role != "judge" else {403, 404}
                if method == "GET":
                    expected.add(405)  # a POST-only view: refused before any lookup
                if status not in expected:
                    walk.problems.append(f"{where}: {status}, expected one of {sorted(expected)}")
                elif missing is not None and missing.status_code != status:
                    walk.problems.append(
                        f"{where}: {status}, but {missing.status_code} for a missing object "
                        "(tells that it exists)"
                    )


# Pages whose answer is a redirect to the page of the record they name.
REDIRECT_PAGES = {"core:audit_target"}

# The pages that show one help request whole to the staff who handle it, logging each view.
FULL_CONTACT_PAGES = {"helpdesk:detail", "helpdesk:act"}


def _own_job(user: User) -> dict:
    job = Job(
        kind="activities.ledger_export",
        title="自己的导出",
        owner=user,
        state=Job.State.DONE,
        result_name="activities.xlsx",
    )
    job.result.save("activities.xlsx", ContentFile(ledger_template()))
    return {"pk": job.pk}


# Objects of a person rather than of a unit: the role's own are the ones it made itself (a
# district officer does not open a station worker's export, as OBJECT_URLS checks for others).
PERSONAL_OBJECTS = {
    "jobs:job_detail": _own_job,
    "jobs:job_download": _own_job,
    "jobs:job_retry": _own_job,
}


def walk_own_objects(walk: Walk, routes: list[Route], side: Side, user: User) -> None:
    """The role's own objects open (read only: GET) and show nothing of other units; the
    citizen's contact details are whole only on the request's own page, and that is logged."""
    for route in routes:
        if route.area == "public":
            continue
        if route.name in PERSONAL_OBJECTS:
            url = route.path(PERSONAL_OBJECTS[route.name](user))
        else:
            url = route.path(OBJECT_URLS[route.name](side))
        logged = AccessLogEntry.objects.filter(user=user).count()
        response = walk.ask("GET", url)
        if response is None:
            continue
        # Opens, is being made (a poster), is not theirs to change (403), takes POST only, or
        # leads to the record it names (an audit entry).
        redirects = (302,) if route.name in REDIRECT_PAGES else ()
        if response.status_code not in (200, 202, 403, 405, *redirects):
            walk.problems.append(f"GET {url} (own) as {walk.role}: {response.status_code}")
        text = walk.leaks(response, "GET", url, " (own)")
        if route.name not in FULL_CONTACT_PAGES:
            walk.unmasked(text, f"GET {url}")
        elif side.help_phone in text and not viewing_logged(user, before=logged):
            walk.problems.append(f"GET {url} as {walk.role}: shows contact details, not logged")


def viewing_logged(user: User, *, before: int) -> bool:
    """This look at a citizen's details is in the access log: a row written now, or the row of
    the viewing it belongs to (one row per viewing: ``helpdesk.services.VIEWING``)."""
    rows = AccessLogEntry.objects.filter(user=user)
    return rows.count() > before or rows.filter(at__gte=timezone.now() - VIEWING).exists()


# The admin's own door: its login form (which tells a signed-in non-staff user they lack
# access) and its logout, which sends non-staff users back to the admin index.
ADMIN_DOOR = {"admin:login", "admin:logout"}


def walk_admin(walk: Walk, routes: list[Route]) -> None:
    """No role here is staff: every admin URL sends them to the admin's login."""
    for route in routes:
        walk.checked.add(route.route)
        if route.name in ADMIN_DOOR:
            continue
        url = route.path(admin_values(route))
        response = walk.ask("GET", url)
        if response is None:
            continue
        if not (response.status_code == 302 and response["Location"].startswith("/admin/login/")):
            walk.problems.append(
                f"GET {url} as {walk.role}: {response.status_code} {response.get('Location')}"
            )


# --- the REST API, walked from its own description -------------------------------------------

# Path parameters naming what every unit shares: the city's campaign (its tasks are the plan;
# the progress under it is each user's own units').
API_SHARED = {"campaign_slug"}
UNIT_CODE = "单位代码"  # how the description marks a parameter or field that takes a unit


@dataclass
class ApiOperation:
    method: str
    path: str  # e.g. /api/v1/activities/{activity_id}/
    path_params: list[str]
    query: list[dict]  # the described query parameters
    body_fields: dict  # request body properties (name -> schema), resolved
    public: bool = False  # the description lets it be called without a token


def api_operations(client: Client) -> list[ApiOperation]:
    schema = client.get("/api/v1/openapi.json").json()
    components = schema["components"]["schemas"]
    operations = []
    for path, item in schema["paths"].items():
        for method, op in item.items():
            params = op.get("parameters", [])
            body = {}
            content = op.get("requestBody", {}).get("content", {}).get("application/json")
            if content:
                ref = content["schema"].get("$ref", "")
                body = components[ref.rsplit("/", 1)[-1]]["properties"] if ref else {}
            operations.append(
                ApiOperation(
                    method=method.upper(),
                    path=path,
                    path_params=[p["name"] for p in params if p["in"] == "path"],
                    query=[p for p in params if p["in"] == "query"],
                    body_fields=body,
                    public={} in op.get("security", schema.get("security", [])),
                )
            )
    return operations


def _api_path(op: ApiOperation, side: Side) -> str | None:
    values = {name: getattr(side, name) for name in op.path_params}
    if None in values.values():
        return None  # this unit has no such object
    return re.sub(r"\{(\w+)\}", lambda m: str(values[m[1]]), op.path)


def _pointed_at(fields, side: Side) -> dict:
    """Unit filters and fields set to the side's unit; the console's filter names to its
    records (``?code=``, ``?activity=`` …)."""
    out = {}
    for name, description in fields:
        if UNIT_CODE in description:
            out[name] = side.unit_code
        elif name in side.query():
            out[name] = side.query()[name]
    return out


def _api_ask(walk: Walk, client: Client, method: str, url: str, query=None, body=None):
    walk.requests += 1
    try:
        if method == "GET":
            return client.get(url, query or {})
        target = f"{url}?{urlencode(query)}" if query else url
        return client.generic(
            method, target, json.dumps(body or {}), content_type="application/json"
        )
    except Exception as error:  # a crash is a finding too
        walk.problems.append(f"{method} {url} {query or ''} as {walk.role}: raised {error!r}")
        return None


def walk_api(walk: Walk, user, sides, above, own) -> set[str]:
    """Every operation the API describes, with a token of the role; returns the routes walked."""
    client = Client()
    if user is not None:
        _token, raw = apitoken_create(actor=user, name="leak sweep")
        client = Client(headers={"authorization": f"Bearer {raw}"})
    walked = set()
    for op in api_operations(client):
        missing_url = _api_path(op, MISSING)
        route = resolve(missing_url).route
        walked.add(route)
        walk.checked.add(route)
        objects = [name for name in op.path_params if name not in API_SHARED]
        query_fields = [(p["name"], p.get("description", "")) for p in op.query]
        body_fields = [(n, f.get("description", "")) for n, f in op.body_fields.items()]
        for side in [*sides, *above]:
            url = _api_path(op, side)
            if url is None:
                continue
            query = _pointed_at(query_fields, side)
            body = _pointed_at(body_fields, side)
            logged = AccessLogEntry.objects.filter(user=user).count()
            response = _api_ask(walk, client, op.method, url, query, body)
            if response is None:
                continue
            where = f"{op.method} {url} ({side.label}) as {walk.role}"
            status = response.status_code
            text = walk.leaks(response, op.method, url, echo=[*query.values(), *body.values()])
            if status >= 500:
                walk.problems.append(f"{where}: {status}")
            if walk.role == "anonymous":
                # Refused unless the description says no token is needed (the contest's
                # public submission); then it shows nothing private either (walk.leaks).
                if status != 401 and not op.public:
                    walk.problems.append(f"{where}: {status}, expected 401")
                continue
            if found_in(text, walk.personal) and not viewing_logged(user, before=logged):
                walk.problems.append(f"{where}: shows contact details, not logged")
            if objects and side in sides:
                # Another unit's object: as if it did not exist (404), or refused before any
                # lookup (403: not this role's endpoint), exactly as a missing one. A judge
                # opens the entries assigned to them from any unit, blind (checked above).
                missing = _api_ask(walk, client, op.method, missing_url, query, body)
                missed = missing.status_code if missing is not None else None
                judged = walk.role == "judge" and status == 200
                if not judged and (status not in (403, 404) or status != missed):
                    walk.problems.append(f"{where}: {status}, but {missed} for a missing one")
            elif not objects and op.method == "GET" and status not in (200, 403):
                walk.problems.append(f"{where}: {status}, a list filtered elsewhere answers 200")
        if own is not None and objects and walk.role != "anonymous" and op.method == "GET":
            url = _api_path(op, own)
            if url is None:
                continue
            logged = AccessLogEntry.objects.filter(user=user).count()
            response = _api_ask(walk, client, "GET", url)
            if response is None:
                continue
            if response.status_code not in (200, 403):
                walk.problems.append(f"GET {url} (own) as {walk.role}: {response.status_code}")
            text = walk.leaks(response, "GET", url, " (own)")
            if found_in(text, walk.personal) and not viewing_logged(user, before=logged):
                walk.problems.append(f"GET {url} (own) as {walk.role}: contact shown, not logged")
    return walked


# role: (demo username, sides of units it may not see, of units above it, of its own unit)
ROLES = {
    "district_officer": (f"district.{DISTRICT}", ["other_district"], ["city"], "own_station"),
    "station_worker": (
        f"station.{STATION}.1",
        ["other_district", "other_station"],
        ["own_district", "city"],
        "own_station",
    ),
    "judge": ("judge.1", ["other_district", "city"], [], None),
    "anonymous": (None, ["other_district"], [], None),
}


@pytest.mark.parametrize("role", list(ROLES))
def test_no_url_shows_another_units_private_records(world, role):
    username, foreign, above, own = ROLES[role]
    client = Client()
    user = None
    if username:
        user = User.objects.get(username=username)
        client.force_login(user)
        # Signed in indeed, or every page would be the login redirect and show nothing.
        assert client.get("/console/").status_code == 200
    walk = Walk(
        role=role, client=client, secrets=private_strings(user), personal=personal_data(user)
    )
    # The marked records are among what the walk looks for, or it would look for nothing.
    sides = [getattr(world, name) for name in foreign]
    above_sides = [getattr(world, name) for name in above]
    for side in [*sides, *above_sides]:
        assert side.activity_title[:16] in walk.secrets
    routes = all_routes()
    api = walk_api(walk, user, sides, above_sides, own and getattr(world, own))
    objects = [r for r in routes if r.name in OBJECT_URLS]
    admin = [r for r in routes if r.area == "admin"]
    pages = [r for r in routes if r not in objects and r not in admin and r.route not in api]

    walk_pages(walk, pages, world.campaign, sides)
    walk_objects(walk, objects, sides, above_sides)
    if own:
        walk_own_objects(walk, objects, getattr(world, own), user)
    walk_admin(walk, admin)

    assert not walk.problems, f"{len(walk.problems)} problems:\n" + "\n".join(walk.problems)
    assert len(walk.checked) == len(routes)


def test_the_walk_finds_what_is_shown(world):
    """The check is not blind: a city admin, who may see 龙华区, is found to see its records."""
    admin = User.objects.get(username="city.admin")
    client = Client()
    client.force_login(admin)
    secrets = private_strings(None)
    side = world.other_district
    shown = {}
    for url in (
        f"/console/activities/{side.activity_id}/",
        f"/console/activities/export.xlsx?unit={side.unit_code}",
        "/console/helpdesk/?status=new",
        f"/console/campaigns/{world.campaign}/progress/{side.progress_id}/",
    ):
        text = response_text(client.get(url))
        shown[url.split("?")[0]] = set(found_in(text, secrets))

    assert side.activity_title in shown[f"/console/activities/{side.activity_id}/"]
    assert side.activity_title in shown["/console/activities/export.xlsx"]
    assert f"{side.help_code[:4]}-{side.help_code[4:]}" in shown["/console/helpdesk/"]
    progress = shown[f"/console/campaigns/{world.campaign}/progress/{side.progress_id}/"]
    assert any(secret.endswith("进展说明") for secret in progress)


# --- the walk covers every URL ---------------------------------------------------------------


def test_every_url_parameter_is_filled():
    """A new URL with a parameter must say which object it names (OBJECT_URLS) or why its
    parameter is no unit's object (SHARED_PARAMETERS); admin URLs need no filler."""
    routes = all_routes()
    unfilled = []
    for route in routes:
        if not route.parameters or route.area in ("admin", "api"):
            continue  # the API's parameters are filled by name: test_api_parameters_are_fillable
        filler = OBJECT_URLS.get(route.name) or SHARED_PARAMETERS.get(route.name)
        if filler is None:
            unfilled.append(route.route)
            continue
        values = filler(MISSING) if route.name in OBJECT_URLS else filler("haikou-2023")
        if set(values) != set(route.parameters):
            unfilled.append(f"{route.route}: fills {sorted(values)}")
    assert not unfilled, "URL parameters without a filler:\n" + "\n".join(unfilled)

    names = {route.name for route in routes}
    stale = (set(OBJECT_URLS) | set(SHARED_PARAMETERS) | OPEN_ACCOUNT_PAGES | ADMIN_DOOR) - names
    assert not stale, f"fillers for URLs that no longer exist: {sorted(stale)}"

    int_routes = [r for r in routes if "<int:" in r.route and r.area not in ("admin", "api")]
    assert len(int_routes) >= 17
    assert all(r.name in OBJECT_URLS for r in int_routes)
    assert len([r for r in routes if r.area != "admin"]) >= 75


def test_filled_urls_resolve_to_their_own_pattern():
    """The paths the walk builds reach the view they are meant for, not a neighbour."""
    side = MISSING
    for route in all_routes():
        if route.area == "admin":
            values = admin_values(route)
        elif route.area == "api":
            values = {name: getattr(MISSING, name) for name in route.parameters}
        elif route.name in OBJECT_URLS:
            values = OBJECT_URLS[route.name](side)
        elif route.parameters:
            values = SHARED_PARAMETERS[route.name]("haikou-2023")
        else:
            values = {}
        path = route.path(values)
        assert resolve(path).func is route.target.callback, path


def test_api_parameters_are_fillable(db):
    """Every API route is in the description, and its path parameters are named after the
    objects the walk has for each unit (``Side`` fields), so the walk fills them."""
    described = {resolve(_api_path(op, MISSING)).route for op in api_operations(Client())}
    for route in all_routes():
        if route.area != "api" or not route.parameters:
            continue
        assert route.route in described, route.route
        unknown = set(route.parameters) - set(Side.__dataclass_fields__)
        assert not unknown, f"{route.route}: name its parameters after Side fields: {unknown}"
