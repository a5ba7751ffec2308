"""The audit log's words for this app's actions (see ``core.audit_text``)."""

from django.urls import reverse

ACTIONS = {
    "campaign.create": "新建了",
    "campaign.update": "修改了",
    "campaign.kpi": "设定了量化指标：",
    "campaign.clone": "复制出新方案",
    "campaign.shift": "整体调整了日期：",
    "task.create": "下达了",
    "task.update": "修改了",
    "task.withdraw": "撤回了",
    "progress.update": "更新了",
}


def _campaigns(ids):
    from .models import Campaign

    rows = Campaign.objects.filter(pk__in=[int(pk) for pk in ids if pk.isdigit()])
    return {str(c.pk): (reverse("campaigns:detail", args=[c.slug]), None) for c in rows}


def _tasks(ids):
    from .models import Task

    rows = Task.objects.filter(pk__in=[int(pk) for pk in ids if pk.isdigit()]).select_related(
        "campaign"
    )
    return {str(t.pk): (reverse("campaigns:detail", args=[t.campaign.slug]), None) for t in rows}


def _progress(ids):
    from .models import TaskProgress

    rows = TaskProgress.objects.filter(
        pk__in=[int(pk) for pk in ids if pk.isdigit()]
    ).select_related("task__campaign")
    return {
        str(p.pk): (reverse("campaigns:progress_edit", args=[p.task.campaign.slug, p.pk]), None)
        for p in rows
    }


FIELDS = {"units": "承担单位", "reason": "原因"}

LINKS = {"campaign": _campaigns, "task": _tasks, "taskprogress": _progress}
