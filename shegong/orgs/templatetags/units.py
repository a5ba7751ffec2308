from django import template
from django.utils.html import format_html

register = template.Library()


@register.filter
def unit_name(unit) -> str:
    """A unit's name in the page's language, marked with its own ``lang`` (an English page names
    a unit in English where its area has an English name, in Chinese otherwise)."""
    if unit is None:
        return ""
    return format_html('<span lang="{}">{}</span>', unit.name_label_lang, unit.name_label)
