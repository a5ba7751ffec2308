"""Hostile and malformed input found in review: none of it may end in a server error."""

import struct

import pytest
from django.core.exceptions import ValidationError

from shegong.activities import services
from shegong.activities.models import Activity, ActivityMedia, LiveStream, NewsDraft

from .conftest import make_activity, upload


def _box(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I4s", 8 + len(payload), kind) + payload


FTYP = _box(b"ftyp", b"isom\x00\x00\x02\x00isommp41")


def _nested_moov(depth: int) -> bytes:
    inner = _box(b"mvhd", b"\x00" * 100)
    for _ in range(depth):
        inner = _box(b"moov", inner)
    return FTYP + inner


@pytest.mark.parametrize(
    "video",
    [
        # a movie header too short to hold its creation time
        FTYP + _box(b"moov", _box(b"mvhd", b"\x00\x00\x00\x00")),
        FTYP + _box(b"moov", _box(b"mvhd", b"\x01\x00\x00\x00" + b"\x00" * 8)),
        # boxes nested thousands deep
        _nested_moov(5000),
    ],
    ids=["short-mvhd", "short-mvhd-v1", "deep-nesting"],
)
def test_malformed_video_is_refused_with_a_message(login, station_worker, station, video):
    activity = make_activity(station)

    response = login(station_worker).post(
        f"/console/activities/{activity.pk}/media/",
        {"file": upload(video, "clip.mp4", "video/mp4")},
        follow=True,
    )

    assert response.status_code == 200
    assert "视频文件已损坏" in response.content.decode()
    assert not ActivityMedia.objects.exists()


def test_video_header_times_are_blanked_only_inside_their_box(station_worker, station, media_root):
    # mvhd of version 0 with a creation time, followed directly by the media data
    mvhd = _box(b"mvhd", b"\x00\x00\x00\x00" + struct.pack(">II", 3762316800, 3762316800))
    mdat = _box(b"mdat", b"\x11" * 32)
    media = services.media_add(
        actor=station_worker,
        activity=make_activity(station),
        upload=upload(FTYP + _box(b"moov", mvhd) + mdat, "clip.mp4", "video/mp4"),
    )

    served = media.file.read()
    assert served.endswith(mdat)
    assert struct.pack(">I", 3762316800) not in served


def test_video_within_normal_nesting_is_accepted(station_worker, station, media_root):
    media = services.media_add(
        actor=station_worker,
        activity=make_activity(station),
        upload=upload(_nested_moov(8), "clip.mp4", "video/mp4"),
    )

    assert media.kind == "video"


def test_video_service_refuses_garbage_without_crashing(station_worker, station):
    with pytest.raises(ValidationError, match="视频文件已损坏"):
        services.media_add(
            actor=station_worker,
            activity=make_activity(station),
            upload=upload(_nested_moov(5000), "v.mp4"),
        )


def test_video_with_an_impossible_creation_time_keeps_no_capture_time(
    station_worker, station, media_root
):
    # a 64-bit creation time far beyond any calendar
    mvhd = _box(b"mvhd", b"\x01\x00\x00\x00" + b"\xff" * 16 + b"\x00" * 80)
    media = services.media_add(
        actor=station_worker,
        activity=make_activity(station),
        upload=upload(FTYP + _box(b"moov", mvhd), "clip.mp4", "video/mp4"),
    )

    assert media.captured_at is None
    assert b"\xff" * 16 not in media.file.read()


@pytest.mark.parametrize("when", ["0001-01-01T00:00", "1899-12-31T23:00", "9999-12-31T23:59"])
def test_activity_form_refuses_times_out_of_range(login, station_worker, station, when):
    response = login(station_worker).post(
        "/console/activities/new/",
        {"kind": "poster", "title": "海报进社区", "starts_at": when},
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert "活动时间须在 2000 年至 2099 年之间" in content
    assert "海报进社区" in content
    assert not Activity.objects.exists()


def test_livestream_form_refuses_times_out_of_range(login, station_worker, station):
    response = login(station_worker).post(
        "/console/activities/streams/new/",
        {"platform": "益播间", "title": "社工直播", "starts_at": "0001-01-01T00:00"},
    )

    assert response.status_code == 200
    assert "开播时间须在 2000 年至 2099 年之间" in response.content.decode()
    assert not LiveStream.objects.exists()


@pytest.mark.parametrize("field", ["participants", "reads", "expected_crowd"])
def test_activity_form_refuses_absurd_counts(login, station_worker, station, field):
    data = {
        "kind": "onsite",
        "title": "社区宣传",
        "starts_at": "2023-03-21T09:30",
        "expected_crowd": "30",
        "venue": "indoor",
        "weather": "fine",
        "person_responsible": "李站长",
        field: "4000000000",
    }

    response = login(station_worker).post("/console/activities/new/", data)

    assert response.status_code == 200
    assert "数字过大" in response.content.decode()
    assert not Activity.objects.exists()


def test_too_long_return_comment_is_named_as_too_long(
    login, station_worker, district_officer, station
):
    activity = make_activity(station, status=Activity.Status.SUBMITTED)

    response = login(district_officer).post(
        f"/console/activities/{activity.pk}/do/return/", {"comment": "改" * 1001}, follow=True
    )

    activity.refresh_from_db()
    assert activity.status == Activity.Status.SUBMITTED
    assert "审核意见不能超过 1000 字" in response.content.decode()


@pytest.mark.parametrize("brand", [b"heic", b"heix", b"mif1", b"avif"])
def test_iphone_heic_photo_is_refused_with_what_to_do(login, station_worker, station, brand):
    heic = _box(b"ftyp", brand + b"\x00\x00\x00\x00mif1heic") + _box(b"meta", b"\x00" * 32)
    activity = make_activity(station)

    response = login(station_worker).post(
        f"/console/activities/{activity.pk}/media/",
        {"file": upload(heic, "IMG_0001.HEIC", "image/heic")},
        follow=True,
    )

    content = response.content.decode()
    assert "HEIC" in content
    assert "兼容性最佳" in content
    assert not ActivityMedia.objects.exists()


@pytest.mark.parametrize(
    ("comment", "message"),
    [("请改\x00标题", "无法保存的控制字符"), ("改" * 1001, "不能超过 1000 字")],
)
def test_news_return_comment_is_checked_before_it_is_stored(
    login, district_officer, station, comment, message
):
    activity = make_activity(station)
    news = NewsDraft.objects.create(
        activity=activity, title="社工周", body="<p>正文</p>", status=NewsDraft.Status.SUBMITTED
    )

    response = login(district_officer).post(
        f"/console/activities/{activity.pk}/news/{news.pk}/returned/",
        {"comment": comment},
        follow=True,
    )

    news.refresh_from_db()
    assert message in response.content.decode()
    assert news.status == NewsDraft.Status.SUBMITTED
    assert news.review_comment == ""


def test_long_link_of_an_adopted_news_is_kept_whole(login, station_worker, station):
    # Links copied from WeChat on a PC run past 200 characters; PostgreSQL refused them.
    link = "https://mp.weixin.qq.com/s?__biz=" + "M" * 300
    activity = make_activity(station)
    news = NewsDraft.objects.create(
        activity=activity, title="社工周", body="<p>正文</p>", status=NewsDraft.Status.APPROVED
    )

    login(station_worker).post(
        f"/console/activities/{activity.pk}/news/{news.pk}/adopted/",
        {"outlet": "海口日报", "url": link},
    )

    news.refresh_from_db()
    assert news.status == NewsDraft.Status.ADOPTED
    assert news.adopted_url == link
