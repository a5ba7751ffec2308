from django import template

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
