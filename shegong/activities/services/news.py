"""News drafts: sanitised HTML, their review and publication."""

import re

import nh3
from django.db import transaction

from shegong.accounts.services import notification_send_to_unit
from shegong.core.audit import audit_record

from .. import rules
from ..models import (
    Activity,
    NewsDraft,
)
from ._base import _refuse, _url

Status = Activity.Status


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
