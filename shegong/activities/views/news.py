"""News drafts of an activity and their review."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from shegong.core.access import get_visible_or_404, require

from .. import rules, services
from ..forms import (
    AdoptForm,
    CommentForm,
    NewsForm,
)
from ..models import (
    NewsDraft,
)
from ._base import _error_text
from .ledger import _visible_activity

# --- news drafts ---------------------------------------------------------------------------


@login_required
def news_edit(request: HttpRequest, pk: int, news_id: int | None = None) -> HttpResponseBase:
    activity = _visible_activity(request, pk)
    require(rules.is_unit_member(request.user, activity.unit))
    news = get_visible_or_404(activity.news.all(), pk=news_id) if news_id else None
    if request.method == "POST":
        form = NewsForm(request.POST)
        if form.is_valid():
            try:
                services.news_save(
                    actor=request.user, activity=activity, news=news, **form.cleaned_data
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, "新闻稿已保存。")
                return redirect("activities:activity_detail", pk=activity.pk)
    else:
        form = NewsForm(initial={"title": news.title, "body": news.body} if news else None)
    return render(
        request,
        "activities/simple_form.html",
        {"form": form, "title": "新闻稿", "back": activity.get_absolute_url()},
    )


@login_required
@require_POST
def news_action(request: HttpRequest, pk: int, news_id: int, to: str) -> HttpResponseBase:
    activity = _visible_activity(request, pk)
    news = get_visible_or_404(activity.news.select_related("activity__unit"), pk=news_id)
    if to not in NewsDraft.Status.values or to == NewsDraft.Status.DRAFT:
        raise Http404
    adopt = AdoptForm(request.POST)
    if not adopt.is_valid() and to == NewsDraft.Status.ADOPTED:
        messages.error(request, "；".join(e for errors in adopt.errors.values() for e in errors))
        return redirect("activities:activity_detail", pk=activity.pk)
    review = CommentForm(request.POST)
    if not review.is_valid() and to == NewsDraft.Status.RETURNED:
        messages.error(request, "；".join(review.errors["comment"]))
        return redirect("activities:activity_detail", pk=activity.pk)
    try:
        services.news_transition(
            actor=request.user,
            news=news,
            to=to,
            comment=review.cleaned_data.get("comment", ""),
            outlet=adopt.cleaned_data.get("outlet", ""),
            url=adopt.cleaned_data.get("url", ""),
        )
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, f"新闻稿：{NewsDraft.Status(to).label}。")
    return redirect("activities:activity_detail", pk=activity.pk)
