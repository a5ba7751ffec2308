"""Media coverage, submissions (投稿) and live streams recorded by a unit."""

from django.db import transaction

from shegong.core.audit import audit_record

from .. import rules
from ..models import (
    Activity,
    LiveStream,
    MediaCoverage,
    Submission,
    codes_join,
)
from ._base import _refuse

Status = Activity.Status


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
