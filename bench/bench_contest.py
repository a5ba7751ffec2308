"""Story contest figures: reviewer assignment at a large city's scale (pure function), and one
award certificate PDF (WeasyPrint, with its QR code).

`python bench/bench_contest.py [ENTRIES] [JUDGES]` (defaults 2,000 entries, 15 judges, three
reviews each). The certificate is rendered from a throw-away SQLite database (or DATABASE_URL
when set) with the demo data, so it never touches the demo database.
"""

import os
import random
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
TMP = tempfile.TemporaryDirectory()
os.environ.setdefault("DATABASE_URL", f"sqlite:///{TMP.name}/bench.sqlite3")
os.environ.setdefault("MEDIA_ROOT", f"{TMP.name}/media")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shegong.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

from bench.figures import report  # noqa: E402
from shegong.contest.assignment import Candidate, assign  # noqa: E402


def bench_assignment(entries: int, judges: int) -> None:
    rng = random.Random(7)
    districts = list(range(1, 6))
    panel = {100 + j: rng.choice([0, 0, 0, *districts]) for j in range(judges)}  # mostly city
    candidates = []
    for n in range(entries):
        district = rng.choice(districts)
        station = district * 100 + rng.randint(1, 20)
        candidates.append(Candidate(entry=n, conflicts=frozenset({district, station})))
    started = time.perf_counter()
    plan = assign(candidates, panel, 3)
    elapsed = time.perf_counter() - started
    loads = Counter(j for chosen in plan.values() for j in chosen)
    print(
        f"assignment: {entries} entries, {judges} judges, 3 reviews each: {elapsed:.2f} s; "
        f"loads {min(loads.values())}–{max(loads.values())}"
    )
    report(
        f"contest reviewer assignment, {entries} entries × 3 reviews",
        elapsed,
        "s",
        target="no SPEC target (loads differ by at most one)",
        ok=max(loads.values()) - min(loads.values()) <= 1,
    )


def bench_certificate() -> None:
    call_command("migrate", verbosity=0)
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    from shegong.contest.documents import certificate_pdf
    from shegong.contest.models import Entry

    entry = Entry.objects.exclude(certificate_code=None).select_related("call", "tier").first()
    for label in ("first", "warm"):
        started = time.perf_counter()
        pdf = certificate_pdf(entry)
        elapsed = time.perf_counter() - started
        print(f"certificate PDF ({label}): {elapsed:.2f} s, {len(pdf)} bytes")
    report(
        "contest award certificate PDF (warm)",
        elapsed,
        "s",
        target="under 2 s (as a poster PDF)",
        ok=elapsed < 2,
    )


if __name__ == "__main__":
    entries = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    judges = int(sys.argv[2]) if len(sys.argv) > 2 else 15
    bench_assignment(entries, judges)
    bench_certificate()
