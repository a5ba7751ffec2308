"""Staff console of the story contest: the call (city admin), unit entries, blind review."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import FileResponse, Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.views.decorators.http import require_POST

from shegong.accounts.models import User
from shegong.campaigns.models import Campaign
from shegong.core.access import get_visible_or_404, require
from shegong.core.audit_text import audit_history
from shegong.core.http import attachment_response, query_text
from shegong.orgs.models import Unit, unit_scope_q

from . import documents, rules, selectors, services
from .forms import (
    CallForm,
    CallNewForm,
    ConsentForm,
    JudgeForm,
    JudgeRemoveForm,
    PushForm,
    ScheduleForm,
    ScoreForm,
    ShortlistForm,
    TierForm,
    UnitEntryForm,
)
from .models import Call, Entry, EntryMedia, Judge, Review


def console_chinese(view):
    """The console is Chinese only, whatever the browser asks for."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        with translation.override("zh-hans"):
            return view(request, *args, **kwargs)

    return wrapped


def _errors(form, exc: ValidationError) -> None:
    for message in exc.messages:
        form.add_error(None, message)


def _call_for_manager(request: HttpRequest, slug) -> Call:
    require(rules.can_manage_contest(request.user))
    return get_object_or_404(Call.objects.select_related("campaign"), slug=slug)


# --- the call (city admin) -----------------------------------------------------------------


@login_required
@console_chinese
def call_list(request: HttpRequest) -> HttpResponseBase:
    require(rules.can_manage_contest(request.user))
    calls = Call.objects.select_related("campaign").annotate(
        entry_count=Count("entries", distinct=True)
    )
    campaigns = Campaign.objects.filter(call=None).order_by("-starts_on")
    return render(request, "contest/call_list.html", {"calls": calls, "campaigns": campaigns})


def _call_initial(call: Call) -> dict:
    local = timezone.localtime
    return {
        "title": call.title,
        "rules_text": call.rules,
        "categories": call.category_codes,
        "submission_opens": local(call.submission_opens),
        "submission_closes": local(call.submission_closes),
        "review_opens": local(call.review_opens),
        "review_closes": local(call.review_closes),
        "reviews_per_entry": call.reviews_per_entry,
        "criteria": "\n".join(f"{c.name} {c.weight}" for c in call.criteria.all()),
        "tiers": "\n".join(f"{t.name} {t.count}" for t in call.tiers.all()),
    }


def _call_form(request: HttpRequest, *, call=None):
    """Edit ``call``, or start one (``CallNewForm`` names its campaign)."""
    form_class = CallForm if call else CallNewForm
    if request.method == "POST":
        form = form_class(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            campaign = data.pop("campaign", None) or call.campaign
            try:
                call = services.call_save(actor=request.user, campaign=campaign, call=call, **data)
            except ValidationError as exc:
                _errors(form, exc)
            else:
                messages.success(request, "故事征集已保存。")
                return redirect("contest:call_detail", slug=call.slug)
    elif call:
        form = CallForm(initial=_call_initial(call))
    else:
        form = CallNewForm(
            initial={"reviews_per_entry": 3, "campaign": query_text(request.GET, "campaign", 60)}
        )
    return render(request, "contest/call_form.html", {"form": form, "call": call})


@login_required
@console_chinese
def call_new(request: HttpRequest) -> HttpResponseBase:
    require(rules.can_manage_contest(request.user))
    return _call_form(request)


@login_required
@console_chinese
def call_edit(request: HttpRequest, slug: str) -> HttpResponseBase:
    call = _call_for_manager(request, slug)
    return _call_form(request, call=call)


@login_required
@console_chinese
def call_detail(request: HttpRequest, slug: str) -> HttpResponseBase:
    call = _call_for_manager(request, slug)
    counts = dict(call.entries.values_list("status").annotate(n=Count("id")).order_by())
    statuses = [(label, counts.get(value, 0)) for value, label in Entry.Status.choices]
    candidates, panel = _judges(call)
    return render(
        request,
        "contest/call_detail.html",
        {
            "call": call,
            "statuses": statuses,
            "progress": selectors.judge_progress(call),
            "judge_form": JudgeForm(judges=candidates) if candidates.exists() else None,
            "remove_form": JudgeRemoveForm(judges=panel) if panel.exists() else None,
            "now": timezone.now(),
        },
    )


def _judges(call):
    """Judges who may join the panel, and those on it."""
    on_panel = Judge.objects.active().filter(call=call).values("user_id")
    judges = User.objects.filter(role=User.Role.JUDGE, is_active=True).order_by("username")
    return judges.exclude(pk__in=on_panel), judges.filter(pk__in=on_panel)


def _form_errors(request: HttpRequest, form) -> None:
    messages.error(request, "；".join(e for errs in form.errors.values() for e in errs))


@login_required
@console_chinese
@require_POST
def judge_action(request: HttpRequest, slug: str) -> HttpResponseBase:
    call = _call_for_manager(request, slug)
    form = JudgeForm(request.POST, judges=_judges(call)[0])
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("contest:call_detail", slug=call.slug)
    try:
        services.judge_add(actor=request.user, call=call, user=form.cleaned_data["judge"])
        messages.success(request, "已加入评审组。")
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect("contest:call_detail", slug=call.slug)


@login_required
@console_chinese
@require_POST
def judge_remove(request: HttpRequest, slug: str) -> HttpResponseBase:
    call = _call_for_manager(request, slug)
    form = JudgeRemoveForm(request.POST, judges=_judges(call)[1])
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("contest:call_detail", slug=call.slug)
    try:
        moved = services.judge_remove(
            actor=request.user, call=call, user=form.cleaned_data["judge"]
        )
        messages.success(request, f"已移出评审组，{moved} 件未评作品已重新分配。")
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect("contest:call_detail", slug=call.slug)


@login_required
@console_chinese
@require_POST
def review_start(request: HttpRequest, slug: str) -> HttpResponseBase:
    call = _call_for_manager(request, slug)
    try:
        moved = services.review_start(actor=request.user, call=call)
        messages.success(request, f"评审已开始：{moved} 件作品已分配评委。")
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect("contest:call_detail", slug=call.slug)


@login_required
@console_chinese
def ranking(request: HttpRequest, slug: str) -> HttpResponseBase:
    call = _call_for_manager(request, slug)
    rows = selectors.call_ranking(call)
    tiers = list(call.tiers.all())
    taken = dict(
        call.entries.exclude(tier=None).values_list("tier").annotate(n=Count("id")).order_by()
    )
    return render(
        request,
        "contest/ranking.html",
        {
            "call": call,
            "rows": rows,
            "tiers": [(t, taken.get(t.pk, 0)) for t in tiers],
            "tie_rule": selectors.TIE_RULE,
            "shortlist_form": ShortlistForm(initial={"count": sum(t.count for t in tiers)}),
            "locked": call.reviews_locked(),
        },
    )


@login_required
@console_chinese
@require_POST
def shortlist(request: HttpRequest, slug: str) -> HttpResponseBase:
    call = _call_for_manager(request, slug)
    form = ShortlistForm(request.POST)
    if form.is_valid():
        try:
            n = services.call_shortlist(
                actor=request.user, call=call, count=form.cleaned_data["count"]
            )
            messages.success(request, f"已确定 {n} 件入围作品（含并列）。")
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
    else:
        messages.error(request, "；".join(e for errs in form.errors.values() for e in errs))
    return redirect("contest:ranking", slug=call.slug)


@login_required
@console_chinese
@require_POST
def publish_decisions(request: HttpRequest, slug: str) -> HttpResponseBase:
    call = _call_for_manager(request, slug)
    try:
        n = services.call_publish_decisions(actor=request.user, call=call)
        messages.success(request, f"评审结果已公布：{n} 件作品获奖。")
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect("contest:ranking", slug=call.slug)


@login_required
@console_chinese
def schedule(request: HttpRequest, slug: str) -> HttpResponseBase:
    call = _call_for_manager(request, slug)
    form = ScheduleForm(
        request.POST or None, initial={"start": timezone.localdate(), "every_days": 1}
    )
    if request.method == "POST" and form.is_valid():
        try:
            n = services.call_schedule(actor=request.user, call=call, **form.cleaned_data)
            messages.success(request, f"已安排 {n} 篇故事的连载日期。")
            return redirect("contest:schedule", slug=call.slug)
        except ValidationError as exc:
            _errors(form, exc)
    stories = (
        call.entries.filter(status=Entry.Status.PUBLISHED)
        .select_related("tier")
        .annotate(push_count=Count("pushes"))
        .order_by("serial_on", "pk")
    )
    return render(
        request, "contest/schedule.html", {"call": call, "form": form, "stories": stories}
    )


# --- entries (unit staff and the city admin) ------------------------------------------------


@login_required
@console_chinese
def unit_entries(request: HttpRequest) -> HttpResponseBase:
    require(rules.can_see_entries(request.user))
    entries = Entry.objects.visible_to(request.user).select_related("call", "tier", "unit")
    status = query_text(request.GET, "status", 20)
    if status in Entry.Status.values:
        entries = entries.filter(status=status)
    # The dashboard's figures link here with the records they counted: an entering unit's
    # subtree (within the user's own), a campaign's call, a stage (docs/dashboard.md).
    code = query_text(request.GET, "unit", 20)
    unit = (
        Unit.objects.filter(unit_scope_q(request.user, field=None), code=code).first()
        if code
        else None
    )
    slug = query_text(request.GET, "campaign", 60)
    campaign = Campaign.objects.filter(slug=slug).first() if slug else None
    stage = query_text(request.GET, "stage", 20)
    own = unit is not None and request.GET.get("own") == "1"
    entries = selectors.entries_for_dashboard(
        entries, unit=unit, own=own, campaign=campaign, stage=stage
    )
    kept = {"unit": unit.code if unit else "", "campaign": campaign.slug if campaign else ""}
    kept["own"] = "1" if own else ""
    kept["stage"] = stage if stage in selectors.PROGRESS_STAGES else ""
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "contest/entry_list.html",
        {
            "page": page,
            "status": status,
            "statuses": Entry.Status.choices,
            "kept": {key: value for key, value in kept.items() if value},
            "narrowed": unit or campaign or kept["stage"],
            "call": selectors.current_call(),
            "can_enter": rules.can_enter_for_unit(request.user),
        },
    )


@login_required
@console_chinese
def entry_new(request: HttpRequest) -> HttpResponseBase:
    require(rules.can_enter_for_unit(request.user))
    call = selectors.current_call()
    if call is None or not call.accepts_entries():
        messages.error(request, "目前没有正在征集的故事活动。")
        return redirect("contest:unit_entries")
    if request.method == "POST":
        form = UnitEntryForm(request.POST, request.FILES)
        form.fields["category"].choices = call.category_choices()
        if form.is_valid():
            data = form.cleaned_data
            try:
                entry = services.entry_submit_for(
                    actor=request.user,
                    call=call,
                    uploads=data.pop("files"),
                    **data,
                )
            except ValidationError as exc:
                _errors(form, exc)
            else:
                messages.success(request, f"已代为投稿，查询码 {entry.display_code}。")
                return redirect("contest:entry_detail", pk=entry.pk)
    else:
        form = UnitEntryForm()
        form.fields["category"].choices = call.category_choices()
    return render(request, "contest/entry_form.html", {"form": form, "call": call})


def _visible_entry(request: HttpRequest, pk) -> Entry:
    require(rules.can_see_entries(request.user))
    return get_visible_or_404(
        Entry.objects.visible_to(request.user).select_related("call", "tier", "unit", "entered_by"),
        pk=pk,
    )


@login_required
@console_chinese
def entry_detail(request: HttpRequest, pk: int) -> HttpResponseBase:
    return _entry_page(request, _visible_entry(request, pk))


def _entry_page(
    request: HttpRequest, entry, *, push_form=None, consent_form=None, consent_media=None
):
    """The entry's page; a push or consent form refused is shown again with what was typed."""
    manager = rules.can_manage_contest(request.user)
    can_change = rules.can_change_entry(request.user, entry)
    reviews = list(entry.reviews.select_related("judge")) if manager else []
    return render(
        request,
        "contest/entry_detail.html",
        {
            "entry": entry,
            "media": list(entry.media.all()),
            "reviews": reviews,
            "manager": manager,
            # 入围 / 未入选 are refused while judges may still score (services.entry_decide).
            "review_locked": entry.call.reviews_locked(timezone.now()),
            "can_change": can_change,
            "history": audit_history(entry) if manager or can_change else [],
            "tiers": list(entry.call.tiers.all()) if manager else [],
            "warnings": services.entry_privacy_warnings(entry) if manager else [],
            "pushes": list(entry.pushes.all()),
            "push_form": push_form or PushForm(initial={"pushed_on": timezone.localdate()}),
            "consent_form": consent_form,
            "consent_media": consent_media,
        },
    )


@login_required
@console_chinese
@require_POST
def entry_action(request: HttpRequest, pk: int) -> HttpResponseBase:
    entry = _visible_entry(request, pk)
    require(rules.can_manage_contest(request.user))
    action = request.POST.get("action", "")
    try:
        if action in ("shortlist", "not_select"):
            services.entry_decide(
                actor=request.user, entry=entry, shortlisted=action == "shortlist"
            )
        elif action == "tier":
            form = TierForm(request.POST, tiers=entry.call.tiers.all())
            if not form.is_valid():
                raise ValidationError([e for errs in form.errors.values() for e in errs])
            services.entry_set_tier(actor=request.user, entry=entry, tier=form.cleaned_data["tier"])
        elif action == "publish":
            services.entry_publish(
                actor=request.user, entry=entry, confirmed=request.POST.get("confirmed") == "1"
            )
        elif action == "push":
            form = PushForm(request.POST)
            if form.is_valid():
                try:
                    services.push_record(actor=request.user, entry=entry, **form.cleaned_data)
                except ValidationError as exc:
                    _errors(form, exc)
            if form.errors:
                return _entry_page(request, entry, push_form=form)
        else:
            raise ValidationError("未知的操作。")
        messages.success(request, "已保存。")
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    back = request.POST.get("next", "")
    if back == "ranking":
        return redirect("contest:ranking", slug=entry.call.slug)
    return redirect("contest:entry_detail", pk=entry.pk)


@login_required
@console_chinese
@require_POST
def media_consent(request: HttpRequest, pk: int) -> HttpResponseBase:
    media = get_object_or_404(EntryMedia.objects.select_related("entry__unit"), pk=pk)
    if not Entry.objects.visible_to(request.user).filter(pk=media.entry_id).exists():
        raise Http404
    require(rules.can_change_entry(request.user, media.entry))
    form = ConsentForm(request.POST)
    if form.is_valid():
        try:
            services.media_record_consent(
                actor=request.user, media=media, note=form.cleaned_data["note"]
            )
        except ValidationError as exc:
            _errors(form, exc)
    if form.errors:
        entry = _visible_entry(request, media.entry_id)
        return _entry_page(request, entry, consent_form=form, consent_media=media.pk)
    messages.success(request, "已登记监护人同意。")
    return redirect("contest:entry_detail", pk=media.entry_id)


@login_required
def media_file(request: HttpRequest, pk: int) -> HttpResponseBase:
    """A cleaned photo or video: for staff who see the entry and for the judges assigned to
    it (no file name either way: judges review blind)."""
    media = get_object_or_404(EntryMedia, pk=pk)
    user = request.user
    allowed = Entry.objects.visible_to(user).filter(pk=media.entry_id).exists() or (
        Review.for_judge(user).filter(entry_id=media.entry_id).exists()
    )
    if not allowed:
        raise Http404
    which = media.thumbnail if request.GET.get("thumb") and media.thumbnail else media.file
    response = FileResponse(
        which.open("rb"), content_type=media.content_type if which == media.file else "image/jpeg"
    )
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
def certificate(request: HttpRequest, pk: int) -> HttpResponseBase:
    entry = _visible_entry(request, pk)
    require(rules.can_manage_contest(request.user))
    if not entry.certificate_code:
        raise Http404
    return attachment_response(
        documents.certificate_pdf(entry),
        name=f"获奖证书·{entry.title}.pdf",
        fallback=f"certificate-{entry.pk}.pdf",
        content_type="application/pdf",
    )


@login_required
@console_chinese
def wechat(request: HttpRequest, pk: int) -> HttpResponseBase:
    entry = _visible_entry(request, pk)
    require(rules.can_manage_contest(request.user))
    if entry.status != Entry.Status.PUBLISHED:
        raise Http404
    html = documents.wechat_html(entry)
    if request.GET.get("download"):
        return attachment_response(
            html,
            name=f"{entry.title}（公众号稿）.html",
            fallback=f"story-{entry.slug}.html",
            content_type="text/html; charset=utf-8",
        )
    return render(request, "contest/wechat.html", {"entry": entry, "html": html})


# --- blind review (judges) ------------------------------------------------------------------


@login_required
@console_chinese
def review_list(request: HttpRequest) -> HttpResponseBase:
    require(rules.is_judge(request.user))
    pending = request.GET.get("pending") == "1"
    if pending:
        reviews = list(selectors.reviews_pending_for_judge(request.user))
    else:
        reviews = list(selectors.reviews_for_judge(request.user))
    return render(request, "contest/review_list.html", {"reviews": reviews, "pending": pending})


@login_required
@console_chinese
def review_detail(request: HttpRequest, pk: int) -> HttpResponseBase:
    """A judge's review of entry ``pk``. Staff who may see the entry but not review it get
    403; anyone else (a judge not assigned to it included) 404."""
    review = (
        Review.for_judge(request.user).select_related("entry__call").filter(entry_id=pk).first()
    )
    if review is None:
        require(not Entry.objects.visible_to(request.user).filter(pk=pk).exists())
        raise Http404
    entry = review.entry
    call = entry.call
    criteria = list(call.criteria.all())
    locked = call.reviews_locked() or entry.status != Entry.Status.UNDER_REVIEW
    if request.method == "POST" and not locked:
        form = ScoreForm(request.POST, criteria=criteria)
        if form.is_valid():
            try:
                services.review_score(
                    actor=request.user,
                    review=review,
                    scores=form.scores(),
                    comment=form.cleaned_data["comment"],
                )
            except ValidationError as exc:
                _errors(form, exc)
            else:
                messages.success(request, "评分已保存。评审截止前仍可修改。")
                return redirect("contest:review_list")
    elif request.method == "POST":
        form = ScoreForm(request.POST, criteria=criteria)
        form.is_valid()
        form.add_error(None, "评审期已结束，评分已锁定。")
    else:
        initial = {f"c{s.criterion_id}": s.value for s in review.scores.all()}
        initial["comment"] = review.comment
        form = ScoreForm(initial=initial, criteria=criteria)
    return render(
        request,
        "contest/review_detail.html",
        {
            "review": review,
            "entry": entry,
            "call": call,
            "media": list(entry.media.only("id", "kind", "entry_id")),
            "scores": list(review.scores.select_related("criterion")),
            "form": form,
            "locked": locked,
        },
    )
