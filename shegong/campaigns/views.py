from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Max
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from shegong.core.access import get_visible_or_404, require
from shegong.core.http import query_text
from shegong.jobs.services import job_start
from shegong.orgs.models import Unit

from . import documents
from .forms import CampaignForm, CloneForm, KpiForm, ProgressForm, TaskForm, TaskWithdrawForm
from .models import Campaign, Task, TaskProgress
from .rules import can_change_campaign, can_update_progress
from .selectors import campaign_kpis, campaign_matrix, progress_open_for_unit
from .services import (
    CAMPAIGN_FIELDS,
    campaign_clone,
    campaign_update,
    kpi_target_set,
    progress_update,
    task_create,
    task_update,
    task_withdraw,
)


def _campaign(request: HttpRequest, slug: str) -> Campaign:
    return get_visible_or_404(
        Campaign.objects.visible_to(request.user).select_related("issuer"), slug=slug
    )


@login_required
def campaign_list(request: HttpRequest) -> HttpResponseBase:
    campaigns = Campaign.objects.visible_to(request.user).select_related("issuer")
    return render(request, "campaigns/campaign_list.html", {"campaigns": campaigns})


@login_required
def campaign_detail(request: HttpRequest, slug: str) -> HttpResponseBase:
    campaign = _campaign(request, slug)
    return render(
        request,
        "campaigns/campaign_detail.html",
        {
            "campaign": campaign,
            "tasks": campaign.tasks.all(),
            # The figures add up every district's data: only the city sees them.
            "kpis": campaign_kpis(campaign, measure=request.user.sees_everything),
            "kpi_progress": request.user.sees_everything,
            "can_change": can_change_campaign(request.user, campaign),
            "pdf_available": documents.pdf_available(),
        },
    )


@login_required
def campaign_edit(request: HttpRequest, slug: str) -> HttpResponseBase:
    campaign = _campaign(request, slug)
    require(can_change_campaign(request.user, campaign))
    if request.method == "POST":
        form = CampaignForm(request.POST, instance=campaign)
        if form.is_valid():
            data = {name: form.cleaned_data[name] for name in CAMPAIGN_FIELDS}
            try:
                campaign_update(actor=request.user, campaign=campaign, **data)
            except ValidationError as error:
                for name, problems in error.message_dict.items():
                    form.add_error(name if name in form.fields else None, problems)
            else:
                messages.success(request, "方案已保存。")
                return redirect("campaigns:detail", slug=campaign.slug)
    else:
        form = CampaignForm(instance=campaign)
    return render(request, "campaigns/campaign_edit.html", {"campaign": campaign, "form": form})


@login_required
def campaign_clone_view(request: HttpRequest, slug: str) -> HttpResponseBase:
    campaign = _campaign(request, slug)
    require(can_change_campaign(request.user, campaign))
    if request.method == "POST":
        form = CloneForm(request.POST)
        if form.is_valid():
            try:
                clone = campaign_clone(actor=request.user, source=campaign, **form.cleaned_data)
            except ValidationError as error:
                for name, problems in error.message_dict.items():
                    form.add_error(name if name in form.fields else None, problems)
            else:
                messages.success(request, f"已按原方案生成《{clone.name}》，请填写新的发文字号。")
                return redirect("campaigns:edit", slug=clone.slug)
    else:
        year = campaign.year + 1
        form = CloneForm(
            initial={"year": year, "slug": campaign.slug.replace(str(campaign.year), str(year))}
        )
    return render(request, "campaigns/campaign_clone.html", {"campaign": campaign, "form": form})


@login_required
def campaign_kpis_edit(request: HttpRequest, slug: str) -> HttpResponseBase:
    campaign = _campaign(request, slug)
    require(can_change_campaign(request.user, campaign))
    current = {target.kind: target.target for target in campaign.kpi_targets.all()}
    if request.method == "POST":
        form = KpiForm(request.POST)
        if form.is_valid():
            for kind, value in form.cleaned_data.items():
                if value != current.get(kind):
                    kpi_target_set(actor=request.user, campaign=campaign, kind=kind, target=value)
            messages.success(request, "量化指标已保存。")
            return redirect("campaigns:detail", slug=campaign.slug)
    else:
        form = KpiForm(initial=current)
    return render(request, "campaigns/campaign_kpis.html", {"campaign": campaign, "form": form})


def _matrix_context(request: HttpRequest, campaign: Campaign) -> dict:
    level = request.GET.get("level", "")
    district = query_text(request.GET, "district", 20)
    status = request.GET.get("status", "")
    if level not in Task.Level.values:
        level = (
            request.user.unit.level
            if request.user.unit_id and not request.user.sees_everything
            else Task.Level.DISTRICT
        )
    matrix = campaign_matrix(campaign, request.user, level=level, district=district, status=status)
    districts = (
        Unit.objects.visible_to(request.user).districts()
        if request.user.sees_everything
        else Unit.objects.none()
    )
    mine = (
        list(progress_open_for_unit(campaign, request.user.unit_id))
        if request.GET.get("mine") == "1" and request.user.unit_id
        else None
    )
    return {
        "campaign": campaign,
        "mine": mine,
        "matrix": matrix,
        "columns": list(zip(matrix.units, matrix.unit_rates, strict=True)),
        "level": level,
        "district": district,
        "status": status,
        "levels": Task.Level.choices,
        "statuses": TaskProgress.Status.choices,
        "districts": districts,
        "editable": {
            cell.pk
            for row in matrix.rows
            for cell in row["cells"]
            if cell is not None and can_update_progress(request.user, cell)
        },
    }


@login_required
def progress_matrix(request: HttpRequest, slug: str) -> HttpResponseBase:
    campaign = _campaign(request, slug)
    context = _matrix_context(request, campaign)
    template = "campaigns/_matrix.html" if request.htmx else "campaigns/progress_matrix.html"
    return render(request, template, context)


@login_required
def progress_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponseBase:
    campaign = _campaign(request, slug)
    progress = get_visible_or_404(
        TaskProgress.objects.visible_to(request.user).select_related("task", "unit"),
        pk=pk,
        task__campaign=campaign,
    )
    if not can_update_progress(request.user, progress):
        # A district reads its stations' rows (note, evidence) but does not change them.
        require(request.method == "GET")
        template = "campaigns/_progress_detail.html"
        if not request.htmx:
            template = "campaigns/progress_detail.html"
        return render(request, template, {"campaign": campaign, "progress": progress})
    if request.method == "POST":
        form = ProgressForm(request.POST, today=timezone.localdate())
        # Only the editor inside the matrix page posts through htmx; the same form opened on
        # its own page (a new tab, a bookmark) is a plain form and gets a plain redirect.
        in_editor = bool(request.htmx)
        if form.is_valid():
            progress_update(actor=request.user, progress=progress, **form.cleaned_data)
            if in_editor:
                context = _matrix_context(request, campaign) | {"clear_editor": True}
                response = render(request, "campaigns/_matrix.html", context)
                response["HX-Retarget"] = "#matrix"
                response["HX-Reswap"] = "outerHTML"
                return response
            messages.success(request, f"{progress.unit}“{progress.task}”的进度已保存。")
            return redirect("campaigns:matrix", slug=campaign.slug)
    else:
        form = ProgressForm(
            initial={
                "status": progress.status,
                "note": progress.note,
                "evidence_links": progress.evidence_links,
                "done_on": progress.done_on,
            },
            today=timezone.localdate(),
        )
        in_editor = bool(request.htmx)
    template = "campaigns/_progress_form.html" if in_editor else "campaigns/progress_edit.html"
    context = {"campaign": campaign, "progress": progress, "form": form, "in_editor": in_editor}
    return render(request, template, context)


@login_required
def notice_download(request: HttpRequest, slug: str, fmt: str) -> HttpResponseBase:
    """The notice. Its PDF takes LibreOffice seconds: once rendered for the notice as it reads
    now it is sent at once; before that, a POST asks the task worker for it as a job and the
    job's page shows when it is ready (a GET only offers that)."""
    campaign = _campaign(request, slug)
    if fmt == "pdf" and documents.pdf_available():
        data = documents.notice_pdf_rendered(campaign)
        if data is not None:
            return documents.notice_attachment(campaign, "pdf", data)
        if request.method == "POST":
            job = job_start(
                owner=request.user,
                kind="campaigns.notice_pdf",
                title=f"生成印发通知 PDF（{campaign.name}）"[:200],
                unit=request.user.unit,
                params={"campaign": campaign.pk},
            )
            return redirect("jobs:job_detail", pk=job.pk)
        return render(request, "campaigns/notice_pdf.html", {"campaign": campaign})
    return documents.notice_response(campaign, fmt, cached=True)


@login_required
def task_new(request: HttpRequest, slug: str) -> HttpResponseBase:
    campaign = _campaign(request, slug)
    require(can_change_campaign(request.user, campaign))
    if request.method == "POST":
        form = TaskForm(request.POST, campaign=campaign)
        if form.is_valid():
            data = form.cleaned_data
            task = task_create(
                actor=request.user,
                campaign=campaign,
                level=data["level"],
                title=data["title"],
                text=data["text"],
                deliverables=data["deliverables"],
                due_on=data["due_on"],
                # A paragraph of its own, after the notice's and those added before it.
                paragraph=(campaign.tasks.aggregate(last=Max("paragraph"))["last"] or 0) + 1,
                numbered=campaign.tasks.filter(level=data["level"], numbered=True).exists(),
                in_document=bool(data["text"].strip()),
                units=data["units"],
            )
            count = task.progress.count()
            messages.success(request, f"任务“{task.title}”已下达到 {count} 个单位。")
            return redirect("campaigns:detail", slug=campaign.slug)
    else:
        form = TaskForm(campaign=campaign, initial={"due_on": campaign.ends_on})
    return render(request, "campaigns/task_new.html", {"campaign": campaign, "form": form})


def _task(request: HttpRequest, campaign: Campaign, pk: int) -> Task:
    """A task of the plan the user works on: the issuer's staff see every task, other units
    those they (or their stations) carry; only the issuer changes them."""
    tasks = campaign.tasks.all()
    if not can_change_campaign(request.user, campaign):
        carried = TaskProgress.objects.visible_to(request.user).values("task_id")
        tasks = tasks.filter(pk__in=carried)
    task = get_visible_or_404(tasks, pk=pk)
    require(can_change_campaign(request.user, campaign))
    return task


@login_required
def task_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponseBase:
    """Change a task after it was issued; its units are told what changed."""
    campaign = _campaign(request, slug)
    task = _task(request, campaign, pk)
    if request.method == "POST":
        form = TaskForm(request.POST, campaign=campaign, task=task)
        if form.is_valid():
            data = form.cleaned_data
            try:
                task_update(
                    actor=request.user,
                    task=task,
                    units=data.get("units"),
                    **{name: data[name] for name in ("title", "text", "deliverables", "due_on")},
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, f"任务“{task.title}”已修改，已通知承担的单位。")
                return redirect("campaigns:detail", slug=campaign.slug)
    else:
        form = TaskForm(
            campaign=campaign,
            task=task,
            initial={
                "title": task.title,
                "text": task.text,
                "deliverables": task.deliverables,
                "due_on": task.due_on,
                "units": [row.unit_id for row in task.progress.all()],
            },
        )
    return render(
        request,
        "campaigns/task_edit.html",
        {"campaign": campaign, "task": task, "form": form, "withdraw_form": TaskWithdrawForm()},
    )


@login_required
@require_POST
def task_withdraw_view(request: HttpRequest, slug: str, pk: int) -> HttpResponseBase:
    campaign = _campaign(request, slug)
    task = _task(request, campaign, pk)
    form = TaskWithdrawForm(request.POST)
    if form.is_valid():
        title = task.title
        count = task_withdraw(actor=request.user, task=task, reason=form.cleaned_data["reason"])
        messages.success(request, f"任务“{title}”已撤回，已通知 {count} 个单位。")
        return redirect("campaigns:detail", slug=campaign.slug)
    return render(
        request,
        "campaigns/task_edit.html",
        {
            "campaign": campaign,
            "task": task,
            "form": TaskForm(campaign=campaign, task=task, initial={"title": task.title}),
            "withdraw_form": form,
        },
    )
