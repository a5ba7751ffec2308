"""One minute of load on the production server stack, with the task worker killed once.

Usage: .venv/bin/python bench/bench_load.py   (BENCH_LOAD_SECONDS=60, BENCH_LOAD_PORT=8765;
a throw-away SQLite file unless DATABASE_URL is set). Loopback only; stops by itself.

It seeds the demo data into a fresh database, starts granian (2 workers, DEBUG off, production
settings) and a task worker, then for BENCH_LOAD_SECONDS runs at once: public visitors (home,
station list and pages, the help form), citizens asking for help (each from its own address as
nginx would forward it), and station staff working in the console. Half-way it SIGKILLs the
task worker and starts another, as systemd's Restart= would. It prints requests served,
errors (target 0), latency percentiles per kind of visitor, and help requests stored vs
notified (target: equal, within 90 s after the load).
"""

import http.cookiejar
import os
import secrets
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SECONDS = float(os.getenv("BENCH_LOAD_SECONDS", "60"))
PORT = int(os.getenv("BENCH_LOAD_PORT", "8765"))
BASE = f"http://127.0.0.1:{PORT}"
STAFF = ["station.460105001.1", "station.460106001.1", "district.460105"]
STATIONS = ["460105001", "460106001", "460107001", "460108001"]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Visitor:
    def __init__(self, address: str):
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirect()
        )
        self.address = address

    def request(self, path: str, data: dict | None = None) -> tuple[int, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        req = urllib.request.Request(BASE + path, data=body)  # noqa: S310 (loopback http)
        req.add_header("X-Forwarded-For", self.address)
        try:
            with self.opener.open(req, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode(errors="replace")

    def csrf(self) -> str:
        return next((c.value for c in self.jar if c.name == "csrftoken"), "")


class Results:
    def __init__(self):
        self.lock = threading.Lock()
        self.latency = defaultdict(list)
        self.errors = defaultdict(list)
        self.asked = 0

    def timed(self, kind: str, call, ok=(200,)):
        start = time.perf_counter()
        status, body = call()
        elapsed = (time.perf_counter() - start) * 1000
        with self.lock:
            self.latency[kind].append(elapsed)
            if status not in ok:
                self.errors[kind].append(status)
        return status, body


def _cycle(paths: list[str], until: float):
    i = 0
    while time.monotonic() < until:
        yield paths[i % len(paths)]
        i += 1


def public_visitor(n: int, until: float, results: Results) -> None:
    v = Visitor(f"127.10.{n}.1")
    paths = ["/", "/stations/", *(f"/stations/{s}/" for s in STATIONS), "/help/", "/?lang=en"]
    for path in _cycle(paths, until):
        results.timed("public page", lambda p=path: v.request(p))


def citizen(n: int, until: float, results: Results) -> None:
    i = 0
    while time.monotonic() < until:
        v = Visitor(f"127.20.{n}.{i % 250 + 1}")
        results.timed("help form", lambda v=v: v.request("/help/"))
        data = {
            "csrfmiddlewaretoken": v.csrf(),
            "for_whom": "self",
            "category": "elderly",
            "description": f"家中老人行动不便，需要社工上门探访。（压力测试 {n}-{i}）",
            "area": STATIONS[i % len(STATIONS)],
            "contact_name": "测试",
            "phone": f"139{n:02d}{i:06d}"[:11],
            "preferred_time": "any",
            "consent": "on",
            "website": "",
        }
        status, _ = results.timed("help sent", lambda v=v, d=data: v.request("/help/", d), (302,))
        if status == 302:
            with results.lock:
                results.asked += 1
        i += 1
        time.sleep(0.5)


def staff(username: str, until: float, results: Results) -> None:
    v = Visitor("127.30.0.1")
    v.request("/accounts/login/")
    status, _ = v.request(
        "/accounts/login/",
        {
            "csrfmiddlewaretoken": v.csrf(),
            "username": username,
            "password": "shegong-demo-2023",
        },
    )
    if status != 302:
        results.errors["staff login"].append(status)
        return
    paths = ["/console/", "/console/helpdesk/", "/console/activities/"]
    for path in _cycle(paths, until):
        results.timed("console page", lambda p=path: v.request(p))


def percentiles(values: list[float]) -> str:
    values = sorted(values)
    q = statistics.quantiles(values, n=100) if len(values) > 1 else values * 99
    return f"p50 {q[49]:6.0f} ms  p95 {q[94]:6.0f} ms  p99 {q[98]:6.0f} ms"


def main() -> None:
    tmp = Path(tempfile.mkdtemp(prefix="bench-load-"))
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "TRUSTED_PROXY_COUNT": "1",
        "OTP_REQUIRED_FOR_CITY_ADMINS": "0",
        "MEDIA_ROOT": str(tmp / "media"),
        "DJANGO_SETTINGS_MODULE": "shegong.settings",
    }
    env.setdefault("DATABASE_URL", f"sqlite:///{tmp / 'db.sqlite3'}")
    python = sys.executable
    manage = [python, "manage.py"]
    print("preparing: migrate, demo data, static files …", flush=True)
    subprocess.run([*manage, "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    seed = (
        "import django, io; django.setup(); from tests.site_walk import seed_demo_with_staff; "
        f"seed_demo_with_staff(*{STAFF!r})"
    )
    subprocess.run([python, "-c", seed], cwd=ROOT, env=env, check=True)
    subprocess.run([*manage, "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    granian = Path(python).with_name("granian")
    server = subprocess.Popen(
        [
            str(granian), "--interface", "wsgi", "shegong.wsgi:application", "--host",
            "127.0.0.1", "--port", str(PORT), "--workers", "2", "--blocking-threads", "1",
            "--log-level", "error",
        ],
        cwd=ROOT,
        env=env,
    )  # fmt: skip
    worker_cmd = [*manage, "db_worker", "--no-reload", "-v0"]
    worker = subprocess.Popen(worker_cmd, cwd=ROOT, env=env)
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{BASE}/healthz", timeout=2)  # noqa: S310
                break
            except OSError:
                time.sleep(0.2)
        results = Results()
        start = time.monotonic()
        until = start + SECONDS
        threads = [
            *(threading.Thread(target=public_visitor, args=(n, until, results)) for n in range(6)),
            *(threading.Thread(target=citizen, args=(n, until, results)) for n in range(3)),
            *(threading.Thread(target=staff, args=(u, until, results)) for u in STAFF),
        ]
        for t in threads:
            t.start()
        time.sleep(SECONDS / 2)
        worker.send_signal(signal.SIGKILL)
        worker.wait()
        print(
            f"task worker killed at {time.monotonic() - start:.0f} s; another started", flush=True
        )
        worker = subprocess.Popen(worker_cmd, cwd=ROOT, env=env)
        for t in threads:
            t.join()
        served = sum(len(v) for v in results.latency.values())
        errors = sum(len(v) for v in results.errors.values())
        rate = served / SECONDS
        print(f"requests served: {served} in {SECONDS:.0f} s ({rate:.0f}/s), errors: {errors}")
        for kind, values in sorted(results.latency.items()):
            print(f"  {kind:<13} {len(values):6d}  {percentiles(values)}")
        for kind, statuses in results.errors.items():
            print(f"  errors {kind}: {sorted(set(statuses))} ×{len(statuses)}")
        stored = notified = 0
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            stored, notified = count_requests(env["DATABASE_URL"])
            if stored == notified:
                break
            time.sleep(1)
        waited = 90 - (deadline - time.monotonic())
        print(
            f"help requests: sent {results.asked}, stored {stored}, notified {notified} "
            f"({waited:.0f} s after the load)"
        )
    finally:
        for process in (server, worker):
            process.send_signal(signal.SIGTERM)
        for process in (server, worker):
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()


def count_requests(url: str) -> tuple[int, int]:
    query = (
        "SELECT count(*), count(notified_at) FROM helpdesk_helprequest "
        "WHERE description LIKE '%压力测试%'"
    )
    if url.startswith("sqlite:///"):
        with sqlite3.connect(url.removeprefix("sqlite:///")) as con:
            return con.execute(query).fetchone()
    import psycopg

    with psycopg.connect(url) as con:
        return con.execute(query).fetchone()


if __name__ == "__main__":
    main()
