"""A person's background jobs: the list, one job's progress, its file, a retry."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from shegong.core.access import get_visible_or_404, require
from shegong.orgs.rules import is_staff_member

from . import services
from .models import Job


def _job(request: HttpRequest, pk: int) -> Job:
    require(is_staff_member(request.user))
    return get_visible_or_404(Job.objects.visible_to(request.user), pk=pk)


@login_required
def job_list(request: HttpRequest) -> HttpResponseBase:
    require(is_staff_member(request.user))
    jobs = Job.objects.visible_to(request.user).defer("report", "params")
    page = Paginator(jobs, 30).get_page(request.GET.get("page"))
    return render(request, "jobs/job_list.html", {"page": page})


@login_required
def job_detail(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The job's page. While it runs, htmx asks for the progress part every second; without
    JavaScript the page refreshes itself (``<meta http-equiv="refresh">``)."""
    job = _job(request, pk)
    template = "jobs/_progress.html" if request.htmx else "jobs/job_detail.html"
    return render(request, template, {"job": job})


@login_required
def job_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    job = _job(request, pk)
    if job.state != Job.State.DONE or not job.result:
        raise Http404
    try:
        handle = job.result.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    return FileResponse(handle, as_attachment=True, filename=job.result_name or "result")


@login_required
@require_POST
def job_retry(request: HttpRequest, pk: int) -> HttpResponseBase:
    job = _job(request, pk)
    try:
        services.job_retry(actor=request.user, job=job)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, "已重新排队。")
    return redirect("jobs:job_detail", pk=job.pk)
