"""The activity ledger: recording, correcting, the review workflow, risk assessments, and the
repeat guard shared by every way an activity comes in."""

import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from shegong.accounts.services import notification_send_to_unit
from shegong.core.audit import audit_record, changed_fields

from .. import rules
from ..models import (
    Activity,
    ActivityEvent,
    RiskAssessment,
    codes_join,
)
from ._base import _refuse, _url
from .budget import budget_recompute

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


# Relations are checked by whoever supplies them (the service's scope rules, the import's unit
# lookup); the activity's own fields are checked by the model, once, for every way in.
ACTIVITY_RELATIONS = ["unit", "campaign", "created_by", "partners", "tasks"]


def activity_field_errors(activity: Activity) -> dict[str, list[str]]:
    """What the model refuses in ``activity``'s own fields (lengths, choices, limits, digits),
    by field name: the one validation the console's services, the Excel import and any API
    share. Empty when all is well."""
    try:
        activity.clean_fields(exclude=ACTIVITY_RELATIONS)
    except ValidationError as error:
        return error.message_dict
    return {}


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
    activity.full_clean(exclude=["partners", "tasks"])  # the fields: activity_field_errors
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
