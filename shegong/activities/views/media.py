"""Photos and videos of an activity: upload, serving (with byte ranges), consent, minors."""

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from shegong.core.access import get_visible_or_404, require

from .. import rules, services
from ..forms import (
    ConsentForm,
    MediaForm,
)
from ..models import (
    Activity,
    ActivityMedia,
)
from ._base import _error_text
from .ledger import _visible_activity

# --- photos and videos -----------------------------------------------------------------------


@login_required
@require_POST
def media_upload(request: HttpRequest, pk: int) -> HttpResponseBase:
    activity = _visible_activity(request, pk)
    require(rules.can_change_media(request.user, activity))
    form = MediaForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.media_add(
                actor=request.user,
                activity=activity,
                upload=form.cleaned_data["file"],
                caption=form.cleaned_data["caption"],
                shows_minors=form.cleaned_data["shows_minors"],
            )
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(request, "已上传。拍摄时间和地点只保存在内部记录中，文件已去除。")
    else:
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
    return redirect("activities:activity_detail", pk=activity.pk)


def _visible_media(request: HttpRequest, media_id: int) -> ActivityMedia:
    return get_visible_or_404(
        ActivityMedia.objects.filter(
            activity__in=Activity.objects.visible_to(request.user)
        ).select_related("activity__unit"),
        pk=media_id,
    )


RANGE_RE = re.compile(r"bytes=(\d*)-(\d*)")


def _byte_range(header: str, size: int) -> tuple[int, int] | None:
    """The one range of a ``Range: bytes=…`` header as (first, last), or None to send the
    whole file; raises ValueError when the range lies outside the file."""
    match = RANGE_RE.fullmatch(header.strip())
    if not match or not (match[1] or match[2]):
        return None
    if match[1]:
        first = int(match[1])
        last = min(int(match[2]), size - 1) if match[2] else size - 1
    else:
        first, last = max(0, size - int(match[2])), size - 1
    if first >= size or first > last:
        raise ValueError(header)
    return first, last


def _chunks(handle, first: int, length: int):
    with handle:
        handle.seek(first)
        while length > 0:
            chunk = handle.read(min(length, 1 << 16))
            if not chunk:
                return
            length -= len(chunk)
            yield chunk


@login_required
def media_file(request: HttpRequest, media_id: int, variant: str = "file") -> HttpResponseBase:
    """Serve the cleaned copy of a photo or video to staff who may see its activity. A
    single byte range is honoured: phone video players (Safari on iPhone) ask for ranges and
    do not play a video served without them."""
    media = _visible_media(request, media_id)
    field = media.thumbnail if variant == "thumb" and media.thumbnail else media.file
    content_type = "image/jpeg" if field is media.thumbnail else media.content_type
    try:
        handle = field.open("rb")
        size = field.size
    except FileNotFoundError as missing:
        raise Http404 from missing
    try:
        wanted = _byte_range(request.headers.get("Range", ""), size)
    except ValueError:
        handle.close()
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        return response
    if wanted is None:
        response = FileResponse(handle, content_type=content_type)
    else:
        first, last = wanted
        length = last - first + 1
        response = StreamingHttpResponse(
            _chunks(handle, first, length), status=206, content_type=content_type
        )
        response["Content-Range"] = f"bytes {first}-{last}/{size}"
        response["Content-Length"] = str(length)
    response["Accept-Ranges"] = "bytes"
    response["Cache-Control"] = "private, max-age=3600"
    response["Content-Disposition"] = "inline"
    return response


@login_required
@require_POST
def media_consent(request: HttpRequest, media_id: int) -> HttpResponseBase:
    media = _visible_media(request, media_id)
    require(rules.can_change_media(request.user, media.activity))
    form = ConsentForm(request.POST)
    if form.is_valid():
        try:
            services.media_record_consent(
                actor=request.user, media=media, note=form.cleaned_data["note"]
            )
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(request, "已登记监护人同意。")
    else:
        messages.error(request, "请写明同意书的情况（如：已取得监护人书面同意）。")
    return redirect("activities:activity_detail", pk=media.activity_id)


@login_required
@require_POST
def media_minors(request: HttpRequest, media_id: int) -> HttpResponseBase:
    """Mark a photo as showing minors (the unit or its reviewer), keeping it from public use
    until a guardian's consent is recorded."""
    media = _visible_media(request, media_id)
    require(rules.can_flag_minors(request.user, media.activity))
    try:
        services.media_set_minors(actor=request.user, media=media, shows_minors=True)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, "已标记画面中有未成年人：登记监护人同意前不得公开使用。")
    return redirect("activities:activity_detail", pk=media.activity_id)
