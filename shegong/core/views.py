from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import connection
from django.http import Http404, HttpRequest, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from .access import get_visible_or_404, require
from .audit_text import audit_lines, audit_target_url, audit_vocabulary
from .http import query_text
from .models import AuditEntry


@never_cache
def healthz(request: HttpRequest) -> HttpResponseBase:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # the probe must answer, whatever the database says
        return JsonResponse(
            {"status": "error", "database": "unavailable", "detail": exc.__class__.__name__},
            status=503,
        )
    return JsonResponse({"status": "ok", "database": "ok", "vendor": connection.vendor})


def csrf_failure(request: HttpRequest, reason="") -> HttpResponseBase:
    return render(request, "403_csrf.html", status=403)


@login_required
def audit_list(request: HttpRequest) -> HttpResponseBase:
    require(request.user.can_read_audit)
    entries = AuditEntry.objects.within_scope(request.user.scope_path).select_related(
        "actor__unit", "target_type"
    )
    vocabulary = audit_vocabulary()
    action = query_text(request.GET, "action", 100)
    if action in vocabulary.actions:
        entries = entries.filter(action=action)
    elif action:
        # A prefix ("unit.") from an older link still narrows to that kind of record.
        entries = entries.filter(action__startswith=action)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "core/audit_list.html",
        {
            "page": page,
            "lines": audit_lines(page),
            "action": action,
            "groups": vocabulary.groups,
        },
    )


@login_required
def audit_target(request: HttpRequest, pk: int) -> HttpResponseBase:
    """Follow an audit entry to its record's page (the record decides who may open it)."""
    # A judge's unit says nothing of what they may read: no entry is theirs to find.
    scope = "//nothing/" if request.user.is_judge else request.user.scope_path
    entry = get_visible_or_404(
        AuditEntry.objects.within_scope(scope).select_related("target_type"), pk=pk
    )
    require(request.user.can_read_audit)
    url = audit_target_url(entry)
    if not url:
        raise Http404("这条记录对应的对象已不存在。")
    return redirect(url)
