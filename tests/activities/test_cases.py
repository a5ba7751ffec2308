import pytest
from django.core.exceptions import ValidationError

from shegong.activities import services
from shegong.activities.models import Case
from shegong.activities.services import case_privacy_warnings


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("联系电话13812345678", "疑似电话号码：13812345678"),
        ("家属电话 0898-68651227", "疑似电话号码：0898-68651227"),
        ("联系电话 138 1234 5678", "疑似电话号码：138 1234 5678"),
        ("联系电话138-1234-5678", "疑似电话号码：138-1234-5678"),
        ("联系电话１３８１２３４５６７８", "疑似电话号码：１３８１２３４５６７８"),
        ("家属电话 0898 68651227", "疑似电话号码：0898 68651227"),
        ("身份证号 460100 19550312 0017", "疑似身份证号：460100 19550312 0017"),
        ("身份证号460100195503120017", "疑似身份证号：460100195503120017"),
        ("服务对象王建国因子女外出", "疑似服务对象姓名：王建国"),
        ("社工多次探访陈秀英阿婆", "疑似服务对象姓名：陈秀英"),
    ],
)
def test_privacy_check_finds_phone_id_and_client_names(text, found):
    assert any(found in w for w in case_privacy_warnings(text))


@pytest.mark.parametrize(
    "text",
    ["服务对象王某某因子女外出", "社工为老人提供服务", "社区居民参与活动", "联系站点 12345"],
)
def test_privacy_check_passes_anonymised_text(text):
    assert case_privacy_warnings(text) == []


def test_case_publish_with_warnings_needs_confirmation(station_worker, station):
    case = services.case_save(
        actor=station_worker,
        unit=station,
        title="独居老人关爱",
        problem="服务对象王建国独居，电话13812345678",
    )

    with pytest.raises(ValidationError, match="疑似电话号码"):
        services.case_publish(actor=station_worker, case=case)
    assert Case.objects.get().status == Case.Status.DRAFT
    services.case_publish(actor=station_worker, case=case, confirmed=True)

    assert Case.objects.get().status == Case.Status.PUBLISHED


def test_case_page_shows_warnings_and_clean_case_publishes(login, station_worker, station):
    client = login(station_worker)
    client.post(
        "/console/activities/cases/new/",
        {"kind": "case", "title": "困境儿童帮扶", "problem": "服务对象李小明辍学"},
    )
    case = Case.objects.get()
    page = client.get(f"/console/activities/cases/{case.pk}/").content.decode()
    assert "疑似服务对象姓名：李小明" in page

    refused = client.post(f"/console/activities/cases/{case.pk}/", follow=True).content.decode()
    assert "发布前请处理" in refused
    client.post(
        f"/console/activities/cases/{case.pk}/edit/",
        {"kind": "case", "title": "困境儿童帮扶", "problem": "服务对象李某某辍学"},
    )
    client.post(f"/console/activities/cases/{case.pk}/")

    case.refresh_from_db()
    assert case.status == Case.Status.PUBLISHED


def test_case_list_leaks_nothing_from_sibling(login, district_officer, station, sibling_station):
    Case.objects.create(unit=station, title="秀英案例")
    Case.objects.create(unit=sibling_station, title="龙华案例")

    content = login(district_officer).get("/console/activities/cases/").content.decode()

    assert "秀英案例" in content
    assert "龙华案例" not in content


@pytest.mark.parametrize("count", [1, 3])
def test_case_list_query_count_is_constant(login, district_officer, station, count):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for n in range(count):
        Case.objects.create(unit=station, title=f"案例{n}")
    client = login(district_officer)
    client.get("/console/activities/cases/")

    with CaptureQueriesContext(connection) as queries:
        client.get("/console/activities/cases/")

    assert len(queries) == 5


def test_case_of_a_station_cannot_be_published_by_its_district(login, district_officer, station):
    case = Case.objects.create(unit=station, title="五社联动助老")

    response = login(district_officer).post(f"/console/activities/cases/{case.pk}/", {})

    assert response.status_code == 403
    case.refresh_from_db()
    assert case.status == Case.Status.DRAFT
