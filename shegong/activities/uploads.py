"""Checking and cleaning photos and videos uploaded from phones.

Nothing is trusted from the upload: the type is read from the content (Pillow for photos, the
container's first box for videos), never from the name or the browser's content type. A photo
is decoded and re-encoded, so the served copy carries no EXIF, XMP or ICC block at all; capture
time and GPS are read first and returned for the internal record. A video keeps its picture but
its metadata boxes (udta, meta: where phones put the place) are blanked and its creation times
zeroed.
"""

import datetime
import io
import math
import struct
import warnings
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone
from PIL import Image, ImageOps, UnidentifiedImageError

PHOTO_FORMATS = {
    "JPEG": "image/jpeg",
    "MPO": "image/jpeg",
    "PNG": "image/png",
    "WEBP": "image/webp",
}
# ISO-BMFF brands of still images (HEIC from iPhones, AVIF): same container as a video.
HEIF_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1", b"avif"}
PHOTO_MAX_BYTES = 20 * 1024 * 1024
VIDEO_MAX_BYTES = 100 * 1024 * 1024
MAX_PIXELS = 50_000_000  # a 50-megapixel phone photo is the largest honest upload
# PNG and WebP have no reduced decoding (JPEG's draft mode): a tiny, highly compressible 7000 ×
# 7000 PNG took 6–11 s and 760 MB of a web worker. Phone cameras write JPEG; a PNG is a
# screenshot (a phone screen is 3–4 megapixels), so these stop well below.
MAX_PIXELS_UNREDUCED = 16_000_000
MAX_SIDE = 12_000
SERVED_SIDE = 2560
THUMB_SIDE = 400


@dataclass
class CleanFile:
    kind: str
    data: bytes
    content_type: str
    extension: str
    thumbnail: bytes | None = None
    width: int | None = None
    height: int | None = None
    captured_at: datetime.datetime | None = None
    latitude: float | None = None
    longitude: float | None = None


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


def _refuse(message: str, code: str):
    raise ValidationError(message, code=code)


def upload_clean(upload, *, photo_max_bytes: int = PHOTO_MAX_BYTES, video_max_bytes=None):
    """Return a :class:`CleanFile` for an uploaded photo or video, or raise ValidationError
    with a message in Chinese that says what to do."""
    video_max_bytes = video_max_bytes or VIDEO_MAX_BYTES
    size = upload.size
    if not size:
        _refuse("文件是空的，请重新选择照片或视频。", "empty")
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if head[4:8] == b"ftyp":
        if head[8:12] in HEIF_BRANDS:
            _refuse(
                "暂不支持 HEIC/HEIF（苹果手机默认的照片格式）：请在手机“设置 → 相机 → 格式”中"
                "选择“兼容性最佳”后重新拍摄，或把照片导出为 JPEG 后再上传。",
                "heif",
            )
        if size > video_max_bytes:
            _refuse(
                f"视频太大（{_megabytes(size)}）：每个视频不能超过 {_megabytes(video_max_bytes)}，"
                "请剪短或压缩后再上传。",
                "too_large",
            )
        return video_clean(upload.read())
    if size > photo_max_bytes:
        _refuse(
            f"照片太大（{_megabytes(size)}）：每张照片不能超过 {_megabytes(photo_max_bytes)}。",
            "too_large",
        )
    return photo_clean(upload.read())


def _gps_degrees(values, ref) -> float | None:
    try:
        degrees, minutes, seconds = (float(v) for v in values)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    value = degrees + minutes / 60 + seconds / 3600
    return round(-value if ref in ("S", "W") else value, 6)


def _exif_facts(image) -> tuple[datetime.datetime | None, float | None, float | None]:
    exif = image.getexif()
    captured_at = latitude = longitude = None
    raw = exif.get_ifd(0x8769).get(36867) or exif.get(306)  # DateTimeOriginal, DateTime
    if isinstance(raw, str):
        try:
            naive = datetime.datetime.strptime(raw.strip("\x00 "), "%Y:%m:%d %H:%M:%S")  # noqa: DTZ007
            captured_at = timezone.make_aware(naive)
        except ValueError:
            captured_at = None
    gps = exif.get_ifd(0x8825)
    if gps.get(2) and gps.get(4):
        latitude = _gps_degrees(gps.get(2), gps.get(1))
        longitude = _gps_degrees(gps.get(4), gps.get(3))
    return captured_at, latitude, longitude


def _jpeg(image, side: int) -> bytes:
    copy = image.copy()
    copy.thumbnail((side, side))
    copy.info = {}
    out = io.BytesIO()
    copy.save(out, format="JPEG", quality=85, optimize=True)
    return out.getvalue()


def photo_clean(data: bytes) -> CleanFile:
    formats = "、".join(sorted({"JPEG", "PNG", "WebP"}))
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data))
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            _refuse(
                "照片尺寸过大：请上传不超过 5000 万像素的照片。",
                "too_many_pixels",
            )
        except UnidentifiedImageError:
            _refuse(f"无法识别为照片：请上传 {formats} 格式的照片或 MP4/MOV 视频。", "not_image")
        except (OSError, SyntaxError, ValueError):
            _refuse("照片文件已损坏或不完整，请重新拍摄或选择其他照片。", "broken")
        if image.format not in PHOTO_FORMATS:
            _refuse(
                f"不支持 {image.format} 格式：请上传 {formats} 格式的照片。", "unsupported_format"
            )
        width, height = image.size
        if width * height > MAX_PIXELS or max(width, height) > MAX_SIDE:
            _refuse(
                f"照片尺寸过大（{width}×{height} 像素）：请上传不超过 5000 万像素、"
                f"边长不超过 {MAX_SIDE} 像素的照片。",
                "too_many_pixels",
            )
        if image.format not in ("JPEG", "MPO") and width * height > MAX_PIXELS_UNREDUCED:
            _refuse(
                f"{image.format} 图片尺寸过大（{width}×{height} 像素）：此类图片不能超过 1600 万"
                "像素。请上传手机相机拍摄的 JPEG 照片，或把图片缩小后再上传。",
                "too_many_pixels",
            )
        try:
            captured_at, latitude, longitude = _exif_facts(image)
        except Exception:
            captured_at = latitude = longitude = None
        if image.format in ("JPEG", "MPO"):
            # Decode at 1/2, 1/4 or 1/8 scale when that still covers the served size: a 50 MP
            # photo then costs a quarter of the memory and time, or less.
            scale = min(1.0, SERVED_SIDE / max(width, height))
            image.draft("RGB", (math.ceil(width * scale), math.ceil(height * scale)))
        try:
            image.load()
            image = ImageOps.exif_transpose(image)
        except (OSError, SyntaxError, ValueError, Image.DecompressionBombError):
            _refuse("照片文件已损坏或不完整，请重新拍摄或选择其他照片。", "broken")
    if image.mode not in ("RGB", "L"):
        background = Image.new("RGB", image.size, "white")
        rgba = image.convert("RGBA")
        background.paste(rgba, mask=rgba.getchannel("A"))
        image = background
    served = _jpeg(image, SERVED_SIDE)
    return CleanFile(
        kind="photo",
        data=served,
        content_type="image/jpeg",
        extension=".jpg",
        thumbnail=_jpeg(image, THUMB_SIDE),
        width=image.width,
        height=image.height,
        captured_at=captured_at,
        latitude=latitude,
        longitude=longitude,
    )


# --- videos (ISO base media: MP4 from Android phones, MOV from iPhones) -------------------------

_CONTAINERS = {b"moov", b"trak", b"mdia", b"minf", b"stbl", b"edts", b"dinf"}
_METADATA = {b"udta", b"meta", b"uuid"}
_TIMED = {b"mvhd", b"tkhd", b"mdhd"}
_EPOCH_1904 = datetime.datetime(1904, 1, 1, tzinfo=datetime.UTC)
_MAX_DEPTH = 16  # moov/trak/mdia/minf/stbl is five deep; anything far deeper is not a phone video
_LATEST = datetime.datetime(2200, 1, 1, tzinfo=datetime.UTC)


def _broken_video():
    _refuse("视频文件已损坏或不完整，请重新选择。", "broken")


def _boxes(data: bytearray, start: int, end: int):
    offset = start
    while offset + 8 <= end:
        size, kind = struct.unpack(">I4s", data[offset : offset + 8])
        header = 8
        if size == 1:
            if offset + 16 > end:
                return
            size = struct.unpack(">Q", data[offset + 8 : offset + 16])[0]
            header = 16
        elif size == 0:
            size = end - offset
        if size < header or offset + size > end:
            _broken_video()
        yield offset, header, size, kind
        offset += size


def video_clean(raw: bytes) -> CleanFile:
    data = bytearray(raw)
    brand = bytes(data[8:12])
    captured_at = None
    found_movie = False

    def walk(start: int, end: int, depth: int = 0) -> None:
        nonlocal captured_at, found_movie
        if depth > _MAX_DEPTH:
            _broken_video()
        for offset, header, size, kind in _boxes(data, start, end):
            body = offset + header
            if kind == b"moov":
                found_movie = True
            if kind in _METADATA:
                # Same size, so every offset in the file stays valid; the content is wiped.
                data[offset + 4 : offset + 8] = b"free"
                data[body : offset + size] = bytes(offset + size - body)
            elif kind in _TIMED:
                # version and flags, then creation and modification times (32 or 64 bits)
                width = 8 if body < offset + size and data[body] == 1 else 4
                if body + 4 + 2 * width > offset + size:
                    _broken_video()
                fmt = ">Q" if width == 8 else ">I"
                stamp = struct.unpack(fmt, data[body + 4 : body + 4 + width])[0]
                if kind == b"mvhd" and stamp:
                    moment = _EPOCH_1904 + datetime.timedelta(seconds=min(stamp, 10**10))
                    captured_at = moment if moment < _LATEST else None
                data[body + 4 : body + 4 + 2 * width] = bytes(2 * width)
            elif kind in _CONTAINERS:
                walk(body, offset + size, depth + 1)

    walk(0, len(data))
    if not found_movie:
        _refuse("无法识别为视频：请上传手机拍摄的 MP4 或 MOV 视频。", "not_video")
    is_mov = brand == b"qt  "
    return CleanFile(
        kind="video",
        data=bytes(data),
        content_type="video/quicktime" if is_mov else "video/mp4",
        extension=".mov" if is_mov else ".mp4",
        captured_at=captured_at,
    )
