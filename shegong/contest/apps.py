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
        ("台账与宣传", "故事征集", "contest:call_list", _manager),
        ("台账与宣传", "社工故事投稿", "contest:unit_entries", _unit_staff),
        ("评审", "作品评审", "contest:review_list", _judge),
    ]
    campaign_kpis = {
        "stories": "shegong.contest.selectors.kpi_stories",
        "stories_awarded": "shegong.contest.selectors.kpi_stories_awarded",
    }
    dashboard_columns = {"stories": "shegong.contest.selectors.dashboard_stories"}

    def console_waiting(self, user):
        from django.urls import reverse

        from shegong.core.registry import WaitingItem

        from .rules import is_judge
        from .selectors import reviews_pending_for_judge

        if not is_judge(user):
            return []
        count = reviews_pending_for_judge(user).count()
        url = reverse("contest:review_list") + "?pending=1"
        return [WaitingItem("待评审的故事作品", count, url)]

    def seed_demo(self, demo: dict) -> None:
        from .demo import seed

        seed(demo)
