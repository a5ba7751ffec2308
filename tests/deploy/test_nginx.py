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


SETUP = """
from shegong.accounts.models import User
from shegong.activities.models import Activity
from shegong.directory.models import QrLink
from shegong.orgs.models import Unit

station = Unit.objects.get(code="460105001")
worker = User.objects.create_user(
    "worker", password="Kx7!nginx-test-worker", role=User.Role.STATION_WORKER, unit=station
)
# A district officer: a superuser would be held at the second factor, required in production
# for those who see everything (tests/accounts/test_two_factor.py).
User.objects.create_user(
    "ops",
    password="Kx7!nginx-test-officer",
    role=User.Role.DISTRICT_OFFICER,
    unit=Unit.objects.get(code="460105"),
)
activity = Activity.objects.filter(unit=station).order_by("id").first()
Activity.objects.filter(pk=activity.pk).update(status=Activity.Status.DRAFT)  # photos go on drafts
print(activity.pk, QrLink.objects.order_by("id")[0].code)
"""


def _database_url(tmp: Path):
    """PostgreSQL when the test run uses it (CI's second run): a fresh database of its own."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        yield f"sqlite:///{tmp / 'shegong.sqlite3'}"
        return
    import dj_database_url
    import psycopg

    config = dj_database_url.parse(url)
    name = f"{config['NAME']}_nginx_stack"
    admin = {
        "host": config["HOST"],
        "port": config["PORT"] or 5432,
        "user": config["USER"],
        "password": config["PASSWORD"] or None,
        "dbname": "postgres",
        "autocommit": True,
    }
    with psycopg.connect(**admin) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
    yield url.rsplit("/", 1)[0] + f"/{name}"
    with psycopg.connect(**admin) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _wait_for(check, what: str, processes: dict, seconds: float = 60):
    deadline = time.monotonic() + seconds
    while True:
        try:
            if check():
                return
        except Exception:  # not up yet: refused connection, 502 from nginx, …  # noqa: S110
            pass
        for name, (process, log) in processes.items():
            assert process.poll() is None, f"{name} stopped: {log.read_text()[-2000:]}"
        assert time.monotonic() < deadline, f"{what} within {seconds} s"
        time.sleep(0.3)


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    """nginx (shipped file) -> granian -> PostgreSQL or SQLite, a task worker, and media in an
    S3-compatible server (moto's) when moto is installed."""
    tmp = tmp_path_factory.mktemp("nginx")
    app_port, http_port, https_port, s3_port = (_free_port() for _ in range(4))
    databases = _database_url(tmp)
    env = {
        k: v for k, v in os.environ.items() if k not in ("DJANGO_ALLOW_ASYNC_UNSAFE", "DEMO_MODE")
    }
    env.update(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS=HOST,
        SITE_URL=f"https://{HOST}",
        TRUSTED_PROXY_COUNT="1",
        DATABASE_URL=next(databases),
        PY=sys.executable,
        DIRECTORY_QR_SCAN_LOG=str(tmp / "scans.log"),
        S3_BUCKET="shegong-media",
        S3_ENDPOINT_URL=f"http://127.0.0.1:{s3_port}",
        S3_REGION="us-east-1",
        S3_ACCESS_KEY_ID="testing",
        S3_SECRET_ACCESS_KEY="testing",  # moto's, on loopback
    )
    processes: dict[str, tuple[subprocess.Popen, Path]] = {}

    def start(name: str, command: list, **kwargs):
        log = tmp / f"{name}.log"
        processes[name] = (
            subprocess.Popen(
                [str(part) for part in command],
                stdout=log.open("w"),
                stderr=subprocess.STDOUT,
                start_new_session=True,
                **kwargs,
            ),
            log,
        )

    def manage(*args) -> str:
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout

    bin_dir = Path(sys.executable).parent
    try:
        start("s3", [bin_dir / "moto_server", "-H", "127.0.0.1", "-p", s3_port])
        s3 = _s3_client(env)
        _wait_for(lambda: s3.list_buckets() is not None, "moto's S3 server answered", processes)
        s3.create_bucket(Bucket="shegong-media")

        manage("migrate", "--noinput")
        manage("seed_demo")
        activity_id, code = manage("shell", "-c", SETUP).strip().splitlines()[-1].split()
        subprocess.run(["scripts/collectstatic.sh"], cwd=ROOT, env=env, check=True)
        conf = render(tmp, app_port=app_port, http_port=http_port, https_port=https_port)
        checked = subprocess.run(
            ["nginx", "-t", "-c", conf, "-p", tmp], capture_output=True, text=True, check=False
        )
        assert checked.returncode == 0, checked.stderr

        start(
            "app",
            [
                *(bin_dir / "granian", "--interface", "wsgi", "shegong.wsgi:application"),
                *("--host", "127.0.0.1", "--port", app_port, "--workers", "1"),
                *("--blocking-threads", "1", "--no-ws"),
            ],
            cwd=ROOT,
            env=env,
        )
        start("worker", [sys.executable, "manage.py", "db_worker"], cwd=ROOT, env=env)
        start("nginx", ["nginx", "-c", conf, "-p", tmp])
        citizen = _Curl(tmp, https_port, http_port)
        _wait_for(lambda: citizen("/healthz")[0] == 200, "nginx and granian answered", processes)
        yield {
            "tmp": tmp,
            "citizen": citizen,
            "https": https_port,
            "http": http_port,
            "slug": "460105001",
            "code": code,
            "activity_id": activity_id,
            "s3": s3,
            "manage": manage,
        }
    finally:
        for process, _ in reversed(processes.values()):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
        next(databases, None)


def _s3_client(env: dict):
    import boto3

    return boto3.client(
        "s3",
        endpoint_url=env["S3_ENDPOINT_URL"],
        region_name=env["S3_REGION"],
        aws_access_key_id=env["S3_ACCESS_KEY_ID"],
        aws_secret_access_key=env["S3_SECRET_ACCESS_KEY"],
    )


def _sign_in(stack, username: str, password: str) -> "_Curl":
    tmp = stack["tmp"]
    (tmp / f"{username}.jar").unlink(missing_ok=True)  # a new browser, a new session
    user = _Curl(tmp, stack["https"], stack["http"], jar=f"{username}.jar")
    user("/accounts/login/")
    token = re.search(r"csrftoken\s+(\S+)", (tmp / f"{username}.jar").read_text()).group(1)
    status, headers, body = user.post(
        "/accounts/login/",
        {"username": username, "password": password, "csrfmiddlewaretoken": token},
    )
    assert status == 302, body.decode()[:3000]
    assert "session" in _set_cookies(headers).lower()
    return user


def _csrf(user: "_Curl") -> str:
    return re.search(r"csrftoken\s+(\S+)", user.jar.read_text()).group(1)


pytestmark = [needs_commands("nginx", "openssl", "curl"), pytest.mark.heavy]


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
    officer = _sign_in(stack, "ops", "Kx7!nginx-test-officer")

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


SCANS_COUNTED = """
from django.db.models import Sum
from shegong.directory.models import QrScanDay
print(QrScanDay.objects.filter(link__code="{code}").aggregate(n=Sum("count"))["n"] or 0)
"""


def test_qr_scans_answered_by_nginx_are_each_counted_once_from_its_log(stack):
    code, manage = stack["code"], stack["manage"]
    counted = lambda: int(manage("shell", "-c", SCANS_COUNTED.format(code=code)).split()[-1])  # noqa: E731
    manage("run_periodic")
    before = counted()

    answers = [stack["citizen"](f"/q/{code}") for _ in range(5)]
    stack["citizen"](f"/q/{code}", "-I")  # a link checker's HEAD is not a scan

    assert {status for status, _, _ in answers} == {302}
    assert {headers["location"][0] for _, headers, _ in answers} == {answers[0][1]["location"][0]}
    assert _cached(answers[-1][1]) == "HIT"  # the burst is answered by nginx, not the app
    assert all(headers["cache-control"] == ["no-store"] for _, headers, _ in answers)
    assert counted() == before  # the app left the logged scans to the log
    manage("run_periodic")
    assert counted() == before + 5
    manage("run_periodic")
    assert counted() == before + 5  # read once, counted once


def test_a_too_large_public_request_is_refused_before_the_app(stack):
    big = stack["tmp"] / "big.bin"
    big.write_bytes(b"x" * (5 * 1024 * 1024))

    status, _, _ = stack["citizen"]("/stations/", "--data-binary", f"@{big}")

    assert status == 413


def _bucket_keys(stack) -> set[str]:
    pages = stack["s3"].get_paginator("list_objects_v2").paginate(Bucket="shegong-media")
    return {item["Key"] for page in pages for item in page.get("Contents", [])}


def test_a_photo_uploaded_through_nginx_lands_in_object_storage_and_is_served_back(stack):
    from PIL import Image

    worker = _sign_in(stack, "worker", "Kx7!nginx-test-worker")
    photo = stack["tmp"] / "photo.jpg"
    Image.new("RGB", (640, 480), (200, 120, 40)).save(photo, "JPEG")
    before = _bucket_keys(stack)
    path = f"/console/activities/{stack['activity_id']}/media/"

    status, _, _ = worker(
        path,
        "-F",
        f"file=@{photo};type=image/jpeg",
        "-F",
        "caption=活动现场",
        "-F",
        f"csrfmiddlewaretoken={_csrf(worker)}",
        "-H",
        f"Referer: https://{HOST}:{stack['https']}{path}",
    )

    assert status == 302
    media_id, name = (
        stack["manage"](
            "shell",
            "-c",
            "from shegong.activities.models import ActivityMedia as M; "
            "m = M.objects.latest('id'); print(m.pk, m.file.name)",
        )
        .strip()
        .splitlines()[-1]
        .split()
    )
    assert name in _bucket_keys(stack) - before
    status, headers, body = worker(f"/console/activities/media/{media_id}/")
    assert status == 200
    assert headers["content-type"] == ["image/jpeg"]
    (stack["tmp"] / "served.jpg").write_bytes(body)
    assert Image.open(stack["tmp"] / "served.jpg").size == (640, 480)
    # Not to a citizen, and never straight from storage.
    assert stack["citizen"](f"/console/activities/media/{media_id}/")[0] == 302
    assert stack["citizen"](f"/media/{name}")[0] == 404


@needs_commands("pdftoppm", "zbarimg")
def test_a_poster_made_by_the_worker_lands_in_object_storage_with_the_site_address(stack):
    worker = _sign_in(stack, "worker", "Kx7!nginx-test-worker")
    path = f"/console/directory/stations/{stack['slug']}/poster-a4.pdf"
    # Asked for by a POST (opening the poster's page writes nothing), then made by the worker.
    status, _, _ = worker.post(path, {"csrfmiddlewaretoken": _csrf(worker)})
    assert status == 302

    deadline = time.monotonic() + 120
    while True:
        status, headers, pdf = worker(path)
        if status == 200:
            break
        assert status == 202
        assert time.monotonic() < deadline, "the task worker made no poster within 120 s"
        time.sleep(0.5)

    assert headers["content-type"] == ["application/pdf"]
    assert any(key.startswith("posters/") for key in _bucket_keys(stack))
    tmp = stack["tmp"]
    (tmp / "poster.pdf").write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "100", "-singlefile", "poster.pdf", "poster"],
        cwd=tmp,
        check=True,
    )
    decoded = subprocess.run(
        ["zbarimg", "-q", "--raw", tmp / "poster.png"], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert decoded.startswith(f"https://{HOST}/q/")


# Last: it uses up this client's login and help allowance for a minute.
def test_logins_and_help_requests_are_rate_limited_per_client(stack):
    citizen = stack["citizen"]
    for path, burst in (("/accounts/login/", 20), ("/help/", 10)):
        statuses = [citizen.post(path, {"x": "1"})[0] for _ in range(burst + 5)]
        assert 429 in statuses, f"{path}: {statuses}"
        assert statuses[0] != 429
    # Reading a page is never limited.
    assert citizen("/help/")[0] == 200
