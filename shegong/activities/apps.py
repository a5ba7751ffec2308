from django.apps import AppConfig

from shegong.orgs.rules import is_staff_member as _staff


class ActivitiesConfig(AppConfig):
    name = "shegong.activities"
    label = "activities"
    verbose_name = "活动台账"
    console_menu = [
        ("台账与宣传", "活动台账", "activities:activity_list", _staff),
        ("台账与宣传", "媒体宣传", "activities:coverage_list", _staff),
        ("台账与宣传", "案例", "activities:case_list", _staff),
        ("台账与宣传", "经费", "activities:budget_report", _staff),
    ]
    job_kinds = {
        "activities.ledger_export": "shegong.activities.jobs.ledger_export_job",
        "activities.ledger_import": "shegong.activities.jobs.ledger_import_job",
    }
    campaign_kpis = {
        "activities": "shegong.activities.selectors.kpi_activities",
        "participants": "shegong.activities.selectors.kpi_participants",
        "media_reports": "shegong.activities.selectors.kpi_media_reports",
    }

    def console_waiting(self, user):
        from django.urls import reverse

        from shegong.core.registry import WaitingItem

        from .models import Activity
        from .selectors import LedgerFilter, activity_ledger

        if not _staff(user):
            return []
        # Counted by the very selector and filter the list behind the link uses.
        url = reverse("activities:activity_list")
        items = [
            WaitingItem(
                label="待审核的活动",
                count=activity_ledger(user, LedgerFilter(to_review=True)).count(),
                url=f"{url}?to_review=1",
            )
        ]
        if user.unit_id:
            returned = LedgerFilter(status=Activity.Status.RETURNED, own=True)
            items.append(
                WaitingItem(
                    label="被退回待修改的活动",
                    count=activity_ledger(user, returned).count(),
                    url=f"{url}?status=returned&own=1",
                    urgent=True,
                )
            )
        return items

    def seed_demo(self, demo: dict) -> None:
        from .demo import seed

        seed(demo)
