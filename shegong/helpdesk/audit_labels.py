"""The audit log's words for this app's actions (see ``core.audit_text``)."""

import re

from django.urls import reverse

ACTIONS = {
    "helpdesk_setting.save": "修改了求助设置：",
    "helprequest.submit": "收到了",
    "helprequest.accepted": "受理了",
    "helprequest.in_progress": "开始处理",
    "helprequest.closed": "办结了",
    "helprequest.rejected": "不予受理",
    "helprequest.referred": "转介了",
    "helprequest.new": "转交了",
    "helprequest.note": "添加了处理记录：",
    "helprequest.rate": "收到了评价：",
    "helprequest.escalate": "上报了逾期的",
    "helprequest.purge": "清除了到期求助的联系方式",
    "personal_data.export": "导出了个人信息：",
    "personal_data.erase": "删除了个人信息：",
}
FIELDS = {"escalated_to": "上报至", "count": "条数"}


def _requests(ids):
    from .models import HelpRequest

    rows = HelpRequest.objects.filter(pk__in=[int(pk) for pk in ids if pk.isdigit()]).only("code")
    # Named with the dash the citizen reads on their receipt, whatever was stored then.
    return {
        str(r.pk): (reverse("helpdesk:detail", args=[r.code]), f"求助 {r.display_code}")
        for r in rows
    }


def _name(stored: str) -> str:
    """ "求助 HK23ABCD" (entries written before codes were shown with their dash)."""
    match = re.fullmatch(r"求助 ([A-Z0-9]{4})([A-Z0-9]{4})", stored)
    return f"求助 {match[1]}-{match[2]}" if match else stored


LINKS = {"helprequest": _requests}
NAMES = {"helprequest": _name}
