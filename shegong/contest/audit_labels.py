"""The audit log's words for this app's actions (see ``core.audit_text``)."""

from django.urls import reverse

from shegong.core.audit_text import pk_links

ACTIONS = {
    "contest.call_create": "发布了",
    "contest.call_update": "修改了",
    "contest.entry_submit": "收到了投稿",
    "contest.entry_submit_for": "代为登记了",
    "contest.entry_withdraw": "撤回了",
    "contest.media_consent": "登记了肖像使用同意：",
    "contest.judge_add": "添加了评委：",
    "contest.judge_remove": "移除了评委：",
    "contest.review_start": "开始评审",
    "contest.review_score": "评分了",
    "contest.entry_decide": "评定了",
    "contest.entry_tier": "设定了获奖等次：",
    "contest.entry_award": "授奖给",
    "contest.entry_publish": "发布了",
    "contest.entry_schedule": "排期连载",
    "contest.push_record": "登记了推送：",
}


def _calls(ids):
    from .models import Call

    rows = Call.objects.filter(pk__in=[int(pk) for pk in ids if pk.isdigit()])
    return {str(c.pk): (reverse("contest:call_detail", args=[c.slug]), None) for c in rows}


LINKS = {"entry": pk_links("contest:entry_detail"), "call": _calls}
