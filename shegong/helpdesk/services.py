"""Writes on help requests. Each state change is one function; each leaves an audit entry.

The promise to the citizen: a request is stored in its own transaction before anything else
(routing is decided inside it, notification only after commit), so a failing notifier, mail
server or task queue never loses a request.
"""

import hashlib
import logging
import secrets
import string
import unicodedata
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.accounts.models import User
from shegong.accounts.services import notification_send_to_unit
from shegong.campaigns.models import Campaign
from shegong.core.audit import audit_record
from shegong.core.validators import mask_phone, normalise_phone
from shegong.orgs.models import Unit

from .models import (
    CODE_ALPHABET,
    CODE_LENGTH,
    AccessLogEntry,
    CampaignSetting,
    HelpRequest,
    Note,
    TrackAttempt,
)
from .rules import can_handle, can_refer_to

logger = logging.getLogger(__name__)
Status = HelpRequest.Status

# What a typed code is reduced to before lookup (no NUL or other byte reaches the database).
CODE_CHARACTERS = frozenset(string.ascii_uppercase + string.digits)

# Limits (settings.HELPDESK_LIMIT_*, read at call time) are counted in the database so they
# hold across workers and restarts. A request with danger words passes the ordinary limits
# (someone in danger may have asked about something else earlier today) and stops only at the
# much higher HELPDESK_URGENT_LIMIT_PER_IP_PER_DAY, against floods.
TRACK_FAILURES_PER_IP_PER_HOUR = 10
TRACK_FAILURES_PER_CODE_PER_HOUR = 5
DEFAULT_RESPONSE_WORKING_DAYS = 1
DEFAULT_RETENTION_DAYS = 365
MAX_NOTIFY_ATTEMPTS = 20
TRACK_ATTEMPTS_KEPT_DAYS = 30
DUPLICATE_WINDOW = timedelta(minutes=10)

# Words that signal danger to life or limb. Matching is on lower-cased text.
DANGER_WORDS = (
    "自杀", "轻生", "不想活", "寻死", "跳楼", "割腕", "家暴", "家庭暴力", "打人", "殴打",
    "虐待", "性侵", "走失", "失踪", "找不到人", "拐卖", "危险",
    "suicide", "kill myself", "self-harm", "abuse", "violence", "beaten", "beating",
    "missing", "lost child", "assault",
)  # fmt: skip


class LimitReached(ValidationError):
    """Too many requests or tracking attempts from one address or phone."""


def danger_words_in(text: str) -> list[str]:
    lowered = text.lower()
    return [word for word in DANGER_WORDS if word in lowered]


def add_working_days(start: datetime, days: int) -> datetime:
    """``start`` moved forward by ``days`` working days (Saturdays and Sundays skipped)."""
    local = timezone.localtime(start)
    moved = 0
    while moved < days:
        local += timedelta(days=1)
        if local.weekday() < 5:
            moved += 1
    return local


def client_hash(ip: str) -> str:
    """Addresses are kept only as a keyed hash: enough to count, useless to anyone else."""
    return hashlib.sha256(f"{settings.SECRET_KEY}:helpdesk:{ip}".encode()).hexdigest()


def code_generate() -> str:
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if not HelpRequest.objects.filter(code=code).exists():
            return code


def code_normalise(value: str) -> str:
    """The code as typed (dash, spaces, lower case, full-width letters) in stored form."""
    value = unicodedata.normalize("NFKC", value).upper()
    return "".join(ch for ch in value if ch in CODE_CHARACTERS)


def campaign_setting(campaign) -> CampaignSetting:
    if campaign is None:
        return CampaignSetting(
            first_response_working_days=DEFAULT_RESPONSE_WORKING_DAYS,
            retention_days=DEFAULT_RETENTION_DAYS,
        )
    setting = CampaignSetting.objects.filter(campaign=campaign).first()
    return setting or CampaignSetting(campaign=campaign)


@transaction.atomic
def campaign_setting_save(
    *, actor, campaign, first_response_working_days: int, retention_days: int
) -> CampaignSetting:
    """Set the campaign's first-response deadline (working days) and how long citizens'
    contact details are kept.

    Side effects: the setting's row (made when missing), an audit entry
    ``helpdesk_setting.save`` with the changed values.
    """
    setting = CampaignSetting.objects.filter(campaign=campaign).first() or CampaignSetting(
        campaign=campaign
    )
    changes = {}
    for name, value in (
        ("first_response_working_days", first_response_working_days),
        ("retention_days", retention_days),
    ):
        if setting.pk is None or getattr(setting, name) != value:
            changes[name] = [getattr(setting, name) if setting.pk else None, value]
        setattr(setting, name, value)
    setting.full_clean()
    setting.save()
    audit_record(
        actor=actor,
        action="helpdesk_setting.save",
        target=setting,
        changes=changes,
        scope_path=campaign.issuer.path,
    )
    return setting


def route(area: Unit) -> Unit:
    """The station of the chosen town/street when it has staff, else the district's queue.

    Staff means an active station worker: a judge seated there can neither see nor handle it.
    """
    if area.level == Unit.Level.STATION:
        workers = User.objects.filter(unit=area, is_active=True, role=User.Role.STATION_WORKER)
        if workers.exists():
            return area
        return area.parent
    return area


def submission_limit_check(*, ip_hash: str, phone: str, now: datetime, urgent: bool) -> None:
    since = now - timedelta(days=1)
    recent = HelpRequest.objects.created_since(since)
    if urgent:
        cap = settings.HELPDESK_URGENT_LIMIT_PER_IP_PER_DAY
        if ip_hash and recent.filter(ip_hash=ip_hash).count() >= cap:
            raise LimitReached(
                _("今天从这台设备提交的求助太多了。如情况紧急，请立即拨打 110 或 12345。"),
                code="urgent_ip_limit",
            )
        return
    if ip_hash and recent.filter(ip_hash=ip_hash).count() >= settings.HELPDESK_LIMIT_PER_IP_PER_DAY:
        raise LimitReached(
            _(
                "今天从这台设备提交的求助已达上限（每天 %(n)s 次）。"
                "如情况紧急，请直接拨打社工站电话或 12345。"
            )
            % {"n": settings.HELPDESK_LIMIT_PER_IP_PER_DAY},
            code="ip_limit",
        )
    if recent.filter(phone=phone).count() >= settings.HELPDESK_LIMIT_PER_PHONE_PER_DAY:
        raise LimitReached(
            _(
                "这个电话号码今天已提交 %(n)s 次求助，社工会尽快联系您。"
                "如情况紧急，请直接拨打社工站电话或 12345。"
            )
            % {"n": settings.HELPDESK_LIMIT_PER_PHONE_PER_DAY},
            code="phone_limit",
        )


@transaction.atomic
def helprequest_submit(
    *,
    for_whom: str,
    category: str,
    description: str,
    area: Unit,
    contact_name: str,
    phone: str,
    preferred_time: str = HelpRequest.PreferredTime.ANY,
    ip: str = "",
    now: datetime | None = None,
) -> HelpRequest:
    """Store a citizen's request and route it.

    Side effects: the request row (urgent when danger words appear), a public note, an audit
    entry; after commit, a task that notifies the assigned unit (its failure is retried by
    ``helpdesk_notify_pending`` and never undoes the request). The same words for the same
    place from the same phone within ``DUPLICATE_WINDOW`` (a double tap, a resent form) return
    the request already stored, with no side effect. Raises ``LimitReached``.
    """
    now = now or timezone.now()
    phone = normalise_phone(phone)
    already = (
        HelpRequest.objects.created_since(now - DUPLICATE_WINDOW)
        .filter(phone=phone, area=area, description=description.strip())
        .select_related("unit")
        .order_by("-created_at", "-id")
        .first()
    )
    if already is not None:
        return already
    ip_hash = client_hash(ip) if ip else ""
    found = danger_words_in(description)
    submission_limit_check(ip_hash=ip_hash, phone=phone, now=now, urgent=bool(found))
    campaign = Campaign.objects.current()
    setting = campaign_setting(campaign)
    unit = route(area)
    request = HelpRequest.objects.create(
        code=code_generate(),
        for_whom=for_whom,
        category=category,
        description=description.strip(),
        area=area,
        unit=unit,
        campaign=campaign,
        contact_name=contact_name.strip(),
        phone=phone,
        phone_last4=phone[-4:],
        preferred_time=preferred_time,
        consent_at=now,
        ip_hash=ip_hash,
        urgent=bool(found),
        danger_words="、".join(found)[:200],
        respond_by=add_working_days(now, setting.first_response_working_days),
    )
    HelpRequest.objects.filter(pk=request.pk).update(created_at=now)
    request.created_at = now
    Note.objects.create(
        request=request,
        at=now,
        status_to=Status.NEW,
        text=f"{Note.RECEIPT_PREFIX}{unit.name}。",
        public=True,
    )
    audit_record(
        actor=None,
        action="helprequest.submit",
        target=request,
        changes={"unit": [None, unit.name], "urgent": [None, request.urgent]},
        scope_path=unit.path,
    )
    transaction.on_commit(lambda: _enqueue_notify(request.pk), robust=True)
    return request


def _enqueue_notify(request_id: int) -> None:
    from .tasks import helprequest_notify_task

    helprequest_notify_task.enqueue(request_id)


def helprequest_notify(*, request_id: int, now: datetime | None = None) -> bool:
    """Tell the assigned unit about a new request; mark it notified.

    Side effects: inbox notifications (emailed after commit by accounts). On failure the
    attempt is counted and the exception re-raised, leaving the request for a retry.
    Returns False when there was nothing left to do.
    """
    now = now or timezone.now()
    request = HelpRequest.objects.select_related("unit").filter(pk=request_id).first()
    if request is None or request.notified_at is not None:
        return False
    try:
        with transaction.atomic():
            prefix = "【紧急】" if request.urgent else ""
            notification_send_to_unit(
                unit=request.unit,
                message=f"{prefix}新求助 {request.display_code}：{request.get_category_display()}",
                url=reverse("helpdesk:detail", args=[request.code]),
            )
            HelpRequest.objects.filter(pk=request.pk).update(
                notified_at=now, notify_attempts=request.notify_attempts + 1
            )
    except Exception:
        HelpRequest.objects.filter(pk=request.pk).update(
            notify_attempts=request.notify_attempts + 1
        )
        logger.exception("helpdesk: notifying the unit of request %s failed", request.pk)
        raise
    return True


def helprequest_notify_pending(*, now: datetime | None = None) -> tuple[int, int]:
    """Retry every request whose unit was never told. Returns (delivered, failed)."""
    delivered = failed = 0
    pending = HelpRequest.objects.filter(
        notified_at=None, notify_attempts__lt=MAX_NOTIFY_ATTEMPTS
    ).values_list("pk", flat=True)
    for pk in list(pending):
        try:
            delivered += helprequest_notify(request_id=pk, now=now)
        except Exception:
            failed += 1
    return delivered, failed


def _move(
    *,
    actor,
    request: HelpRequest,
    allowed_from: tuple,
    to: str,
    note: str,
    public: bool,
    now: datetime | None,
    verb: str,
    **fields,
) -> HelpRequest:
    now = now or timezone.now()
    locked = HelpRequest.objects.select_for_update().get(pk=request.pk)
    if locked.status not in allowed_from:
        raise ValidationError(
            f"当前状态为「{locked.get_status_display()}」，不能{verb}。", code="bad_transition"
        )
    if not note.strip():
        raise ValidationError("请填写处理说明。", code="note_required")
    old = locked.status
    changes = {"status": [old, to]}
    for name, value in fields.items():
        changes[name] = [str(getattr(locked, name)), str(value)]
        setattr(locked, name, value)
    locked.status = to
    if locked.first_response_at is None and old == Status.NEW:
        locked.first_response_at = now
    locked.save()
    Note.objects.create(
        request=locked,
        at=now,
        author=actor,
        status_from=old,
        status_to=to,
        text=note.strip(),
        public=public,
    )
    audit_record(
        actor=actor,
        action=f"helprequest.{to}",
        target=locked,
        changes=changes,
        scope_path=locked.unit.path,
    )
    return locked


@transaction.atomic
def helprequest_accept(*, actor, request, note: str, public: bool = True, now=None):
    """new → accepted. Side effects: first response time, a note, an audit entry."""
    return _move(
        actor=actor, request=request, allowed_from=HelpRequest.ACTIONS_FROM["accept"],
        to=Status.ACCEPTED, note=note, public=public, now=now, verb="受理",
    )  # fmt: skip


@transaction.atomic
def helprequest_start(*, actor, request, note: str, public: bool = True, now=None):
    """accepted → in progress. Side effects: a note, an audit entry."""
    return _move(
        actor=actor, request=request, allowed_from=HelpRequest.ACTIONS_FROM["start"],
        to=Status.IN_PROGRESS, note=note, public=public, now=now, verb="开始处理",
    )  # fmt: skip


@transaction.atomic
def helprequest_close(*, actor, request, outcome: str, note: str = "", public=True, now=None):
    """accepted | in progress → closed with an outcome. Side effects: a note, an audit entry."""
    if not outcome.strip():
        raise ValidationError("请填写办结结果。", code="outcome_required")
    return _move(
        actor=actor, request=request, allowed_from=HelpRequest.ACTIONS_FROM["close"],
        to=Status.CLOSED, note=note or outcome, public=public, now=now, verb="办结",
        outcome=outcome.strip(),
    )  # fmt: skip


@transaction.atomic
def helprequest_reject(*, actor, request, reason: str, note: str, public=True, now=None):
    """new | accepted | in progress → rejected (duplicate / out of scope)."""
    if reason not in HelpRequest.RejectReason.values:
        raise ValidationError("请选择不予受理的原因。", code="reason_required")
    return _move(
        actor=actor, request=request,
        allowed_from=HelpRequest.ACTIONS_FROM["reject"],
        to=Status.REJECTED, note=note, public=public, now=now, verb="不予受理",
        reject_reason=reason,
    )  # fmt: skip


@transaction.atomic
def helprequest_refer(
    *, actor, request, note: str, unit: Unit | None = None, partner: str = "", public=True,
    now=None,
):  # fmt: skip
    """Refer the request on.

    To a partner (free text): → referred, which ends our handling. To another unit, within
    the district or from district to district only (``rules.can_refer_to``): the
    request moves to that unit's queue as new, with a fresh deadline, and that unit is
    notified after commit; a station without active staff is refused (nobody would see it).
    Side effects: notes, audit entries.
    """
    now = now or timezone.now()
    open_states = HelpRequest.ACTIONS_FROM["refer"]
    if bool(unit) == bool(partner.strip()):
        raise ValidationError("请选择转介的单位，或填写合作机构名称（二选一）。", code="target")
    if partner.strip():
        return _move(
            actor=actor, request=request, allowed_from=open_states, to=Status.REFERRED,
            note=note, public=public, now=now, verb="转介", referred_to=partner.strip()[:100],
        )  # fmt: skip
    if unit.level not in (Unit.Level.DISTRICT, Unit.Level.STATION):
        raise ValidationError("只能转介给区级单位或社工站。", code="target")
    if unit.pk == request.unit_id:
        raise ValidationError("求助已在该单位，无需转介。", code="target")
    if not can_refer_to(actor, request, unit):
        raise ValidationError(
            f"不能直接转介给{unit.name}：求助只能在本区内转介（本区民政局或本区社工站）。"
            "需要跨区转介的，请转给本区民政局，由区局转给对方区民政局。",
            code="target",
        )
    if route(unit) != unit:
        raise ValidationError(
            f"{unit.name}暂无工作人员账号，转过去无人受理。请转介给{unit.parent.name}或其他社工站。",
            code="target",
        )
    setting = campaign_setting(request.campaign)
    moved = _move(
        actor=actor, request=request, allowed_from=open_states, to=Status.NEW, note=note,
        public=public, now=now, verb="转介", referred_to=unit.name, unit=unit,
        respond_by=add_working_days(now, setting.first_response_working_days),
        notified_at=None, escalated_at=None,
    )  # fmt: skip
    transaction.on_commit(lambda: _enqueue_notify(moved.pk), robust=True)
    return moved


@transaction.atomic
def helprequest_note_add(*, actor, request, text: str, public: bool, now=None) -> Note:
    """A remark without a status change. Side effects: a note, an audit entry."""
    if not text.strip():
        raise ValidationError("请填写处理说明。", code="note_required")
    note = Note.objects.create(
        request=request, at=now or timezone.now(), author=actor, text=text.strip(), public=public
    )
    audit_record(
        actor=actor,
        action="helprequest.note",
        target=request,
        changes={"public": [None, public]},
        scope_path=request.unit.path,
    )
    return note


@transaction.atomic
def helprequest_rate(*, request: HelpRequest, rating: int, comment: str = "") -> HelpRequest:
    """The citizen rates a closed request, once. Side effects: an audit entry."""
    if request.status != Status.CLOSED:
        raise ValidationError(_("求助办结后才能评价。"), code="not_closed")
    if not 1 <= rating <= 5:
        raise ValidationError(_("请选择 1 到 5 分。"), code="rating")
    comment = comment.strip()[:300]
    # Conditional update: of two submissions at once, only the first one counts.
    rated = HelpRequest.objects.filter(
        pk=request.pk, status=Status.CLOSED, rating__isnull=True
    ).update(rating=rating, rating_comment=comment, updated_at=timezone.now())
    if not rated:
        raise ValidationError(_("您已经评价过了，谢谢。"), code="rated")
    request.rating = rating
    request.rating_comment = comment
    audit_record(
        actor=None,
        action="helprequest.rate",
        target=request,
        changes={"rating": [None, rating]},
        scope_path=request.unit.path,
    )
    return request


def helprequest_track(*, code: str, last4: str, ip: str, now=None) -> HelpRequest:
    """Find a request by its code and the phone's last four digits, counting failures.

    Raises ``LimitReached`` after too many failures from one address (for an hour), and, once a
    code has had too many failures within the hour, for an address that has itself failed on
    that code: each guesser then gets one try at it, while the citizen who owns it, from an
    address that has not failed on it, still gets in with the right digits (a hard lock on the
    code let anyone lock the owner out of their own request for an hour). Raises
    ``ValidationError`` when the pair does not match (without saying which part was wrong).
    """
    now = now or timezone.now()
    code = code_normalise(code)[:CODE_LENGTH]
    ip_hash = client_hash(ip)
    since = now - timedelta(hours=1)
    failures = TrackAttempt.objects.filter(at__gte=since, success=False)
    if failures.filter(ip_hash=ip_hash).count() >= TRACK_FAILURES_PER_IP_PER_HOUR:
        raise LimitReached(
            _("查询失败次数过多，请一小时后再试，或直接拨打社工站电话询问。"), code="track_limit"
        )
    code_failures = failures.filter(code=code)
    if (
        code_failures.count() >= TRACK_FAILURES_PER_CODE_PER_HOUR
        and code_failures.filter(ip_hash=ip_hash).exists()
    ):
        raise LimitReached(
            _(
                "这个查询码近期被多次输错，为保护求助人的信息，本网络一小时内不能再查询它。"
                "请核对查询码和手机号后四位，稍后再试，或直接拨打社工站电话询问。"
            ),
            code="track_limit",
        )
    request = (
        HelpRequest.objects.select_related("unit")
        .filter(code=code, phone_last4=last4.strip())
        .first()
        if len(last4.strip()) == 4
        else None
    )
    TrackAttempt.objects.create(at=now, ip_hash=ip_hash, code=code, success=request is not None)
    if request is None:
        raise ValidationError(_("查询码或手机号后四位不正确，请核对后再试。"), code="no_match")
    return request


# Views of one request by one person, for one purpose, within this time are one viewing: the
# page reloading itself after each action (accept, start, a note) is not a new look at the data.
VIEWING = timedelta(minutes=10)


def access_log_record(
    *,
    user,
    request: HelpRequest,
    purpose: str | None = None,
    action: str = "view",
    now: datetime | None = None,
) -> AccessLogEntry:
    """Write down that ``user`` saw the personal data of ``request``, and for what.

    One row per viewing: a view by the same person of the same request for the same purpose
    within ``VIEWING`` of their last one returns that row and writes nothing. The purpose,
    unless given, follows from who looks: the unit handling it (办理求助), or the city
    auditing it (督办检查).
    """
    now = now or timezone.now()
    if purpose is None:
        handles = can_handle(user, request)
        purpose = AccessLogEntry.Purpose.HANDLE if handles else AccessLogEntry.Purpose.SUPERVISE
    last = (
        AccessLogEntry.objects.filter(
            user=user, request=request, purpose=purpose, action=action, at__gte=now - VIEWING
        )
        .order_by("-at")
        .first()
    )
    if last is not None:
        return last
    return AccessLogEntry.objects.create(
        user=user,
        request=request,
        action=action,
        purpose=purpose,
        at=now,
        scope_path=request.unit.path,
    )


@transaction.atomic
def helprequest_escalate_overdue(*, now: datetime | None = None) -> list[HelpRequest]:
    """Escalate requests past their first-response deadline to their district.

    Side effects: each request marked escalated with an internal note, the district's staff
    notified, an audit entry each. Requests already escalated are left alone.
    """
    now = now or timezone.now()
    overdue = list(
        HelpRequest.objects.overdue(now)
        .filter(escalated_at=None)
        .select_related("unit", "unit__parent")
        .select_for_update(of=("self",))
    )
    for request in overdue:
        district = request.unit.district or request.unit
        request.escalated_at = now
        request.save(update_fields=["escalated_at", "updated_at"])
        Note.objects.create(
            request=request,
            at=now,
            text=f"超过首次响应期限未受理，已上报{district.name}。",
            public=False,
        )
        notification_send_to_unit(
            unit=district,
            message=f"【逾期】求助 {request.display_code} 超过首次响应期限未受理",
            url=reverse("helpdesk:detail", args=[request.code]),
        )
        audit_record(
            actor=None,
            action="helprequest.escalate",
            target=request,
            changes={"escalated_to": [None, district.name]},
            scope_path=request.unit.path,
        )
    return overdue


@transaction.atomic
def helprequest_purge_contacts(*, now: datetime | None = None) -> int:
    """Clear contact name and phone of finished requests older than the retention period.

    The last four digits stay so the citizen can still track the request. Tracking attempts
    older than a month are deleted too. Side effects: one audit entry per purge run. Returns
    how many requests were purged.
    """
    now = now or timezone.now()
    purged = 0
    finished = HelpRequest.objects.filter(status__in=HelpRequest.FINAL_STATUSES, purged_at=None)
    campaign_ids = set(finished.values_list("campaign_id", flat=True).distinct())
    for campaign_id in campaign_ids:
        campaign = Campaign.objects.filter(pk=campaign_id).first() if campaign_id else None
        days = campaign_setting(campaign).retention_days
        purged += finished.filter(
            campaign_id=campaign_id, updated_at__lt=now - timedelta(days=days)
        ).update(contact_name="", phone="", ip_hash="", purged_at=now)
    TrackAttempt.objects.filter(at__lt=now - timedelta(days=TRACK_ATTEMPTS_KEPT_DAYS)).delete()
    if purged:
        audit_record(actor=None, action="helprequest.purge", changes={"count": [None, purged]})
    return purged


ERASED = "（应本人要求已删除）"


def _requests_of_phone(phone: str):
    phone = normalise_phone(phone)
    if not phone:
        raise ValidationError("请提供电话号码。", code="phone")
    return HelpRequest.objects.filter(phone=phone).select_related("unit").order_by("created_at")


def personal_data_export(*, actor, phone: str) -> dict:
    """Everything the help desk stores about one phone number, for its owner (PIPL art. 45).

    Side effects: an audit entry ``personal_data.export`` (the number masked). Contest entries
    and survey answers hold no phone number; staff accounts are not citizens' data.
    """
    requests = list(_requests_of_phone(phone).prefetch_related("notes"))
    data = {
        "phone": normalise_phone(phone),
        "exported_at": timezone.now().isoformat(),
        "help_requests": [
            {
                "code": r.code,
                "created_at": r.created_at.isoformat(),
                "for_whom": r.get_for_whom_display(),
                "category": r.get_category_display(),
                "description": r.description,
                "contact_name": r.contact_name,
                "phone": r.phone,
                "preferred_time": r.get_preferred_time_display(),
                "area": str(r.area) if r.area_id else "",
                "handled_by": str(r.unit),
                "status": r.get_status_display(),
                "outcome": r.outcome,
                "referred_to": r.referred_to,
                "rating": r.rating,
                "rating_comment": r.rating_comment,
                "notes": [
                    {"at": n.at.isoformat(), "text": n.text, "shown_to_citizen": n.public}
                    for n in r.notes.all()
                ],
            }
            for r in requests
        ],
    }
    audit_record(
        actor=actor,
        action="personal_data.export",
        changes={"phone": mask_phone(phone), "help_requests": len(requests)},
    )
    return data


@transaction.atomic
def personal_data_erase(*, actor, phone: str, now=None) -> int:
    """Erase what the help desk stores about one phone number, at its owner's request.

    The requests stay as counted cases (category, unit, dates, status: the statistics the
    bureau reports), but the contact name, phone, its last four digits, the description, the
    outcome, the notes and the rating comment are erased, and its tracking attempts deleted.
    Side effects: those changes; an audit entry ``personal_data.erase`` per request (the
    number masked). Returns how many requests were erased.
    """
    now = now or timezone.now()
    requests = list(_requests_of_phone(phone))
    codes = [r.code for r in requests]
    for request in requests:
        Note.objects.filter(request=request).update(text=ERASED)
        if request.outcome:
            HelpRequest.objects.filter(pk=request.pk).update(outcome=ERASED)
        audit_record(
            actor=actor,
            action="personal_data.erase",
            target=request,
            changes={"phone": mask_phone(phone)},
            scope_path=request.unit.path,
        )
    HelpRequest.objects.filter(pk__in=[r.pk for r in requests]).update(
        contact_name="",
        phone="",
        phone_last4="",
        description=ERASED,
        rating_comment="",
        ip_hash="",
        purged_at=now,
        updated_at=now,
    )
    TrackAttempt.objects.filter(code__in=codes).delete()
    return len(requests)
