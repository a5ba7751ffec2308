"""Writes on the activity ledger. Each function validates, writes in one transaction, leaves an
audit entry and, where somebody must act next, a notification."""

import datetime
import re
from decimal import Decimal

import nh3
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from shegong.accounts.services import notification_send_to_unit
from shegong.core.audit import audit_record, changed_fields
from shegong.orgs.rules import is_above_unit

from . import rules
from .models import (
    Activity,
    ActivityEvent,
    ActivityMedia,
    BudgetCap,
    Case,
    LiveStream,
    MediaCoverage,
    NewsDraft,
    RiskAssessment,
    Submission,
    codes_join,
)
from .uploads import upload_clean

Status = Activity.Status

ACTIVITY_FIELDS = (
    "campaign",
    "kind",
    "title",
    "starts_at",
    "place",
    "audiences",
    "focus_tags",
    "participants",
    "volunteers",
    "views",
    "live_viewers",
    "reads",
    "budget_planned",
    "spend_actual",
    "outcome",
    "held",
)
RISK_FIELDS = ("expected_crowd", "venue", "weather", "emergency_plan", "person_responsible")
# A second identical recording by the same person within this window (a double tap on a slow
# phone, a resent form, a file imported again) is not a second activity. One window and one
# rule (``activity_repeat_keys``) for the form, the import and any other way in.
REPEAT_WINDOW = datetime.timedelta(minutes=10)


def activity_repeat_key(*, unit_id: int, title: str, starts_at, kind: str) -> tuple:
    return (unit_id, title, starts_at, kind)


def activity_repeat_keys(*, actor, since: datetime.datetime) -> dict[tuple, int]:
    """The drafts ``actor`` recorded since ``since``, by repeat key (unit, title, time, kind):
    what a second recording of the same is recognised by. Values are the drafts' pks."""
    rows = Activity.objects.filter(
        created_by=actor, status=Activity.Status.DRAFT, created_at__gte=since
    ).values_list("pk", "unit_id", "title", "starts_at", "kind")
    return {
        activity_repeat_key(unit_id=unit_id, title=title, starts_at=starts_at, kind=kind): pk
        for pk, unit_id, title, starts_at, kind in rows
    }


def _url(activity: Activity) -> str:
    return reverse("activities:activity_detail", args=[activity.pk])


def _refuse(message: str):
    raise ValidationError(message)


def _check_tasks(activity: Activity, tasks) -> None:
    """An activity carries out tasks of its own campaign that were assigned to its level."""
    for task in tasks:
        if task.campaign_id != activity.campaign_id:
            _refuse(f"任务“{task.title}”不属于所选的宣传活动，请重新选择对应的方案任务。")
        if task.level != activity.unit.level:
            _refuse(f"任务“{task.title}”是{task.get_level_display()}任务，不是本单位的任务。")


# --- risk ------------------------------------------------------------------------------------


def risk_level(*, expected_crowd: int, venue: str, weather: str, emergency_plan: str) -> str:
    """Score the factors of an on-site event; any one severe factor makes the event high risk.

    Crowd: under 50 → 0, under 200 → 1, under 1,000 → 2, more → 3. Venue: indoor 0, outdoor
    1, street or square 2, waterside 3. Weather: fine 0, heat or rain 1, typhoon 3. No
    emergency plan adds 2. Total ≥ 4 or any factor at 3 → high; ≥ 2 → medium; else low.
    """
    crowd = 0 if expected_crowd < 50 else 1 if expected_crowd < 200 else 2
    if expected_crowd >= 1000:
        crowd = 3
    venue_score = {"indoor": 0, "outdoor": 1, "street": 2, "waterside": 3}.get(venue, 1)
    weather_score = {"fine": 0, "hot": 1, "rain": 1, "typhoon": 3}.get(weather, 1)
    plan = 0 if emergency_plan.strip() else 2
    scores = (crowd, venue_score, weather_score)
    total = sum(scores) + plan
    if total >= 4 or 3 in scores:
        return RiskAssessment.Level.HIGH
    if total >= 2:
        return RiskAssessment.Level.MEDIUM
    return RiskAssessment.Level.LOW


def _risk_save(*, actor, activity: Activity, risk: dict) -> RiskAssessment:
    level = risk_level(
        expected_crowd=risk["expected_crowd"],
        venue=risk["venue"],
        weather=risk["weather"],
        emergency_plan=risk.get("emergency_plan", ""),
    )
    data = {field: risk.get(field, "") for field in RISK_FIELDS}
    assessment = RiskAssessment.objects.filter(activity=activity).first()
    if assessment is None:
        assessment = RiskAssessment(activity=activity, level=level, **data)
        changes = {"level": [None, level]}
    else:
        changes = changed_fields(assessment, {**data, "level": level})
        for key, value in data.items():
            setattr(assessment, key, value)
        assessment.level = level
        if changes:  # an approval covers what was approved, not a changed plan
            assessment.approved_at = None
            assessment.approved_by = None
    assessment.full_clean(exclude=["activity"])
    assessment.save()
    if changes:
        audit_record(
            actor=actor,
            action="activity.risk_assess",
            target=activity,
            changes=changes,
            scope_path=activity.unit.path,
        )
        if level == RiskAssessment.Level.HIGH:
            notification_send_to_unit(
                unit=rules.reviewer_unit(activity.unit),
                message=f"{activity.unit}的现场活动“{activity.title}”风险等级为高，请审批风险评估。",
                url=_url(activity),
            )
    return assessment


@transaction.atomic
def risk_approve(*, actor, activity: Activity, now: datetime.datetime | None = None) -> None:
    """Approve a high-risk on-site event's assessment (its district, or the city for a
    district's own event). Side effects: audit entry, notification to the unit."""
    if not rules.can_review(actor, activity):
        _refuse("只有上级审核单位可以批准风险评估。")
    risk = RiskAssessment.objects.filter(activity=activity).first()
    if risk is None:
        _refuse("该活动还没有风险评估，无法批准。")
    if risk.level != RiskAssessment.Level.HIGH:
        _refuse("只有高风险的现场活动需要批准。")
    if risk.approved_at is not None:
        _refuse("该风险评估已经批准过了。")
    risk.approved_at = now or timezone.now()
    risk.approved_by = actor
    risk.save(update_fields=["approved_at", "approved_by", "updated_at"])
    audit_record(
        actor=actor, action="activity.risk_approve", target=activity, scope_path=activity.unit.path
    )
    notification_send_to_unit(
        unit=activity.unit,
        message=f"现场活动“{activity.title}”的风险评估已获批准。",
        url=_url(activity),
    )


def _check_held(activity: Activity, *, now: datetime.datetime) -> None:
    if not activity.held:
        return
    if activity.starts_at > now:
        _refuse("活动时间还没到，不能登记为“已举办”。")
    if activity.needs_risk_assessment:
        risk = RiskAssessment.objects.filter(activity=activity).first()
        if risk is None:
            _refuse("现场活动须在举办前完成风险评估，没有风险评估不能登记为“已举办”。")
        if not risk.is_cleared:
            _refuse("该现场活动风险等级为“高”，须经上级批准风险评估后才能登记为“已举办”。")


# --- budget ----------------------------------------------------------------------------------


def budget_recompute(*, unit_id: int, campaign_id: int | None) -> None:
    """Flag a unit's activities in a campaign: spend over plan, and the activities whose
    spending took the unit past its cap (in date order)."""
    rows = list(
        Activity.objects.filter(unit_id=unit_id, campaign_id=campaign_id)
        .order_by("starts_at", "id")
        .values_list("id", "budget_planned", "spend_actual", "over_plan", "over_cap")
    )
    cap = None
    if campaign_id is not None:
        cap = (
            BudgetCap.objects.filter(unit_id=unit_id, campaign_id=campaign_id)
            .values_list("amount", flat=True)
            .first()
        )
    running = Decimal("0")
    changed: dict[tuple[bool, bool], list[int]] = {}
    for pk, planned, spent, was_over_plan, was_over_cap in rows:
        running += spent
        flags = (spent > planned, cap is not None and running > cap)
        if flags != (was_over_plan, was_over_cap):
            changed.setdefault(flags, []).append(pk)
    # At most four plain UPDATEs, one per combination of flags, whatever the number of rows.
    for (over_plan, over_cap), ids in changed.items():
        for start in range(0, len(ids), 900):
            Activity.objects.filter(pk__in=ids[start : start + 900]).update(
                over_plan=over_plan, over_cap=over_cap
            )


@transaction.atomic
def budgetcap_set(*, actor, unit, campaign, amount: Decimal) -> BudgetCap:
    """Set the most ``unit`` may spend on ``campaign``. Only a unit above it sets the cap.
    Side effects: audit entry; the unit's activities re-flagged."""
    if not is_above_unit(actor, unit):
        _refuse("只有上级单位可以设置经费上限。")
    if amount < 0:
        _refuse("经费上限不能为负数。")
    cap, created = BudgetCap.objects.get_or_create(
        unit=unit, campaign=campaign, defaults={"amount": amount}
    )
    old = None if created else cap.amount
    if not created:
        cap.amount = amount
        cap.save(update_fields=["amount", "updated_at"])
    audit_record(
        actor=actor,
        action="activity.budget_cap",
        target=unit,
        changes={"amount": [str(old) if old is not None else None, str(amount)]},
        scope_path=unit.path,
    )
    budget_recompute(unit_id=unit.pk, campaign_id=campaign.pk)
    return cap


# --- activities ------------------------------------------------------------------------------


def _normalise(data: dict) -> dict:
    data = {key: value for key, value in data.items() if key in ACTIVITY_FIELDS}
    for key in ("audiences", "focus_tags"):
        if key in data and not isinstance(data[key], str):
            data[key] = codes_join(data[key])
    return data


@transaction.atomic
def activity_create(
    *,
    actor,
    unit,
    partners=(),
    tasks=(),
    risk: dict | None = None,
    now: datetime.datetime | None = None,
    is_demo: bool = False,
    **data,
) -> Activity:
    """Record an activity of ``unit`` as a draft. Side effects: audit entry; a risk
    assessment when given (a high one notifies the reviewing unit); budget flags.

    The same title and time recorded again by the same person within ``REPEAT_WINDOW`` (a
    double tap on a slow phone, a resent form) returns the draft already stored, unchanged."""
    now = now or timezone.now()
    if not rules.can_record_for_unit(actor, unit):
        _refuse(f"您不能为{unit.name}登记活动。")
    activity = Activity(unit=unit, created_by=actor, is_demo=is_demo, **_normalise(data))
    if actor is not None:
        # One recording at a time per person, so the second tap waits and then finds the first.
        get_user_model().objects.select_for_update().filter(pk=actor.pk).first()
        key = activity_repeat_key(
            unit_id=unit.pk, title=activity.title, starts_at=activity.starts_at, kind=activity.kind
        )
        since = timezone.now() - REPEAT_WINDOW  # the clock of the recording, not of the activity
        already = activity_repeat_keys(actor=actor, since=since).get(key)
        if already is not None:
            return Activity.objects.get(pk=already)
    activity.full_clean(exclude=["partners", "tasks"])
    _check_tasks(activity, tasks)
    activity.save()
    activity.partners.set(partners)
    activity.tasks.set(tasks)
    if risk:
        _risk_save(actor=actor, activity=activity, risk=risk)
    _check_held(activity, now=now)
    audit_record(
        actor=actor,
        action="activity.create",
        target=activity,
        changes={"title": [None, activity.title], "kind": [None, activity.kind]},
        scope_path=unit.path,
    )
    budget_recompute(unit_id=unit.pk, campaign_id=activity.campaign_id)
    return activity


@transaction.atomic
def activity_update(
    *,
    actor,
    activity: Activity,
    partners=None,
    tasks=None,
    risk: dict | None = None,
    now: datetime.datetime | None = None,
    **data,
) -> Activity:
    """Change a draft or returned activity. Side effects: audit entry with the changed
    fields; risk assessment saved (a changed one needs approval again); budget flags."""
    now = now or timezone.now()
    if not rules.can_edit(actor, activity):
        if activity.is_editable:
            _refuse("只有本单位人员可以修改该活动。")
        _refuse(f"活动{activity.get_status_display()}，不能再修改。")
    data = _normalise(data)
    old_campaign = activity.campaign_id
    changes = changed_fields(activity, data)
    for key, value in data.items():
        setattr(activity, key, value)
    activity.full_clean(exclude=["partners", "tasks"])
    if tasks is not None:
        _check_tasks(activity, tasks)
    activity.save()
    if partners is not None:
        activity.partners.set(partners)
    if tasks is not None:
        old_tasks = {task.title for task in activity.tasks.all()}
        new_tasks = {task.title for task in tasks}
        if old_tasks != new_tasks:
            changes["tasks"] = ["、".join(sorted(old_tasks)), "、".join(sorted(new_tasks))]
        activity.tasks.set(tasks)
    if risk:
        _risk_save(actor=actor, activity=activity, risk=risk)
    _check_held(activity, now=now)
    audit_record(
        actor=actor,
        action="activity.update",
        target=activity,
        changes=changes,
        scope_path=activity.unit.path,
    )
    budget_recompute(unit_id=activity.unit_id, campaign_id=activity.campaign_id)
    if old_campaign != activity.campaign_id:
        budget_recompute(unit_id=activity.unit_id, campaign_id=old_campaign)
    return activity


def _transition(*, actor, activity: Activity, to: str, comment: str = "") -> None:
    from_status = activity.status
    activity.status = to
    activity.review_comment = comment if to == Status.RETURNED else activity.review_comment
    activity.save(update_fields=["status", "review_comment", "updated_at"])
    ActivityEvent.objects.create(
        activity=activity, actor=actor, from_status=from_status, to_status=to, comment=comment
    )
    audit_record(
        actor=actor,
        action=f"activity.{to}",
        target=activity,
        changes={"status": [from_status, to], **({"comment": [None, comment]} if comment else {})},
        scope_path=activity.unit.path,
    )


def _locked(activity: Activity) -> Activity:
    return (
        Activity.objects.select_for_update(of=("self",))
        .select_related("unit__parent")
        .get(pk=activity.pk)
    )


@transaction.atomic
def activity_submit(*, actor, activity: Activity) -> Activity:
    """Draft or returned → submitted. Side effects: event, audit entry, notification to the
    reviewing unit (the district for a station, the city for a district)."""
    activity = _locked(activity)
    if not rules.is_unit_member(actor, activity.unit):
        _refuse("只有本单位人员可以提交该活动。")
    if not activity.is_editable:
        _refuse(f"只有草稿或被退回的活动可以提交（当前状态：{activity.get_status_display()}）。")
    if (
        activity.needs_risk_assessment
        and not RiskAssessment.objects.filter(activity=activity).exists()
    ):
        _refuse("现场活动须先填写风险评估，才能提交审核。")
    _transition(actor=actor, activity=activity, to=Status.SUBMITTED)
    notification_send_to_unit(
        unit=rules.reviewer_unit(activity.unit),
        message=f"{activity.unit}提交了活动“{activity.title}”，请审核。",
        url=_url(activity),
    )
    return activity


@transaction.atomic
def activity_return(*, actor, activity: Activity, comment: str) -> Activity:
    """Submitted → returned with comments. Side effects: event, audit entry, notification to
    the unit that must fix it."""
    activity = _locked(activity)
    if not rules.can_review(actor, activity):
        _refuse("只有上级审核单位可以退回该活动。")
    if activity.status != Status.SUBMITTED:
        _refuse(f"只有待审核的活动可以退回（当前状态：{activity.get_status_display()}）。")
    comment = comment.strip()
    if not comment:
        _refuse("退回时请写明修改意见。")
    _transition(actor=actor, activity=activity, to=Status.RETURNED, comment=comment)
    notification_send_to_unit(
        unit=activity.unit,
        message=f"活动“{activity.title}”被退回：{comment}"[:300],
        url=_url(activity),
    )
    return activity


@transaction.atomic
def activity_approve(*, actor, activity: Activity, comment: str = "") -> Activity:
    """Submitted → approved. Refused while a high-risk on-site event's assessment is not
    approved. Side effects: event, audit entry, notification to the unit."""
    activity = _locked(activity)
    if not rules.can_review(actor, activity):
        _refuse("只有上级审核单位可以审核通过该活动。")
    if activity.status != Status.SUBMITTED:
        _refuse(f"只有待审核的活动可以审核通过（当前状态：{activity.get_status_display()}）。")
    risk = RiskAssessment.objects.filter(activity=activity).first()
    if risk is not None and not risk.is_cleared:
        _refuse("该现场活动风险等级为“高”，请先批准风险评估再审核通过。")
    _transition(actor=actor, activity=activity, to=Status.APPROVED, comment=comment.strip())
    notification_send_to_unit(
        unit=activity.unit, message=f"活动“{activity.title}”已审核通过。", url=_url(activity)
    )
    return activity


@transaction.atomic
def activity_feature(*, actor, activity: Activity) -> Activity:
    """Approved → featured (优秀案例). Side effects: event, audit entry, notification."""
    activity = _locked(activity)
    if not rules.can_feature(actor, activity):
        _refuse("只有上级审核单位或市局可以评为优秀案例。")
    if activity.status != Status.APPROVED:
        _refuse(f"只有已通过的活动可以评为优秀案例（当前状态：{activity.get_status_display()}）。")
    _transition(actor=actor, activity=activity, to=Status.FEATURED)
    notification_send_to_unit(
        unit=activity.unit, message=f"活动“{activity.title}”被评为优秀案例。", url=_url(activity)
    )
    return activity


# --- photos and videos ---------------------------------------------------------------------


@transaction.atomic
def media_add(
    *,
    actor,
    activity: Activity,
    upload,
    caption: str = "",
    shows_minors: bool = False,
    photo_max_bytes: int | None = None,
    is_demo: bool = False,
) -> ActivityMedia:
    """Check and clean an uploaded photo or video and attach it (until the activity is
    approved). Only the cleaned copy is stored; capture time and place go into the record.
    Side effects: audit entry."""
    if not rules.can_change_media(actor, activity):
        _refuse("只有本单位人员可以上传照片和视频。")
    if not rules.can_add_media(actor, activity):
        _refuse(
            f"活动{activity.get_status_display()}，不能再增加照片和视频："
            "审核通过的内容才能公开使用，审核后补充的文件未经审核。"
        )
    kwargs = {"photo_max_bytes": photo_max_bytes} if photo_max_bytes else {}
    clean = upload_clean(upload, **kwargs)
    media = ActivityMedia(
        activity=activity,
        kind=clean.kind,
        content_type=clean.content_type,
        caption=caption,
        original_name=getattr(upload, "name", "")[:200],
        width=clean.width,
        height=clean.height,
        captured_at=clean.captured_at,
        latitude=clean.latitude,
        longitude=clean.longitude,
        shows_minors=shows_minors,
        is_demo=is_demo,
    )
    media.file.save(f"f{clean.extension}", ContentFile(clean.data), save=False)
    if clean.thumbnail:
        media.thumbnail.save("t.jpg", ContentFile(clean.thumbnail), save=False)
    media.save()
    audit_record(
        actor=actor,
        action="activity.media_add",
        target=activity,
        changes={"media": [None, media.original_name], "shows_minors": [None, shows_minors]},
        scope_path=activity.unit.path,
    )
    return media


@transaction.atomic
def media_record_consent(
    *, actor, media: ActivityMedia, note: str, now: datetime.datetime | None = None
) -> ActivityMedia:
    """Record the guardians' consent for a photo that shows minors, which lets it be used in
    public once its activity is approved. Side effects: audit entry."""
    if not rules.can_change_media(actor, media.activity):
        _refuse("只有本单位人员可以登记监护人同意。")
    if not note.strip():
        _refuse("请写明同意书的情况（如：已取得 3 名儿童监护人的书面同意）。")
    media.consent_recorded_at = now or timezone.now()
    media.consent_note = note.strip()[:200]
    media.save(update_fields=["consent_recorded_at", "consent_note", "updated_at"])
    audit_record(
        actor=actor,
        action="activity.media_consent",
        target=media.activity,
        changes={"consent_note": [None, media.consent_note]},
        scope_path=media.activity.unit.path,
    )
    return media


@transaction.atomic
def media_set_minors(*, actor, media: ActivityMedia, shows_minors: bool) -> ActivityMedia:
    """Mark whether a photo shows minors: the unit either way, its reviewing unit only to
    mark it (which keeps it from public use until consent). Side effects: audit entry."""
    if shows_minors and not rules.can_flag_minors(actor, media.activity):
        _refuse("只有本单位或审核单位可以标记照片中有未成年人。")
    if not shows_minors and not rules.can_change_media(actor, media.activity):
        _refuse("只有本单位人员可以修改照片信息。")
    media.shows_minors = shows_minors
    media.save(update_fields=["shows_minors", "updated_at"])
    audit_record(
        actor=actor,
        action="activity.media_minors",
        target=media.activity,
        changes={"shows_minors": [not shows_minors, shows_minors]},
        scope_path=media.activity.unit.path,
    )
    return media


# --- news drafts ---------------------------------------------------------------------------

NEWS_TAGS = {
    "p",
    "br",
    "strong",
    "b",
    "em",
    "i",
    "u",
    "h2",
    "h3",
    "ul",
    "ol",
    "li",
    "blockquote",
    "a",
}


def news_sanitise(html: str) -> str:
    return nh3.clean(html, tags=NEWS_TAGS, attributes={"a": {"href"}}, link_rel="noopener")


@transaction.atomic
def news_save(
    *, actor, activity: Activity, title: str, body: str, news: NewsDraft | None = None
) -> NewsDraft:
    """Write or rewrite a news draft; the body is sanitised. Side effects: audit entry."""
    if not rules.is_unit_member(actor, activity.unit):
        _refuse("只有本单位人员可以撰写新闻稿。")
    if news is not None and news.status not in (NewsDraft.Status.DRAFT, NewsDraft.Status.RETURNED):
        _refuse("新闻稿已提交审核，不能再修改。")
    clean = news_sanitise(body)
    if not re.sub(r"<[^>]+>", "", clean).strip():
        _refuse("请填写新闻稿正文。")
    if news is None:
        news = NewsDraft.objects.create(activity=activity, title=title, body=clean)
    else:
        news.title, news.body = title, clean
        news.save(update_fields=["title", "body", "updated_at"])
    audit_record(
        actor=actor, action="activity.news_save", target=activity, scope_path=activity.unit.path
    )
    return news


@transaction.atomic
def news_transition(
    *, actor, news: NewsDraft, to: str, comment: str = "", outlet: str = "", url: str = ""
) -> NewsDraft:
    """Move a news draft: submit (unit) → approve or return (reviewer) → adopted (unit or
    reviewer, naming the medium). Side effects: audit entry, notification to who acts next."""
    activity = news.activity
    states = NewsDraft.Status
    allowed = {
        states.SUBMITTED: (
            {states.DRAFT, states.RETURNED},
            rules.is_unit_member(actor, activity.unit),
        ),
        states.RETURNED: ({states.SUBMITTED}, rules.can_review(actor, activity)),
        states.APPROVED: ({states.SUBMITTED}, rules.can_review(actor, activity)),
        states.ADOPTED: (
            {states.APPROVED},
            rules.is_unit_member(actor, activity.unit) or rules.can_review(actor, activity),
        ),
    }
    sources, permitted = allowed[to]
    if not permitted:
        _refuse("您没有权限进行这一操作。")
    if news.status not in sources:
        _refuse(f"新闻稿当前为“{news.get_status_display()}”，不能改为“{states(to).label}”。")
    if to == states.RETURNED and not comment.strip():
        _refuse("退回时请写明修改意见。")
    if to == states.ADOPTED and not outlet.strip():
        _refuse("请填写采用该稿件的媒体。")
    old = news.status
    news.status = to
    news.review_comment = comment.strip() if to == states.RETURNED else news.review_comment
    if to == states.ADOPTED:
        news.adopted_by, news.adopted_url = outlet.strip(), url
    news.save()
    audit_record(
        actor=actor,
        action=f"activity.news_{to}",
        target=activity,
        changes={"news_status": [old, to]},
        scope_path=activity.unit.path,
    )
    unit = rules.reviewer_unit(activity.unit) if to == states.SUBMITTED else activity.unit
    notification_send_to_unit(
        unit=unit,
        message=f"新闻稿“{news.title}”：{states(to).label}"[:300],
        url=_url(activity),
    )
    return news


# --- media coverage, submissions, live streams ---------------------------------------------


def _check_activity_link(unit, activity: Activity | None) -> None:
    if activity is not None and activity.unit_id != unit.pk:
        _refuse("只能关联本单位的活动。")


def _record(*, actor, model, unit, action: str, **data):
    if not rules.can_record_for_unit(actor, unit):
        _refuse(f"您不能为{unit.name}登记。")
    _check_activity_link(unit, data.get("activity"))
    if "focus_tags" in data and not isinstance(data["focus_tags"], str):
        data["focus_tags"] = codes_join(data["focus_tags"])
    obj = model(unit=unit, **data)
    obj.full_clean()
    obj.save()
    audit_record(
        actor=actor,
        action=action,
        target=obj,
        changes={"title": [None, getattr(obj, "title", "")]},
        scope_path=unit.path,
    )
    return obj


@transaction.atomic
def coverage_create(*, actor, unit, **data) -> MediaCoverage:
    """Record a media report, ad or video that ran. Side effects: audit entry."""
    return _record(actor=actor, model=MediaCoverage, unit=unit, action="coverage.create", **data)


@transaction.atomic
def submission_create(*, actor, unit, **data) -> Submission:
    """Record a piece sent to a medium (投稿). Side effects: audit entry."""
    if data.get("status") == Submission.Status.PUBLISHED and not data.get("url"):
        _refuse("已刊发的稿件请填写刊发链接。")
    return _record(actor=actor, model=Submission, unit=unit, action="submission.create", **data)


@transaction.atomic
def submission_set_status(*, actor, submission: Submission, status: str, url: str = ""):
    """Record what became of a submission. Side effects: audit entry."""
    if not rules.is_unit_member(actor, submission.unit):
        _refuse("只有本单位人员可以更新投稿状态。")
    if status == Submission.Status.PUBLISHED and not (url or submission.url):
        _refuse("已刊发的稿件请填写刊发链接。")
    old = submission.status
    submission.status = status
    submission.url = url or submission.url
    submission.full_clean()
    submission.save()
    audit_record(
        actor=actor,
        action="submission.status",
        target=submission,
        changes={"status": [old, status]},
        scope_path=submission.unit.path,
    )
    return submission


@transaction.atomic
def livestream_create(*, actor, unit, **data) -> LiveStream:
    """Record a live-stream session. Side effects: audit entry."""
    return _record(actor=actor, model=LiveStream, unit=unit, action="livestream.create", **data)


# --- cases and exemplars -------------------------------------------------------------------

# Numbers are matched as people write them: 138 1234 5678, 138-1234-5678, 0898 6865 1227 …
PHONE_RE = re.compile(
    r"(?<!\d)1[3-9]\d[ -]?\d{4}[ -]?\d{4}(?!\d)|(?<!\d)0\d{2,3}[ -]?\d{3,4}[ -]?\d{4}(?!\d)"
)
ID_CARD_RE = re.compile(
    r"(?<![\dXx])\d{6}[ -]?(?:19|20)\d{2}(?:0[1-9]|1[0-2])\d{2}[ -]?\d{3}[\dXx](?![\dXx])"
)
# Full-width digits (１３８…) typed with a Chinese input method count as digits; one character
# for one, so positions found in the folded text are the author's own text.
FULL_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９Ｘｘ", "0123456789Xx")
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛"
    "郝龚邵万钱严覃武戴莫孔向汤符吉云冼"
)
CLIENT_NAME_RE = re.compile(
    rf"(?:案主|服务对象|求助人|受助人|老人|儿童|孩子|患者|居民|学生)[：:，,\s]*([{SURNAMES}][^\W\d某X×*＊_]{{1,2}})"
    rf"|([{SURNAMES}][^\W\d某X×*＊_]{{1,2}})(?:老人|阿姨|大爷|奶奶|爷爷|阿婆|阿公|同学|小朋友)"
)
NOT_NAMES = {"社工", "老人", "孩子", "服务", "居民", "志愿", "社区"}


def case_privacy_warnings(text: str) -> list[str]:
    """What in a case's text looks like a client's personal data. Each warning names the text
    found so the author can remove or mask it (e.g. 王某某, 138****8000)."""
    warnings = []
    folded = text.translate(FULL_WIDTH_DIGITS)
    for match in PHONE_RE.finditer(folded):
        warnings.append(f"疑似电话号码：{text[match.start() : match.end()]}")
    for match in ID_CARD_RE.finditer(folded):
        warnings.append(f"疑似身份证号：{text[match.start() : match.end()]}")
    for match in CLIENT_NAME_RE.finditer(text):
        name = match.group(1) or match.group(2)
        if name[1:] not in NOT_NAMES and name not in NOT_NAMES:
            warnings.append(f"疑似服务对象姓名：{name}（请改为“{name[0]}某某”）")
    return list(dict.fromkeys(warnings))


def case_text(case: Case) -> str:
    return "\n".join(
        [case.title, case.beneficiary_group, case.problem, case.intervention, case.outcome]
    )


@transaction.atomic
def case_save(*, actor, unit, case: Case | None = None, partners=None, **data) -> Case:
    """Create or change a case or exemplar (published ones go back to draft when changed).
    Side effects: audit entry."""
    owner = unit if case is None else case.unit
    if not rules.can_record_for_unit(actor, owner):
        _refuse(f"您不能为{owner.name}登记案例。")
    if case is None:
        case = Case(unit=unit, **data)
        changes = {"title": [None, case.title]}
    else:
        changes = changed_fields(case, data)
        for key, value in data.items():
            setattr(case, key, value)
        if changes and case.status == Case.Status.PUBLISHED:
            case.status, case.published_at = Case.Status.DRAFT, None
    case.full_clean()
    case.save()
    if partners is not None:
        case.partners.set(partners)
    audit_record(
        actor=actor, action="case.save", target=case, changes=changes, scope_path=case.unit.path
    )
    return case


@transaction.atomic
def case_publish(
    *, actor, case: Case, confirmed: bool = False, now: datetime.datetime | None = None
) -> Case:
    """Publish a case after the privacy check: when it warns, the author must confirm the
    text was checked. Side effects: audit entry."""
    if not rules.is_unit_member(actor, case.unit) and not (
        actor.is_authenticated and actor.sees_everything
    ):
        _refuse("只有本单位人员可以发布案例。")
    if case.status == Case.Status.PUBLISHED:
        _refuse("该案例已经发布。")
    warnings = case_privacy_warnings(case_text(case))
    if warnings and not confirmed:
        _refuse("发布前请处理以下疑似个人信息，或确认已核实可以公开：" + "；".join(warnings))
    case.status, case.published_at = Case.Status.PUBLISHED, now or timezone.now()
    case.save(update_fields=["status", "published_at", "updated_at"])
    audit_record(
        actor=actor,
        action="case.publish",
        target=case,
        changes={"privacy_warnings": [None, len(warnings)]},
        scope_path=case.unit.path,
    )
    return case
