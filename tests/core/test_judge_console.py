"""A judge's console holds only what a judge uses (the contest's review queue), and nothing
answers a judge with an untrue message (issue #16: 活动台账 and 求助 said "您可以查看这项内容，
但无权修改")."""

from django.apps import apps
from django.urls import reverse

from tests.site_walk import all_routes


def _menu(user) -> list[str]:
    return [
        url_name
        for config in apps.get_app_configs()
        for *_, url_name, allowed in getattr(config, "console_menu", ())
        if allowed(user)
    ]


def test_a_judges_menu_is_the_home_and_the_review_queue(judge):
    assert sorted(_menu(judge)) == ["contest:review_list", "reports:home"]


def test_a_judges_home_leads_to_the_review_queue_not_to_units(login, judge, station):
    content = login(judge).get("/console/").content.decode()

    assert "管辖范围" not in content
    assert "社工站 0 个" not in content
    assert reverse("contest:review_list") in content


def test_every_console_page_answers_a_judge_truthfully(login, judge, station):
    client = login(judge)
    refused = []
    for route in all_routes():
        if route.area != "console" or route.parameters:
            continue
        response = client.get(route.path({}))
        assert response.status_code in (200, 302, 403, 404, 405), route.route
        if response.status_code == 403:
            content = response.content.decode()
            assert "您可以查看这项内容" not in content, route.route
            assert "评委账号不能打开" in content, route.route
            refused.append(route.route)
    # The staff's pages are refused, with the judge's reason.
    assert "console/activities/" in refused
    assert "console/helpdesk/" in refused
