"""Writes of the campaigns app: each one validates, runs in a transaction and is audited."""

import calendar
import datetime
import re
from decimal import Decimal

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from shegong.core.audit import audit_record, changed_fields
from shegong.orgs.models import Unit

from .models import Campaign, KpiTarget, Task, TaskProgress

# 机关代字〔年份〕序号号: hexagonal brackets, a four-digit year, a serial number without padding.
DOCUMENT_NUMBER_RE = re.compile(
    r"^(?P<code>[^\s〔〕\[\]()（）【】]+)〔(?P<year>[0-9]{4})〕(?P<serial>[0-9]+)号$"
)
FULL_WIDTH_DIGITS_RE = re.compile("[０-９]")
WRONG_BRACKETS_RE = re.compile(r"[\[\]()（）【】［］]")

# Fields a city admin edits on the campaign form (and that ``campaign_update`` accepts).
CAMPAIGN_FIELDS = (
    "name",
    "theme",
    "starts_on",
    "ends_on",
    "summary_deadline",
    "issuer_mark",
    "document_number",
    "signed_on",
    "recipients",
    "basis_title",
    "basis_number",
    "notice_body",
    "disclosure",
    "contact_person",
    "contact_phone",
    "attachment_style",
    "copy_to",
    "printed_by",
    "printed_on",
    "preamble",
    "goals",
    "period_text",
    "city_heading",
    "district_heading",
    "station_heading",
    "requirements",
    "closing",
)


def document_number_error(value: str, label: str = "发文字号") -> str | None:
    """The specific mistake in a 发文字号, or ``None`` when it follows GB/T 9704-2012 7.2.4."""
    value = value.strip()
    if not value:
        return None
    if "〔" not in value or "〕" not in value:
        if WRONG_BRACKETS_RE.search(value):
            return (
                f"{label}的年份须用六角括号〔〕括起，不能用 [ ]、( ) 或【】，"
                "如 海民发〔2023〕79号。"
            )
        return f"{label}须写明年份并用六角括号〔〕括起，如 海民发〔2023〕79号。"
    if FULL_WIDTH_DIGITS_RE.search(value):
        return f"{label}的年份和序号请用半角阿拉伯数字，如 海民发〔2023〕79号。"
    match = DOCUMENT_NUMBER_RE.match(value)
    if not match:
        return f"{label}应写成“机关代字〔年份〕序号号”，年份为四位数字，如 海民发〔2023〕79号。"
    if int(match["serial"]) == 0:
        return f"{label}的序号从 1 编起，如 {match['code']}〔{match['year']}〕1号。"
    if match["serial"].startswith("0"):
        return (
            f"{label}的序号不编虚位（不写 {match['serial']}号），"
            f"应写作 {match['code']}〔{match['year']}〕{int(match['serial'])}号。"
        )
    return None


def campaign_errors(data: dict) -> dict[str, str]:
    """Cross-field checks of a campaign's data: ``{field: message}``, empty when all is well."""
    errors: dict[str, str] = {}
    starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
    deadline = data.get("summary_deadline")
    if starts_on and ends_on and ends_on < starts_on:
        errors["ends_on"] = "结束日期不能早于开始日期。"
    if ends_on and deadline and deadline < ends_on:
        errors["summary_deadline"] = "总结报送截止日期不能早于活动结束日期，请留出总结时间。"
    for field, label in (("document_number", "发文字号"), ("basis_number", "依据文件字号")):
        message = document_number_error(data.get(field) or "", label)
        if message:
            errors[field] = message
    if not (data.get("recipients") or "").strip():
        errors["recipients"] = "请填写主送机关，如：各区民政局。"
    signed_on = data.get("signed_on")
    printed_on = data.get("printed_on")
    if signed_on and printed_on and printed_on < signed_on:
        errors["printed_on"] = "印发日期不能早于成文日期。"
    return errors


def _check(data: dict) -> None:
    errors = campaign_errors(data)
    if errors:
        raise ValidationError(errors)


def _campaign_saved(campaign: Campaign) -> None:
    """Tell the apps that keep rows per campaign (``campaign_saved(campaign)`` on their
    AppConfig: the reports app's reporting duties) that it was made or changed, so those rows
    exist before anyone opens a page: pages write nothing on GET."""
    for config in apps.get_app_configs():
        hook = getattr(config, "campaign_saved", None)
        if hook is not None:
            hook(campaign)


@transaction.atomic
def campaign_create(*, actor, campaign: Campaign) -> Campaign:
    """Save a new ``campaign`` (an unsaved instance, as the admin's form makes it).

    Side effects: the campaign, an audit entry ``campaign.create``, the apps'
    ``campaign_saved`` hooks (its reporting duties). Raises ``ValidationError`` as
    ``campaign_update`` does.
    """
    _check({name: getattr(campaign, name) for name in CAMPAIGN_FIELDS})
    campaign.full_clean()
    campaign.save()
    audit_record(
        actor=actor,
        action="campaign.create",
        target=campaign,
        changes={"slug": [None, campaign.slug], "name": [None, campaign.name]},
        scope_path=campaign.issuer.path,
    )
    _campaign_saved(campaign)
    return campaign


@transaction.atomic
def campaign_update(*, actor, campaign: Campaign, **data) -> Campaign:
    """Change what the campaign's plan and notice say.

    Side effects: an audit entry with the changed fields; the apps' ``campaign_saved`` hooks
    (reporting duties due on a new summary deadline). Raises ``ValidationError`` on
    inverted dates, a malformed 发文字号 or missing recipients.
    """
    unknown = set(data) - set(CAMPAIGN_FIELDS)
    if unknown:
        raise TypeError(f"unknown campaign fields: {sorted(unknown)}")
    merged = {name: getattr(campaign, name) for name in CAMPAIGN_FIELDS} | data
    _check(merged)
    changes = changed_fields(campaign, data)
    if changes:
        for name, value in data.items():
            setattr(campaign, name, value)
        campaign.save()
        audit_record(
            actor=actor,
            action="campaign.update",
            target=campaign,
            changes=changes,
            scope_path=campaign.issuer.path,
        )
        _campaign_saved(campaign)
    return campaign


def _level_units(campaign: Campaign, level: str):
    if level == Task.Level.CITY:
        return Unit.objects.filter(pk=campaign.issuer_id)
    return Unit.objects.in_subtree_of(campaign.issuer).filter(level=level)


@transaction.atomic
def tasks_assign(*, campaign: Campaign) -> int:
    """Give every unit of each task's level its own progress row. Idempotent.

    Units added to the tree later get their rows on the next call. Returns rows created.
    """
    existing = set(
        TaskProgress.objects.filter(task__campaign=campaign).values_list("task_id", "unit_id")
    )
    units_by_level = {
        level: list(_level_units(campaign, level).values_list("pk", flat=True))
        for level in Task.Level.values
    }
    rows = [
        TaskProgress(task=task, unit_id=unit_id)
        for task in campaign.tasks.filter(chosen_units=False)
        for unit_id in units_by_level[task.level]
        if (task.pk, unit_id) not in existing
    ]
    TaskProgress.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def progress_assign_running(*, today: datetime.date) -> int:
    """Give units added to the tree since a task was assigned their progress rows, for every
    campaign still being carried out or reported on (summary deadline not past).

    Run by ``manage.py run_periodic``. Side effects: the progress rows. Returns rows created.
    """
    running = Campaign.objects.filter(summary_deadline__gte=today)
    return sum(tasks_assign(campaign=campaign) for campaign in running)


@transaction.atomic
def task_create(
    *,
    actor,
    campaign: Campaign,
    level: str,
    title: str,
    due_on: datetime.date,
    text: str = "",
    deliverables: str = "",
    order: int | None = None,
    paragraph: int = 0,
    numbered: bool = False,
    in_document: bool = True,
    units=None,
) -> Task:
    """Add a task to the plan and assign it to every unit of its level, or only to ``units``
    (units of that level under the issuer) when some are chosen.

    Side effects: progress rows for those units, an audit entry; with chosen units, a
    notification to each of them.
    """
    if level not in Task.Level.values:
        raise ValidationError({"level": "请选择任务层级。"})
    units = list(units or [])
    _check_chosen_units(campaign, level, units)
    if order is None:
        order = (campaign.tasks.order_by("-order").values_list("order", flat=True).first() or 0) + 1
    task = Task.objects.create(
        campaign=campaign,
        level=level,
        title=title,
        due_on=due_on,
        text=text,
        deliverables=deliverables,
        order=order,
        paragraph=paragraph,
        numbered=numbered,
        in_document=in_document,
        chosen_units=bool(units),
    )
    TaskProgress.objects.bulk_create(
        [TaskProgress(task=task, unit=unit) for unit in (units or _level_units(campaign, level))]
    )
    changes = {"units": [None, "、".join(u.name for u in units)]} if units else None
    audit_record(
        actor=actor,
        action="task.create",
        target=task,
        changes=changes,
        scope_path=campaign.issuer.path,
    )
    if units:
        _tell_units(units, f"{campaign.issuer.name}下达了任务“{task.title}”", campaign)
    return task


def _check_chosen_units(campaign: Campaign, level: str, units: list[Unit]) -> None:
    if not units:
        return
    if level == Task.Level.CITY:
        raise ValidationError({"units": "市级任务由发文单位自己承担，不能再选择单位。"})
    label = Task.Level(level).label
    wrong = [
        u.name for u in units if u.level != level or not u.path.startswith(campaign.issuer.path)
    ]
    if wrong:
        raise ValidationError(
            {"units": f"{'、'.join(wrong)}不是本方案可下达的{label}单位，请重新选择。"}
        )


def _tell_units(units, message: str, campaign: Campaign) -> None:
    from django.urls import reverse

    from shegong.accounts.services import notification_send_to_unit

    url = reverse("campaigns:matrix", args=[campaign.slug])
    for unit in units:
        notification_send_to_unit(unit=unit, message=message, url=url)


TASK_FIELDS = ["title", "text", "deliverables", "due_on"]


@transaction.atomic
def task_update(*, actor, task: Task, units=None, **fields) -> Task:
    """Change a task already issued: its wording, deliverables or due date; for a task issued
    to chosen units, which units (a unit that has started it cannot be taken off).

    Side effects: progress rows added or removed, an audit entry, a notification to every
    unit holding the task (and to those taken off) saying what changed.
    """
    data = {name: fields[name] for name in TASK_FIELDS if name in fields}
    changes = changed_fields(task, data)
    for name, value in data.items():
        setattr(task, name, value)
    added: list[Unit] = []
    removed: list[Unit] = []
    if units is not None and task.chosen_units:
        units = list(units)
        if not units:
            raise ValidationError({"units": "请至少选择一个单位；不再需要这项任务请撤回它。"})
        _check_chosen_units(task.campaign, task.level, units)
        rows = {row.unit_id: row for row in task.progress.select_related("unit")}
        wanted = {u.pk for u in units}
        added = [u for u in units if u.pk not in rows]
        removed = [row.unit for unit_id, row in rows.items() if unit_id not in wanted]
        started = [u.name for u in removed if rows[u.pk].status != TaskProgress.Status.NOT_STARTED]
        if started:
            raise ValidationError(
                {"units": f"{'、'.join(started)}已开始这项任务，不能撤下；请保留这些单位。"}
            )
        TaskProgress.objects.filter(task=task, unit__in=removed).delete()
        TaskProgress.objects.bulk_create([TaskProgress(task=task, unit=u) for u in added])
        if added or removed:
            changes["units"] = [
                "、".join(u.name for u in removed) or None,
                "、".join(u.name for u in added) or None,
            ]
    if not changes:
        return task
    task.full_clean(exclude=["campaign"])
    task.save()
    audit_record(
        actor=actor,
        action="task.update",
        target=task,
        changes=changes,
        scope_path=task.campaign.issuer.path,
    )
    what = []
    if "due_on" in changes:
        due = task.due_on
        what.append(f"完成期限改为{due.year}年{due.month}月{due.day}日")
    if changes.keys() & {"title", "text", "deliverables"}:
        what.append("任务内容有调整")
    holders = [row.unit for row in task.progress.select_related("unit") if row.unit not in added]
    if what:
        _tell_units(holders, f"任务“{task.title}”已调整：{'，'.join(what)}。", task.campaign)
    if added:
        _tell_units(added, f"{task.campaign.issuer.name}下达了任务“{task.title}”", task.campaign)
    if removed:
        _tell_units(removed, f"任务“{task.title}”已不再由本单位承担。", task.campaign)
    return task


@transaction.atomic
def task_withdraw(*, actor, task: Task, reason: str) -> int:
    """Withdraw a task issued by mistake or no longer wanted: it leaves the plan, the matrix
    and every figure, with its progress rows.

    Side effects: an audit entry keeping its title, units and reason; a notification to each
    unit that held it. Returns how many units held it.
    """
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "请写明撤回的原因，会通知到承担这项任务的单位。"})
    units = [row.unit for row in task.progress.select_related("unit")]
    audit_record(
        actor=actor,
        action="task.withdraw",
        target=task,
        changes={"title": [task.title, None], "reason": [None, reason], "units": [len(units), 0]},
        scope_path=task.campaign.issuer.path,
    )
    _tell_units(units, f"任务“{task.title}”已撤回：{reason}", task.campaign)
    task.delete()
    return len(units)


@transaction.atomic
def progress_update(
    *,
    actor,
    progress: TaskProgress,
    status: str,
    note: str = "",
    evidence_links: str = "",
    done_on: datetime.date | None = None,
    today: datetime.date | None = None,
) -> TaskProgress:
    """Record how far a unit has got with a task.

    Marking it done records ``done_on``, the day the work was actually finished (a task done
    in 2023 and entered later is not late); without one it keeps the date it had, else today.
    Moving it back clears the date. Side effects: an audit entry scoped to the unit.
    """
    if status not in TaskProgress.Status.values:
        raise ValidationError({"status": "请选择进度状态。"})
    today = today or timezone.localdate()
    if done_on is not None and done_on > today:
        raise ValidationError({"done_on": "完成日期不能晚于今天。"})
    finished = status == TaskProgress.Status.DONE
    done_on = (done_on or progress.done_on or today) if finished else None
    data = {"status": status, "note": note, "evidence_links": evidence_links, "done_on": done_on}
    changes = changed_fields(progress, data)
    if changes:
        for name, value in data.items():
            setattr(progress, name, value)
        progress.save()
        audit_record(
            actor=actor,
            action="progress.update",
            target=progress,
            changes=changes,
            scope_path=progress.unit.path,
        )
    return progress


@transaction.atomic
def kpi_target_set(*, actor, campaign: Campaign, kind: str, target: Decimal | None) -> None:
    """Set (or, with ``None``, remove) one KPI target. Side effects: an audit entry."""
    if kind not in KpiTarget.Kind.values:
        raise ValidationError({"kind": "未知的指标。"})
    if target is None:
        KpiTarget.objects.filter(campaign=campaign, kind=kind).delete()
    else:
        if target < 0:
            raise ValidationError({"target": "目标值不能为负数。"})
        KpiTarget.objects.update_or_create(
            campaign=campaign, kind=kind, defaults={"target": target}
        )
    audit_record(
        actor=actor,
        action="campaign.kpi",
        target=campaign,
        changes={kind: [None, None if target is None else str(target)]},
        scope_path=campaign.issuer.path,
    )


def _shift_year(value: datetime.date | None, years: int) -> datetime.date | None:
    if value is None:
        return None
    year = value.year + years
    day = min(value.day, calendar.monthrange(year, value.month)[1])  # 29 Feb → 28 Feb
    return value.replace(year=year, day=day)


@transaction.atomic
def campaign_clone(*, actor, source: Campaign, year: int, slug: str) -> Campaign:
    """Start next year's campaign from this one.

    Every date moves by the difference in years, "2023年" becomes "2024年" in the name, the
    basis title and the preamble, the document numbers and dates of issue are cleared (a new
    document gets a new number and rests on a new basis), KPI targets and tasks are copied,
    and every unit starts again at "not started".
    Side effects: the new campaign, its tasks and progress rows, an audit entry, the apps'
    ``campaign_saved`` hooks (its reporting duties).
    """
    if Campaign.objects.filter(slug=slug).exists():
        raise ValidationError({"slug": "这个标识已被其他方案使用，请换一个。"})
    years = year - source.year
    if years <= 0:
        raise ValidationError({"year": "新方案的年份须晚于原方案。"})
    latest = max([source.ends_on, source.summary_deadline, *(t.due_on for t in source.tasks.all())])
    if latest.year + years > datetime.MAXYEAR:
        raise ValidationError(
            {"year": f"原方案的日期（{latest:%Y-%m-%d}）顺延后超出日历范围，请先修改原方案的日期。"}
        )
    old, new = str(source.year), str(year)
    clone = Campaign.objects.get(pk=source.pk)
    clone.pk = None
    clone.slug = slug
    for name in ("name", "basis_title", "preamble", "notice_body"):
        setattr(clone, name, getattr(source, name).replace(f"{old}年", f"{new}年"))
    clone.starts_on = _shift_year(source.starts_on, years)
    clone.ends_on = _shift_year(source.ends_on, years)
    clone.summary_deadline = _shift_year(source.summary_deadline, years)
    clone.document_number = ""
    clone.basis_number = ""  # next year's plan rests on next year's provincial document
    clone.signed_on = None
    clone.printed_on = None
    clone.period_text = ""
    clone.save()
    KpiTarget.objects.bulk_create(
        [KpiTarget(campaign=clone, kind=k.kind, target=k.target) for k in source.kpi_targets.all()]
    )
    Task.objects.bulk_create(
        [
            Task(
                campaign=clone,
                level=t.level,
                order=t.order,
                paragraph=t.paragraph,
                numbered=t.numbered,
                in_document=t.in_document,
                title=t.title,
                text=t.text,
                deliverables=t.deliverables,
                due_on=_shift_year(t.due_on, years),
            )
            for t in source.tasks.all()
        ]
    )
    tasks_assign(campaign=clone)
    audit_record(
        actor=actor,
        action="campaign.clone",
        target=clone,
        changes={"source": [None, source.slug]},
        scope_path=clone.issuer.path,
    )
    _campaign_saved(clone)
    return clone


@transaction.atomic
def campaign_shift(*, actor, campaign: Campaign, days: int) -> Campaign:
    """Move the whole campaign by ``days`` days (negative: earlier), as when it is postponed.

    The period, the summary deadline, the dates of issue and printing, every task's due date
    and every unit's recorded completion date move together, so what was on time stays on time.
    Side effects: those rows, an audit entry, the apps' ``campaign_saved`` hooks (reporting
    duties due on the new deadline). Moving by 0 days does nothing. Raises
    ``ValidationError`` when a date would leave the calendar.
    """
    if days == 0:
        return campaign
    delta = datetime.timedelta(days=days)
    names = ("starts_on", "ends_on", "summary_deadline", "signed_on", "printed_on")
    tasks = list(campaign.tasks.all())
    done = list(TaskProgress.objects.filter(task__campaign=campaign, done_on__isnull=False))
    try:
        moved = {n: getattr(campaign, n) + delta for n in names if getattr(campaign, n)}
        due = [task.due_on + delta for task in tasks]
        done_on = [row.done_on + delta for row in done]
    except OverflowError:
        raise ValidationError({"days": "顺延后的日期超出日历范围。"}) from None
    before = campaign.starts_on
    for name, value in moved.items():
        setattr(campaign, name, value)
    campaign.save()
    for task, value in zip(tasks, due, strict=True):
        task.due_on = value
    Task.objects.bulk_update(tasks, ["due_on"])
    for row, value in zip(done, done_on, strict=True):
        row.done_on = value
    TaskProgress.objects.bulk_update(done, ["done_on"], batch_size=500)
    audit_record(
        actor=actor,
        action="campaign.shift",
        target=campaign,
        changes={"starts_on": [str(before), str(campaign.starts_on)]},
        scope_path=campaign.issuer.path,
    )
    _campaign_saved(campaign)
    return campaign
