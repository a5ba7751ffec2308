"""Reads of the campaigns app: the progress matrix and the KPI roll-up."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.apps import apps
from django.utils.module_loading import import_string

from shegong.orgs.models import Unit

from .models import Campaign, KpiTarget, Task, TaskProgress


@dataclass
class Rate:
    assigned: int = 0
    done: int = 0
    on_time: int = 0

    def add(self, row: TaskProgress) -> None:
        self.assigned += 1
        if row.status == TaskProgress.Status.DONE:
            self.done += 1
            if row.on_time:
                self.on_time += 1

    @property
    def completeness(self) -> int | None:
        """Per cent of assigned tasks done, ``None`` when nothing is assigned."""
        return round(100 * self.done / self.assigned) if self.assigned else None

    @property
    def on_time_rate(self) -> int | None:
        """Per cent of assigned tasks done by their due date."""
        return round(100 * self.on_time / self.assigned) if self.assigned else None


@dataclass
class Matrix:
    tasks: list[Task]
    units: list[Unit]
    rows: list[dict] = field(default_factory=list)  # one per task: task, cells, rate
    unit_rates: list[Rate] = field(default_factory=list)
    total: Rate = field(default_factory=Rate)


def campaign_matrix(
    campaign: Campaign, user, *, level: str = "", district: str = "", status: str = ""
) -> Matrix:
    """Tasks × units of the campaign as ``user`` may see them, in three queries.

    ``level`` narrows to one level's tasks, ``district`` (a unit code) to one district and
    its stations, ``status`` to units with at least one task in that state. Rates count the
    visible progress rows only, so a district officer's figures are their own.
    """
    tasks = list(campaign.tasks.all())
    if level in Task.Level.values:
        tasks = [task for task in tasks if task.level == level]
    rows = TaskProgress.objects.visible_to(user).filter(task__in=[t.pk for t in tasks])
    if district:
        rows = rows.filter(unit__path__contains=f"/{district}/")
    rows = list(
        rows.select_related("unit").only(
            "id",
            "task_id",
            "unit_id",
            "status",
            "done_on",
            "note",
            "evidence_links",
            "unit__code",
            "unit__name",
            "unit__path",
            "unit__level",
        )
    )
    tasks_by_pk = {task.pk: task for task in tasks}
    units: dict[int, Unit] = {}
    cells: dict[tuple[int, int], TaskProgress] = {}
    for row in rows:
        row.task = tasks_by_pk[row.task_id]
        units.setdefault(row.unit_id, row.unit)
        cells[(row.task_id, row.unit_id)] = row
    if status in TaskProgress.Status.values:
        keep = {row.unit_id for row in rows if row.status == status}
        units = {pk: unit for pk, unit in units.items() if pk in keep}
    ordered_units = sorted(units.values(), key=lambda unit: unit.path)
    shown_tasks = [t for t in tasks if any((t.pk, u.pk) in cells for u in ordered_units)]
    matrix = Matrix(tasks=shown_tasks, units=ordered_units)
    unit_rates = {unit.pk: Rate() for unit in ordered_units}
    for task in shown_tasks:
        rate = Rate()
        line = []
        for unit in ordered_units:
            cell = cells.get((task.pk, unit.pk))
            if cell is not None:
                rate.add(cell)
                unit_rates[unit.pk].add(cell)
                matrix.total.add(cell)
            line.append(cell)
        matrix.rows.append({"task": task, "cells": line, "rate": rate})
    matrix.unit_rates = [unit_rates[unit.pk] for unit in ordered_units]
    return matrix


@dataclass(frozen=True)
class KpiFigure:
    kind: str
    label: str
    target: Decimal
    actual: Decimal
    recorded: bool  # False: no feature records this yet, the figure is 0 by definition

    @property
    def percent(self) -> int:
        if not self.target:
            return 0
        return min(100, round(100 * self.actual / self.target))


def kpi_providers() -> dict[str, str]:
    """KPI kinds other apps compute: ``campaign_kpis = {kind: "dotted.path"}`` on AppConfigs.

    Each function takes the campaign and returns a number. Kinds no installed app provides
    are shown as 0 and marked as not yet recorded.
    """
    providers = {KpiTarget.Kind.TASKS_DONE.value: "shegong.campaigns.selectors.kpi_tasks_done"}
    for config in apps.get_app_configs():
        providers.update(getattr(config, "campaign_kpis", {}))
    return providers


def kpi_tasks_done(campaign: Campaign) -> int:
    return TaskProgress.objects.filter(
        task__campaign=campaign, status=TaskProgress.Status.DONE
    ).count()


def campaign_kpis(campaign: Campaign, *, measure: bool = True) -> list[KpiFigure]:
    """The campaign's targets with their city-wide progress; with ``measure=False`` the
    targets only (figures 0), for users who may not see every district's data."""
    providers = kpi_providers() if measure else {}
    figures = []
    for target in campaign.kpi_targets.all():
        path = providers.get(target.kind)
        actual = Decimal(import_string(path)(campaign)) if path else Decimal(0)
        figures.append(
            KpiFigure(
                kind=target.kind,
                label=target.get_kind_display(),
                target=target.target,
                actual=actual,
                recorded=path is not None,
            )
        )
    return figures


def progress_waiting(user) -> list:
    """Console home: this unit's tasks of the current campaign not yet done."""
    from django.urls import reverse

    from shegong.core.registry import WaitingItem

    if not user.is_authenticated or user.unit_id is None or user.is_judge:
        return []
    campaign = Campaign.objects.current()
    if campaign is None:
        return []
    count = progress_open_for_unit(campaign, user.unit_id).count()
    url = reverse("campaigns:matrix", args=[campaign.slug]) + f"?level={user.unit.level}&mine=1"
    return [WaitingItem(label="本单位未完成的方案任务", count=count, url=url)]


def progress_open_for_unit(campaign: Campaign, unit_id: int):
    """A unit's tasks of ``campaign`` not yet done, by due date: the console home's counter
    and the list its link opens (the progress matrix's ``?mine=1``)."""
    return (
        TaskProgress.objects.filter(task__campaign=campaign, unit_id=unit_id)
        .exclude(status=TaskProgress.Status.DONE)
        .select_related("task")
        .order_by("task__due_on", "task__pk")
    )
