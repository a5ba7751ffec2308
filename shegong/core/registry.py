"""What apps contribute to shared console screens, gathered without core knowing the apps.

An AppConfig may define ``console_waiting(user) -> list[WaitingItem]``: the things this user
should act on, shown on the console home page.
"""

from dataclasses import dataclass

from django.apps import apps


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
