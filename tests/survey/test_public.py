"""The citizen's survey at /survey/<slug>/: no login, no JavaScript, English, limits, trap."""

import datetime
import re

import pytest
from django.utils import timezone

from shegong.directory.models import QrScanDay
from shegong.directory.services import qr_scans_write_pending, qrlink_create
from shegong.survey import services
from shegong.survey.models import Answer

from .conftest import START


def test_survey_form_needs_no_login_and_asks_the_four_questions(anonymous, survey, station):
    response = anonymous.get("/survey/haikou-2023/")

    content = response.content.decode()
    assert response.status_code == 200
    assert "您知道社会工作者（社工）是做什么的吗？" in content
    assert "您知道离您最近的社工站在哪里吗？" in content
    assert "您或家人用过社工的服务吗？" in content
    assert "公交车身广告" in content
    assert "短视频" in content
    assert '<optgroup label="秀英区">' in content
    assert 'name="website"' in content  # the honeypot
    assert "<script" not in content.replace('<script src="/static/public/read-aloud.js"', "")


def test_survey_unknown_slug_is_404(anonymous, survey):
    assert anonymous.get("/survey/no-such-survey/").status_code == 404


def test_survey_answer_is_stored_and_thanked(anonymous, survey, station, answer_data):
    response = anonymous.post("/survey/haikou-2023/", answer_data, follow=True)

    answer = Answer.objects.get()
    assert "感谢参与调查" in response.content.decode()
    assert answer.area == station
    assert answer.district == station.parent
    assert answer.aware
    assert (answer.heard_bus, answer.heard_video, answer.heard_poster) == (True, True, False)
    assert answer.answered_on == timezone.localdate()
    assert answer.ip_hash  # a keyed hash, never the address
    assert "127.0.0.1" not in answer.ip_hash


def test_survey_thanks_without_an_answer_goes_back_to_the_form(anonymous, survey):
    response = anonymous.get("/survey/haikou-2023/thanks/")

    assert response.status_code == 302
    assert response["Location"] == "/survey/haikou-2023/"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("knows_social_work", "", "请回答您是否知道社工是做什么的。"),
        ("knows_social_work", "maybe", "请回答您是否知道社工是做什么的。"),
        ("area", "999999", "请从列表中选择您所在的区和乡镇（街道）。"),
        ("age_group", "", "请选择您的年龄段。"),
        ("heard_from", ["heard_tv"], "请从列表中选择您是从哪里了解到社工的。"),
        ("used_service", "x\x00", "请回答您或家人是否用过社工的服务。"),
    ],
)
def test_survey_bad_input_gets_a_specific_message_and_keeps_the_rest(
    anonymous, survey, station, answer_data, field, value, message
):
    answer_data[field] = value

    response = anonymous.post("/survey/haikou-2023/", answer_data)

    content = response.content.decode()
    assert response.status_code == 200
    assert message in content
    if field != "age_group":
        assert re.search(r'value="60_plus"[^>]*checked', content)
    if field != "area":
        assert f'<option value="{station.code}" selected>' in content
    assert not Answer.objects.exists()


def test_survey_honeypot_stores_nothing_and_keeps_the_answers(
    anonymous, survey, station, answer_data
):
    response = anonymous.post("/survey/haikou-2023/", {**answer_data, "website": "http://spam"})

    content = response.content.decode()
    assert "提交未能受理" in content
    assert re.search(r'value="60_plus"[^>]*checked', content)
    assert "http://spam" not in content
    assert not Answer.objects.exists()


def test_survey_limit_per_address_per_day(anonymous, survey, station, answer_data):
    ages = ["u18", "18_34", "35_59", "60_plus"]
    for n in range(services.LIMIT_PER_IP_PER_DAY):  # different answers: not one sent twice
        knows = ["yes", "heard", "no"][n // len(ages)]
        anonymous.post(
            "/survey/haikou-2023/",
            {**answer_data, "age_group": ages[n % len(ages)], "knows_social_work": knows},
        )
    assert Answer.objects.count() == services.LIMIT_PER_IP_PER_DAY

    response = anonymous.post("/survey/haikou-2023/", {**answer_data, "knows_station": "yes"})

    assert response.status_code == 429
    assert "已达上限" in response.content.decode()
    assert Answer.objects.count() == services.LIMIT_PER_IP_PER_DAY


def test_survey_same_answers_twice_are_one_answer(anonymous, survey, station, answer_data):
    anonymous.post("/survey/haikou-2023/", answer_data)
    anonymous.post("/survey/haikou-2023/", answer_data)

    assert Answer.objects.count() == 1


def test_survey_closed_shows_no_form(anonymous, survey, station, answer_data):
    survey.closes_on = timezone.localdate() - datetime.timedelta(days=1)
    survey.save()

    response = anonymous.post("/survey/haikou-2023/", answer_data)

    content = response.content.decode()
    assert "这份问卷现在不收集答卷" in content
    assert "<form" not in content
    assert not Answer.objects.exists()


def test_survey_in_english_and_elder_mode(anonymous, survey, station):
    content = anonymous.get("/survey/haikou-2023/?lang=en&elder=1").content.decode()

    assert "Do you know what social workers do?" in content
    assert "Bus advertisement" in content
    assert 'class="elder"' in content


def test_home_page_links_to_the_open_survey(anonymous, survey):
    content = anonymous.get("/").content.decode()

    assert 'href="/survey/haikou-2023/"' in content


def test_survey_qr_short_link_redirects_and_counts_the_scan(anonymous, survey, city, settings):
    link = qrlink_create(
        actor=None, unit=city, channel="公交12路（问卷）", target="/survey/haikou-2023/"
    )

    response = anonymous.get(f"/q/{link.code}")

    assert response.status_code in (301, 302)
    assert response["Location"].endswith("/survey/haikou-2023/")
    qr_scans_write_pending(today=timezone.localdate())
    assert QrScanDay.objects.get(link=link).count == 1


def test_answer_before_the_start_is_baseline_and_after_is_campaign(survey, station):
    def submit(day, knows):
        now = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))
        return services.answer_submit(
            survey=survey,
            area=station,
            age_group="35_59",
            knows_social_work=knows,
            knows_station="no",
            used_service="no",
            heard_from=[],
            now=now,
        )

    submit(START - datetime.timedelta(days=1), "no")
    submit(START - datetime.timedelta(days=1), "yes")
    submit(START, "yes")

    from shegong.survey.selectors import awareness

    figures = awareness(survey.campaign)
    assert (figures.baseline_answers, figures.baseline_aware) == (2, 1)
    assert (figures.campaign_answers, figures.campaign_aware) == (1, 1)
    assert figures.baseline_rate == 50
    assert figures.campaign_rate == 100


def test_answering_in_english_is_complete(anonymous, survey, station, answer_data):
    from tests.public.test_english_complete import unmarked_chinese

    for unit, english in ((station, "Xiuying Street"), (station.parent, "Xiuying District")):
        unit.area_name_en = english
        unit.save()
    form = anonymous.get("/survey/haikou-2023/?lang=en&elder=1")
    bad = anonymous.post("/survey/haikou-2023/?lang=en", {**answer_data, "age_group": ""})
    thanks = anonymous.post("/survey/haikou-2023/?lang=en", answer_data, follow=True)

    assert "Please choose your age group." in bad.content.decode()
    assert "Thank you for taking part" in thanks.content.decode()
    for response in (form, bad, thanks):
        assert unmarked_chinese(response.content.decode()) == []
