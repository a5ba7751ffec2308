"""The public side of the story contest: read stories, enter one, follow it, check a
certificate. No login; works without JavaScript."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from shegong.core.http import client_address, query_text
from shegong.helpdesk.services import LimitReached

from . import selectors, services
from .forms import EntryForm, FollowForm
from .models import Category, Entry, EntryMedia

SESSION_KEY = "contest_sent"

# Labels of model choices, translated for the public pages (the models hold Chinese only).
CATEGORY_LABELS = {
    Category.WRITTEN: gettext_lazy("文字故事"),
    Category.PHOTO: gettext_lazy("图片故事"),
    Category.VIDEO: gettext_lazy("短视频"),
}
STATUS_LABELS = {
    Entry.Status.SUBMITTED: gettext_lazy("已提交，等待评审"),
    Entry.Status.WITHDRAWN: gettext_lazy("已撤回"),
    Entry.Status.UNDER_REVIEW: gettext_lazy("评审中"),
    Entry.Status.SHORTLISTED: gettext_lazy("入围"),
    Entry.Status.NOT_SELECTED: gettext_lazy("未入选，感谢参与"),
    Entry.Status.AWARDED: gettext_lazy("获奖"),
    Entry.Status.PUBLISHED: gettext_lazy("获奖并已发表"),
}


def stories(request: HttpRequest) -> HttpResponseBase:
    category = query_text(request.GET, "category", 10)
    if category not in Category.values:
        category = ""
    items = list(selectors.published_stories(category=category)[:60])
    for item in items:
        item.category_label = CATEGORY_LABELS.get(item.category, "")
    call = selectors.current_call()
    return render(
        request,
        "contest/public_list.html",
        {
            "stories": items,
            "category": category,
            "categories": [(value, CATEGORY_LABELS[value]) for value in Category.values],
            "call": call,
            "open": call is not None and call.accepts_entries(),
        },
    )


def story(request: HttpRequest, slug: str) -> HttpResponseBase:
    entry = get_object_or_404(Entry.objects.published().select_related("tier", "call"), slug=slug)
    share_url = settings.SITE_URL + entry.get_absolute_url()  # as printed codes carry it
    return render(
        request,
        "contest/public_story.html",
        {
            "entry": entry,
            "category_label": CATEGORY_LABELS.get(entry.category, ""),
            "media": selectors.public_media(entry),
            "paragraphs": [p.strip() for p in entry.text.splitlines() if p.strip()],
            "share_qr": _share_qr(share_url),
            "share_url": share_url,
        },
    )


def _share_qr(url: str) -> str:
    import io

    import segno

    buffer = io.BytesIO()
    segno.make_qr(url, error="m").save(buffer, kind="svg", scale=4, xmldecl=False, svgns=True)
    return buffer.getvalue().decode()


@never_cache
@require_http_methods(["GET", "POST"])
def submit(request: HttpRequest) -> HttpResponseBase:
    call = selectors.current_call()
    if call is None or not call.accepts_entries():
        return render(request, "contest/public_closed.html", {"call": call}, status=200)
    if request.method == "POST":
        form = EntryForm(request.POST, request.FILES, call=call)
        if form.is_bot:
            data = request.POST.copy()
            data["website"] = ""
            form = EntryForm(data, call=call)
            form.is_valid()
            form.add_error(None, _("投稿未能受理，请检查后再提交一次。"))
        elif form.is_valid():
            data = form.cleaned_data
            try:
                entry = services.entry_submit(
                    call=call,
                    author_name=data["author_name"],
                    phone=data["phone"],
                    title=data["title"],
                    category=data["category"],
                    text=data["text"],
                    uploads=data["files"],
                    shows_minors=data["shows_minors"],
                    area=data["district"],
                    ip=client_address(request),
                )
            except LimitReached as exc:
                form.add_error(None, exc)
            except ValidationError as exc:
                form.add_error("files" if exc.code in ("file", "files") else None, exc)
            else:
                request.session[SESSION_KEY] = {"code": entry.display_code, "title": entry.title}
                return redirect("contest_public_sent")
    else:
        form = EntryForm(call=call)
    return render(request, "contest/public_submit.html", {"form": form, "call": call})


@never_cache
def sent(request: HttpRequest) -> HttpResponseBase:
    data = request.session.get(SESSION_KEY)
    if not data:
        return redirect("contest_public_submit")
    return render(request, "contest/public_sent.html", {"sent": data})


@never_cache
@require_http_methods(["GET", "POST"])
def follow(request: HttpRequest) -> HttpResponseBase:
    if request.method == "GET":
        return render(request, "contest/public_follow.html", {"form": FollowForm()})
    form = FollowForm(request.POST)
    status = 200
    if form.is_valid():
        try:
            entry = services.entry_follow(ip=client_address(request), **form.cleaned_data)
        except LimitReached as exc:
            form.add_error(None, exc)
            status = 429
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            notice = ""
            if request.POST.get("withdraw") == "1":
                try:
                    entry = services.entry_withdraw(entry=entry)
                    notice = _("作品已撤回。")
                except ValidationError as exc:
                    notice = exc.messages[0]
            return render(
                request,
                "contest/public_status.html",
                {
                    "entry": entry,
                    "status_label": STATUS_LABELS[entry.status],
                    "category_label": CATEGORY_LABELS.get(entry.category, ""),
                    "notice": notice,
                    "form": form,
                    "can_withdraw": entry.status == Entry.Status.SUBMITTED,
                },
            )
    return render(request, "contest/public_follow.html", {"form": form}, status=status)


def verify(request: HttpRequest, code: str) -> HttpResponseBase:
    entry = (
        Entry.objects.select_related("tier", "call__campaign__issuer")
        .filter(
            certificate_code=code[:12],
            status__in=[Entry.Status.AWARDED, Entry.Status.PUBLISHED],
        )
        .first()
    )
    return render(
        request,
        "contest/public_verify.html",
        {"entry": entry, "code": code[:12]},
        status=200 if entry else 404,
    )


def media(request: HttpRequest, pk: int) -> HttpResponseBase:
    item = get_object_or_404(EntryMedia.objects.select_related("entry"), pk=pk)
    if item.entry.status != Entry.Status.PUBLISHED or not item.public_ok:
        raise Http404
    which = item.thumbnail if request.GET.get("thumb") and item.thumbnail else item.file
    response = FileResponse(
        which.open("rb"), content_type=item.content_type if which == item.file else "image/jpeg"
    )
    response["Cache-Control"] = "public, max-age=86400"
    return response
