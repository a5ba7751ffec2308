"""`make demo` for real: scripts/demo.sh (what `make demo` runs once installed) serves the demo
data through granian and WhiteNoise with DEBUG off, the task worker and the periodic jobs beside
it, on a free port; a citizen's and a demo officer's requests go over the loopback, and Ctrl-C
stops every process. Also: DEMO_MODE refuses to start on a public host or a non-demo database."""

import contextlib
import http.cookiejar
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.system_tools import needs_commands

pytestmark = pytest.mark.heavy  # scheduled first (tests/conftest.py)

ROOT = Path(__file__).resolve().parents[2]


def _manage_check(env_overrides: dict) -> subprocess.CompletedProcess:
    drop = ("SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "SITE_URL", "DEMO_MODE", "DEBUG")
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"ALLOWED_HOSTS": "shegong.example.org"}, "public host: shegong.example.org"),
        ({"SITE_URL": "https://shegong.example.org"}, "public host: shegong.example.org"),
        (
            {"DATABASE_URL": "postgres://shegong@db.internal:5432/shegong_demo"},
            "not a demo database: shegong_demo",
        ),
        (
            {"DATABASE_URL": "postgres://postgres@127.0.0.1:5432/shegong"},
            "not a demo database: shegong",
        ),
    ],
)
def test_demo_mode_refuses_a_public_host_or_a_real_database(overrides, reason):
    result = _manage_check({"DEMO_MODE": "1", **overrides})

    assert result.returncode != 0
    assert "DEMO_MODE is on" in result.stderr
    assert reason in result.stderr


def test_demo_mode_runs_on_loopback_with_a_demo_database(tmp_path):
    result = _manage_check(
        {"DEMO_MODE": "1", "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}"}
    )

    assert result.returncode == 0, result.stderr


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class _Browser:
    """Cookies kept, redirects not followed: each answer is what the server said."""

    def __init__(self, base: str):
        self.base = base
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirect
        )

    def get(self, path: str, data: dict | None = None):
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body)  # noqa: S310 (http only)
        if data is not None:
            request.add_header("Referer", self.base + path)
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read()


def _descendants(pid: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _qr_text(png: Path) -> str:
    return subprocess.run(
        ["zbarimg", "-q", "--raw", str(png)], capture_output=True, text=True, check=True
    ).stdout.strip()


@needs_commands("zbarimg", "pdftoppm")
def test_make_demo_serves_the_production_stack_and_ctrl_c_stops_it(tmp_path):
    port = _free_port()
    database = tmp_path / "demo.sqlite3"
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "SECRET_KEY", "DEBUG", "SITE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    env.update(
        PORT=str(port),
        PY=sys.executable,
        GRANIAN=str(Path(sys.executable).parent / "granian"),
        DATABASE_URL=f"sqlite:///{database}",
        WEB_WORKERS="1",
    )
    log = (tmp_path / "demo.log").open("w")
    stack = subprocess.Popen(
        ["scripts/demo.sh"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group, as a terminal gives `make demo`
    )
    site = f"http://127.0.0.1:{port}"
    citizen = _Browser(site)
    processes: set[int] = set()
    try:
        deadline = time.monotonic() + 120
        while True:
            assert stack.poll() is None, (tmp_path / "demo.log").read_text()[-3000:]
            try:
                if citizen.get("/healthz")[0] == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, "the demo did not answer within 120 s"
            time.sleep(0.3)
        processes = _descendants(stack.pid)
        commands = " ".join(Path(f"/proc/{p}/cmdline").read_text() for p in processes)
        assert "granian" in commands
        assert "db_worker" in commands
        assert "run_periodic" in commands

        # A citizen's home page, its stylesheet from WhiteNoise with far-future caching.
        status, _, body = citizen.get("/")
        page = body.decode()
        assert status == 200
        assert "社工" in page
        stylesheet = re.search(r'href="(/static/[^"]+\.css)"', page).group(1)
        status, headers, css = citizen.get(stylesheet)
        assert status == 200
        assert headers["Content-Type"].startswith("text/css")
        assert "max-age=315360000" in headers["Cache-Control"]
        assert len(css) > 100

        # A mistyped address: our own page in Chinese, never Django's debug page.
        status, _, body = citizen.get("/statoins/")
        page = body.decode()
        assert status == 404
        assert "页面不存在" in page
        assert "URLconf" not in page
        assert "DEBUG = True" not in page

        # A demo login works with DEBUG off, because DEMO_MODE is on.
        officer = _Browser(site)
        officer.get("/accounts/login/")
        token = next(c.value for c in officer.cookies if c.name == "csrftoken")
        status, headers, _ = officer.get(
            "/accounts/login/",
            {
                "username": "city.admin",
                "password": "shegong-demo-2023",
                "csrfmiddlewaretoken": token,
            },
        )
        assert status == 302, "the demo login was refused"

        with sqlite3.connect(database) as db:
            code, target = db.execute(
                "SELECT code, target FROM directory_qrlink ORDER BY id LIMIT 1"
            ).fetchone()
            slug = db.execute(
                "SELECT slug FROM directory_stationlisting ORDER BY id LIMIT 1"
            ).fetchone()[0]

        # The QR image holds the address the demo runs on, and the short link redirects.
        status, _, png = officer.get(f"/console/directory/qr/{code}/image.png")
        assert status == 200
        (tmp_path / "qr.png").write_bytes(png)
        assert _qr_text(tmp_path / "qr.png") == f"{site}/q/{code}"
        status, headers, _ = citizen.get(f"/q/{code}")
        assert status == 302
        assert headers["Location"] == target

        # The poster, asked for (a POST: opening its page writes nothing) and made by the task
        # worker beside the server, prints the same address.
        poster_url = f"/console/directory/stations/{slug}/poster-a4.pdf"
        token = next(c.value for c in officer.cookies if c.name == "csrftoken")
        status, _, _ = officer.get(poster_url, {"csrfmiddlewaretoken": token})
        assert status == 302
        deadline = time.monotonic() + 90
        while True:
            status, headers, pdf = officer.get(poster_url)
            if status == 200:
                break
            assert status == 202
            assert time.monotonic() < deadline, "the worker made no poster within 90 s"
            time.sleep(0.5)
        assert headers["Content-Type"] == "application/pdf"
        (tmp_path / "poster.pdf").write_bytes(pdf)
        subprocess.run(
            ["pdftoppm", "-png", "-r", "100", "-singlefile", "poster.pdf", "poster"],
            cwd=tmp_path,
            check=True,
        )
        assert _qr_text(tmp_path / "poster.png").startswith(f"{site}/q/")

        # Ctrl-C: the terminal interrupts the whole foreground group; everything stops.
        processes = _descendants(stack.pid)
        os.killpg(stack.pid, signal.SIGINT)
        stack.wait(timeout=30)
        deadline = time.monotonic() + 15
        while any(_alive(p) for p in processes) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert [p for p in processes if _alive(p)] == []
        with pytest.raises(ConnectionRefusedError):
            socket.create_connection(("127.0.0.1", port), timeout=2).close()
    finally:
        if stack.poll() is None:
            os.killpg(stack.pid, signal.SIGKILL)
        for pid in processes | _descendants(stack.pid):
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
        log.close()
