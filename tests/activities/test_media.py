import io
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.utils.timezone import localtime
from PIL import Image

from shegong.activities import services
from shegong.activities.models import Activity, ActivityMedia
from shegong.activities.selectors import media_for_public

from .conftest import jpeg_bytes, make_activity, upload

pytestmark = pytest.mark.usefixtures("media_root")


def _served(client, url) -> bytes:
    response = client.get(url)
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def test_photo_upload_keeps_gps_internally_and_serves_a_copy_without_exif(
    login, station_worker, station
):
    activity = make_activity(station)
    client = login(station_worker)
    original = jpeg_bytes()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)  # the phone wrote GPS

    client.post(
        f"/console/activities/{activity.pk}/media/",
        {"file": upload(original), "caption": "活动现场"},
    )

    media = ActivityMedia.objects.get()
    assert media.latitude == pytest.approx(20.0417, abs=1e-3)
    assert media.longitude == pytest.approx(110.3167, abs=1e-3)
    assert localtime(media.captured_at).strftime("%Y-%m-%d %H:%M") == "2023-03-21 09:30"
    for url in (
        f"/console/activities/media/{media.pk}/",
        f"/console/activities/media/{media.pk}/thumb/",
    ):
        served = _served(client, url)
        image = Image.open(io.BytesIO(served))
        assert image.format == "JPEG"
        assert len(image.getexif()) == 0
        assert "exif" not in image.info
        assert b"Exif" not in served[:4096]
        assert b"TestPhone" not in served


def test_served_photo_is_upright_after_exif_rotation_is_applied(station_worker, station):
    image = Image.new("RGB", (60, 20), "white")
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise when shown
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)

    media = services.media_add(
        actor=station_worker, activity=make_activity(station), upload=upload(out.getvalue())
    )

    assert (media.width, media.height) == (20, 60)


def test_media_file_of_sibling_district_is_not_found(
    login, sibling_worker, station_worker, station
):
    media = services.media_add(
        actor=station_worker, activity=make_activity(station), upload=upload(jpeg_bytes())
    )

    assert login(sibling_worker).get(f"/console/activities/media/{media.pk}/").status_code == 404


def test_media_is_not_under_a_public_url(anonymous, station_worker, station):
    media = services.media_add(
        actor=station_worker, activity=make_activity(station), upload=upload(jpeg_bytes())
    )

    response = anonymous.get(f"/console/activities/media/{media.pk}/")
    assert response.status_code == 302
    assert anonymous.get(f"/media/{media.file.name}").status_code == 404


def _png_claiming(width: int, height: int) -> bytes:
    """A PNG whose header claims ``width`` × ``height`` pixels: tiny on disk, huge in memory."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body) & 0xFFFFFFFF
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 64)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    )


def _gif() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (10, 10)).save(out, "GIF")
    return out.getvalue()


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"<?php system($_GET['c']); ?>", "photo.jpg", "无法识别为照片"),
        (b"MZ\x90\x00" + b"\x00" * 200, "holiday.png", "无法识别为照片"),
        (_gif(), "anim.jpg", "不支持 GIF 格式"),
        (jpeg_bytes()[:300], "cut.jpg", "照片文件已损坏"),
        (b"", "empty.jpg", "文件是空的"),
    ],
)
def test_hostile_upload_is_refused_with_a_clear_message(
    station_worker, station, data, name, message
):
    activity = make_activity(station)

    with pytest.raises(ValidationError, match=message):
        services.media_add(actor=station_worker, activity=activity, upload=upload(data, name))

    assert not ActivityMedia.objects.exists()


@pytest.mark.parametrize(
    ("width", "height", "message"),
    [
        (30000, 30000, "照片尺寸过大"),
        (9000, 9000, "照片尺寸过大（9000×9000 像素）"),
        (13000, 100, "照片尺寸过大（13000×100 像素）"),
    ],
)
def test_decompression_bomb_is_refused(station_worker, station, width, height, message):
    bomb = _png_claiming(width, height)
    assert len(bomb) < 200

    with pytest.raises(ValidationError, match=message):
        services.media_add(
            actor=station_worker, activity=make_activity(station), upload=upload(bomb, "b.png")
        )


def test_oversized_photo_is_refused_before_decoding(station_worker, station):
    with pytest.raises(ValidationError, match=r"照片太大（.*MB）"):
        services.media_add(
            actor=station_worker,
            activity=make_activity(station),
            upload=upload(jpeg_bytes()),
            photo_max_bytes=1000,
        )


def test_hostile_upload_through_the_page_shows_the_message(login, station_worker, station):
    activity = make_activity(station)

    response = login(station_worker).post(
        f"/console/activities/{activity.pk}/media/",
        {"file": upload(b"not an image at all", "x.jpg")},
        follow=True,
    )

    assert "无法识别为照片" in response.content.decode()


def _box(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I4s", 8 + len(payload), kind) + payload


def _mp4_with_location() -> bytes:
    mvhd = _box(
        b"mvhd", b"\x00\x00\x00\x00" + struct.pack(">II", 3762316800, 3762316800) + b"\x00" * 88
    )
    udta = _box(b"udta", _box(b"\xa9xyz", b"+20.0417+110.3167/"))
    return (
        _box(b"ftyp", b"isom\x00\x00\x02\x00isommp41")
        + _box(b"moov", mvhd + udta)
        + _box(b"mdat", b"\x00" * 64)
    )


def test_video_upload_blanks_location_and_creation_time(login, station_worker, station):
    media = services.media_add(
        actor=station_worker,
        activity=make_activity(station),
        upload=upload(_mp4_with_location(), "clip.mp4", "video/mp4"),
    )

    served = _served(login(station_worker), f"/console/activities/media/{media.pk}/")
    assert media.kind == "video"
    assert media.captured_at.year == 2023
    assert b"+20.0417" not in served
    assert b"udta" not in served
    assert struct.pack(">I", 3762316800) not in served


def test_minors_photo_is_kept_from_public_use_until_consent(station_worker, station):
    activity = make_activity(station)
    plain = services.media_add(actor=station_worker, activity=activity, upload=upload(jpeg_bytes()))
    minors = services.media_add(
        actor=station_worker, activity=activity, upload=upload(jpeg_bytes()), shows_minors=True
    )
    assert media_for_public(activity) == []  # not approved yet

    Activity.objects.filter(pk=activity.pk).update(status=Activity.Status.APPROVED)
    activity.refresh_from_db()
    assert media_for_public(activity) == [plain]
    assert not ActivityMedia.objects.get(pk=minors.pk).public_use_allowed

    with pytest.raises(ValidationError, match="请写明同意书的情况"):
        services.media_record_consent(actor=station_worker, media=minors, note=" ")
    services.media_record_consent(actor=station_worker, media=minors, note="已取得监护人书面同意")

    assert media_for_public(activity) == [plain, minors]


def test_consent_through_the_page_is_recorded(login, station_worker, station):
    media = services.media_add(
        actor=station_worker,
        activity=make_activity(station),
        upload=upload(jpeg_bytes()),
        shows_minors=True,
    )
    client = login(station_worker)
    assert (
        "未登记同意，不得公开"
        in client.get(f"/console/activities/{media.activity_id}/").content.decode()
    )

    client.post(f"/console/activities/media/{media.pk}/consent/", {"note": "监护人已签字"})

    media.refresh_from_db()
    assert media.consent_note == "监护人已签字"


def test_polyglot_photo_loses_its_payload_when_re_encoded(login, station_worker, station):
    payload = b"<script>alert(document.cookie)</script>"
    media = services.media_add(
        actor=station_worker,
        activity=make_activity(station),
        upload=upload(jpeg_bytes() + payload),
    )

    served = _served(login(station_worker), f"/console/activities/media/{media.pk}/")
    assert payload not in served
    assert Image.open(io.BytesIO(served)).format == "JPEG"


def test_fake_video_without_a_movie_is_refused(station_worker, station):
    fake = _box(b"ftyp", b"isom\x00\x00\x02\x00isommp41") + _box(b"mdat", b"<?php ?>")

    with pytest.raises(ValidationError, match="无法识别为视频"):
        services.media_add(
            actor=station_worker, activity=make_activity(station), upload=upload(fake, "v.mp4")
        )


def test_broken_video_box_sizes_are_refused(station_worker, station):
    broken = _box(b"ftyp", b"isom\x00\x00\x02\x00") + struct.pack(">I4s", 99999, b"moov")

    with pytest.raises(ValidationError, match="视频文件已损坏"):
        services.media_add(
            actor=station_worker, activity=make_activity(station), upload=upload(broken, "v.mp4")
        )


def test_media_upload_by_district_officer_is_forbidden(login, district_officer, station):
    activity = make_activity(station)

    response = login(district_officer).post(
        f"/console/activities/{activity.pk}/media/", {"file": upload(jpeg_bytes())}
    )

    assert response.status_code == 403
    assert not ActivityMedia.objects.exists()


@pytest.mark.parametrize("status", [Activity.Status.APPROVED, Activity.Status.FEATURED])
def test_no_photo_is_added_behind_the_review(login, station_worker, station, status):
    activity = make_activity(station, status=status)
    client = login(station_worker)
    assert (
        'enctype="multipart/form-data"'
        not in client.get(f"/console/activities/{activity.pk}/").content.decode()
    )

    response = client.post(
        f"/console/activities/{activity.pk}/media/", {"file": upload(jpeg_bytes())}, follow=True
    )

    assert "不能再增加照片和视频" in response.content.decode()
    assert not ActivityMedia.objects.exists()
    assert media_for_public(activity) == []


def test_photo_may_be_added_while_the_activity_awaits_review(station_worker, station, media_root):
    activity = make_activity(station, status=Activity.Status.SUBMITTED)

    media = services.media_add(actor=station_worker, activity=activity, upload=upload(jpeg_bytes()))

    assert media.activity == activity


def test_video_is_served_in_ranges_for_phone_players(login, station_worker, station, media_root):
    media = services.media_add(
        actor=station_worker,
        activity=make_activity(station),
        upload=upload(_mp4_with_location(), "clip.mp4", "video/mp4"),
    )
    client = login(station_worker)
    url = f"/console/activities/media/{media.pk}/"
    whole = _served(client, url)

    first = client.get(url, HTTP_RANGE="bytes=0-9")
    tail = client.get(url, HTTP_RANGE="bytes=-8")
    beyond = client.get(url, HTTP_RANGE=f"bytes={len(whole) + 5}-")
    garbage = client.get(url, HTTP_RANGE="bytes=abc")

    assert first.status_code == 206
    assert b"".join(first.streaming_content) == whole[:10]
    assert first["Content-Range"] == f"bytes 0-9/{len(whole)}"
    assert b"".join(tail.streaming_content) == whole[-8:]
    assert beyond.status_code == 416
    assert beyond["Content-Range"] == f"bytes */{len(whole)}"
    assert garbage.status_code == 200
    assert garbage["Accept-Ranges"] == "bytes"


def test_ranges_of_a_sibling_districts_video_are_not_found(
    login, station_worker, sibling_worker, station, media_root
):
    media = services.media_add(
        actor=station_worker,
        activity=make_activity(station),
        upload=upload(_mp4_with_location(), "clip.mp4", "video/mp4"),
    )

    response = login(sibling_worker).get(
        f"/console/activities/media/{media.pk}/", HTTP_RANGE="bytes=0-9"
    )

    assert response.status_code == 404


def test_reviewer_can_flag_minors_on_a_photo_the_unit_forgot_to_mark(
    login, station_worker, district_officer, station, media_root
):
    activity = make_activity(station, status=Activity.Status.SUBMITTED)
    media = services.media_add(actor=station_worker, activity=activity, upload=upload(jpeg_bytes()))
    client = login(district_officer)
    assert (
        f"/media/{media.pk}/minors/"
        in client.get(f"/console/activities/{activity.pk}/").content.decode()
    )

    client.post(f"/console/activities/media/{media.pk}/minors/")
    Activity.objects.filter(pk=activity.pk).update(status=Activity.Status.APPROVED)
    activity.refresh_from_db()

    media.refresh_from_db()
    assert media.shows_minors is True
    assert media_for_public(activity) == []


def test_minors_flag_cannot_be_set_by_a_sibling_district(
    login, station_worker, sibling_officer, station, media_root
):
    media = services.media_add(
        actor=station_worker, activity=make_activity(station), upload=upload(jpeg_bytes())
    )

    response = login(sibling_officer).post(f"/console/activities/media/{media.pk}/minors/")

    assert response.status_code == 404
    media.refresh_from_db()
    assert media.shows_minors is False
