"""The contest's public submission through the API (POST /api/v1/stories/submissions/): no
token, the public form's checks and words, the same service (audit entry, cleaned files), the
same daily limits answered 429 with Retry-After."""

import pytest
from django.test import Client
from PIL import Image

from shegong.contest.models import Entry
from shegong.core.forms import UNREADABLE
from shegong.core.models import AuditEntry
from tests.contest.conftest import jpeg

pytestmark = pytest.mark.django_db
URL = "/api/v1/stories/submissions/"


def _story(**overrides):
    data = {
        "title": "放学后的四点半课堂",
        "category": "written",
        "text": "社工站每天下午四点半打开大门，孩子们在这里写作业、读绘本。" * 5,
        "author_name": "符小梅",
        "phone": "139 1234 5678",
        "originality": True,
        "consent": True,
    }
    data.update(overrides)
    return data


def _post(client, data, **extra):
    return client.post(URL, data, content_type="application/json", **extra)


def test_a_program_enters_a_story_without_a_token_and_gets_its_code(call, district):
    response = _post(Client(), _story(district=district.code))

    assert response.status_code == 201
    entry = Entry.objects.get()
    body = response.json()
    assert body["code"] == entry.display_code
    assert body["status"] == "submitted"
    assert body["follow_url"].endswith("/stories/follow/")
    assert "13912345678" not in response.content.decode()
    assert entry.source == Entry.Source.PUBLIC
    assert entry.call == call
    assert entry.phone == "13912345678"
    assert entry.area == district
    assert entry.publish_consent_at is not None
    assert entry.originality_at is not None
    # The public form's service, so its audit entry.
    assert AuditEntry.objects.filter(
        action="contest.entry_submit", target_id=str(entry.pk)
    ).exists()


def test_a_photo_story_is_sent_as_multipart_and_cleaned_as_on_the_page(call):
    data = _story(category="photo", originality="true", consent="true", shows_minors="true")
    data["files"] = [jpeg(exif_gps=True), jpeg("second.jpg")]

    response = Client().post(URL, data)

    assert response.status_code == 201, response.json()
    assert response.json()["files"] == 2
    entry = Entry.objects.get()
    assert entry.media.count() == 2
    assert all(m.shows_minors for m in entry.media.all())
    with Image.open(entry.media.first().file.path) as image:
        assert not image.getexif()  # location stripped


def test_bad_input_is_refused_with_the_public_forms_words(call):
    response = _post(Client(), _story(consent=False, phone="12", title=""))

    assert response.status_code == 400
    errors = {e["field"]: e["message"] for e in response.json()["errors"]}
    assert errors["title"] == "请填写作品标题。"
    assert errors["consent"] == "请勾选同意发表，否则作品无法参加评选。"
    assert errors["phone"].startswith("请填写正确的电话号码")
    assert not Entry.objects.exists()

    english = _post(Client(), _story(consent=False), HTTP_ACCEPT_LANGUAGE="en")
    assert english.json()["field"] == "consent"
    assert "请" not in english.json()["message"]


def test_a_category_the_call_does_not_take_and_a_missing_photo_are_refused(call):
    call.categories = "written"
    call.save()
    response = _post(Client(), _story(category="video"))
    assert response.status_code == 400
    assert response.json()["field"] == "category"

    call.categories = "written,photo"
    call.save()
    response = _post(Client(), _story(category="photo"))
    assert response.status_code == 400
    assert response.json()["message"] == "图片故事请至少上传一张照片，短视频请上传视频文件。"
    assert not Entry.objects.exists()


def test_a_file_that_is_no_photo_says_why_and_stores_nothing(call):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("photo.jpg", b"GIF89a not really", content_type="image/jpeg")
    data = _story(category="photo", originality="true", consent="true", files=[fake])

    response = Client().post(URL, data)

    assert response.status_code == 400
    assert response.json()["field"] == "files"
    assert "无法识别为照片" in response.json()["message"]
    assert not Entry.objects.exists()


def test_no_open_call_is_answered_closed(db):
    response = _post(Client(), _story())
    assert response.status_code == 400
    assert response.json()["code"] == "closed"
    assert response.json()["message"] == "本次征集现在不接收投稿。"


def test_the_daily_limits_per_address_and_per_phone_answer_429(call):
    from shegong.contest.services import LIMIT_PER_IP_PER_DAY, LIMIT_PER_PHONE_PER_DAY

    here = Client(REMOTE_ADDR="10.2.2.2")
    answers = [
        _post(here, _story(phone=f"1391234{n:04d}")).status_code
        for n in range(LIMIT_PER_IP_PER_DAY + 1)
    ]
    assert answers == [201] * LIMIT_PER_IP_PER_DAY + [429]
    refused = _post(here, _story(phone="13900000000"))
    assert refused.json()["code"] == "limit_reached"
    assert "今天从这台设备投稿已达上限" in refused.json()["message"]
    # The oldest of the day's entries frees a place in about a day.
    assert 86000 < int(refused["Retry-After"]) <= 86401

    phone = "13800001111"
    for n in range(LIMIT_PER_PHONE_PER_DAY):
        assert _post(Client(REMOTE_ADDR=f"10.3.3.{n}"), _story(phone=phone)).status_code == 201
    again = _post(Client(REMOTE_ADDR="10.4.4.4"), _story(phone=phone))
    assert again.status_code == 429
    assert "这个电话号码今天已投稿" in again.json()["message"]
    assert "Retry-After" in again
    assert Entry.objects.count() == LIMIT_PER_IP_PER_DAY + LIMIT_PER_PHONE_PER_DAY


def test_the_description_says_it_needs_no_token():
    schema = Client().get("/api/v1/openapi.json").json()
    operation = schema["paths"][URL]["post"]
    assert {} in operation["security"]
    content = operation["requestBody"]["content"]
    assert set(content) == {"application/json", "multipart/form-data"}
    assert "201" in operation["responses"]
    assert "429" in operation["responses"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ([1, 2], None),
        ({**_story(), "title": ["a"]}, "title"),
        ({**_story(), "text": "正文\x00"}, "text"),
        ({**_story(), "consent": "maybe", "phone": "1"}, "phone"),
        ({**_story(), "district": "9" * 30}, "district"),
        ({**_story(), "district": "460105001"}, "district"),
    ],
)
def test_hostile_bodies_are_refused_with_the_field(call, station, body, field):
    response = _post(Client(), body)
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert field in [e["field"] for e in errors]
    assert not Entry.objects.exists()


def test_typed_and_form_refusals_come_together_in_the_pages_words(call):
    response = _post(Client(), {**_story(), "text": "正文\x00", "consent": "maybe", "phone": "1"})
    errors = {e["field"]: e["message"] for e in response.json()["errors"]}
    assert errors["text"] == str(UNREADABLE)
    assert errors["consent"] == "请勾选同意发表，否则作品无法参加评选。"
    assert errors["phone"].startswith("请填写正确的电话号码")
