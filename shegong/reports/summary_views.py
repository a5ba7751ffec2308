"""Console pages of summaries and reporting (总结报送), under /console/summaries/."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from shegong.campaigns.models import Campaign
from shegong.core.access import get_visible_or_404, require
from shegong.core.http import attachment_response
from shegong.jobs.services import job_start
from shegong.orgs.models import Unit, unit_scope_q

from . import services
from .models import SECTIONS, Summary, SummaryAttachment
from .summary_documents import (
    CONTENT_TYPES,
    figures_of,
    filename,
    report_title,
    summary_file,
    summary_for,
)
from .summary_figures import (
    Scope,
    cases_published,
    coverage_counted,
    five_social_partners,
    help_requests,
    listings_fresh,
    qr_scan_days,
    stations_in,
    submissions_adopted,
    summary_figures,
)
from .summary_forms import PhotoForm, PlanForm, ReviewForm, SummaryForm
from .summary_rules import (
    can_plan_reporting,
    can_review_summary,
    can_use_summaries,
    can_write_summary,
)
from .summary_selectors import (
    TABLE_KEYS,
    city_figures,
    city_table,
    figure_lines,
    reporting_rate,
    summaries_side_by_side,
)


def _campaign(request: HttpRequest, slug: str) -> Campaign:
    require(can_use_summaries(request.user))
    return get_visible_or_404(
        Campaign.objects.visible_to(request.user).select_related("issuer"), slug=slug
    )


def _unit(request: HttpRequest, code: str) -> Unit:
    """A unit of the user's own subtree: summaries of units above are not theirs to read."""
    return get_visible_or_404(
        Unit.objects.filter(unit_scope_q(request.user, field=None)).select_related("parent"),
        code=code,
    )


@login_required
def summary_home(request: HttpRequest) -> HttpResponseBase:
    require(can_use_summaries(request.user))
    campaign = Campaign.objects.visible_to(request.user).current()
    if campaign is None:
        return render(request, "reports/summary_list.html", {"campaign": None})
    return redirect("reports:summary_list", slug=campaign.slug)


@login_required
def summary_list(request: HttpRequest, slug: str) -> HttpResponseBase:
    """The user's own summary, and the reporting rate of the units that report to them."""
    campaign = _campaign(request, slug)
    user = request.user
    own_unit = user.unit if user.unit_id else None
    reviewer = campaign.issuer if user.sees_everything else own_unit
    rate = reporting_rate(campaign, user=user, reports_to=reviewer) if reviewer else None
    own_rate = (
        reporting_rate(campaign, user=user).rows
        if own_unit is not None and not user.sees_everything
        else []
    )
    own_row = next((row for row in own_rate if row.unit.pk == own_unit.pk), None)
    return render(
        request,
        "reports/summary_list.html",
        {
            "campaign": campaign,
            "rate": rate,
            "own_row": own_row,
            "own_unit": own_unit,
            "is_city": user.sees_everything,
            "can_plan": can_plan_reporting(user),
            # Earlier (and later) campaigns' summaries stay one click away once a new
            # campaign is the current one.
            "other_campaigns": list(
                Campaign.objects.visible_to(user)
                .exclude(pk=campaign.pk)
                .order_by("-starts_on")
                .only("slug", "name", "starts_on")[:10]
            ),
        },
    )


def _detail_context(
    request: HttpRequest, campaign, unit, *, form=None, review_form=None, photo_form=None
):
    user = request.user
    is_city = unit.level == Unit.Level.CITY
    live = city_figures(campaign) if is_city else summary_figures(unit, campaign)
    summary = summary_for(campaign, unit, figures=live)
    duty = services.duty_of(summary) if not is_city else None
    lines = figure_lines(summary.figures, live)
    can_write = can_write_summary(user, unit)
    editable = can_write and summary.is_editable
    if editable and form is None:
        form = SummaryForm(instance=summary)
    context = {
        "campaign": campaign,
        "unit": unit,
        "summary": summary,
        "saved": summary.pk is not None,
        "duty": duty,
        "is_city": is_city,
        "expected": is_city or duty is not None,
        "lines": lines,
        "changed": any(line.changed for line in lines),
        "can_write": can_write,
        "editable": editable,
        "form": form,
        "can_review": can_review_summary(user, duty) and summary.status == Summary.Status.SUBMITTED,
        "review_form": review_form or ReviewForm(),
        "photo_form": photo_form or PhotoForm(),
        "attachments": list(summary.attachments.all()) if summary.pk else [],
        "events": list(summary.events.select_related("actor")) if summary.pk else [],
        "sections": SECTIONS,
    }
    if is_city:
        rows, total = city_table(campaign)
        context.update(table_rows=rows, table_total=total, table_keys=TABLE_KEYS)
    return context


def _detail(request: HttpRequest, campaign, unit):
    if request.method == "POST":
        require(can_write_summary(request.user, unit))
        form = SummaryForm(request.POST, instance=summary_for(campaign, unit))
        if form.is_valid():
            try:
                services.summary_save(
                    actor=request.user, campaign=campaign, unit=unit, **form.cleaned_data
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, "总结已保存。")
                return redirect(services.summary_url(campaign, unit))
        context = _detail_context(request, campaign, unit, form=form)
        return render(request, "reports/summary_detail.html", context)
    return render(request, "reports/summary_detail.html", _detail_context(request, campaign, unit))


@login_required
def summary_detail(request: HttpRequest, slug: str, code: str) -> HttpResponseBase:
    campaign = _campaign(request, slug)
    unit = _unit(request, code)
    if unit.level == Unit.Level.CITY:
        return redirect("reports:city_report", slug=campaign.slug)
    return _detail(request, campaign, unit)


@login_required
def city_report(request: HttpRequest, slug: str) -> HttpResponseBase:
    campaign = _campaign(request, slug)
    require(request.user.sees_everything)
    return _detail(request, campaign, campaign.issuer)


def _saved(request: HttpRequest, campaign, unit) -> Summary:
    """The unit's saved summary: the writer's actions save the draft first."""
    if can_write_summary(request.user, unit):
        return services.summary_ensure(actor=request.user, campaign=campaign, unit=unit)
    summary = Summary.objects.filter(campaign=campaign, unit=unit).first()
    if summary is None:
        raise Http404
    return summary


def _refused(request: HttpRequest, campaign, unit, error: ValidationError):
    for message in error.messages:
        messages.error(request, message)
    return redirect(services.summary_url(campaign, unit))


@login_required
@require_POST
def summary_submit(request: HttpRequest, slug: str, code: str) -> HttpResponseBase:
    campaign = _campaign(request, slug)
    unit = _unit(request, code)
    require(can_write_summary(request.user, unit))
    summary = _saved(request, campaign, unit)
    try:
        services.summary_submit(actor=request.user, summary=summary)
    except ValidationError as error:
        return _refused(request, campaign, unit, error)
    done = "已定稿" if unit.level == Unit.Level.CITY else "已报送"
    messages.success(request, f"总结{done}，数据已按报送时的数字锁定。")
    return redirect(services.summary_url(campaign, unit))


@login_required
@require_POST
def summary_review(request: HttpRequest, slug: str, code: str) -> HttpResponseBase:
    campaign = _campaign(request, slug)
    unit = _unit(request, code)
    summary = Summary.objects.filter(campaign=campaign, unit=unit).first()
    if summary is None:
        raise Http404
    require(can_review_summary(request.user, services.duty_of(summary)))
    form = ReviewForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            if data["decision"] == "accept":
                services.summary_accept(
                    actor=request.user, summary=summary, comment=data["comment"]
                )
                messages.success(request, f"已采用{unit.name}的总结。")
            else:
                services.summary_return(
                    actor=request.user, summary=summary, comment=data["comment"]
                )
                messages.success(request, f"已将{unit.name}的总结退回修改。")
        except ValidationError as error:
            return _refused(request, campaign, unit, error)
        return redirect(services.summary_url(campaign, unit))
    context = _detail_context(request, campaign, unit, review_form=form)
    return render(request, "reports/summary_detail.html", context)


@login_required
@require_POST
def summary_attach(request: HttpRequest, slug: str, code: str) -> HttpResponseBase:
    campaign = _campaign(request, slug)
    unit = _unit(request, code)
    require(can_write_summary(request.user, unit))
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        summary = _saved(request, campaign, unit)
        try:
            services.attachment_add_photo(
                actor=request.user,
                summary=summary,
                upload=form.cleaned_data["photo"],
                name=form.cleaned_data["name"],
            )
        except ValidationError as error:
            form.add_error("photo", error)
        else:
            messages.success(request, "照片已附上。")
            return redirect(services.summary_url(campaign, unit))
    context = _detail_context(request, campaign, unit, photo_form=form)
    return render(request, "reports/summary_detail.html", context)


@login_required
@require_POST
def summary_attach_ledger(request: HttpRequest, slug: str, code: str) -> HttpResponseBase:
    campaign = _campaign(request, slug)
    unit = _unit(request, code)
    require(can_write_summary(request.user, unit))
    summary = _saved(request, campaign, unit)
    try:
        services.attachment_add_ledger(actor=request.user, summary=summary)
    except ValidationError as error:
        return _refused(request, campaign, unit, error)
    messages.success(request, "本期活动台账已附上。")
    return redirect(services.summary_url(campaign, unit))


def _attachment(request: HttpRequest, slug: str, code: str, pk: int):
    campaign = _campaign(request, slug)
    unit = _unit(request, code)
    attachment = get_visible_or_404(
        SummaryAttachment.objects.select_related("summary__unit"),
        pk=pk,
        summary__campaign=campaign,
        summary__unit=unit,
    )
    return campaign, unit, attachment


@login_required
def attachment_file(request: HttpRequest, slug: str, code: str, pk: int) -> HttpResponseBase:
    *_, attachment = _attachment(request, slug, code, pk)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    extension = attachment.file.name.rsplit(".", 1)[-1]
    return attachment_response(
        handle,
        name=f"{attachment.name or '附件'}.{extension}",
        fallback=f"attachment-{attachment.pk}.{extension}",
        content_type=attachment.content_type,
        inline=attachment.kind != SummaryAttachment.Kind.LEDGER,
    )


@login_required
@require_POST
def attachment_remove(request: HttpRequest, slug: str, code: str, pk: int) -> HttpResponseBase:
    campaign, unit, attachment = _attachment(request, slug, code, pk)
    require(can_write_summary(request.user, unit))
    try:
        services.attachment_remove(actor=request.user, attachment=attachment)
    except ValidationError as error:
        return _refused(request, campaign, unit, error)
    messages.success(request, "附件已删除。")
    return redirect(services.summary_url(campaign, unit))


def _export(request: HttpRequest, summary: Summary, fmt: str) -> HttpResponse:
    """The summary as .docx or .xlsx at once. Its PDF takes LibreOffice seconds: a POST makes
    it a job (``reports.jobs.summary_pdf_job``) whose page offers the file; a GET offers that."""
    if fmt not in CONTENT_TYPES:
        raise Http404
    if fmt == "pdf":
        if request.method != "POST":
            return render(request, "reports/summary_pdf.html", {"summary": summary})
        job = job_start(
            owner=request.user,
            kind="reports.summary_pdf",
            title=f"生成 PDF：{summary.unit.name}{summary.campaign.name}总结"[:200],
            unit=request.user.unit,
            params={"campaign": summary.campaign.pk, "unit": summary.unit.code},
        )
        return redirect("jobs:job_detail", pk=job.pk)
    try:
        data = summary_file(summary, fmt)
    except ValueError as error:
        return HttpResponse(str(error), status=503, content_type="text/plain; charset=utf-8")
    title = report_title(summary.campaign, summary.unit)
    return attachment_response(
        data,
        name=f"{title}（数据统计表）.{fmt}" if fmt == "xlsx" else f"{title}.{fmt}",
        fallback=filename(summary, fmt),
        content_type=CONTENT_TYPES[fmt],
    )


@login_required
def summary_export(request: HttpRequest, slug: str, code: str, fmt: str) -> HttpResponseBase:
    campaign = _campaign(request, slug)
    unit = _unit(request, code)
    if unit.level == Unit.Level.CITY:
        raise Http404
    return _export(request, summary_for(campaign, unit), fmt)


@login_required
def city_report_export(request: HttpRequest, slug: str, fmt: str) -> HttpResponseBase:
    campaign = _campaign(request, slug)
    require(request.user.sees_everything)
    return _export(request, summary_for(campaign, campaign.issuer), fmt)


# The records behind a figure that is not a ledger row: key → (title, queryset, columns).
def _records(key: str, scope: Scope, campaign):
    today = timezone.localdate()
    tables = {
        "media_reports": (
            "媒体报道",
            lambda: coverage_counted(scope, campaign).select_related("unit"),
            [("刊发日期", "published_on"), ("媒体", "outlet"), ("标题", "title")],
        ),
        "submissions_adopted": (
            "被采用的投稿",
            lambda: submissions_adopted(scope, campaign).select_related("unit"),
            [("投稿日期", "submitted_on"), ("投稿对象", "outlet"), ("稿件标题", "title")],
        ),
        "cases": (
            "典型案例、先进典型",
            lambda: cases_published(scope, campaign).select_related("unit"),
            [("类别", "get_kind_display"), ("标题", "title")],
        ),
        "five_social_partners": (
            "参与活动的“五社”伙伴",
            lambda: (
                five_social_partners(scope, campaign)
                .select_related("unit")
                .order_by("kind", "name")
            ),
            [("类型", "get_kind_display"), ("名称", "name")],
        ),
        "stations": (
            "社工站",
            lambda: stations_in(scope),
            [("代码", "code"), ("名称", "name")],
        ),
        "stations_listed": (
            "名录信息完整且近90天核实的社工站",
            lambda: listings_fresh(scope, campaign, today=today).select_related("unit"),
            [("社工站", "name"), ("最近核实日期", "last_verified_on")],
        ),
        "qr_scans": (
            "二维码扫码（按渠道和日期）",
            lambda: (
                qr_scan_days(scope, campaign)
                .select_related("link__unit")
                .order_by("day", "link_id")
            ),
            [("日期", "day"), ("渠道", "link.channel"), ("扫码次数", "count")],
        ),
        "help_received": (
            "活动期间收到的求助",
            lambda: help_requests(scope, campaign).select_related("unit").order_by("created_at"),
            [
                ("求助编号", "display_code"),
                ("类别", "get_category_display"),
                ("状态", "get_status_display"),
            ],
        ),
    }
    tables["help_in_time"] = (
        "按时首次响应的求助",
        lambda: (
            help_requests(scope, campaign)
            .filter(first_response_at__isnull=False, first_response_at__lte=F("respond_by"))
            .select_related("unit")
            .order_by("created_at")
        ),
        tables["help_received"][2],
    )
    return tables.get(key)


def _cell(row, path: str):
    value = row
    for part in path.split("."):
        value = getattr(value, part)
        if callable(value):
            value = value()
    return value


@login_required
def summary_records(request: HttpRequest, slug: str, code: str, key: str) -> HttpResponseBase:
    """The records one figure of a summary counts, in the unit's subtree."""
    campaign = _campaign(request, slug)
    unit = _unit(request, code)
    found = _records(key, Scope(unit), campaign)
    if found is None:
        raise Http404
    title, queryset, columns = found
    page = Paginator(queryset(), 50).get_page(request.GET.get("page"))
    rows = [[_cell(row, path) for _label, path in columns] for row in page]
    return render(
        request,
        "reports/summary_records.html",
        {
            "campaign": campaign,
            "unit": unit,
            "title": title,
            "headers": [label for label, _path in columns],
            "rows": rows,
            "page": page,
            "back": services.summary_url(campaign, unit)
            if unit.level != Unit.Level.CITY
            else reverse("reports:summary_list", args=[campaign.slug]),
        },
    )


@login_required
def summary_compare(request: HttpRequest, slug: str) -> HttpResponseBase:
    """District summaries side by side (the city), or stations' (their district)."""
    campaign = _campaign(request, slug)
    summaries = summaries_side_by_side(campaign, request.user)
    columns = []
    for summary in summaries:
        values = {f["key"]: f["value"] for f in figures_of(summary)}
        columns.append({"summary": summary, "values": values})
    keys = [(key, label) for key, label in TABLE_KEYS]
    return render(
        request,
        "reports/summary_compare.html",
        {
            "campaign": campaign,
            "columns": columns,
            "rows": [
                {"label": label, "values": [column["values"].get(key, 0) for column in columns]}
                for key, label in keys
            ],
            "sections": SECTIONS,
        },
    )


@login_required
def reporting_plan(request: HttpRequest, slug: str) -> HttpResponseBase:
    campaign = _campaign(request, slug)
    require(can_plan_reporting(request.user))
    plan = services.plan_for(campaign)
    if request.method == "POST":
        form = PlanForm(request.POST)
        if form.is_valid():
            try:
                services.reporting_plan_set(
                    actor=request.user, campaign=campaign, **form.cleaned_data
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, "报送安排已保存。")
                return redirect("reports:summary_list", slug=campaign.slug)
    else:
        form = PlanForm(
            initial={
                "stations_report": plan.stations_report,
                "stations_days_before": plan.stations_days_before,
                "city_report_to": plan.city_report_to,
            }
        )
    return render(request, "reports/summary_plan.html", {"campaign": campaign, "form": form})
