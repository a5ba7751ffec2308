"""What summaries put on the console home (``console_waiting``) and their recurring job
(``periodic``): duties for units added since, and reminders before and after deadlines."""

import datetime

from django.urls import reverse
from django.utils import timezone

from shegong.campaigns.models import Campaign
from shegong.core.registry import WaitingItem
from shegong.orgs.rules import is_overseer

from .models import ReportingDuty, Summary
from .summary_rules import can_use_summaries
from .summary_selectors import reporting_rate


def summary_waiting(user) -> list[WaitingItem]:
    """The user's own summary still to hand in (or returned), and summaries to review."""
    if not can_use_summaries(user):
        return []
    campaign = Campaign.objects.visible_to(user).current()
    if campaign is None:
        return []
    items = []
    today = timezone.localdate()
    if user.unit_id:
        duty = ReportingDuty.objects.filter(campaign=campaign, unit_id=user.unit_id).first()
        if duty is not None:
            summary = Summary.objects.filter(campaign=campaign, unit_id=user.unit_id).first()
            url = reverse("reports:summary_detail", args=[campaign.slug, user.unit.code])
            if summary is not None and summary.status == Summary.Status.RETURNED:
                items.append(WaitingItem("被退回待修改的工作总结", 1, url, urgent=True))
            elif summary is None or summary.status == Summary.Status.DRAFT:
                days = (duty.due_on - today).days
                label = f"待报送的工作总结（{duty.due_on.month}月{duty.due_on.day}日截止，" + (
                    f"还有 {days} 天）" if days >= 0 else f"已逾期 {-days} 天）"
                )
                items.append(WaitingItem(label, 1, url, urgent=days <= 3))
    reviewer = campaign.issuer if user.sees_everything else user.unit
    if reviewer and is_overseer(user):
        # The rate the list behind the link shows, so the figure and the list agree.
        rate = reporting_rate(campaign, user=user, reports_to=reviewer)
        count = len(rate.awaiting_review_rows)
        url = reverse("reports:summary_list", args=[campaign.slug])
        items.append(WaitingItem("待审核的工作总结", count, url))
    return items


def summary_periodic(now) -> str:
    from .services import reminders_send, reporting_duties_ensure

    today = timezone.localdate(now)
    created = 0
    for campaign in Campaign.objects.filter(
        summary_deadline__gte=today - datetime.timedelta(days=60), starts_on__lte=today
    ):
        created += reporting_duties_ensure(campaign=campaign)
    sent = reminders_send(today=today)
    return f"summary duties added: {created}; summary reminders sent: {sent}"
