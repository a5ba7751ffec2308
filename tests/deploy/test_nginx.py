"""deploy/nginx/shegong.conf for real: Debian's nginx runs the shipped file (ports, paths and the
certificate swapped for a throwaway one) in front of granian with production settings, and a
citizen's and an officer's requests go through it over https on the loopback.

What it holds to: static files from disk with a year's caching, uploads never served from disk,
anonymous public pages micro-cached, and no page is ever cached for, or served from the cache
to, a request or response carrying a session or a CSRF token; POST rate limits on /help/ and
logins; a request-size limit; gzip."""

import os
import re
import secrets
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from deploy.nginx_loopback import HOST, render
from tests.system_tools import needs_commands

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _Curl:
    """curl against the nginx under test, with its own cookie jar (or none: a new citizen)."""

    def __init__(self, tmp: Path, https_port: int, http_port: int, jar: str | None = None):
        self.tmp, self.https_port, self.http_port = tmp, https_port, http_port
        self.jar = tmp / jar if jar else None

    def __call__(self, path: str, *args: str, scheme: str = "https"):
        port = self.https_port if scheme == "https" else self.http_port
        body = self.tmp / f"body-{secrets.token_hex(4)}"
        command = ["curl", "-sk", "--resolve", f"{HOST}:{port}:127.0.0.1", "-D", "-"]
        command += ["-o", str(body), "--max-time", "30"]
        if self.jar:
            command += ["-b", str(self.jar), "-c", str(self.jar)]
        result = subprocess.run(
            [*command, *args, f"{scheme}://{HOST}:{port}{path}"],
            capture_output=True,
            check=True,
        )
        blocks = result.stdout.decode("latin-1").strip().split("\r\n\r\n")
        lines = blocks[-1].split("\r\n")
        status = int(lines[0].split()[1])
        headers: dict[str, list[str]] = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers.setdefault(name.strip().lower(), []).append(value.strip())
        return status, headers, body.read_bytes()

    def post(self, path: str, data: dict, *args: str):
        fields = [
            item for key, value in data.items() for item in ("--data-urlencode", f"{key}={value}")
        ]
        referer = f"https://{HOST}:{self.https_port}{path}"
        return self(path, *fields, "-H", f"Referer: {referer}", *args)


def _cached(headers) -> str:
    return headers.get("x-cache", [""])[0]


def _set_cookies(headers) -> str:
    return " ".join(headers.get("set-cookie", []))


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("nginx")
    app_port, http_port, https_port = _free_port(), _free_port(), _free_port()
    env = {
        k: v for k, v in os.environ.items() if k not in ("DJANGO_ALLOW_ASYNC_UNSAFE", "DEMO_MODE")
    }
    env.update(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS=HOST,
        SITE_URL=f"https://{HOST}",
        TRUSTED_PROXY_COUNT="1",
        DATABASE_URL=f"sqlite:///{tmp / 'shegong.sqlite3'}",
        PY=sys.executable,
        DJANGO_SUPERUSER_PASSWORD="Kx7!nginx-test-officer",
    )

    def manage(*args):
        subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True
        )

    manage("migrate", "--noinput")
    manage("seed_demo")
    manage("createsuperuser", "--noinput", "--username", "ops", "--email", "ops@example.org")
    subprocess.run(["scripts/collectstatic.sh"], cwd=ROOT, env=env, check=True)
    conf = render(tmp, app_port=app_port, http_port=http_port, https_port=https_port)
    checked = subprocess.run(
        ["nginx", "-t", "-c", conf, "-p", tmp], capture_output=True, text=True, check=False
    )
    assert checked.returncode == 0, checked.stderr

    app = subprocess.Popen(
        [
            Path(sys.executable).parent / "granian",
            "--interface",
            "wsgi",
            "shegong.wsgi:application",
            "--host",
            "127.0.0.1",
            "--port",
            str(app_port),
            "--workers",
            "1",
            "--blocking-threads",
            "1",
            "--no-ws",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=(tmp / "app.log").open("w"),
        start_new_session=True,
    )
    nginx = subprocess.Popen(
        ["nginx", "-c", conf, "-p", tmp],
        stderr=(tmp / "nginx.log").open("w"),
        start_new_session=True,
    )
    citizen = _Curl(tmp, https_port, http_port)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if citizen("/healthz")[0] == 200:
                    break
            except subprocess.CalledProcessError:
                pass
            assert app.poll() is None, (tmp / "app.log").read_text()[-2000:]
            assert nginx.poll() is None, (tmp / "nginx.log").read_text()[-2000:]
            assert time.monotonic() < deadline, "nginx and granian did not answer within 60 s"
            time.sleep(0.3)
        with sqlite3.connect(tmp / "shegong.sqlite3") as db:
            slug = db.execute("SELECT slug FROM directory_stationlisting ORDER BY id").fetchone()[0]
            code = db.execute("SELECT code FROM directory_qrlink ORDER BY id").fetchone()[0]
        yield {
            "tmp": tmp,
            "citizen": citizen,
            "https": https_port,
            "http": http_port,
            "slug": slug,
            "code": code,
        }
    finally:
        for process in (nginx, app):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait(timeout=20)


pytestmark = [needs_commands("nginx", "openssl", "curl")]


def test_plain_http_moves_to_https(stack):
    status, headers, _ = stack["citizen"]("/stations/", scheme="http")

    assert status == 301
    assert headers["location"] == [f"https://{HOST}/stations/"]


def test_static_files_come_from_disk_compressed_and_cached_for_a_year(stack):
    citizen = stack["citizen"]
    _, _, page = citizen("/")
    stylesheet = re.search(r'href="(/static/[^"]+\.css)"', page.decode()).group(1)

    status, headers, _ = citizen(stylesheet, "-H", "Accept-Encoding: gzip")

    assert status == 200
    assert headers["content-encoding"] == ["gzip"]  # WhiteNoise's .gz copy, by gzip_static
    assert "immutable" in headers["cache-control"][0]
    assert "x-frame-options" not in headers  # nginx answered, not the app


def test_uploaded_files_are_never_served_from_disk(stack):
    status, _, _ = stack["citizen"]("/media/posters/anything.pdf")

    assert status == 404


def test_public_pages_are_micro_cached_for_anonymous_visitors(stack):
    citizen = stack["citizen"]
    path = f"/stations/{stack['slug']}/"

    first = citizen(path)
    second = citizen(path)

    assert first[0] == second[0] == 200
    assert _cached(first[1]) in ("MISS", "EXPIRED", "HIT")
    assert _cached(second[1]) == "HIT"
    assert second[2] == first[2]
    assert "content-encoding" not in second[1]  # curl asked for no compression
    gzipped = citizen(path, "-H", "Accept-Encoding: gzip")
    assert gzipped[1]["content-encoding"] == ["gzip"]


def test_a_page_that_sets_a_cookie_is_never_cached(stack):
    citizen = stack["citizen"]
    # ?lang=en remembers the choice in a cookie: each answer must carry its own Set-Cookie.
    answers = [citizen("/stations/?lang=en") for _ in range(2)]

    for status, headers, _ in answers:
        assert status == 200
        assert "django_language=en" in _set_cookies(headers)
        assert _cached(headers) != "HIT"


def test_a_form_page_hands_every_visitor_their_own_csrf_token(stack):
    tokens = []
    for _ in range(2):
        status, headers, body = stack["citizen"]("/help/")
        assert status == 200
        assert _cached(headers) != "HIT"
        tokens.append(re.search(r"csrftoken=([^;]+)", _set_cookies(headers)).group(1))
        assert b"csrfmiddlewaretoken" in body

    assert tokens[0] != tokens[1]


def test_a_visitor_holding_a_csrf_cookie_bypasses_the_cache(stack):
    visitor = _Curl(stack["tmp"], stack["https"], stack["http"], jar="visitor.jar")
    visitor("/help/")  # now holds a csrftoken cookie
    path = f"/stations/{stack['slug']}/"
    stack["citizen"](path)

    status, headers, _ = visitor(path)

    assert status == 200
    assert _cached(headers) == "BYPASS"


def test_a_signed_in_officer_is_never_served_from_or_into_the_cache(stack):
    tmp = stack["tmp"]
    officer = _Curl(tmp, stack["https"], stack["http"], jar="officer.jar")
    officer("/accounts/login/")
    token = re.search(r"csrftoken\s+(\S+)", (tmp / "officer.jar").read_text()).group(1)
    status, headers, _ = officer.post(
        "/accounts/login/",
        {"username": "ops", "password": "Kx7!nginx-test-officer", "csrfmiddlewaretoken": token},
    )
    assert status == 302, _.decode()[:3000]
    assert "session" in _set_cookies(headers).lower()

    path = f"/stations/{stack['slug']}/"
    stack["citizen"](path)  # the cache now holds the anonymous page
    for _ in range(2):
        status, headers, _ = officer(path)
        assert status == 200
        assert _cached(headers) == "BYPASS"
    status, _, body = officer("/console/")
    assert status == 200
    assert "ops" in body.decode()

    # A citizen after the officer: the console is not cached, the public page holds no session.
    status, headers, _ = stack["citizen"]("/console/")
    assert status == 302
    assert "login" in headers["location"][0]
    status, headers, _ = stack["citizen"](path)
    assert "session" not in _set_cookies(headers).lower()


def test_qr_scans_always_reach_the_app(stack):
    for _ in range(2):
        status, headers, _ = stack["citizen"](f"/q/{stack['code']}")
        assert status == 302
        assert "x-cache" not in headers


def test_logins_and_help_requests_are_rate_limited_per_client(stack):
    citizen = stack["citizen"]
    for path in ("/accounts/login/", "/help/"):
        statuses = [citizen.post(path, {"x": "1"})[0] for _ in range(10)]
        assert 429 in statuses, f"{path}: {statuses}"
        assert statuses[0] != 429
    # Reading a page is never limited.
    assert citizen("/help/")[0] == 200


def test_a_too_large_public_request_is_refused_before_the_app(stack):
    big = stack["tmp"] / "big.bin"
    big.write_bytes(b"x" * (5 * 1024 * 1024))

    status, _, _ = stack["citizen"]("/stations/", "--data-binary", f"@{big}")

    assert status == 413
