"""Bounded work per request: oversized bodies are refused before they are read, and photos are
decoded within bounds of memory and time."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from shegong.activities.uploads import upload_clean

MB = 1024 * 1024


def _declared(client, method: str, path: str, size: int, **extra):
    """A request that declares ``size`` bytes but carries one: reading the body would fail
    (the test client's payload refuses to give more than it holds)."""
    return client.generic(
        method,
        path,
        b"x",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(size),
        **extra,
    )


def test_anonymous_100_mb_post_is_refused_before_reading(client, db):
    # Remove RequestBodyLimitMiddleware from settings.MIDDLEWARE to see this fail (the body
    # would be read: the client's payload raises on the missing bytes).
    response = _declared(client, "POST", "/help/", 100 * MB)

    assert response.status_code == 413
    content = response.content.decode()
    assert "提交的内容太大" in content
    assert "约 100 MB，超过了 25 MB 的上限" in content


def test_refusal_is_in_english_on_english_pages(client, db):
    response = _declared(client, "POST", "/help/?lang=en", 30 * MB)

    assert response.status_code == 413
    assert "over the limit of 25 MB" in response.content.decode()


def test_staff_may_send_a_video_sized_body_but_not_more(login, station_worker):
    client = login(station_worker)

    allowed = _declared(client, "GET", "/console/", 60 * MB)
    refused = _declared(client, "POST", "/console/activities/new/", 200 * MB)

    assert allowed.status_code == 200
    assert "工作台" in allowed.content.decode()  # the console home, not an error page
    assert refused.status_code == 413


def _png(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), "white").save(out, format="PNG", optimize=True)
    return out.getvalue()


def test_huge_compressible_png_is_refused_from_its_header(db):
    # Remove the MAX_PIXELS_UNREDUCED check in activities.uploads.photo_clean to see this take
    # seconds and hundreds of MB, then pass.
    data = _png(7000, 7000)
    assert len(data) < 200_000  # tiny on the wire

    with pytest.raises(ValidationError) as refused:
        upload_clean(SimpleUploadedFile("big.png", data, "image/png"))

    assert "不能超过 1600 万像素" in refused.value.messages[0]


def test_large_jpeg_is_decoded_at_reduced_scale(db):
    # Remove `image.draft(...)` in photo_clean to see the full 6000 × 4000 decoded.
    out = io.BytesIO()
    Image.new("RGB", (6000, 4000), (200, 120, 40)).save(out, format="JPEG", quality=70)

    clean = upload_clean(SimpleUploadedFile("big.jpg", out.getvalue(), "image/jpeg"))

    assert (clean.width, clean.height) == (3000, 2000)  # decoded at half scale, ≥ served size
    served = Image.open(io.BytesIO(clean.data))
    assert max(served.size) == 2560
