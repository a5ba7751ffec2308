"""A station's own words in the page's language: the English a station wrote where there is
some, else its Chinese marked ``lang="zh-Hans"`` on an English page (so a screen reader
switches voice and the English-completeness sweep knows it is content, not a missed string)."""

from django import template
from django.utils import translation
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

register = template.Library()

# Staff roles most stations use, translated like any fixed vocabulary; others show as written.
ROLES = {
    "站长": _("站长"),
    "副站长": _("副站长"),
    "驻站社工": _("驻站社工"),
    "社工": _("社工"),
    "督导": _("督导"),
    "志愿者": _("志愿者"),
}


@register.simple_tag
def own_words(obj, field: str):
    text = getattr(obj, field, "") or ""
    if translation.get_language() != "en":
        return text
    english = getattr(obj, f"{field}_en", "") or ""
    if english:
        return english
    if field == "role" and text in ROLES:
        return str(ROLES[text])
    return format_html('<span lang="zh-Hans">{}</span>', text) if text else ""
