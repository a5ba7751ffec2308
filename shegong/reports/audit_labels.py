"""The audit log's words for this app's actions (see ``core.audit_text``)."""

from django.urls import reverse

ACTIONS = {
    "summary.create": "起草了",
    "summary.update": "修改了",
    "summary.submit": "报送了",
    "summary.accepted": "采用了",
    "summary.returned": "退回了",
    "summary.attach": "添加了附件：",
    "summary.detach": "删除了附件：",
    "reporting_plan.set": "设定了报送安排：",
    "dashboard.rebuild": "重建了数据看板统计",
}
FIELDS = {"attachment": "附件"}


def _summaries(ids):
    from .models import Summary

    rows = Summary.objects.filter(pk__in=[int(pk) for pk in ids if pk.isdigit()]).select_related(
        "campaign", "unit"
    )
    return {
        str(s.pk): (reverse("reports:summary_detail", args=[s.campaign.slug, s.unit.code]), None)
        for s in rows
    }


LINKS = {"summary": _summaries}
