"""The campaign dashboard in the console: the page and its .xlsx download."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from shegong.campaigns.models import Campaign
from shegong.core.access import require
from shegong.core.http import query_text

from . import dashboard_charts as charts
from .dashboard import dashboard_for, dashboard_units
from .dashboard_export import dashboard_xlsx
from .dashboard_forms import DashboardFilterForm
from .dashboard_rollups import rollup_ensure
from .dashboard_rules import can_view_dashboard

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _dashboard(request):
    require(can_view_dashboard(request.user))
    campaigns = Campaign.objects.visible_to(request.user)
    slug = query_text(request.GET, "campaign", 60)
    campaign = campaigns.filter(slug=slug).first() if slug else campaigns.current()
    if campaign is None:
        if slug:
            raise Http404
        return None, None, None
    rollup_ensure(campaign=campaign)
    user = request.user
    units = dashboard_units(user)
    label = "全市" if user.sees_everything else (user.unit.name if user.unit_id else "全部")
    form = DashboardFilterForm(request.GET or None, units=units, everything_label=label)
    data = form.cleaned_data if form.is_valid() else {}
    dashboard = dashboard_for(
        user,
        campaign,
        scope=data.get("unit"),
        date_from=data.get("date_from"),
        date_to=data.get("date_to"),
        segment=data.get("segment", ""),
        age_group=data.get("age_group", ""),
        today=timezone.localdate(),
    )
    return campaign, form, dashboard


def _charts(dashboard) -> dict:
    total = dashboard.total
    level = "各区" if dashboard.level == "district" else "各社工站"
    by_month = dashboard.timeline_by == "month"
    aware = [
        (row.label, row.figures.awareness.baseline_rate, row.figures.awareness.campaign_rate)
        for row in dashboard.rows
        if row.figures.awareness.baseline_answers or row.figures.awareness.campaign_answers
    ]
    return {
        "rows": charts.hbars(
            [(row.label, row.figures.activities) for row in dashboard.rows],
            title=f"{level}已审核活动（场）",
        ),
        "timeline": charts.columns(
            [
                (f"{p['day']:%Y-%m}" if by_month else f"{p['day']:%m-%d}", p["activities"])
                for p in dashboard.timeline
            ],
            title=f"每{'月' if by_month else '日'}已审核活动（场）",
        ),
        "qr": charts.hbars(dashboard.qr_channels, title="各渠道二维码扫码（次）"),
        "help": charts.hbars(total.help_buckets, title="求助首次响应用时（件）"),
        "contest": charts.hbars(
            [(label, total.contest[key]) for key, label in dashboard.contest_stages],
            title="故事征集进度（篇）",
        ),
        "awareness": charts.paired_hbars(
            aware, title="知晓率：基线与活动期间（%）", legend=("基线（活动开始前）", "活动期间")
        ),
    }


@login_required
@require_GET
def dashboard(request):
    campaign, form, data = _dashboard(request)
    context = {"campaign": campaign, "form": form, "dashboard": data}
    if data is not None:
        context["charts"] = _charts(data)
        context["query"] = request.GET.urlencode()
    return render(request, "reports/dashboard.html", context)


@login_required
@require_GET
def dashboard_export(request):
    campaign, _form, data = _dashboard(request)
    if data is None:
        raise Http404
    response = HttpResponse(dashboard_xlsx(data), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="dashboard-{campaign.slug}.xlsx"'
    return response
