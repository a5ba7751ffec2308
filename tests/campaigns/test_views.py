import datetime
import io
from urllib.parse import unquote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from docx import Document

from shegong.campaigns.models import Campaign, TaskProgress
from tests.factories import station_unit

VALID = {
    "name": "测试市2023年社会工作主题宣传活动方案",
    "theme": "推进“五社联动” 关爱“一老一小”",
    "starts_on": "2023-03-21",
    "ends_on": "2023-03-31",
    "summary_deadline": "2023-04-10",
    "issuer_mark": "海口市民政局文件",
    "document_number": "海民发〔2023〕79号",
    "signed_on": "2023-03-06",
    "recipients": "各区民政局、桂林洋经济开发区社会事业管理科",
    "basis_title": "海南省2023年社会工作主题宣传活动方案",
    "basis_number": "琼办函〔2023〕6号",
    "disclosure": "public",
    "contact_person": "任菲",
    "contact_phone": "68651227",
    "attachment_style": "annex",
    "city_heading": "市民政局",
    "district_heading": "各区民政局",
    "station_heading": "乡镇（街道）社工站",
    "goals": "提升社会工作知晓度。",
}


def test_campaign_edit_saves_every_header_field(login, city_admin, campaign):
    response = login(city_admin).post(f"/console/campaigns/{campaign.slug}/edit/", VALID)

    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.recipients == "各区民政局、桂林洋经济开发区社会事业管理科"
    assert campaign.attachment_style == Campaign.AttachmentStyle.ANNEX
    assert campaign.basis_number == "琼办函〔2023〕6号"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"ends_on": "2023-03-01"}, "结束日期不能早于开始日期。"),
        ({"summary_deadline": "2023-03-30"}, "总结报送截止日期不能早于活动结束日期"),
        ({"document_number": "海民发[2023]79号"}, "发文字号的年份须用六角括号〔〕括起"),
        ({"document_number": "海民发〔2023〕079号"}, "发文字号的序号不编虚位"),
        ({"basis_number": "琼办函(2023)6号"}, "依据文件字号的年份须用六角括号"),
        ({"recipients": ""}, "请填写主送机关，如：各区民政局。"),
        ({"contact_phone": "12345"}, "请填写正确的电话号码"),
        ({"starts_on": "2023-13-45"}, "开始日期格式不对"),
    ],
)
def test_campaign_edit_bad_input_keeps_what_was_typed(
    login, city_admin, campaign, changes, message
):
    data = VALID | changes
    response = login(city_admin).post(f"/console/campaigns/{campaign.slug}/edit/", data)

    assert response.status_code == 200
    content = response.content.decode()
    assert message in content
    for value in changes.values():
        if value:
            assert f'value="{value}"' in content
    assert "提升社会工作知晓度。" in content
    campaign.refresh_from_db()
    assert campaign.recipients == "各区民政局"


@pytest.mark.parametrize("user_fixture", ["district_officer", "station_worker"])
def test_campaign_edit_is_forbidden_below_the_city(request, login, user_fixture, campaign):
    client = login(request.getfixturevalue(user_fixture))

    assert client.get(f"/console/campaigns/{campaign.slug}/").status_code == 200
    assert client.post(f"/console/campaigns/{campaign.slug}/edit/", VALID).status_code == 403
    campaign.refresh_from_db()
    assert campaign.recipients == "各区民政局"


def test_campaign_detail_shows_plan_and_download(login, district_officer, city_admin, haikou):
    content = login(district_officer).get("/console/campaigns/haikou-2023/").content.decode()

    assert "海民发〔2023〕79号" in content
    assert "下载印发通知（.docx）" in content
    assert "加强社工品牌打造" in content
    assert "全市完成情况由市局汇总" in content  # targets only: figures add up every district
    assert "修改方案" not in content
    city = login(city_admin).get("/console/campaigns/haikou-2023/").content.decode()
    assert "尚无数据来源" in city  # kinds no installed app records yet


def test_campaign_list_query_count_is_constant(login, city_admin, campaign):
    client = login(city_admin)
    client.get("/console/campaigns/")
    with CaptureQueriesContext(connection) as first:
        client.get("/console/campaigns/")
    Campaign.objects.create(
        slug="another",
        name="另一个方案",
        theme="主题",
        starts_on=datetime.date(2024, 3, 1),
        ends_on=datetime.date(2024, 3, 2),
        summary_deadline=datetime.date(2024, 3, 3),
        issuer=campaign.issuer,
    )
    with CaptureQueriesContext(connection) as second:
        content = client.get("/console/campaigns/").content.decode()

    assert "另一个方案" in content
    assert len(first) == len(second)


def test_notice_download_is_a_word_file(login, station_worker, campaign):
    response = login(station_worker).get(f"/console/campaigns/{campaign.slug}/notice.docx")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response.content[:2] == b"PK"
    # Named as the clerk files it, with an ASCII name for browsers that cannot read that.
    disposition = response["Content-Disposition"]
    assert 'filename="test-2023-notice.docx"' in disposition
    assert unquote(disposition.split("filename*=UTF-8''")[1]) == f"{campaign.name}.docx"
    author = Document(io.BytesIO(response.content)).core_properties.author
    assert author == campaign.issuer.name


def test_matrix_city_admin_sees_every_district(login, city_admin, district_task):
    content = login(city_admin).get("/console/campaigns/test-2023/matrix/").content.decode()

    assert "秀英区民政局" in content
    assert "龙华区民政局" in content
    assert "因地制宜开展特色宣传活动" in content


def test_matrix_district_officer_sees_own_units_only(
    login, district_officer, district_task, station_task
):
    client = login(district_officer)
    districts = client.get("/console/campaigns/test-2023/matrix/?level=district").content.decode()
    stations = client.get("/console/campaigns/test-2023/matrix/?level=station").content.decode()

    assert "秀英区民政局" in districts
    assert "龙华区民政局" not in districts
    assert "秀英街道社工站" in stations
    assert "海秀街道社工站" in stations
    assert "中山街道社工站" not in stations


def test_matrix_station_worker_sees_own_station(login, station_worker, station_task):
    content = login(station_worker).get("/console/campaigns/test-2023/matrix/").content.decode()

    assert "秀英街道社工站" in content
    assert "海秀街道社工站" not in content
    assert "中山街道社工站" not in content


def test_matrix_filter_by_district_and_status(login, city_admin, station_task, district_officer):
    client = login(city_admin)
    content = client.get(
        "/console/campaigns/test-2023/matrix/?level=station&district=460106"
    ).content.decode()
    assert "中山街道社工站" in content
    assert "秀英街道社工站" not in content

    row = TaskProgress.objects.get(task=station_task, unit__code="460105001")
    row.status = "in_progress"
    row.save()
    content = client.get(
        "/console/campaigns/test-2023/matrix/?level=station&status=in_progress"
    ).content.decode()
    assert "秀英街道社工站" in content
    assert "海秀街道社工站" not in content


def test_matrix_htmx_filter_returns_the_fragment(login, city_admin, district_task):
    response = login(city_admin).get(
        "/console/campaigns/test-2023/matrix/?level=district", headers={"HX-Request": "true"}
    )

    content = response.content.decode()
    assert content.startswith('<div id="matrix"')
    assert "<html" not in content


@pytest.mark.parametrize("stations", [1, 3])
def test_matrix_query_count_is_constant(login, city_admin, campaign, district, stations):
    from shegong.campaigns.services import task_create

    for n in range(stations):
        station_unit(district, f"46010510{n}", f"测试镇{n}")
    task_create(
        actor=None, campaign=campaign, level="station", title="任务", due_on=campaign.ends_on
    )
    client = login(city_admin)
    client.get("/console/campaigns/test-2023/matrix/?level=station")

    with CaptureQueriesContext(connection) as queries:
        response = client.get("/console/campaigns/test-2023/matrix/?level=station")

    assert response.content.decode().count('class="cell not_started"') == stations
    assert len(queries) == 7


def test_progress_edit_district_officer_updates_own_row(login, district_officer, district_task):
    row = TaskProgress.objects.get(task=district_task, unit=district_officer.unit)
    response = login(district_officer).post(
        f"/console/campaigns/test-2023/progress/{row.pk}/",
        {"status": "done", "note": "在万达广场开展宣传", "evidence_links": "https://example.org/a"},
    )

    assert response.status_code == 302
    row.refresh_from_db()
    assert row.status == "done"
    assert row.links == ["https://example.org/a"]
    assert row.done_on is not None


def test_progress_edit_htmx_returns_the_updated_matrix(login, district_officer, district_task):
    row = TaskProgress.objects.get(task=district_task, unit=district_officer.unit)
    response = login(district_officer).post(
        f"/console/campaigns/test-2023/progress/{row.pk}/?level=district",
        {"status": "in_progress", "note": "筹备中"},
        headers={"HX-Request": "true"},
    )

    content = response.content.decode()
    assert response["HX-Retarget"] == "#matrix"
    assert 'class="cell in_progress"' in content
    assert "进度已保存" in content


def test_progress_of_own_station_is_readable_not_changeable_by_district(
    login, district_officer, station_task
):
    row = TaskProgress.objects.get(task=station_task, unit__code="460105001")
    row.note = "已张贴服务清单"
    row.evidence_links = "https://example.org/photo"
    row.save()
    client = login(district_officer)

    read = client.get(f"/console/campaigns/test-2023/progress/{row.pk}/")
    content = read.content.decode()
    assert read.status_code == 200
    assert "已张贴服务清单" in content
    assert 'href="https://example.org/photo"' in content
    assert "保存进度" not in content
    response = client.post(
        f"/console/campaigns/test-2023/progress/{row.pk}/", {"status": "done", "note": "x"}
    )
    assert response.status_code == 403
    row.refresh_from_db()
    assert row.status == "not_started"


@pytest.mark.parametrize("user_fixture", ["district_officer", "station_worker"])
def test_progress_edit_of_sibling_district_is_not_found(
    request, login, user_fixture, station_task, district_task
):
    client = login(request.getfixturevalue(user_fixture))
    for row in TaskProgress.objects.filter(unit__path__contains="/460106/"):
        url = f"/console/campaigns/test-2023/progress/{row.pk}/"
        assert client.get(url).status_code == 404
        assert client.post(url, {"status": "done", "note": "x"}).status_code == 404


def test_progress_edit_station_worker_updates_own_station(login, station_worker, station_task):
    row = TaskProgress.objects.get(task=station_task, unit=station_worker.unit)
    response = login(station_worker).post(
        f"/console/campaigns/test-2023/progress/{row.pk}/",
        {"status": "in_progress", "note": "已张贴一半"},
    )

    assert response.status_code == 302
    row.refresh_from_db()
    assert row.note == "已张贴一半"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"status": "done", "note": ""}, "标记为已完成时，请写明完成情况或附上佐证链接。"),
        ({"status": "lost", "note": "x"}, "请在“未开始、进行中、已完成”中选择。"),
        ({"status": "done", "evidence_links": "不是网址"}, "“不是网址”不是有效的网址"),
    ],
)
def test_progress_edit_bad_input_keeps_what_was_typed(
    login, district_officer, district_task, data, message
):
    row = TaskProgress.objects.get(task=district_task, unit=district_officer.unit)
    response = login(district_officer).post(
        f"/console/campaigns/test-2023/progress/{row.pk}/", data
    )

    assert response.status_code == 200
    content = response.content.decode()
    assert message in content
    if data.get("evidence_links"):
        assert data["evidence_links"] in content
    row.refresh_from_db()
    assert row.status == "not_started"


def test_clone_view_creates_next_year(login, city_admin, haikou):
    response = login(city_admin).post(
        "/console/campaigns/haikou-2023/clone/", {"year": "2024", "slug": "haikou-2024"}
    )

    assert response.status_code == 302
    assert response["Location"] == "/console/campaigns/haikou-2024/edit/"
    assert Campaign.objects.get(slug="haikou-2024").starts_on == datetime.date(2024, 3, 21)


def test_clone_view_bad_slug_keeps_input(login, city_admin, haikou):
    response = login(city_admin).post(
        "/console/campaigns/haikou-2023/clone/", {"year": "2024", "slug": "haikou-2023"}
    )

    content = response.content.decode()
    assert "这个标识已被其他方案使用，请换一个。" in content
    assert 'value="2024"' in content


def test_kpi_edit_sets_targets(login, city_admin, campaign):
    response = login(city_admin).post(
        "/console/campaigns/test-2023/kpis/", {"activities": "120", "media_reports": ""}
    )

    assert response.status_code == 302
    assert list(campaign.kpi_targets.values_list("kind", flat=True)) == ["activities"]


def test_kpi_edit_rejects_negative(login, city_admin, campaign):
    response = login(city_admin).post("/console/campaigns/test-2023/kpis/", {"stories": "-3"})

    assert "目标值不能为负数" in response.content.decode()
    assert not campaign.kpi_targets.exists()


@pytest.mark.parametrize("value", ["NaN", "Infinity", "abc"])
def test_kpi_edit_refuses_what_is_not_a_number_for_a_percentage(login, city_admin, campaign, value):
    # "知晓率（%）": a % in the label broke the message of a NaN target into a server error.
    response = login(city_admin).post(
        "/console/campaigns/test-2023/kpis/", {"awareness_rate": value}
    )

    assert response.status_code == 200
    assert "“社会工作知晓率（%）”的目标值请填写数字。" in response.content.decode()
    assert not campaign.kpi_targets.exists()


def test_task_new_assigns_every_station(login, city_admin, campaign, station, sibling_station):
    response = login(city_admin).post(
        "/console/campaigns/test-2023/tasks/new/",
        {
            "level": "station",
            "title": "张贴服务二维码",
            "deliverables": "照片",
            "due_on": "2023-03-31",
        },
    )

    assert response.status_code == 302
    task = campaign.tasks.get(title="张贴服务二维码")
    assert not task.in_document
    assert sorted(task.progress.values_list("unit__code", flat=True)) == [
        "460105001",
        "460106001",
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"level": "station", "title": "", "due_on": "2023-03-31"}, "请填写任务名称。"),
        ({"level": "", "title": "任务甲", "due_on": "2023-03-31"}, "请选择任务下达到哪一级。"),
        (
            {"level": "city", "title": "任务乙", "due_on": "2023-01-01"},
            "完成期限不能早于活动开始日期。",
        ),
    ],
)
def test_task_new_bad_input_keeps_what_was_typed(login, city_admin, campaign, data, message):
    response = login(city_admin).post("/console/campaigns/test-2023/tasks/new/", data)

    content = response.content.decode()
    assert message in content
    if data["title"]:
        assert f'value="{data["title"]}"' in content
    assert not campaign.tasks.exists()


def test_task_new_is_forbidden_to_district(login, district_officer, campaign):
    response = login(district_officer).post(
        "/console/campaigns/test-2023/tasks/new/",
        {"level": "station", "title": "越权任务", "due_on": "2023-03-31"},
    )

    assert response.status_code == 403
    assert not campaign.tasks.exists()


def test_demo_matrix_has_every_district_level_unit_and_station(login, city, template_context):
    from shegong.accounts.models import User
    from shegong.campaigns.demo import seed
    from shegong.orgs.models import Unit
    from shegong.orgs.services import units_load_divisions
    from tests.factories import UserFactory

    units_load_divisions()
    seed(city=Unit.objects.get(code="460100"))
    admin = UserFactory(username="admin", role=User.Role.CITY_ADMIN, unit=city)
    client = login(admin)

    districts = client.get("/console/campaigns/haikou-2023/matrix/?level=district")
    stations = client.get("/console/campaigns/haikou-2023/matrix/?level=station")

    expected_districts = set(Unit.objects.districts().values_list("code", flat=True))
    expected_stations = set(Unit.objects.stations().values_list("code", flat=True))
    assert len(expected_districts) == 5
    assert set(districts.context["matrix"].units) == set(Unit.objects.districts())
    assert {u.code for u in stations.context["matrix"].units} == expected_stations
    assert "桂林洋经济开发区社会事业管理科" in districts.content.decode()
    rates = districts.context["matrix"].unit_rates
    assert all(rate.assigned == 6 for rate in rates)
    assert any(rate.done for rate in rates)


def test_console_home_lists_own_unfinished_tasks(login, district_officer, district_task):
    content = login(district_officer).get("/console/").content.decode()

    assert "本单位未完成的方案任务" in content
    assert "/console/campaigns/test-2023/matrix/?level=district" in content


def test_console_home_has_nothing_waiting_once_done(login, district_officer, district_task):
    TaskProgress.objects.filter(unit=district_officer.unit).update(status="done")

    content = login(district_officer).get("/console/").content.decode()

    assert "本单位未完成的方案任务" not in content


def test_admin_lists_campaigns_and_progress(client, haikou, django_user_model):
    admin_user = django_user_model.objects.create_superuser("root", password="x" * 20)
    client.force_login(admin_user)

    campaigns = client.get("/admin/campaigns/campaign/").content.decode()
    progress = client.get("/admin/campaigns/taskprogress/?status__exact=done")

    assert "海民发〔2023〕79号" in campaigns
    assert progress.status_code == 200
    assert client.get(f"/admin/campaigns/campaign/{haikou.pk}/change/").status_code == 200


def test_progress_own_page_is_a_plain_form_not_bound_to_the_matrix_editor(
    login, district_officer, district_task
):
    row = TaskProgress.objects.get(task=district_task, unit=district_officer.unit)
    content = login(district_officer).get(f"/console/campaigns/test-2023/progress/{row.pk}/")
    html = content.content.decode()

    assert 'hx-target="#editor"' not in html
    assert 'name="done_on"' in html


def test_progress_done_records_the_date_entered(login, district_officer, district_task):
    row = TaskProgress.objects.get(task=district_task, unit=district_officer.unit)
    response = login(district_officer).post(
        f"/console/campaigns/test-2023/progress/{row.pk}/",
        {"status": "done", "note": "2023 年已完成", "done_on": "2023-03-30"},
    )

    assert response.status_code == 302
    row.refresh_from_db()
    assert row.done_on == datetime.date(2023, 3, 30)
    assert row.on_time


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"status": "done", "note": "x", "done_on": "2999-01-01"}, "完成日期不能晚于今天。"),
        ({"status": "in_progress", "done_on": "2023-03-30"}, "只有标记为“已完成”时才填写完成日期"),
        ({"status": "done", "note": "x", "done_on": "三月底"}, "完成日期格式不对"),
    ],
)
def test_progress_done_date_refused_with_a_reason(
    login, district_officer, district_task, data, message
):
    row = TaskProgress.objects.get(task=district_task, unit=district_officer.unit)
    response = login(district_officer).post(
        f"/console/campaigns/test-2023/progress/{row.pk}/", data
    )

    assert message in response.content.decode()
    row.refresh_from_db()
    assert row.status == "not_started"
