import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from shegong.core.access import get_visible_or_404, require
from shegong.orgs.models import Unit

from . import excel, rules, selectors, services
from .forms import (
    ActivityForm,
    AdoptForm,
    BudgetCapForm,
    CaseForm,
    CommentForm,
    ConsentForm,
    CoverageForm,
    ImportForm,
    LiveStreamForm,
    MediaForm,
    NewsForm,
    SubmissionForm,
    SubmissionStatusForm,
)
from .models import (
    Activity,
    ActivityMedia,
    Audience,
    Case,
    Focus,
    LiveStream,
    MediaCoverage,
    NewsDraft,
    Submission,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _staff(user) -> None:
    require(rules.is_staff_member(user))


def _error_text(error: ValidationError) -> str:
    return "；".join(error.messages)


# --- the ledger ------------------------------------------------------------------------------


@login_required
def activity_list(request):
    _staff(request.user)
    f = selectors.LedgerFilter.from_query(request.GET)
    qs = selectors.activity_ledger(request.user, f)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "activities/activity_list.html",
        {
            "page": page,
            "f": f,
            "query": query.urlencode(),
            "statuses": Activity.Status.choices,
            "kinds": Activity.Kind.choices,
            "focuses": Focus.choices,
            "audiences": Audience.choices,
            "can_record": rules.can_record_for_unit(request.user, request.user.unit)
            if request.user.unit_id
            else False,
        },
    )


@login_required
def activity_export(request):
    _staff(request.user)
    f = selectors.LedgerFilter.from_query(request.GET)
    qs = selectors.activity_ledger(request.user, f).prefetch_related("partners")
    # In chunks, partners prefetched per chunk: a city-wide export does not hold every row.
    response = HttpResponse(excel.ledger_export(qs.iterator(chunk_size=2000)), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="activities.xlsx"'
    return response


@login_required
def activity_template(request):
    _staff(request.user)
    response = HttpResponse(excel.ledger_template(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="activities-template.xlsx"'
    return response


@login_required
def activity_import(request):
    _staff(request.user)
    report = None
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                report = excel.ledger_import(
                    actor=request.user,
                    source=form.cleaned_data["file"],
                    campaign=form.cleaned_data["campaign"],
                )
            except ValidationError as error:
                form.add_error("file", _error_text(error))
            else:
                if report.ok:
                    repeated = (
                        f"{report.repeated} 行与您刚刚登记的活动相同，未重复导入。"
                        if report.repeated
                        else ""
                    )
                    messages.success(request, f"已导入 {report.created} 条活动（草稿）。{repeated}")
                    return redirect("activities:activity_list")
    else:
        from shegong.campaigns.models import Campaign

        form = ImportForm(initial={"campaign": Campaign.objects.current()})
    return render(request, "activities/activity_import.html", {"form": form, "report": report})


def _visible_activity(request, pk: int) -> Activity:
    return get_visible_or_404(
        Activity.objects.visible_to(request.user).select_related("unit__parent", "campaign"),
        pk=pk,
    )


@login_required
def activity_create(request):
    _staff(request.user)
    require(Unit.objects.changeable_by(request.user).exists())
    if request.method == "POST":
        form = ActivityForm(request.POST, user=request.user)
        if form.is_valid():
            data = form.activity_data()
            try:
                activity = services.activity_create(
                    actor=request.user, unit=data.pop("unit"), risk=form.risk_data(), **data
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, "活动已保存为草稿。")
                return redirect("activities:activity_detail", pk=activity.pk)
    else:
        from shegong.campaigns.models import Campaign

        form = ActivityForm(user=request.user, initial={"campaign": Campaign.objects.current()})
    return render(request, "activities/activity_form.html", {"form": form, "title": "登记活动"})


@login_required
def activity_edit(request, pk: int):
    activity = _visible_activity(request, pk)
    require(rules.can_edit(request.user, activity))
    if request.method == "POST":
        form = ActivityForm(request.POST, user=request.user, activity=activity)
        if form.is_valid():
            try:
                services.activity_update(
                    actor=request.user,
                    activity=activity,
                    risk=form.risk_data(),
                    **form.activity_data(),
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, "修改已保存。")
                return redirect("activities:activity_detail", pk=activity.pk)
    else:
        form = ActivityForm(
            user=request.user, activity=activity, initial=ActivityForm.initial_for(activity)
        )
    return render(
        request,
        "activities/activity_form.html",
        {"form": form, "title": "修改活动", "activity": activity, "unit": activity.unit},
    )


@login_required
def activity_detail(request, pk: int):
    activity = _visible_activity(request, pk)
    user = request.user
    return render(
        request,
        "activities/activity_detail.html",
        {
            "activity": activity,
            "risk": getattr(activity, "risk", None) if hasattr(activity, "risk") else None,
            "media": list(activity.media.all()),
            "events": list(activity.events.select_related("actor")),
            "news": list(activity.news.all()),
            "partners": list(activity.partners.all()),
            "tasks": list(activity.tasks.all()),
            "coverage": list(activity.coverage.all()),
            "submissions": list(activity.submissions.all()),
            "streams": list(activity.streams.all()),
            "is_member": rules.is_unit_member(user, activity.unit),
            "can_edit": rules.can_edit(user, activity),
            "can_review": rules.can_review(user, activity),
            "can_feature": rules.can_feature(user, activity),
            "can_add_media": rules.can_add_media(user, activity),
            "can_flag_minors": rules.can_flag_minors(user, activity),
            "comment_form": CommentForm(),
            "media_form": MediaForm(),
        },
    )


TRANSITIONS = {
    "submit": (services.activity_submit, "已提交审核。"),
    "return": (services.activity_return, "已退回，并通知了填报单位。"),
    "approve": (services.activity_approve, "已审核通过。"),
    "feature": (services.activity_feature, "已评为优秀案例。"),
    "risk_approve": (services.risk_approve, "已批准风险评估。"),
}


@login_required
@require_POST
def activity_transition(request, pk: int, action: str):
    activity = _visible_activity(request, pk)
    if action not in TRANSITIONS:
        raise Http404
    service, done = TRANSITIONS[action]
    kwargs = {"actor": request.user, "activity": activity}
    if action in ("return", "approve"):
        form = CommentForm(request.POST)
        if not form.is_valid():
            messages.error(request, "；".join(form.errors["comment"]))
            return redirect("activities:activity_detail", pk=activity.pk)
        kwargs["comment"] = form.cleaned_data["comment"]
    try:
        service(**kwargs)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, done)
    return redirect("activities:activity_detail", pk=activity.pk)


# --- photos and videos -----------------------------------------------------------------------


@login_required
@require_POST
def media_upload(request, pk: int):
    activity = _visible_activity(request, pk)
    require(rules.can_change_media(request.user, activity))
    form = MediaForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.media_add(
                actor=request.user,
                activity=activity,
                upload=form.cleaned_data["file"],
                caption=form.cleaned_data["caption"],
                shows_minors=form.cleaned_data["shows_minors"],
            )
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(request, "已上传。拍摄时间和地点只保存在内部记录中，文件已去除。")
    else:
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
    return redirect("activities:activity_detail", pk=activity.pk)


def _visible_media(request, media_id: int) -> ActivityMedia:
    return get_visible_or_404(
        ActivityMedia.objects.filter(
            activity__in=Activity.objects.visible_to(request.user)
        ).select_related("activity__unit"),
        pk=media_id,
    )


RANGE_RE = re.compile(r"bytes=(\d*)-(\d*)")


def _byte_range(header: str, size: int) -> tuple[int, int] | None:
    """The one range of a ``Range: bytes=…`` header as (first, last), or None to send the
    whole file; raises ValueError when the range lies outside the file."""
    match = RANGE_RE.fullmatch(header.strip())
    if not match or not (match[1] or match[2]):
        return None
    if match[1]:
        first = int(match[1])
        last = min(int(match[2]), size - 1) if match[2] else size - 1
    else:
        first, last = max(0, size - int(match[2])), size - 1
    if first >= size or first > last:
        raise ValueError(header)
    return first, last


def _chunks(handle, first: int, length: int):
    with handle:
        handle.seek(first)
        while length > 0:
            chunk = handle.read(min(length, 1 << 16))
            if not chunk:
                return
            length -= len(chunk)
            yield chunk


@login_required
def media_file(request, media_id: int, variant: str = "file"):
    """Serve the cleaned copy of a photo or video to staff who may see its activity. A
    single byte range is honoured: phone video players (Safari on iPhone) ask for ranges and
    do not play a video served without them."""
    media = _visible_media(request, media_id)
    field = media.thumbnail if variant == "thumb" and media.thumbnail else media.file
    content_type = "image/jpeg" if field is media.thumbnail else media.content_type
    try:
        handle = field.open("rb")
        size = field.size
    except FileNotFoundError as missing:
        raise Http404 from missing
    try:
        wanted = _byte_range(request.headers.get("Range", ""), size)
    except ValueError:
        handle.close()
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        return response
    if wanted is None:
        response = FileResponse(handle, content_type=content_type)
    else:
        first, last = wanted
        length = last - first + 1
        response = StreamingHttpResponse(
            _chunks(handle, first, length), status=206, content_type=content_type
        )
        response["Content-Range"] = f"bytes {first}-{last}/{size}"
        response["Content-Length"] = str(length)
    response["Accept-Ranges"] = "bytes"
    response["Cache-Control"] = "private, max-age=3600"
    response["Content-Disposition"] = "inline"
    return response


@login_required
@require_POST
def media_consent(request, media_id: int):
    media = _visible_media(request, media_id)
    require(rules.can_change_media(request.user, media.activity))
    form = ConsentForm(request.POST)
    if form.is_valid():
        try:
            services.media_record_consent(
                actor=request.user, media=media, note=form.cleaned_data["note"]
            )
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(request, "已登记监护人同意。")
    else:
        messages.error(request, "请写明同意书的情况（如：已取得监护人书面同意）。")
    return redirect("activities:activity_detail", pk=media.activity_id)


@login_required
@require_POST
def media_minors(request, media_id: int):
    """Mark a photo as showing minors (the unit or its reviewer), keeping it from public use
    until a guardian's consent is recorded."""
    media = _visible_media(request, media_id)
    require(rules.can_flag_minors(request.user, media.activity))
    try:
        services.media_set_minors(actor=request.user, media=media, shows_minors=True)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, "已标记画面中有未成年人：登记监护人同意前不得公开使用。")
    return redirect("activities:activity_detail", pk=media.activity_id)


# --- news drafts ---------------------------------------------------------------------------


@login_required
def news_edit(request, pk: int, news_id: int | None = None):
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
def news_action(request, pk: int, news_id: int, to: str):
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


# --- budget --------------------------------------------------------------------------------


@login_required
def budget_report(request):
    _staff(request.user)
    form = BudgetCapForm()
    can_set = request.user.sees_everything or request.user.is_district_officer
    if request.method == "POST":
        require(can_set)
        form = BudgetCapForm(request.POST)
        if form.is_valid():
            unit = (
                Unit.objects.visible_to(request.user).filter(code=form.cleaned_data["unit"]).first()
            )
            if unit is None:
                form.add_error("unit", "没有这个单位，或不在您的管理范围内。")
            else:
                try:
                    services.budgetcap_set(
                        actor=request.user,
                        unit=unit,
                        campaign=form.cleaned_data["campaign"],
                        amount=form.cleaned_data["amount"] or 0,
                    )
                except ValidationError as error:
                    form.add_error(None, error)
                else:
                    messages.success(request, f"已设置{unit}的经费上限。")
                    return redirect("activities:budget_report")
    rows = selectors.budget_report(request.user)
    return render(
        request,
        "activities/budget_report.html",
        {"rows": rows, "form": form, "can_set": can_set},
    )


# --- media coverage, submissions, live streams ---------------------------------------------

RECORDS = {
    "coverage": (MediaCoverage, CoverageForm, services.coverage_create, "媒体报道"),
    "submissions": (Submission, SubmissionForm, services.submission_create, "投稿"),
    "streams": (LiveStream, LiveStreamForm, services.livestream_create, "直播"),
}


@login_required
def record_list(request, kind: str):
    _staff(request.user)
    model, _, _, label = RECORDS[kind]
    rows = model.objects.visible_to(request.user).select_related("unit", "activity")
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(
        request,
        f"activities/{kind}_list.html",
        {
            "page": page,
            "label": label,
            "kind": kind,
            "can_record": request.user.unit_id is not None,
            "status_form": SubmissionStatusForm(),
        },
    )


@login_required
def record_create(request, kind: str):
    _staff(request.user)
    require(request.user.unit_id is not None)
    _, form_class, service, label = RECORDS[kind]
    if request.method == "POST":
        form = form_class(request.POST, user=request.user)
        if form.is_valid():
            try:
                service(actor=request.user, unit=request.user.unit, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, f"{label}已登记。")
                return redirect(f"activities:{kind}_list")
    else:
        initial = {}
        if request.GET.get("activity", "").isdigit():
            initial["activity"] = int(request.GET["activity"])
        form = form_class(user=request.user, initial=initial)
    return render(
        request,
        "activities/simple_form.html",
        {"form": form, "title": f"登记{label}", "back": reverse(f"activities:{kind}_list")},
    )


@login_required
@require_POST
def submission_status(request, submission_id: int):
    submission = get_visible_or_404(
        Submission.objects.visible_to(request.user).select_related("unit"), pk=submission_id
    )
    require(rules.is_unit_member(request.user, submission.unit))
    form = SubmissionStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
        return redirect("activities:submissions_list")
    try:
        services.submission_set_status(
            actor=request.user, submission=submission, **form.cleaned_data
        )
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, "投稿状态已更新。")
    return redirect("activities:submissions_list")


# --- cases and exemplars -------------------------------------------------------------------


@login_required
def case_list(request):
    _staff(request.user)
    cases = Case.objects.visible_to(request.user).select_related("unit")
    page = Paginator(cases, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "activities/case_list.html",
        {"page": page, "can_record": request.user.unit_id is not None},
    )


@login_required
def case_edit(request, case_id: int | None = None):
    _staff(request.user)
    case = None
    if case_id:
        case = get_visible_or_404(
            Case.objects.visible_to(request.user).select_related("unit"), pk=case_id
        )
        require(rules.is_unit_member(request.user, case.unit))
    else:
        require(request.user.unit_id is not None)
    if request.method == "POST":
        form = CaseForm(request.POST, user=request.user, case=case)
        if form.is_valid():
            data = dict(form.cleaned_data)
            partners = data.pop("partners")
            try:
                case = services.case_save(
                    actor=request.user, unit=request.user.unit, case=case, partners=partners, **data
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, "案例已保存。")
                return redirect("activities:case_detail", case_id=case.pk)
    else:
        form = CaseForm(instance=case, user=request.user, case=case)
        if case:
            form.initial["partners"] = list(case.partners.all())
    return render(
        request,
        "activities/simple_form.html",
        {"form": form, "title": "案例与先进典型", "back": reverse("activities:case_list")},
    )


@login_required
def case_detail(request, case_id: int):
    case = get_visible_or_404(
        Case.objects.visible_to(request.user)
        .select_related("unit")
        .prefetch_related(Prefetch("partners")),
        pk=case_id,
    )
    can_publish = rules.is_unit_member(request.user, case.unit) or request.user.sees_everything
    if request.method == "POST":
        require(can_publish)
        try:
            services.case_publish(
                actor=request.user, case=case, confirmed=request.POST.get("confirmed") == "1"
            )
        except ValidationError as error:
            messages.error(request, _error_text(error))
        except PermissionDenied:
            raise
        else:
            messages.success(request, "案例已发布。")
        return redirect("activities:case_detail", case_id=case.pk)
    return render(
        request,
        "activities/case_detail.html",
        {
            "case": case,
            "warnings": services.case_privacy_warnings(services.case_text(case)),
            "can_publish": can_publish,
        },
    )
