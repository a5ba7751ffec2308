"""Writes of summaries and reporting (总结报送). Each service validates, writes in one
transaction, leaves an audit entry and says in its docstring what else it does."""

import datetime

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from shegong.accounts.services import notification_send_to_unit
from shegong.core.audit import audit_record
from shegong.orgs.models import Unit

from .models import (
    SECTION_KEYS,
    ReportingDuty,
    ReportingPlan,
    Summary,
    SummaryAttachment,
    SummaryEvent,
    SummaryReminder,
)
from .summary_drafting import draft_sections
from .summary_figures import summary_figures

HEADER_FIELDS = ("document_number", "signer", "contact_person", "contact_phone")
SECTION_MAX = 20_000


def summary_url(summary_or_campaign, unit: Unit | None = None) -> str:
    if unit is None:
        summary_or_campaign, unit = summary_or_campaign.campaign, summary_or_campaign.unit
    if unit.level == Unit.Level.CITY:
        return reverse("reports:city_report", args=[summary_or_campaign.slug])
    return reverse("reports:summary_detail", args=[summary_or_campaign.slug, unit.code])


# --- who reports to whom ---------------------------------------------------------------------


def plan_for(campaign) -> ReportingPlan:
    return ReportingPlan.objects.filter(campaign=campaign).first() or ReportingPlan(
        campaign=campaign
    )


def reporting_duties_ensure(*, campaign) -> int:
    """Make the reporting duties the campaign's plan calls for: every district-level unit to its
    city, due on the summary deadline; every station to its district, due the plan's days
    earlier, if stations report. Units added since get theirs; stations' duties go when the
    plan drops them (unless they already submitted). Returns how many were created.

    Side effects: none besides the rows (it runs from ``run_periodic`` as well).
    """
    plan = plan_for(campaign)
    wanted = {}
    # The issuing bureau's units: another city's districts owe this campaign nothing.
    units = Unit.objects.in_subtree_of(campaign.issuer)
    for unit in units.districts():
        if unit.parent_id:
            wanted[unit.pk] = (unit.parent_id, campaign.summary_deadline)
    before = datetime.timedelta(days=plan.stations_days_before)
    # A deadline typed as the first days of year 1 has no earlier date: stations owe it then.
    station_due = max(campaign.summary_deadline, datetime.date.min + before) - before
    if plan.stations_report:
        for unit in units.stations():
            if unit.parent_id:
                wanted[unit.pk] = (unit.parent_id, station_due)
    existing = {
        duty.unit_id: duty
        for duty in ReportingDuty.objects.filter(campaign=campaign).select_related("unit")
    }
    created = [
        ReportingDuty(campaign=campaign, unit_id=unit_id, reports_to_id=parent_id, due_on=due)
        for unit_id, (parent_id, due) in wanted.items()
        if unit_id not in existing
    ]
    ReportingDuty.objects.bulk_create(created)
    for unit_id, duty in existing.items():
        if unit_id in wanted and duty.due_on != wanted[unit_id][1]:
            ReportingDuty.objects.filter(pk=duty.pk).update(due_on=wanted[unit_id][1])
    dropped = [
        duty.pk
        for unit_id, duty in existing.items()
        if unit_id not in wanted and duty.unit.level == Unit.Level.STATION
    ]
    if dropped:
        submitted = Summary.objects.filter(campaign=campaign).exclude(status=Summary.Status.DRAFT)
        ReportingDuty.objects.filter(pk__in=dropped).exclude(
            unit_id__in=submitted.values("unit_id")
        ).delete()
    return len(created)


@transaction.atomic
def reporting_plan_set(
    *,
    actor,
    campaign,
    stations_report: bool,
    stations_days_before: int,
    city_report_to: str | None = None,
) -> ReportingPlan:
    """Set whether stations report to their district, how many days before the deadline, and
    whom the city's report is addressed to.

    Side effects: duties made or dropped to match; an audit entry.
    """
    if not 0 <= stations_days_before <= 30:
        raise ValidationError("社工站提前天数须在 0 到 30 天之间。")
    plan = plan_for(campaign)
    changes = {}
    for name, value in (
        ("stations_report", stations_report),
        ("stations_days_before", stations_days_before),
        ("city_report_to", (city_report_to or plan.city_report_to).strip()),
    ):
        if getattr(plan, name) != value:
            changes[name] = [getattr(plan, name), value]
            setattr(plan, name, value)
    plan.save()
    reporting_duties_ensure(campaign=campaign)
    audit_record(
        actor=actor,
        action="reporting_plan.set",
        target=plan,
        changes=changes,
        scope_path=campaign.issuer.path,
    )
    return plan


# --- the summary -----------------------------------------------------------------------------


def summary_draft(*, campaign, unit: Unit, figures: list[dict] | None = None) -> Summary:
    """An unsaved summary with its sections drafted from the unit's live ``figures``
    (computed here when not given)."""
    summary = Summary(
        campaign=campaign,
        unit=unit,
        contact_person=unit.contact_person,
        contact_phone=unit.contact_phone,
    )
    if figures is None and unit.level == Unit.Level.CITY:
        from .summary_selectors import city_figures

        figures = city_figures(campaign)
    elif figures is None:
        figures = summary_figures(unit, campaign)
    for key, text in draft_sections(unit, campaign, figures).items():
        setattr(summary, key, text)
    return summary


def _event(summary: Summary, actor, old: str, comment: str = "") -> None:
    SummaryEvent.objects.create(
        summary=summary, actor=actor, from_status=old, to_status=summary.status, comment=comment
    )


@transaction.atomic
def summary_save(*, actor, campaign, unit: Unit, **data) -> Summary:
    """Save the five sections and the header (发文字号, 签发人, 联系人) of ``unit``'s summary,
    creating it from the draft the first time. Only a draft or a returned summary changes.

    Side effects: an audit entry with the fields that changed.
    """
    unknown = set(data) - set(SECTION_KEYS) - set(HEADER_FIELDS)
    if unknown:
        raise TypeError(f"unknown summary fields: {sorted(unknown)}")
    summary = Summary.objects.select_for_update().filter(
        campaign=campaign, unit=unit
    ).first() or summary_draft(campaign=campaign, unit=unit)
    if not summary.is_editable:
        raise ValidationError(f"总结{summary.get_status_display()}，不能再修改；被退回后才能修改。")
    for key in SECTION_KEYS:
        if key in data and len(data[key]) > SECTION_MAX:
            raise ValidationError(f"每部分不能超过 {SECTION_MAX} 个字。")
    changes = {}
    for name, value in data.items():
        old = getattr(summary, name)
        if old != value:
            # Sections are long: the audit keeps their lengths, the header its values.
            changes[name] = [len(old), len(value)] if name in SECTION_KEYS else [old, value]
            setattr(summary, name, value)
    created = summary.pk is None
    summary.save()
    audit_record(
        actor=actor,
        action="summary.create" if created else "summary.update",
        target=summary,
        changes=changes,
        scope_path=unit.path,
    )
    return summary


def summary_ensure(*, actor, campaign, unit: Unit) -> Summary:
    """The unit's summary, saved from its draft if it had none yet."""
    found = Summary.objects.filter(campaign=campaign, unit=unit).first()
    return found or summary_save(actor=actor, campaign=campaign, unit=unit)


def duty_of(summary: Summary) -> ReportingDuty | None:
    return ReportingDuty.objects.filter(campaign=summary.campaign, unit=summary.unit).first()


@transaction.atomic
def summary_submit(*, actor, summary: Summary, now: datetime.datetime | None = None) -> Summary:
    """Submit (报送) a draft or returned summary: its figures are frozen as they are now, so a
    later change to the ledger does not rewrite what was reported. The city's own report is
    finalised (定稿) the same way; it has no reviewer on the platform.

    Side effects: an event, an audit entry, a notification to the unit it reports to.
    """
    now = now or timezone.now()
    summary = Summary.objects.select_for_update().get(pk=summary.pk)
    if not summary.is_editable:
        raise ValidationError(f"总结{summary.get_status_display()}，不能重复报送。")
    empty = [heading for key, heading, text in summary.sections() if not text.strip()]
    if empty:
        raise ValidationError(f"请先填写{'、'.join(empty)}再报送。")
    old = summary.status
    if summary.unit.level == Unit.Level.CITY:
        from .summary_selectors import city_figures

        summary.figures = city_figures(summary.campaign)
    else:
        summary.figures = summary_figures(summary.unit, summary.campaign)
    summary.figures_frozen_at = now
    summary.status = Summary.Status.SUBMITTED
    summary.submitted_at = now
    summary.first_submitted_at = summary.first_submitted_at or now
    summary.save()
    _event(summary, actor, old)
    audit_record(
        actor=actor,
        action="summary.submit",
        target=summary,
        changes={"status": [old, summary.status]},
        scope_path=summary.unit.path,
    )
    duty = duty_of(summary)
    if duty is not None:
        again = "重新" if old == Summary.Status.RETURNED else ""
        notification_send_to_unit(
            unit=duty.reports_to,
            message=f"{summary.unit.name}已{again}报送{summary.campaign.name}工作总结，请审核。",
            url=summary_url(summary),
        )
    return summary


def _review(*, actor, summary: Summary, to: str, comment: str, message: str) -> Summary:
    summary = Summary.objects.select_for_update().get(pk=summary.pk)
    if summary.status != Summary.Status.SUBMITTED:
        raise ValidationError(f"总结{summary.get_status_display()}，只有已报送的总结可以审核。")
    old = summary.status
    summary.status = to
    summary.review_comment = comment
    summary.reviewed_at = timezone.now()
    summary.save()
    _event(summary, actor, old, comment)
    audit_record(
        actor=actor,
        action=f"summary.{to}",
        target=summary,
        changes={"status": [old, to], "review_comment": [None, comment]},
        scope_path=summary.unit.path,
    )
    notification_send_to_unit(unit=summary.unit, message=message, url=summary_url(summary))
    return summary


@transaction.atomic
def summary_return(*, actor, summary: Summary, comment: str) -> Summary:
    """Return a submitted summary with comments for the unit to revise and resubmit.

    Side effects: an event, an audit entry, a notification to the unit.
    """
    comment = comment.strip()
    if not comment:
        raise ValidationError("退回时请写明修改意见。")
    return _review(
        actor=actor,
        summary=summary,
        to=Summary.Status.RETURNED,
        comment=comment,
        message=f"工作总结被退回修改：{comment}（{summary.campaign.name}）"[:300],
    )


@transaction.atomic
def summary_accept(*, actor, summary: Summary, comment: str = "") -> Summary:
    """Accept (采用) a submitted summary: its frozen figures count in the city report.

    Side effects: an event, an audit entry, a notification to the unit.
    """
    return _review(
        actor=actor,
        summary=summary,
        to=Summary.Status.ACCEPTED,
        comment=comment.strip(),
        message=f"工作总结已被采用：{summary.campaign.name}。",
    )


# --- attachments -----------------------------------------------------------------------------


def _require_editable(summary: Summary) -> None:
    if not summary.is_editable:
        raise ValidationError(f"总结{summary.get_status_display()}，不能再增减附件。")


@transaction.atomic
def attachment_add_photo(*, actor, summary: Summary, upload, name: str = "") -> SummaryAttachment:
    """Attach a photo, re-encoded without its EXIF data (the activity ledger's photo checks).

    Side effects: the file under MEDIA_ROOT/summaries/; an audit entry.
    """
    from shegong.activities.uploads import upload_clean

    _require_editable(summary)
    clean = upload_clean(upload, video_max_bytes=1)
    if clean.kind != "photo":
        raise ValidationError("这里只能上传照片（JPEG 或 PNG）。")
    label = (name.strip() or getattr(upload, "name", "") or "照片")[:200]
    attachment = SummaryAttachment(
        summary=summary,
        kind=SummaryAttachment.Kind.PHOTO,
        name=label,
        content_type=clean.content_type,
        size=len(clean.data),
    )
    attachment.file.save(f"photo.{clean.extension}", ContentFile(clean.data), save=False)
    attachment.save()
    audit_record(
        actor=actor,
        action="summary.attach",
        target=summary,
        changes={"attachment": [None, label]},
        scope_path=summary.unit.path,
    )
    return attachment


@transaction.atomic
def attachment_add_ledger(*, actor, summary: Summary) -> SummaryAttachment:
    """Attach the 台账 (.xlsx) of the campaign for the unit's subtree, as it is now; a ledger
    attached before is replaced.

    Side effects: the file under MEDIA_ROOT/summaries/; an audit entry.
    """
    from shegong.activities.excel import ledger_export
    from shegong.activities.models import Activity

    _require_editable(summary)
    rows = (
        Activity.objects.filter(unit__path__startswith=summary.unit.path, campaign=summary.campaign)
        .select_related("unit", "campaign")
        .prefetch_related("partners")
        .order_by("starts_at", "id")
    )
    data = ledger_export(rows)
    for old in summary.attachments.filter(kind=SummaryAttachment.Kind.LEDGER):
        old.file.delete(save=False)
        old.delete()
    name = f"{summary.unit.name}{summary.campaign.name}活动台账.xlsx"
    attachment = SummaryAttachment(
        summary=summary,
        kind=SummaryAttachment.Kind.LEDGER,
        name=name[:200],
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        size=len(data),
    )
    attachment.file.save("ledger.xlsx", ContentFile(data), save=False)
    attachment.save()
    audit_record(
        actor=actor,
        action="summary.attach",
        target=summary,
        changes={"attachment": [None, name]},
        scope_path=summary.unit.path,
    )
    return attachment


@transaction.atomic
def attachment_remove(*, actor, attachment: SummaryAttachment) -> None:
    """Remove an attachment of a summary still being written.

    Side effects: the file is deleted; an audit entry.
    """
    summary = attachment.summary
    _require_editable(summary)
    attachment.file.delete(save=False)
    attachment.delete()
    audit_record(
        actor=actor,
        action="summary.detach",
        target=summary,
        changes={"attachment": [attachment.name, None]},
        scope_path=summary.unit.path,
    )


# --- reminders -------------------------------------------------------------------------------

REMIND_BEFORE_DAYS = 3


def _moment(today: datetime.date, due: datetime.date) -> str | None:
    if today > due:
        return SummaryReminder.Moment.AFTER
    if today == due:
        return SummaryReminder.Moment.ON_DAY
    if (due - today).days <= REMIND_BEFORE_DAYS:
        return SummaryReminder.Moment.BEFORE
    return None


def reminders_send(*, today: datetime.date) -> int:
    """Write to each unit that has not submitted its summary: 3 days before its deadline, on
    the day, and once it is late, each once (a missed run catches up with the latest moment
    only). Runs from ``run_periodic``. Returns how many reminders were written.

    Side effects: notifications (inbox, then e-mail through the task queue); the reminder rows.
    """
    sent = 0
    duties = list(
        ReportingDuty.objects.filter(
            due_on__gte=today - datetime.timedelta(days=60),
            due_on__lte=today + datetime.timedelta(days=REMIND_BEFORE_DAYS),
        ).select_related("unit", "campaign")
    )
    # Submitted once: a returned summary is the reviewer's conversation, not a missing one.
    submitted = set(
        Summary.objects.filter(
            campaign_id__in={duty.campaign_id for duty in duties},
            first_submitted_at__isnull=False,
        ).values_list("campaign_id", "unit_id")
    )
    reminded = set(SummaryReminder.objects.filter(duty__in=duties).values_list("duty_id", "moment"))
    for duty in duties:
        if (duty.campaign_id, duty.unit_id) in submitted:
            continue
        moment = _moment(today, duty.due_on)
        if moment is None or any((duty.pk, m) in reminded for m in _later_or_equal(moment)):
            continue
        with transaction.atomic():
            _, created = SummaryReminder.objects.get_or_create(duty=duty, moment=moment)
            if not created:
                continue
            due = f"{duty.due_on.month}月{duty.due_on.day}日"
            text = {
                SummaryReminder.Moment.BEFORE: f"请于{due}前报送",
                SummaryReminder.Moment.ON_DAY: f"今天（{due}）是报送截止日，请尽快报送",
                SummaryReminder.Moment.AFTER: f"报送已于{due}截止，请尽快补报",
            }[moment]
            notification_send_to_unit(
                unit=duty.unit,
                message=f"{text}{duty.campaign.name}工作总结。",
                url=summary_url(duty.campaign, duty.unit),
            )
            sent += 1
    return sent


def _later_or_equal(moment: str) -> list[str]:
    order = list(SummaryReminder.Moment.values)
    return order[order.index(moment) :]
