"""Sign-in cost: the password hasher, a whole login request, and a locked-out attempt.

Usage: .venv/bin/python bench/bench_login.py   (a throw-away SQLite file; BENCH_LOGIN_N=20).
Target (issue #14): a password check well under 100 ms of a worker, at OWASP's minimum for
Argon2id (19 MiB, t=2, p=1); a locked-out attempt costs no hash at all.
"""

import logging
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TMP = tempfile.mkdtemp(prefix="bench-login-")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{TMP}/bench.sqlite3")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shegong.settings")
os.environ["DEBUG"] = "1"

import django  # noqa: E402

django.setup()

from django.contrib.auth.hashers import check_password, make_password  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

N = int(os.getenv("BENCH_LOGIN_N", "20"))


def timed(fn, n=N) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU milliseconds of each call. On a shared machine the wall clock
    includes waiting for a core; the CPU time is what one check costs a worker."""
    wall, cpu = [], []
    for _ in range(n):
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return wall, cpu


def show(label: str, times: tuple[list[float], list[float]]) -> None:
    wall, cpu = (sorted(t) for t in times)
    print(
        f"{label:<50} CPU median {statistics.median(cpu):6.1f} ms max {cpu[-1]:6.1f} ms"
        f"   wall median {statistics.median(wall):6.1f} ms"
    )


def main() -> None:
    logging.getLogger("django.request").setLevel(logging.ERROR)  # 429s are expected here
    password = "Xy7!long-pass-for-bench"  # noqa: S105
    argon = make_password(password)
    print(f"load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"hash in use: {argon.split('$')[0]} {argon.split('$')[2]} {argon.split('$')[3]}")
    show("Argon2id check (19 MiB, t=2, p=1)", timed(lambda: check_password(password, argon)))
    pbkdf2 = make_password(password, hasher="pbkdf2_sha256")
    show(
        "PBKDF2-SHA256 check (Django 5.2 default, 1M rounds)",
        timed(lambda: check_password(password, pbkdf2), n=3),
    )

    call_command("migrate", verbosity=0)
    from shegong.accounts.models import LoginThrottle, User
    from shegong.orgs.models import Unit

    city, _ = Unit.objects.get_or_create(
        code="460100",
        defaults={"name": "市局", "area_name": "市", "level": "city", "path": "460100/"},
    )
    user, _ = User.objects.get_or_create(username="bench", defaults={"role": "city_admin"})
    user.unit = city
    user.set_password(password)
    user.save()

    def login(name: str, secret: str, address: str) -> int:
        client = Client(REMOTE_ADDR=address)
        return client.post("/accounts/login/", {"username": name, "password": secret}).status_code

    addresses = iter(f"10.9.{i // 250}.{i % 250}" for i in range(100000))
    show(
        "login request, right password (302)",
        timed(lambda: login("bench", password, next(addresses))),
    )
    show(
        "login request, unknown user name (200)",
        timed(lambda: (LoginThrottle.objects.all().delete(), login("nobody", "x", "10.1.1.1"))),
    )
    for _ in range(5):
        login("bench", "wrong", "10.2.2.2")
    show(
        "login request, account locked out (429, no hash)",
        timed(lambda: login("bench", "x", "10.3.3.3")),
    )


if __name__ == "__main__":
    main()
