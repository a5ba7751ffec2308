"""What apps contribute to shared console screens, gathered without core knowing the apps.

An AppConfig may define ``console_waiting(user) -> list[WaitingItem]``: the things this user
should act on, shown on the console home page; and ``console_menu``: entries
``(group, label, url_name, allowed(user))`` of the console menu, shown grouped.
"""

from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import reverse

# The console menu's sections in the order a clerk's work runs; "" holds 工作台, first. An app
# naming a section not listed here gets it after these.
MENU_GROUPS = ("", "活动方案", "台账与宣传", "社工站", "求助", "统计", "评审", "系统")


@dataclass(frozen=True)
class WaitingItem:
    label: str
    count: int
    url: str
    urgent: bool = False


def waiting_items(user) -> list[WaitingItem]:
    items: list[WaitingItem] = []
    for config in apps.get_app_configs():
        collect = getattr(config, "console_waiting", None)
        if collect is not None:
            items.extend(item for item in collect(user) if item.count)
    return items


def menu_for(user, path: str = "") -> list[dict]:
    """The console menu of ``user``: ``[{"label", "items": [{"label", "url", "active"}]}]``,
    sections in ``MENU_GROUPS`` order, holding only the entries the user may use."""
    groups: dict[str, list[dict]] = {}
    for config in apps.get_app_configs():
        for group, label, url_name, allowed in getattr(config, "console_menu", ()):
            if allowed(user):
                item = {"label": label, "url": reverse(url_name), "active": False}
                groups.setdefault(group, []).append(item)
    # The current page is the entry whose address is the longest start of the path (活动台账
    # /console/activities/ is not current on 媒体宣传 /console/activities/coverage/).
    # The console home (where signing in lands) is current on itself only.
    home = resolve_url(settings.LOGIN_REDIRECT_URL)
    matches = [
        item
        for items in groups.values()
        for item in items
        if path == item["url"] or (item["url"] != home and path.startswith(item["url"]))
    ]
    if matches:
        max(matches, key=lambda item: len(item["url"]))["active"] = True

    def order(group: str) -> int:
        return MENU_GROUPS.index(group) if group in MENU_GROUPS else len(MENU_GROUPS)

    return [
        {"label": group, "items": groups[group], "active": any(i["active"] for i in groups[group])}
        for group in sorted(groups, key=order)
    ]
