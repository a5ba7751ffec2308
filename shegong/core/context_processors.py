from django.conf import settings
from django.shortcuts import resolve_url

from .registry import menu_for


def display_preferences(request):
    return {
        "elder_mode": getattr(request, "elder_mode", False),
        "text_size": getattr(request, "text_size", "l"),
    }


def console_menu(request):
    """The console menu gathered from every app that declares ``console_menu``
    (``core.registry.menu_for``); core stays ignorant of what the apps are."""
    user = getattr(request, "user", None)
    if (
        user is None
        or not user.is_authenticated
        or not request.path.startswith(resolve_url(settings.LOGIN_REDIRECT_URL))
    ):
        return {}
    groups = menu_for(user, request.path)
    current = next((i["label"] for g in groups for i in g["items"] if i["active"]), "")
    return {"console_menu": groups, "console_menu_current": current}
