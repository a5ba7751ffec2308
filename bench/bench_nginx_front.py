"""The shipped nginx configuration in front of granian vs nginx serving the same bytes as a static
file (SPEC 9: at least 0.50 of it).

Run: .venv/bin/python bench/bench_nginx_front.py   (about 60 s; needs nginx, openssl and wrk)

One run: a scratch SQLite database with the demo data, granian (2 workers x 1 blocking thread,
production settings), deploy/nginx/shegong.conf on loopback (deploy/nginx_loopback.py; https
with a throwaway certificate, `worker_processes auto`). wrk -t2 -c32 drives, alternating, best
of two rounds:
  - the station page through nginx, as an anonymous citizen (the micro-cache answers);
  - the same bytes as a static file from the same nginx server (the anchor);
  - the station page through nginx for a visitor holding a CSRF cookie (cache bypassed: what
    the app itself manages behind nginx);
  - /q/<code> through nginx (the redirect from nginx's one-minute cache, every scan written to
    the scan log), against nginx answering a static file of the same (empty) body; afterwards
    run_periodic counts the log and the bench checks that every scan wrk made was counted.
"""

import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from figures import report  # noqa: E402

from deploy.nginx_loopback import HOST, render  # noqa: E402

OUT = ROOT / "var" / "bench_nginx"
SLUG = "460105001"
QR_CODE = "b12hk2"
DURATION = os.getenv("BENCH_SECONDS", "3")
ROUNDS = int(os.getenv("BENCH_ROUNDS", "2"))
CONNECTIONS = 32


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wrk(url: str, *headers: str) -> tuple[float, float, int]:
    command = [
        "wrk",
        "-t2",
        f"-c{CONNECTIONS}",
        f"-d{DURATION}s",
        "--latency",
        "-H",
        f"Host: {HOST}",
    ]
    for header in headers:
        command += ["-H", header]
    out = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    if "Non-2xx or 3xx responses" in out:
        raise SystemExit(f"errors while benchmarking {url}:\n{out}")
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    value, unit = re.search(r"99%\s+([\d.]+)(us|ms|s)", out).groups()
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    return rps, float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit], requests


COUNTED = (
    "from django.db.models import Sum; from shegong.directory.models import QrScanDay; "
    f"print(QrScanDay.objects.filter(link__code='{QR_CODE}').aggregate(n=Sum('count'))['n'] or 0)"
)


def _scans_counted(env: dict) -> int:
    out = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", COUNTED],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return int(out.split()[-1])


def _curl(url: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["curl", "-sk", "-H", f"Host: {HOST}", *args, url], capture_output=True, check=True
    )


def main() -> None:
    for tool in ("nginx", "openssl", "wrk", "curl"):
        if shutil.which(tool) is None:
            raise SystemExit(f"{tool} is not installed (scripts/system-packages.sh installs it)")
    shutil.rmtree(OUT, ignore_errors=True)
    (OUT / "static").mkdir(parents=True)
    python = sys.executable
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": HOST,
        "SITE_URL": f"https://{HOST}",
        "TRUSTED_PROXY_COUNT": "1",
        "DATABASE_URL": f"sqlite:///{OUT / 'bench.sqlite3'}",
        "PY": python,
        "DIRECTORY_QR_SCAN_LOG": str(OUT / "scans.log"),
    }
    env.pop("DEMO_MODE", None)
    for command in (["migrate", "-v0"], ["seed_demo"]):
        subprocess.run(
            [python, "manage.py", *command], cwd=ROOT, env=env, check=True, capture_output=True
        )
    subprocess.run(["scripts/collectstatic.sh"], cwd=ROOT, env=env, check=True)

    app_port, http_port, https_port = _free_port(), _free_port(), _free_port()
    conf = render(
        OUT,
        app_port=app_port,
        http_port=http_port,
        https_port=https_port,
        static_root=OUT / "static",
        access_log=False,
        workers="auto",
    )
    app = subprocess.Popen(
        [
            *(str(Path(python).parent / "granian"), "--interface", "wsgi"),
            *("shegong.wsgi:application", "--host", "127.0.0.1", "--port", str(app_port)),
            *("--workers", "2", "--blocking-threads", "1", "--no-ws", "--log-level", "warning"),
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    nginx = subprocess.Popen(["nginx", "-c", str(conf), "-p", str(OUT)], start_new_session=True)
    base = f"https://127.0.0.1:{https_port}"
    try:
        for _ in range(200):
            try:
                if _curl(f"{base}/healthz", "-f").returncode == 0:
                    break
            except subprocess.CalledProcessError:
                time.sleep(0.1)
        else:
            raise SystemExit("nginx and granian did not start")
        page = _curl(f"{base}/stations/{SLUG}/").stdout
        assert b"<html" in page, page[:200]
        (OUT / "static" / "station.html").write_bytes(page)
        redirect = _curl(f"{base}/q/{QR_CODE}", "-o", "/dev/null", "-w", "%{http_code}").stdout
        assert redirect == b"302", redirect
        (OUT / "static" / "redirect-body.txt").write_bytes(b"")
        cookie = "Cookie: csrftoken=" + secrets.token_hex(16)
        urls = [
            ("station page via nginx", f"{base}/stations/{SLUG}/", ()),
            ("nginx static, same bytes", f"{base}/static/station.html", ()),
            ("station page via nginx, cache bypassed", f"{base}/stations/{SLUG}/", (cookie,)),
            ("/q/ via nginx (cached, logged)", f"{base}/q/{QR_CODE}", ()),
            ("nginx static, empty body", f"{base}/static/redirect-body.txt", ()),
        ]
        for _, url, _headers in urls:
            _curl(url, "-o", "/dev/null")  # warm up
        run_periodic = [python, "manage.py", "run_periodic"]
        subprocess.run(run_periodic, cwd=ROOT, env=env, check=True, capture_output=True)
        scans_before = _scans_counted(env)  # the warm-up's scans
        results: dict[str, tuple[float, float]] = {}
        scans_made = 0
        for _ in range(ROUNDS):
            for name, url, headers in urls:
                rps, p99, requests = _wrk(url, *headers)
                if name.startswith("/q/"):
                    scans_made += requests
                if name not in results or rps > results[name][0]:
                    results[name] = (rps, p99)
        subprocess.run(run_periodic, cwd=ROOT, env=env, check=True, capture_output=True)
        scans_counted = _scans_counted(env) - scans_before
    finally:
        for process in (nginx, app):
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)

    print(
        f"wrk -t2 -c32 -d{DURATION}s over https, best of {ROUNDS} alternating rounds; "
        "deploy/nginx/shegong.conf (worker_processes auto) -> granian 2 x 1; DEBUG=0; SQLite"
    )
    print(f"station page: {len(page)} bytes")
    for name, (rps, p99) in results.items():
        print(f"  {name:40} {rps:8.0f} req/s   p99 {p99:6.1f} ms")
    static_rps = results["nginx static, same bytes"][0]
    page_rps, page_p99 = results["station page via nginx"]
    ratio = page_rps / static_rps
    report(
        "station page behind nginx",
        page_rps,
        "req/s",
        target=">= 0.50 of nginx static",
        anchor=f"nginx static {static_rps:,.0f} req/s",
        ratio=ratio,
        ok=ratio >= 0.50,
    )
    bypass_rps, _ = results["station page via nginx, cache bypassed"]
    report(
        "station page behind nginx, cache bypassed",
        bypass_rps,
        "req/s",
        target="(informative)",
        anchor=f"nginx static {static_rps:,.0f} req/s",
        ratio=bypass_rps / static_rps,
        ok=None,
    )
    empty_rps = results["nginx static, empty body"][0]
    qr_rps, _ = results["/q/ via nginx (cached, logged)"]
    print(f"/q/ scans made by wrk: {scans_made:,}; counted from nginx's log: {scans_counted:,}")
    report(
        "/q/ scans counted from nginx's log",
        scans_counted,
        "scans",
        # wrk stops counting with up to one request in flight per connection: nginx answers
        # and logs those too.
        target=f"{scans_made:,} made by wrk (+ up to {CONNECTIONS * ROUNDS} in flight)",
        ok=scans_made <= scans_counted <= scans_made + CONNECTIONS * ROUNDS,
    )
    report(
        "/q/ redirect behind nginx (cached, logged)",
        qr_rps,
        "req/s",
        target=">= 0.50 of nginx static",
        anchor=f"nginx static {empty_rps:,.0f} req/s",
        ratio=qr_rps / empty_rps,
        ok=qr_rps / empty_rps >= 0.50,
    )
    report(
        "station page behind nginx, p99",
        page_p99,
        "ms",
        target="< 50 ms",
        ok=page_p99 < 50,
    )


if __name__ == "__main__":
    main()
