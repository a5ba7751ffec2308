import pytest
from django.conf import settings as django_settings
from django.test import Client

from shegong.accounts.models import Notification
from shegong.helpdesk import services
from shegong.helpdesk.models import HelpRequest, TrackAttempt


def test_help_form_groups_towns_by_district_and_needs_no_login(
    anonymous, station, second_station, sibling_station
):
    response = anonymous.get("/help/")

    content = response.content.decode()
    assert response.status_code == 200
    assert '<optgroup label="秀英区">' in content
    assert '<optgroup label="龙华区">' in content
    assert f'<option value="{station.code}">秀英街道</option>' in content
    assert 'name="website"' in content  # the honeypot
    assert "隐私说明" in content
    assert "data-read-aloud" in content


def test_help_form_preselects_the_station_from_the_url(anonymous, station, second_station):
    content = anonymous.get(f"/help/?station={second_station.code}").content.decode()

    assert f'<option value="{second_station.code}" selected>海秀街道</option>' in content


def test_help_form_ignores_an_unknown_station(anonymous, station):
    response = anonymous.get("/help/?station=nope")

    assert response.status_code == 200
    assert '<option value="" selected>' in response.content.decode()


def test_help_submit_stores_and_shows_a_code(anonymous, help_data, station, station_worker):
    response = anonymous.post("/help/", help_data, follow=True)

    request = HelpRequest.objects.get()
    content = response.content.decode()
    assert request.phone == "13800138000"
    assert request.unit == station
    assert request.preferred_time == "morning"
    assert request.display_code in content
    assert "秀英街道社工站" in content
    assert "如有危险" not in content


def test_help_sent_without_a_submission_goes_back_to_the_form(anonymous):
    response = anonymous.get("/help/sent/")

    assert response.status_code == 302
    assert response["Location"] == "/help/"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("phone", "12345", "请填写正确的电话号码"),
        ("phone", "", "请填写联系电话"),
        ("description", "", "请简单说说遇到了什么困难"),
        ("area", "999999", "请从列表中选择所在的区和乡镇（街道）"),
        ("consent", "", "请勾选同意隐私说明"),
        ("for_whom", "", "请选择为谁求助"),
    ],
)
def test_help_submit_bad_input_keeps_what_was_typed(
    anonymous, help_data, station, field, value, message
):
    help_data[field] = value

    response = anonymous.post("/help/", help_data)

    content = response.content.decode()
    assert response.status_code == 200
    assert message in content
    for name in ("contact_name", "description"):
        if name != field:
            assert help_data[name] in content
    assert not HelpRequest.objects.exists()


def test_help_danger_words_show_emergency_numbers_before_submitting(anonymous, help_data):
    help_data.update(description="我的邻居说不想活了，想自杀", phone="")

    content = anonymous.post("/help/", help_data).content.decode()

    assert '<section class="emergency" id="emergency" role="alert"' in content
    assert 'href="tel:110"' in content
    assert 'href="tel:12355"' in content
    assert not HelpRequest.objects.exists()


def test_help_form_has_emergency_numbers_hidden_until_needed(anonymous, station):
    content = anonymous.get("/help/").content.decode()

    assert '<section class="emergency" id="emergency" hidden' in content
    assert "helpdesk/danger.js" in content


def test_help_danger_words_after_submitting_mark_urgent(anonymous, help_data, station):
    help_data["description"] = "邻居家里经常有人打人，怀疑家暴"

    content = anonymous.post("/help/", help_data, follow=True).content.decode()

    assert HelpRequest.objects.get().urgent
    assert 'href="tel:110"' in content
    assert "如有危险，请立即拨打电话" in content


def test_help_honeypot_stores_nothing(anonymous, help_data, station):
    help_data["website"] = "http://spam.example"

    response = anonymous.post("/help/", help_data)

    assert response.status_code == 200
    assert "提交未能受理" in response.content.decode()
    assert not HelpRequest.objects.exists()


def test_help_limit_per_phone_shows_a_clear_chinese_message(anonymous, help_data, station):
    description = help_data["description"]
    for n in range(django_settings.HELPDESK_LIMIT_PER_PHONE_PER_DAY):
        help_data["description"] = f"{description}（第 {n + 1} 次）"
        response = anonymous.post("/help/", help_data, REMOTE_ADDR=f"10.0.0.{n}")
        assert response.status_code == 302

    help_data["description"] = f"{description}（又一次）"
    response = anonymous.post("/help/", help_data, REMOTE_ADDR="10.0.0.99")

    assert "这个电话号码今天已提交 3 次求助" in response.content.decode()
    assert "李先生" in response.content.decode()
    assert HelpRequest.objects.count() == django_settings.HELPDESK_LIMIT_PER_PHONE_PER_DAY


def test_help_limit_per_address(anonymous, help_data, station):
    for n in range(django_settings.HELPDESK_LIMIT_PER_IP_PER_DAY):
        help_data["phone"] = f"1380013{n:04d}"
        assert anonymous.post("/help/", help_data).status_code == 302

    help_data["phone"] = "13900139000"
    response = anonymous.post("/help/", help_data)

    assert "今天从这台设备提交的求助已达上限" in response.content.decode()
    assert HelpRequest.objects.count() == django_settings.HELPDESK_LIMIT_PER_IP_PER_DAY


def test_help_limit_behind_the_proxy_counts_each_citizen(anonymous, help_data, station, settings):
    # Behind nginx every request comes from the proxy's address; the limit must not fall on
    # the whole city at once.
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    for n in range(django_settings.HELPDESK_LIMIT_PER_IP_PER_DAY):
        help_data["phone"] = f"1380013{n:04d}"
        sent = anonymous.post("/help/", help_data, HTTP_X_FORWARDED_FOR="203.0.113.5", **proxy)
        assert sent.status_code == 302

    help_data["phone"] = "13900139000"
    other = anonymous.post("/help/", help_data, HTTP_X_FORWARDED_FOR="203.0.113.6", **proxy)
    help_data["phone"] = "13900139001"
    same = anonymous.post("/help/", help_data, HTTP_X_FORWARDED_FOR="203.0.113.5", **proxy)

    assert other.status_code == 302
    assert "今天从这台设备提交的求助已达上限" in same.content.decode()


def test_help_pages_in_english(anonymous, station):
    content = anonymous.get("/help/?lang=en").content.decode()

    assert "Ask for help" in content
    assert "Privacy notice" in content
    assert "我要求助" not in content.split("<main")[1]


def test_help_form_in_elder_mode(anonymous, station):
    content = anonymous.get("/help/?elder=1").content.decode()

    assert 'class="elder"' in content
    assert "helpdesk/helpdesk.css" in content


def test_submit_with_failing_mail_server_keeps_the_request(
    anonymous, help_data, station, station_worker, settings, django_capture_on_commit_callbacks
):
    """A real failure behind the notifier: the mail server refuses every message."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.EMAIL_BACKEND = "tests.helpdesk.backends.FailingEmailBackend"
    station_worker.email = "worker@example.org"
    station_worker.save()

    with django_capture_on_commit_callbacks(execute=True):
        response = anonymous.post("/help/", help_data)

    assert response.status_code == 302
    request = HelpRequest.objects.get()
    notification = Notification.objects.get(recipient=station_worker)
    assert request.display_code in notification.message
    assert notification.emailed_at is None  # the email failed and can be sent again


# --- tracking ------------------------------------------------------------------------------


def test_track_with_code_and_last_four_shows_status_and_public_notes(
    anonymous, submit, station, station_worker
):
    request = submit(station, phone="13912345678")
    services.helprequest_accept(actor=station_worker, request=request, note="社工明天上门。")
    services.helprequest_note_add(
        actor=station_worker, request=request, text="内部：家属电话难打通", public=False
    )

    response = anonymous.post(
        "/help/track/", {"code": request.display_code.lower(), "last4": "5678"}
    )

    content = response.content.decode()
    assert "已受理" in content
    assert "社工明天上门。" in content
    assert "内部：家属电话难打通" not in content
    assert "13912345678" not in content


def test_track_without_the_right_digits_is_refused(anonymous, submit, station):
    request = submit(station, phone="13912345678")

    response = anonymous.post("/help/track/", {"code": request.code, "last4": "0000"})

    content = response.content.decode()
    assert "查询码或手机号后四位不正确" in content
    assert "待受理" not in content
    assert request.description not in content


def test_track_without_digits_asks_for_them(anonymous, submit, station):
    request = submit(station)

    content = anonymous.post("/help/track/", {"code": request.code}).content.decode()

    assert "请填写联系电话的后四位数字" in content
    assert request.code in content
    assert request.description not in content


def test_track_guessing_is_rate_limited(anonymous, submit, station):
    request = submit(station, phone="13912345678")
    for guess in range(services.TRACK_FAILURES_PER_CODE_PER_HOUR):
        anonymous.post("/help/track/", {"code": request.code, "last4": f"{guess:04d}"})

    # The guesser's address may not try this code again within the hour …
    response = anonymous.post("/help/track/", {"code": request.code, "last4": "5678"})

    assert response.status_code == 429
    assert "本网络一小时内不能再查询它" in response.content.decode()
    assert TrackAttempt.objects.filter(success=False).count() == 5
    # … but the citizen who owns it, from their own phone, still gets in (issue #14).
    owner = Client(REMOTE_ADDR="198.51.100.30")
    response = owner.post("/help/track/", {"code": request.code, "last4": "5678"})
    assert response.status_code == 200
    assert request.get_status_display() in response.content.decode()
    assert "本网络一小时内" not in response.content.decode()


def test_track_then_rate_a_closed_request(anonymous, submit, station, station_worker):
    request = submit(station, phone="13912345678")
    services.helprequest_accept(actor=station_worker, request=request, note="受理")
    services.helprequest_close(actor=station_worker, request=request, outcome="已安排助餐。")

    content = anonymous.post(
        "/help/track/", {"code": request.code, "last4": "5678"}
    ).content.decode()
    assert "已办结" in content
    assert "已安排助餐。" in content
    assert "评价这次服务" in content

    response = anonymous.post(
        "/help/track/rate/",
        {"code": request.code, "last4": "5678", "rating": "5", "comment": "很及时"},
    )

    assert "感谢您的评价" in response.content.decode()
    request.refresh_from_db()
    assert request.rating == 5


def test_rate_with_wrong_digits_is_refused(anonymous, submit, station, station_worker):
    request = submit(station, phone="13912345678")
    services.helprequest_accept(actor=station_worker, request=request, note="受理")
    services.helprequest_close(actor=station_worker, request=request, outcome="好")

    response = anonymous.post(
        "/help/track/rate/", {"code": request.code, "last4": "1111", "rating": "1"}
    )

    assert "查询码或手机号后四位不正确" in response.content.decode()
    request.refresh_from_db()
    assert request.rating is None


@pytest.mark.parametrize("last4", [" 5678 ", "５６７８", "56 78"])
def test_track_accepts_digits_as_phones_type_them(anonymous, submit, station, last4):
    # A Chinese input method gives full-width digits; a space sneaks in; none is a wrong guess.
    request = submit(station, phone="13912345678")

    response = anonymous.post("/help/track/", {"code": request.display_code, "last4": last4})

    assert "待受理" in response.content.decode()
    assert not TrackAttempt.objects.filter(success=False).exists()


def test_track_accepts_a_full_width_code(anonymous, submit, station):
    request = submit(station, phone="13912345678")
    full_width = request.code.translate(
        {ord(c): ord(c) + 0xFEE0 for c in "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"}
    )

    response = anonymous.post("/help/track/", {"code": full_width, "last4": "5678"})

    assert "待受理" in response.content.decode()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("for_whom", "robot", "请选择为谁求助。"),
        ("category", "x" * 300, "请选择求助类别。"),
    ],
)
def test_help_unknown_choice_gets_a_specific_message(
    anonymous, help_data, station, field, value, message
):
    help_data[field] = value

    content = anonymous.post("/help/", help_data).content.decode()

    assert message in content
    assert value not in content
    assert help_data["description"] in content
    assert not HelpRequest.objects.exists()


def test_rate_with_an_unknown_score_gets_a_specific_message(
    anonymous, submit, station, station_worker
):
    request = submit(station, phone="13912345678")
    services.helprequest_accept(actor=station_worker, request=request, note="受理")
    services.helprequest_close(actor=station_worker, request=request, outcome="好")

    response = anonymous.post(
        "/help/track/rate/", {"code": request.code, "last4": "5678", "rating": "9"}
    )

    assert "请选择满意程度。" in response.content.decode()
    request.refresh_from_db()
    assert request.rating is None


def test_track_hides_an_outcome_the_staff_kept_internal(anonymous, submit, station, station_worker):
    request = submit(station, phone="13912345678")
    services.helprequest_accept(actor=station_worker, request=request, note="受理")
    services.helprequest_close(
        actor=station_worker, request=request, outcome="其子有酗酒史，已报派出所。", public=False
    )

    content = anonymous.post(
        "/help/track/", {"code": request.code, "last4": "5678"}
    ).content.decode()

    assert "已办结" in content
    assert "其子有酗酒史" not in content


def test_help_double_submission_stores_one_request_with_one_code(
    anonymous, help_data, station, station_worker
):
    # A double tap on a slow phone network sends the form twice.
    first = anonymous.post("/help/", help_data, follow=True).content.decode()
    second = anonymous.post("/help/", help_data, follow=True).content.decode()

    request = HelpRequest.objects.get()
    assert request.display_code in first
    assert request.display_code in second
    assert request.notes.count() == 1


def test_help_second_request_with_other_words_is_stored(anonymous, help_data, station):
    anonymous.post("/help/", help_data)
    help_data["description"] = "另外，楼下的张伯也需要助餐。"

    anonymous.post("/help/", help_data)

    assert HelpRequest.objects.count() == 2


def test_help_honeypot_filled_by_autofill_lets_a_person_send_again(anonymous, help_data, station):
    # A browser's autofill may fill the hidden field: the retry must not carry it again.
    help_data["website"] = "http://my-blog.example"

    content = anonymous.post("/help/", help_data).content.decode()

    assert "my-blog.example" not in content
    assert help_data["description"] in content
    assert help_data["contact_name"] in content


def test_track_in_english_shows_the_receipt_note_in_english(
    anonymous, submit, station, station_worker
):
    request = submit(station, phone="13912345678")

    content = anonymous.post(
        "/help/track/?lang=en", {"code": request.code, "last4": "5678"}
    ).content.decode()
    chinese = anonymous.post(
        "/help/track/?lang=zh-hans", {"code": request.code, "last4": "5678"}
    ).content.decode()

    # No English name known for the area: the Chinese name, marked so a reader switches voice.
    assert 'Request received and passed to <span lang="zh-Hans">秀英街道社工站</span>.' in content
    assert "已收到求助" not in content
    assert "已收到求助，转交" in chinese
    assert '<span lang="zh-Hans">秀英街道社工站</span>。' in chinese

    station.area_name_en = "Xiuying Subdistrict"
    station.save()
    english = anonymous.post(
        "/help/track/?lang=en", {"code": request.code, "last4": "5678"}
    ).content.decode()
    assert (
        'Request received and passed to <span lang="en">Xiuying Subdistrict Social Work Station'
        "</span>." in english
    )


def test_help_description_at_the_limit_with_line_breaks_is_stored(anonymous, help_data, station):
    # Browsers count a line break as one character against maxlength but send it as CR LF.
    help_data["description"] = "\r\n".join(["独" * 199] * 10)
    assert len(help_data["description"]) > 2000

    response = anonymous.post("/help/", help_data)

    assert response.status_code == 302
    assert HelpRequest.objects.get().description.count("\n") == 9


def test_help_submit_bad_phone_is_explained_in_english(anonymous, help_data, station):
    help_data["phone"] = "12345"

    content = anonymous.post("/help/?lang=en", help_data).content.decode()

    assert "Please enter a valid phone number" in content
    assert not HelpRequest.objects.exists()


@pytest.mark.parametrize(
    ("lang", "message"), [("zh-hans", "无法识别的字符"), ("en", "cannot be read")]
)
def test_help_text_with_a_nul_byte_is_refused_in_the_page_language(
    anonymous, help_data, station, lang, message
):
    help_data["contact_name"] = "王\x00阿姨"
    anonymous.cookies["django_language"] = lang

    content = anonymous.post("/help/", help_data).content.decode()

    assert message in content
    assert help_data["description"] in content
    assert not HelpRequest.objects.exists()


def test_track_code_pasted_too_long_says_what_a_code_looks_like(anonymous, db):
    response = anonymous.post("/help/track/", {"code": "AC7K-M3PX" * 3, "last4": "5678"})

    assert "查询码是 8 位字母和数字" in response.content.decode()
