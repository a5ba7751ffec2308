from django import template

register = template.Library()


@register.filter
def get_item_default(mapping, key):
    """``mapping[key]``, 0 when absent: figures a unit did not record count as none."""
    return (mapping or {}).get(key, 0)


@register.filter
def section_text(summary, key):
    return getattr(summary, key, "")
