"""Public pages' weight and the poster PDF's time (SPEC 9: a public page under 60 KB compressed
with everything it loads; a poster PDF under 2 s).

Run: .venv/bin/python bench/bench_public_pages.py   (about 30 s)

On a throw-away SQLite database with the demo data: every public URL of docs/contracts.md the demo
has, in Chinese, English and elder mode, fetched in-process; the page and each stylesheet,
script and image it loads from /static/ gzipped (level 6, as nginx does) and summed. Then the
A4 and A3 posters of one station rendered three times each by WeasyPrint (the worker's job).
"""

import gzip
import os
import re
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))
TMP = tempfile.TemporaryDirectory()
os.environ["DATABASE_URL"] = f"sqlite:///{TMP.name}/bench.sqlite3"
os.environ["MEDIA_ROOT"] = f"{TMP.name}/media"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shegong.settings")
os.environ["DEBUG"] = "1"  # static files by their plain names, found by the finders

import django  # noqa: E402

django.setup()

from django.contrib.staticfiles import finders  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from figures import report  # noqa: E402

from shegong.core.worker import worker_warm_up  # noqa: E402
from shegong.directory.models import StationListing  # noqa: E402
from shegong.directory.posters import poster_pdf  # noqa: E402

ASSET = re.compile(r"""(?:href|src)="(/static/[^"?#]+)""")


def compressed(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6))


def page_weight(client: Client, url: str) -> tuple[int, int]:
    """(page alone, page + the static files it loads), gzipped bytes."""
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    html = response.content
    total = page = compressed(html)
    for asset in sorted(set(ASSET.findall(html.decode()))):
        found = finders.find(asset.removeprefix("/static/"))
        assert found, asset
        total += compressed(Path(found).read_bytes())
    return page, total


def main() -> None:
    call_command("migrate", verbosity=0)
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    listing = StationListing.objects.order_by("slug").first()
    urls = ["/", "/stations/", listing.get_absolute_url(), "/help/", "/help/track/"]
    client = Client()
    worst = ("", 0)
    print("public pages, gzipped: page alone / with its stylesheets, scripts and images")
    for url in urls:
        for suffix in ("", "?lang=en", "?elder=1"):
            client.cookies.clear()  # each variant chosen by its own query, not a cookie
            page, total = page_weight(client, url + suffix)
            print(f"  {url + suffix:32} {page / 1024:5.1f} KB / {total / 1024:5.1f} KB")
            if total > worst[1]:
                worst = (url + suffix, total)
    report(
        f"heaviest public page ({worst[0]}), gzipped with its assets",
        worst[1] / 1024,
        "KB",
        target="< 60 KB",
        ok=worst[1] < 60 * 1024,
    )

    # A fresh worker loads WeasyPrint and the CJK face at start (worker_warm_up), before it
    # takes work; then comes the first poster someone waits for.
    started = time.perf_counter()
    worker_warm_up()
    warm_up = time.perf_counter() - started
    started = time.perf_counter()
    poster_pdf(listing, size="a4")
    first = time.perf_counter() - started
    print(f"worker start-up warm-up: {warm_up:.2f} s; then poster A4, first: {first:.2f} s")
    report(
        "poster PDF, first in a fresh worker (after its start-up warm-up)",
        first,
        "s",
        target="< 2 s",
        anchor=f"warm-up at start {warm_up:.2f} s",
        ok=first < 2,
    )
    for size in ("a4", "a3"):
        timings = []
        for _ in range(3):
            started = time.perf_counter()
            pdf = poster_pdf(listing, size=size)
            timings.append(time.perf_counter() - started)
        print(
            f"poster {size.upper()}: " + ", ".join(f"{t:.2f} s" for t in timings) + "; "
            f"{len(pdf) / 1024:.0f} KB"
        )
        report(
            f"poster PDF {size.upper()}, slowest of 3 after the first",
            max(timings),
            "s",
            target="< 2 s",
            ok=max(timings) < 2,
        )


if __name__ == "__main__":
    main()
