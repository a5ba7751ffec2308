import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shegong.activities import services
from shegong.activities.models import LiveStream, MediaCoverage, NewsDraft, Submission
from shegong.core.models import AuditEntry
from shegong.orgs.models import Partner
from shegong.orgs.partners import partner_create, partner_update

from .conftest import make_activity


def test_partner_create_and_duplicate_name_refused(station_worker, station):
    partner_create(actor=station_worker, unit=station, name="秀英社区志愿服务队", kind="volunteers")

    with pytest.raises(ValidationError, match="已有“秀英社区志愿服务队”"):
        partner_create(
            actor=station_worker, unit=station, name="秀英社区志愿服务队", kind="volunteers"
        )


def test_partner_added_twice_at_once_gets_the_message_not_an_error_page(station_worker, station):
    # Two workers add the same partner at the same moment: both pass the checks before
    # either saves, so the second one's INSERT meets the database's unique constraint. That
    # INSERT is the service's own save step, run here on a partner that passed its checks.
    from shegong.orgs.partners import _save

    late = Partner(unit=station, name="秀英养老院", kind="elderly_care")
    late.full_clean()  # its checks pass: the first is not saved yet
    partner_create(actor=station_worker, unit=station, name="秀英养老院", kind="elderly_care")

    with pytest.raises(ValidationError, match="已有“秀英养老院”"):
        _save(late)
    assert Partner.objects.filter(name="秀英养老院").count() == 1


def test_partner_list_shows_own_district_only(login, district_officer, station, sibling_station):
    Partner.objects.create(unit=station, name="秀英养老院", kind="elderly_care")
    Partner.objects.create(unit=sibling_station, name="龙华儿童福利院", kind="child_welfare")

    content = login(district_officer).get("/console/units/partners/").content.decode()

    assert "秀英养老院" in content
    assert "龙华儿童福利院" not in content


def test_partner_page_create_and_bad_phone(login, station_worker, station):
    client = login(station_worker)
    bad = client.post(
        "/console/units/partners/new/",
        {"name": "爱心基金会", "kind": "charity", "contact_phone": "123"},
    )
    assert "请填写正确的电话号码" in bad.content.decode()
    assert 'value="爱心基金会"' in bad.content.decode()

    client.post(
        "/console/units/partners/new/",
        {"name": "爱心基金会", "kind": "charity", "contact_phone": "0898-68651227"},
    )
    assert Partner.objects.get().unit == station


def test_partner_of_sibling_is_not_found_and_parent_partner_not_changeable(
    login, station_worker, sibling_station, district
):
    sibling = Partner.objects.create(unit=sibling_station, name="龙华学校", kind="school")
    parent = Partner.objects.create(unit=district, name="区团委", kind="mass_org")
    client = login(station_worker)

    assert client.get(f"/console/units/partners/{sibling.pk}/").status_code == 404
    assert client.get(f"/console/units/partners/{parent.pk}/").status_code == 404


def test_station_may_link_district_partners_to_its_activities(
    login, station_worker, station, district, sibling_district
):
    Partner.objects.create(unit=district, name="区慈善会", kind="charity")
    Partner.objects.create(unit=sibling_district, name="龙华区慈善会", kind="charity")

    content = login(station_worker).get("/console/activities/new/").content.decode()

    assert "区慈善会" in content
    assert "龙华区慈善会" not in content


def test_partner_update_audits_changes(district_officer, station):
    partner = Partner.objects.create(unit=station, name="秀英小学", kind="school")

    partner_update(actor=district_officer, partner=partner, contact_person="王老师")

    partner.refresh_from_db()
    assert partner.contact_person == "王老师"


@pytest.mark.parametrize("count", [1, 3])
def test_partner_list_query_count_is_constant(login, district_officer, station, count):
    for n in range(count):
        Partner.objects.create(unit=station, name=f"伙伴{n}", kind="community")
    client = login(district_officer)
    client.get("/console/units/partners/")

    with CaptureQueriesContext(connection) as queries:
        client.get("/console/units/partners/")

    assert len(queries) == 4


def test_coverage_submission_and_stream_are_linked_to_the_activity(login, station_worker, station):
    activity = make_activity(station, title="社工宣传周")
    client = login(station_worker)
    client.post(
        "/console/activities/coverage/new/",
        {
            "activity": activity.pk,
            "outlet": "海口日报",
            "type": "newspaper",
            "title": "社工走进社区",
            "published_on": "2023-03-23",
            "reach": "5000",
            "focus_tags": ["five_social"],
        },
    )
    client.post(
        "/console/activities/submissions/new/",
        {
            "activity": activity.pk,
            "outlet": "中国社会工作",
            "title": "五社联动暖民心",
            "submitted_on": "2023-03-24",
            "status": "submitted",
        },
    )
    client.post(
        "/console/activities/streams/new/",
        {
            "activity": activity.pk,
            "platform": "益播间",
            "title": "社工在身边",
            "starts_at": "2023-03-25T19:00",
            "peak_viewers": "1200",
        },
    )

    assert MediaCoverage.objects.get().focus_labels == ["五社联动"]
    assert Submission.objects.get().activity == activity
    assert LiveStream.objects.get().peak_viewers == 1200
    detail = client.get(f"/console/activities/{activity.pk}/").content.decode()
    assert "海口日报" in detail
    assert "中国社会工作" in detail
    assert "益播间" in detail


def test_record_cannot_link_another_units_activity(station_worker, station, second_station):
    other = make_activity(second_station)

    with pytest.raises(ValidationError, match="只能关联本单位的活动"):
        services.coverage_create(
            actor=station_worker,
            unit=station,
            activity=other,
            outlet="海南日报",
            type="newspaper",
            title="x",
            published_on=datetime.date(2023, 3, 22),
        )


def test_submission_status_published_needs_a_link(station_worker, station):
    submission = services.submission_create(
        actor=station_worker,
        unit=station,
        outlet="中国社会工作",
        title="稿件",
        submitted_on=datetime.date(2023, 3, 22),
    )

    with pytest.raises(ValidationError, match="请填写刊发链接"):
        services.submission_set_status(
            actor=station_worker, submission=submission, status="published"
        )
    services.submission_set_status(
        actor=station_worker, submission=submission, status="published", url="https://example.org/a"
    )

    assert Submission.objects.get().status == "published"


@pytest.mark.parametrize("kind", ["coverage", "submissions", "streams"])
def test_record_lists_leak_nothing_from_sibling_district(
    login, district_officer, station_worker, sibling_worker, station, sibling_station, kind
):
    for worker, unit, title in (
        (station_worker, station, "秀英稿"),
        (sibling_worker, sibling_station, "龙华稿"),
    ):
        if kind == "coverage":
            services.coverage_create(
                actor=worker,
                unit=unit,
                outlet="报社",
                type="web",
                title=title,
                published_on=datetime.date(2023, 3, 22),
            )
        elif kind == "submissions":
            services.submission_create(
                actor=worker,
                unit=unit,
                outlet="公众号",
                title=title,
                submitted_on=datetime.date(2023, 3, 22),
            )
        else:
            services.livestream_create(
                actor=worker,
                unit=unit,
                platform="益播间",
                title=title,
                starts_at=datetime.datetime(2023, 3, 22, 19, tzinfo=datetime.UTC),
            )

    content = login(district_officer).get(f"/console/activities/{kind}/").content.decode()

    assert "秀英稿" in content
    assert "龙华稿" not in content


@pytest.mark.parametrize("count", [1, 3])
def test_coverage_list_query_count_is_constant(login, district_officer, station, count):
    activity = make_activity(station)
    for n in range(count):
        MediaCoverage.objects.create(
            unit=station,
            activity=activity,
            outlet="报社",
            type="web",
            title=f"报道{n}",
            published_on=datetime.date(2023, 3, 22),
        )
    client = login(district_officer)
    client.get("/console/activities/coverage/")

    with CaptureQueriesContext(connection) as queries:
        client.get("/console/activities/coverage/")

    assert len(queries) == 5


def test_news_draft_is_sanitised_reviewed_and_adopted(station_worker, district_officer, station):
    activity = make_activity(station)
    news = services.news_save(
        actor=station_worker,
        activity=activity,
        title="社工宣传周启动",
        body='<p onclick="x()">启动仪式<script>alert(1)</script></p><a href="javascript:x">链</a>',
    )
    assert "<script" not in news.body
    assert "onclick" not in news.body
    assert "javascript:" not in news.body

    with pytest.raises(ValidationError, match="不能改为"):
        services.news_transition(actor=district_officer, news=news, to="approved")
    services.news_transition(actor=station_worker, news=news, to="submitted")
    with pytest.raises(ValidationError, match="请写明修改意见"):
        services.news_transition(actor=district_officer, news=news, to="returned")
    services.news_transition(actor=district_officer, news=news, to="approved")
    with pytest.raises(ValidationError, match="请填写采用该稿件的媒体"):
        services.news_transition(actor=station_worker, news=news, to="adopted")
    services.news_transition(actor=station_worker, news=news, to="adopted", outlet="海口日报")

    news.refresh_from_db()
    assert news.status == NewsDraft.Status.ADOPTED
    assert news.adopted_by == "海口日报"


def test_news_review_by_sibling_district_refused(sibling_officer, station_worker, station):
    news = services.news_save(
        actor=station_worker, activity=make_activity(station), title="稿", body="<p>正文</p>"
    )
    services.news_transition(actor=station_worker, news=news, to="submitted")

    with pytest.raises(ValidationError, match="没有权限"):
        services.news_transition(actor=sibling_officer, news=news, to="approved")


def test_news_adopted_with_a_bad_link_is_refused_with_the_reason(login, station_worker, station):
    activity = make_activity(station)
    news = NewsDraft.objects.create(
        activity=activity, title="社工宣传周", body="<p>正文</p>", status="approved"
    )

    response = login(station_worker).post(
        f"/console/activities/{activity.pk}/news/{news.pk}/adopted/",
        {"outlet": "海口日报", "url": "不是网址"},
        follow=True,
    )

    news.refresh_from_db()
    assert news.status == "approved"
    assert "请填写完整的网址" in response.content.decode()


@pytest.mark.parametrize("count", [1, 3])
def test_submission_and_stream_lists_query_count_is_constant(
    login, district_officer, station, second_station, count
):
    for n in range(count):
        unit = station if n % 2 == 0 else second_station
        activity = make_activity(unit, title=f"活动{n}")
        Submission.objects.create(
            unit=unit,
            activity=activity,
            outlet="中国社会工作",
            title=f"稿{n}",
            submitted_on=datetime.date(2023, 3, 22),
        )
        LiveStream.objects.create(
            unit=unit,
            activity=activity,
            platform="益播间",
            title=f"直播{n}",
            starts_at=datetime.datetime(2023, 3, 22, 19, tzinfo=datetime.UTC),
        )
    client = login(district_officer)
    counts = []
    for url in ("/console/activities/submissions/", "/console/activities/streams/"):
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        counts.append(len(queries))

    assert counts == [5, 5]


@pytest.mark.parametrize("count", [1, 3])
def test_budget_report_query_count_is_constant(
    login, district_officer, station, second_station, district, campaign, count
):
    for unit in [station, second_station, district][:count]:
        make_activity(unit, campaign=campaign, spend_actual=100, budget_planned=50)
    client = login(district_officer)
    client.get("/console/activities/budget/")

    with CaptureQueriesContext(connection) as queries:
        client.get("/console/activities/budget/")

    assert len(queries) == 8  # the campaigns named apart from the GROUP BY


def test_submission_status_of_a_station_is_read_only_for_its_district(
    login, district_officer, station
):
    submission = Submission.objects.create(
        unit=station, outlet="中国社会工作", title="秀英稿", submitted_on=datetime.date(2023, 3, 22)
    )
    client = login(district_officer)

    page = client.get("/console/activities/submissions/").content.decode()
    response = client.post(
        f"/console/activities/submissions/{submission.pk}/status/",
        {"status": "rejected"},
    )

    assert "秀英稿" in page
    assert f"/submissions/{submission.pk}/status/" not in page
    assert response.status_code == 403
    submission.refresh_from_db()
    assert submission.status == "submitted"


def test_submission_recorded_as_published_needs_its_link(login, station_worker, station):
    response = login(station_worker).post(
        "/console/activities/submissions/new/",
        {
            "outlet": "中国社会工作",
            "title": "椰城社工故事",
            "submitted_on": "2023-03-22",
            "status": "published",
        },
    )

    assert response.status_code == 200
    content = response.content.decode()
    assert "已刊发的稿件请填写刊发链接" in content
    assert "椰城社工故事" in content
    assert not Submission.objects.exists()


def test_retired_partner_leaves_the_pickers_but_stays_on_its_records(
    login, station_worker, station, campaign
):
    school = Partner.objects.create(unit=station, name="秀英小学", kind="school")
    activity = make_activity(station, campaign=campaign)
    activity.partners.set([school])
    client = login(station_worker)

    retired = client.post(
        f"/console/units/partners/{school.pk}/",
        {"name": "秀英小学", "kind": "school"},  # the 合作中 box left unticked
    )

    school.refresh_from_db()
    assert retired.status_code == 302
    assert not school.is_active
    assert "已停止合作" in client.get("/console/units/partners/").content.decode()
    assert "秀英小学" not in client.get("/console/activities/new/").content.decode()
    edit_page = client.get(f"/console/activities/{activity.pk}/edit/").content.decode()
    assert "秀英小学" in edit_page
    assert AuditEntry.objects.filter(action="partner.update", changes__is_active=[True, False])


def test_new_partner_is_active_without_a_box_to_tick(login, station_worker, station):
    client = login(station_worker)

    page = client.get("/console/units/partners/new/").content.decode()
    client.post("/console/units/partners/new/", {"name": "秀英社区", "kind": "community"})

    assert 'name="is_active"' not in page
    assert Partner.objects.get(name="秀英社区").is_active
