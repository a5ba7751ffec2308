from django.apps import apps
from django.urls import reverse


def display_preferences(request):
    return {
        "elder_mode": getattr(request, "elder_mode", False),
        "text_size": getattr(request, "text_size", "l"),
    }


def console_menu(request):
    """Console navigation gathered from every app that declares ``console_menu``.

    An app lists ``(label, url_name, allowed)`` items on its AppConfig, where ``allowed`` is a
    predicate on the user; core stays ignorant of what the apps are.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not request.path.startswith("/console/"):
        return {}
    items = []
    for config in apps.get_app_configs():
        for label, url_name, allowed in getattr(config, "console_menu", ()):
            if allowed(user):
                url = reverse(url_name)
                items.append({"label": label, "url": url, "active": _is_active(request.path, url)})
    return {"console_menu": items}


def _is_active(path: str, url: str) -> bool:
    if url == "/console/":
        return path == url
    return path.startswith(url)
