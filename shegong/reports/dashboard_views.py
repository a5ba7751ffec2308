"""The campaign dashboard in the console: the page and its .xlsx download."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from shegong.campaigns.models import Campaign
from shegong.core.access import require
from shegong.core.http import attachment_response, query_text
from shegong.orgs.models import Unit

from . import dashboard_charts as charts
from .dashboard import city_count, city_of, dashboard_for, dashboard_unit, dashboard_units
from .dashboard_export import dashboard_xlsx
from .dashboard_forms import DashboardFilterForm
from .dashboard_national import national_dashboard
from .dashboard_rollups import rollup_ensure
from .dashboard_rules import can_view_dashboard

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _dashboard(request: HttpRequest):
    """The campaign, the filter form and the dashboard asked for. A superuser of an
    installation serving several cities gets the nation-wide dashboard (no campaign) unless
    they pick a city (or one of its units, or a campaign); everyone else the dashboard of
    their city's current campaign."""
    require(can_view_dashboard(request.user))
    user = request.user
    national = user.is_superuser and city_count() > 1
    campaigns = Campaign.objects.visible_to(user)
    slug = query_text(request.GET, "campaign", 60)
    code = query_text(request.GET, "unit", 20)
    chosen = dashboard_unit(user, code, cities=national) if code else None
    if slug:
        campaign = campaigns.filter(slug=slug).first()
        if campaign is None:
            raise Http404
    elif national and chosen is None:
        campaign = None
    else:
        city = city_of(chosen or user.unit) if (chosen or user.unit_id) else None
        campaign = (city and campaigns.filter(issuer_id=city.pk).current()) or campaigns.current()
        if campaign is None:
            return None, None, None
    city = None
    if campaign is not None:
        rollup_ensure(campaign=campaign)
        city = campaign.issuer if campaign.issuer.level == Unit.Level.CITY else None
    units = dashboard_units(user, city=city, cities=national)
    if national:
        label = "全国（各城市）" if campaign is None else f"{campaign.issuer.name}全市"
    elif user.sees_everything:
        label = "全市"
    else:
        label = user.unit.name if user.unit_id else "全部"
    form = DashboardFilterForm(
        request.GET or None,
        units=units,
        lookup=lambda value: chosen if chosen and chosen.code == value else None,
        everything_label=label,
    )
    data = form.cleaned_data if form.is_valid() else {}
    scope = data.get("unit")
    filters = {
        "date_from": data.get("date_from"),
        "date_to": data.get("date_to"),
        "segment": data.get("segment", ""),
        "age_group": data.get("age_group", ""),
        "today": timezone.localdate(),
    }
    if campaign is None:
        return None, form, national_dashboard(user, **filters)
    if scope is not None and scope.level == Unit.Level.CITY:
        scope = None  # the campaign's city: its whole dashboard
    return campaign, form, dashboard_for(user, campaign, scope=scope, **filters)


def _charts(dashboard) -> dict:
    total = dashboard.total
    level = {"city": "各城市", "district": "各区"}.get(dashboard.level, "各社工站")
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
def dashboard(request: HttpRequest) -> HttpResponseBase:
    campaign, form, data = _dashboard(request)
    context = {"campaign": campaign, "form": form, "dashboard": data}
    if data is not None:
        context["charts"] = _charts(data)
        context["query"] = request.GET.urlencode()
    national = data is not None and data.level == "city"
    template = "reports/dashboard_national.html" if national else "reports/dashboard.html"
    return render(request, template, context)


@login_required
@require_GET
def dashboard_export(request: HttpRequest) -> HttpResponseBase:
    campaign, _form, data = _dashboard(request)
    if data is None:
        raise Http404
    name = campaign.name if campaign is not None else "全国"
    slug = campaign.slug if campaign is not None else "national"
    return attachment_response(
        dashboard_xlsx(data),
        name=f"{name}·数据看板.xlsx",
        fallback=f"dashboard-{slug}.xlsx",
        content_type=XLSX,
    )
