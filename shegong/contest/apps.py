from django.apps import AppConfig


def _manager(user) -> bool:
    from .rules import can_manage_contest

    return can_manage_contest(user)


def _unit_staff(user) -> bool:
    from .rules import can_enter_for_unit

    return can_enter_for_unit(user) and not user.sees_everything


def _judge(user) -> bool:
    from .rules import is_judge

    return is_judge(user)


class ContestConfig(AppConfig):
    name = "shegong.contest"
    label = "contest"
    verbose_name = "故事征集"
    console_menu = [
        ("故事征集", "contest:call_list", _manager),
        ("社工故事投稿", "contest:unit_entries", _unit_staff),
        ("作品评审", "contest:review_list", _judge),
    ]
    campaign_kpis = {
        "stories": "shegong.contest.selectors.kpi_stories",
        "stories_awarded": "shegong.contest.selectors.kpi_stories_awarded",
    }
    dashboard_columns = {"stories": "shegong.contest.selectors.dashboard_stories"}

    def console_waiting(self, user):
        from django.urls import reverse
        from django.utils import timezone

        from shegong.core.registry import WaitingItem

        from .models import Entry
        from .rules import is_judge
        from .selectors import reviews_for_judge

        if not is_judge(user):
            return []
        count = (
            reviews_for_judge(user)
            .filter(
                submitted_at=None,
                entry__status=Entry.Status.UNDER_REVIEW,
                entry__call__review_closes__gt=timezone.now(),
            )
            .count()
        )
        return [WaitingItem("待评审的故事作品", count, reverse("contest:review_list"))]

    def seed_demo(self, demo: dict) -> None:
        from .demo import seed

        seed(demo)
