"""Writes of the station directory. Each names its side effects in its docstring."""

import collections
import datetime
import logging
import os
import secrets
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from shegong.core.audit import audit_record, changed_fields
from shegong.core.validators import validate_public_phone

from .models import (
    LISTING_FIELDS,
    SERVICE_FIELDS,
    VERIFY_REQUIRED,
    BrandKit,
    Poster,
    QrLink,
    QrScanDay,
    QrScanLogPosition,
    Service,
    StaffMember,
    StationListing,
)

# Short codes avoid letters people misread on a printed poster (0/O, 1/l/I).
CODE_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
CODE_LENGTH = 6
QR_CACHE_SECONDS = 60


def station_page_cache_keys(slug: str) -> list[str]:
    # Normal mode, and elder mode in its two text sizes (public_views.station_detail).
    modes = ("0", "1l", "1xl")
    return [
        f"directory:station:{slug}:{lang}:{mode}" for lang in ("zh-hans", "en") for mode in modes
    ]


def _listing_changed(listing: StationListing) -> None:
    StationListing.objects.filter(pk=listing.pk).update(version=F("version") + 1)
    listing.refresh_from_db(fields=["version", "updated_at"])
    keys = station_page_cache_keys(listing.slug)
    # Now for this request, and again after commit in case a reader cached the old page between.
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys))


@transaction.atomic
def listing_ensure(*, unit, is_demo: bool = False) -> StationListing:
    """The listing of a station, created empty (named after the unit) when it has none."""
    listing, _ = StationListing.objects.get_or_create(
        unit=unit, defaults={"slug": unit.code, "name": unit.name, "is_demo": is_demo}
    )
    return listing


def listings_create_missing(*, units) -> int:
    """Give every station in ``units`` that has none an empty listing (named after the unit).

    New stations appear in the console at once, flagged as never verified. Returns how many
    were created; no audit entry (nothing public changes until someone fills one in).
    """
    missing = [
        StationListing(unit=unit, slug=unit.code, name=unit.name, is_demo=unit.is_demo)
        for unit in units.stations().filter(listing__isnull=True)
    ]
    StationListing.objects.bulk_create(missing, ignore_conflicts=True)
    return len(missing)


@transaction.atomic
def listing_update(
    *,
    actor,
    listing: StationListing,
    fields: dict,
    staff: list[dict],
    services: list[dict],
    today: datetime.date,
) -> StationListing:
    """Save what a station shows the public and mark it verified today.

    ``staff`` replaces the staff list in the given order. ``services`` rows with an ``id`` update
    that service (its HSDS id stays), rows without one are new, services not named are removed.
    Side effects: the listing's version goes up (cached pages and posters are rebuilt), an audit
    entry ``listing.update`` with the changed fields.
    """
    data = {name: fields[name] for name in LISTING_FIELDS if name in fields}
    changes = changed_fields(listing, data)
    for name, value in data.items():
        setattr(listing, name, value)
    listing.last_verified_on = today
    if "phone" in changes:  # an old number stays until someone changes it
        try:
            validate_public_phone(listing.phone)
        except ValidationError as error:
            raise ValidationError({"phone": error.messages}) from None
    listing.full_clean(exclude=["unit", "slug"])
    listing.save()

    listing.staff.all().delete()
    StaffMember.objects.bulk_create(
        [
            StaffMember(
                listing=listing,
                name=row["name"],
                role=row["role"],
                role_en=row.get("role_en", ""),
                qualification=row["qualification"],
                position=index,
            )
            for index, row in enumerate(staff)
        ]
    )
    existing = {service.pk: service for service in listing.services.all()}
    kept = set()
    for index, row in enumerate(services):
        service = existing.get(row.get("id")) or Service(listing=listing)
        for name in SERVICE_FIELDS:
            setattr(service, name, row.get(name, "") if name.endswith("_en") else row[name])
        service.position = index
        service.save()
        kept.add(service.pk)
    listing.services.exclude(pk__in=kept).delete()

    _listing_changed(listing)
    changes["staff"] = [None, len(staff)]
    changes["services"] = [None, len(services)]
    audit_record(
        actor=actor,
        action="listing.update",
        target=listing,
        changes=changes,
        scope_path=listing.unit.path,
    )
    return listing


@transaction.atomic
def listing_verify(*, actor, listing: StationListing, today: datetime.date) -> StationListing:
    """Confirm that everything on the listing is still true today.

    Refused (``ValidationError`` naming what is missing) while the listing lacks an item the
    edit form requires: confirming an empty listing would only hide the flag.
    Side effects: ``last_verified_on`` becomes today (the 90-day flag clears), the version goes
    up (the page shows the new date), an audit entry ``listing.verify``.
    """
    missing = [
        StationListing._meta.get_field(name).verbose_name
        for name in VERIFY_REQUIRED
        if not getattr(listing, name).strip()
    ]
    if missing:
        raise ValidationError(f"请先填写并保存{'、'.join(missing)}，再确认核实。")
    previous = listing.last_verified_on
    listing.last_verified_on = today
    listing.save(update_fields=["last_verified_on", "updated_at"])
    _listing_changed(listing)
    audit_record(
        actor=actor,
        action="listing.verify",
        target=listing,
        changes={"last_verified_on": [str(previous) if previous else None, str(today)]},
        scope_path=listing.unit.path,
    )
    return listing


def _validate_target(target: str) -> str:
    target = target.strip()
    # Only pages of this site: a printed code must never become an open redirect.
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        raise ValidationError("跳转地址须是本站页面，以 / 开头，例如 /stations/460105001/。")
    if len(target) > 300:
        raise ValidationError("跳转地址不能超过 300 个字符。")
    return target


def _check_channel_free(*, unit, channel: str, exclude_pk: int | None = None) -> None:
    """One code per channel and unit, so a double tap cannot split a channel's scans."""
    taken = QrLink.objects.filter(unit=unit, channel=channel).exclude(pk=exclude_pk)
    if taken.exists():
        raise ValidationError({"channel": f"本单位已有“{channel}”渠道的二维码，请直接使用或改名。"})


def _new_code() -> str:
    for _ in range(20):
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if not QrLink.objects.filter(code=code).exists():
            return code
    raise RuntimeError("could not find a free QR code")


@transaction.atomic
def qrlink_create(
    *, actor, unit, channel: str, target: str, code: str = "", is_demo: bool = False
) -> QrLink:
    """Make a new printed code for one channel. The code never changes afterwards.

    Refused when the unit already has a code for that channel. Side effects: an audit entry
    ``qrlink.create``.
    """
    _check_channel_free(unit=unit, channel=channel.strip())
    link = QrLink(
        code=code or _new_code(),
        channel=channel.strip(),
        target=_validate_target(target),
        unit=unit,
        is_demo=is_demo,
    )
    link.full_clean()
    link.save()
    audit_record(
        actor=actor,
        action="qrlink.create",
        target=link,
        changes={"channel": [None, link.channel], "target": [None, link.target]},
        scope_path=unit.path,
    )
    return link


# The code a station's public page shows (四(三): post the service QR): scans of it are a
# channel of their own, apart from posters and bus ads.
WEB_QR_CHANNEL = "社工站网页"


def station_web_qrlink(*, listing: StationListing) -> QrLink:
    """The station page's own code, made the first time the page is built.

    Side effects (the first time only): a ``QrLink`` of channel ``WEB_QR_CHANNEL`` pointing at
    the station page, and its audit entry ``qrlink.create`` (by the system).
    """
    link = QrLink.objects.filter(unit=listing.unit, channel=WEB_QR_CHANNEL).first()
    if link is not None:
        return link
    try:
        return qrlink_create(
            actor=None,
            unit=listing.unit,
            channel=WEB_QR_CHANNEL,
            target=listing.get_absolute_url(),
            is_demo=listing.is_demo,
        )
    except ValidationError:  # another request made it a moment ago
        return QrLink.objects.get(unit=listing.unit, channel=WEB_QR_CHANNEL)


@transaction.atomic
def qrlink_update(*, actor, link: QrLink, channel: str, target: str) -> QrLink:
    """Rename the channel or point the code somewhere else; the code itself stays.

    Side effects: the cached target is dropped (other server processes follow within a minute),
    an audit entry ``qrlink.update``.
    """
    data = {"channel": channel.strip(), "target": _validate_target(target)}
    _check_channel_free(unit=link.unit, channel=data["channel"], exclude_pk=link.pk)
    changes = changed_fields(link, data)
    for name, value in data.items():
        setattr(link, name, value)
    link.full_clean()
    link.save()
    key = qr_cache_key(link.code)
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))
    audit_record(
        actor=actor, action="qrlink.update", target=link, changes=changes, scope_path=link.unit.path
    )
    return link


def qr_cache_key(code: str) -> str:
    return f"directory:qr:{code}"


def qr_scan_record(*, link_id: int, day: datetime.date, count: int = 1) -> None:
    """Add ``count`` scans to the link's counter for ``day``.

    One UPDATE in the common case; the first scan of a day inserts the row (a concurrent first
    scan that loses the race falls back to the UPDATE). No audit entry: scans are anonymous.
    """
    if QrScanDay.objects.filter(link_id=link_id, day=day).update(count=F("count") + count):
        return
    try:
        with transaction.atomic():
            QrScanDay.objects.create(link_id=link_id, day=day, count=count)
    except IntegrityError:
        QrScanDay.objects.filter(link_id=link_id, day=day).update(count=F("count") + count)


logger = logging.getLogger(__name__)

# Scans not yet written wait in the cache this long at most (run_periodic writes them sooner).
QR_PENDING_SECONDS = 2 * 24 * 60 * 60


def _pending_key(link_id: int, day: datetime.date) -> str:
    return f"directory:qr-pending:{link_id}:{day.isoformat()}"


def _cache_incr(key: str, delta: int = 1) -> int:
    try:
        return cache.incr(key, delta)
    except ValueError:  # not there yet (or expired): start it, unless another process just did
        if cache.add(key, delta, QR_PENDING_SECONDS):
            return delta
        return cache.incr(key, delta)


def _pending_write(*, link_id: int, day: datetime.date) -> int:
    """Move the scans pending in the cache for one link and day into the database.

    Whatever is taken from the counter (a ``decr`` by what was read) is written, so two
    processes writing the same counter at once never count a scan twice: one of them finds
    the counter below zero, puts back what it took and writes nothing.
    """
    key = _pending_key(link_id, day)
    count = cache.get(key) or 0
    if count <= 0:
        return 0
    try:
        left = cache.decr(key, count)
    except ValueError:  # expired in between
        return 0
    if left < 0:
        _cache_incr(key, count)
        return 0
    try:
        qr_scan_record(link_id=link_id, day=day, count=count)
    except Exception:  # a lost count must never break a redirect
        logger.exception("could not record %s QR scans of link %s", count, link_id)
        return 0
    return count


def qr_scan_count(*, link_id: int, day: datetime.date) -> None:
    """Count one scan of a QR link, written to the database at most once per
    ``settings.DIRECTORY_QR_FLUSH_SECONDS`` per link (0: every scan at once).

    A database write per scan made the redirect three times slower than a bare view under load
    (SQLite serialises writers; see bench/bench_directory_public.py), so scans are counted in
    Django's cache: the first scan of a link after a quiet interval is written at once with
    whatever was pending; scans within the interval wait for the next scan after it or for
    ``run_periodic`` (``qr_scans_write_pending``). With a shared cache (Redis, ``REDIS_URL``)
    every process and host counts into the same counters and ``run_periodic`` writes them all;
    with the local-memory default each server process keeps its own, written by its own next
    scan of that link (a process killed with scans pending loses them).

    Side effects: a cache counter; a ``QrScanDay`` UPDATE (or INSERT) when due. No audit entry.
    """
    interval = float(settings.DIRECTORY_QR_FLUSH_SECONDS)
    if interval <= 0:
        qr_scan_record(link_id=link_id, day=day)
        return
    _cache_incr(_pending_key(link_id, day))
    if cache.add(f"directory:qr-window:{link_id}", 1, interval):
        _pending_write(link_id=link_id, day=day)


def qr_scans_write_pending(*, today: datetime.date) -> int:
    """Write every scan of today and yesterday still pending in the cache (``run_periodic``).

    Returns the number of scans written.
    """
    days = (today - datetime.timedelta(days=1), today)
    link_ids = list(QrLink.objects.values_list("pk", flat=True))
    keys = {_pending_key(pk, day): (pk, day) for pk in link_ids for day in days}
    written = 0
    for key in cache.get_many(list(keys)):
        link_id, day = keys[key]
        written += _pending_write(link_id=link_id, day=day)
    return written


# One line of nginx's scan log (log_format shegong_scan in deploy/nginx/shegong.conf):
# "$msec $request_method $uri $status", e.g. "1701234567.123 GET /q/b12hk2 302".
QR_SCAN_LOG_FORMAT = "$msec $request_method $uri $status"
LOG_CHUNK = 1 << 20


def _scan_log_chunks(path: Path, position: QrScanLogPosition):
    """Yield (inode, offset, bytes) for what was appended since ``position``: the rest of the
    rotated file first when the log was rotated (Debian's logrotate keeps ``<log>.1``
    uncompressed for a day: ``delaycompress``), then the current file. Only whole lines are
    taken; a line nginx is still writing waits for the next run."""
    try:
        current = path.stat()
    except FileNotFoundError:
        return
    offset = position.offset
    if position.inode and position.inode != current.st_ino:
        rotated = path.with_name(path.name + ".1")
        try:
            if rotated.stat().st_ino == position.inode:
                yield from _read_whole_lines(rotated, position.inode, offset)
        except FileNotFoundError:
            pass
        offset = 0
    elif current.st_size < offset:  # truncated in place (copytruncate)
        offset = 0
    yield from _read_whole_lines(path, current.st_ino, offset)


def _read_whole_lines(path: Path, inode: int, offset: int):
    with path.open("rb") as log:
        log.seek(offset)
        while chunk := log.read(LOG_CHUNK):
            end = chunk.rfind(b"\n") + 1
            if end == 0:
                if len(chunk) < LOG_CHUNK:  # a line still being written: next run
                    return
                offset += len(chunk)  # a megabyte without a line break is not our format
                yield inode, offset, b""
                continue
            if end < len(chunk):
                log.seek(offset + end)
            offset += end
            yield inode, offset, chunk[:end]


def qr_scans_ingest_log(*, path: str | os.PathLike) -> int:
    """Add the scans nginx logged since the last run to the links' daily counts.

    Counts the ``GET`` requests of ``/q/<code>`` that nginx answered with a redirect (from its
    cache or from the app); HEAD requests (link checkers), unknown codes and errors are not
    scans. The day is the scan's in the site's time zone. The counts and the new read position
    are written in one transaction: each logged scan is counted exactly once.

    Side effects: ``QrScanDay`` UPDATEs/INSERTs, the ``QrScanLogPosition`` of ``path``. Returns
    the number of scans added.
    """
    path = Path(path)
    tz = timezone.get_current_timezone()
    # The short links' prefix ("/q/"), the part of the path before the code.
    prefix = reverse("directory_qr_redirect", args=["-"]).removesuffix("-")
    with transaction.atomic():
        position, _ = QrScanLogPosition.objects.select_for_update().get_or_create(path=str(path))
        counts: collections.Counter = collections.Counter()
        for inode, offset, lines in _scan_log_chunks(path, position):
            for line in lines.decode("utf-8", "replace").splitlines():
                parts = line.split()
                if len(parts) != 4 or parts[1] != "GET" or parts[3] != "302":
                    continue
                msec, _, uri, _ = parts
                if not uri.startswith(prefix):
                    continue
                try:
                    when = datetime.datetime.fromtimestamp(float(msec), tz=tz)
                except (ValueError, OverflowError, OSError):
                    continue
                counts[(uri.removeprefix(prefix).rstrip("/"), when.date())] += 1
            position.inode, position.offset = inode, offset
        codes = {code for code, _ in counts}
        link_ids = dict(QrLink.objects.filter(code__in=codes).values_list("code", "pk"))
        added = 0
        for (code, day), count in sorted(counts.items()):
            if code in link_ids:
                qr_scan_record(link_id=link_ids[code], day=day, count=count)
                added += count
        position.save()
    return added


@transaction.atomic
def brandkit_update(*, actor, brand: BrandKit, fields: dict, logo=None) -> BrandKit:
    """Change the campaign's brand name, slogan or colours, and its logo when one is given.

    Side effects: every cached poster is dropped with its file (rebuilt on its next download),
    an audit entry ``brandkit.update``.
    """
    changes = changed_fields(brand, fields)
    for name, value in fields.items():
        setattr(brand, name, value)
    if logo is not None:
        brand.logo.save(f"brand-{brand.campaign_id}-{logo.name}", logo, save=False)
        changes["logo"] = [None, brand.logo.name]
    brand.full_clean()
    brand.save()
    for poster in Poster.objects.all():
        poster.pdf.delete(save=False)
    Poster.objects.all().delete()
    audit_record(actor=actor, action="brandkit.update", target=brand, changes=changes)
    return brand


POSTER_QUEUED_SECONDS = 300


def _poster_queued_key(listing: StationListing, size: str) -> str:
    from .qrcodes import site_tag

    return f"directory:poster-queued:{listing.pk}:{size}:{listing.version}:{site_tag()}"


def poster_current(*, listing: StationListing, size: str) -> Poster | None:
    """The poster of ``listing`` at its current version, made for this site's address
    (``SITE_URL``, which its QR code prints), whose file is still there, if any."""
    poster = Poster.objects.filter(listing=listing, size=size).first()
    if poster is None or poster.listing_version != listing.version or not poster.is_for_this_site:
        return None
    if not poster.pdf.storage.exists(poster.pdf.name):
        return None  # its file was lost (e.g. media not carried over): to be made again
    return poster


def poster_is_queued(*, listing: StationListing, size: str) -> bool:
    return cache.get(_poster_queued_key(listing, size)) is not None


def poster_request(*, actor, listing: StationListing, size: str) -> bool:
    """Ask the task worker for the poster of ``listing`` at its current version.

    Side effects: queues ``poster_generate`` once per listing version and size (remembered in
    the cache for five minutes, so a double click or a second person queues nothing more);
    again at once when a poster of this version was made but its file is gone. Returns whether
    a rendering was queued. A poster is derived data: no audit entry.
    """
    from .tasks import poster_generate

    key = _poster_queued_key(listing, size)
    if poster_current(listing=listing, size=size) is not None:
        return False
    made = Poster.objects.filter(listing=listing, size=size, listing_version=listing.version)
    if any(poster.is_for_this_site for poster in made):
        cache.delete(key)  # made once already for this address, its file lost since
    if not cache.add(key, 1, POSTER_QUEUED_SECONDS):
        return False
    poster_generate.enqueue(listing.pk, size)
    return True


def poster_build(*, listing_id: int, size: str) -> Poster:
    """Render the A4 or A3 poster of a listing and keep it until the listing changes.

    Side effects: writes the PDF to media storage and replaces the previous ``Poster`` row of
    that size. Called by the ``poster_generate`` task; safe to run twice.
    """
    from .posters import poster_pdf
    from .qrcodes import site_tag

    listing = StationListing.objects.select_related("unit").get(pk=listing_id)
    version = listing.version
    pdf = poster_pdf(listing, size=size)
    with transaction.atomic():
        old = Poster.objects.filter(listing=listing, size=size).first()
        if old is not None:
            old.pdf.delete(save=False)
            old.delete()
        poster = Poster(listing=listing, size=size, listing_version=version)
        name = f"{listing.slug}-{size}-v{version}-{site_tag()}.pdf"
        poster.pdf.save(name, ContentFile(pdf), save=False)
        poster.save()
    return poster
