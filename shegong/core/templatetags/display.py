import re

from django import template
from django.utils import translation
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag(takes_context=True)
def with_query(context, **changes) -> str:
    """The current URL's query string with ``changes`` applied, e.g. ``?station=X&elder=1``.

    Switching language or elder mode must keep what the page was showing (the station a QR
    code pre-selected on the help form, the district chosen in the directory).
    """
    query = context["request"].GET.copy()
    for key, value in changes.items():
        query[key] = value
    return f"?{query.urlencode()}"


HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


@register.filter
def zh_lang_attr(text) -> str:
    """`` lang="zh-Hans"`` for Chinese text people wrote (a note, a partner's name) shown on an
    English page, so a screen reader reads it with a Chinese voice; nothing otherwise."""
    if translation.get_language() == "en" and HAN.search(str(text or "")):
        return mark_safe(' lang="zh-Hans"')
    return ""
