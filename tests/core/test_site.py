import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_healthz_reports_database(anonymous, db):
    response = anonymous.get("/healthz")

    assert response.status_code == 200
    assert response.json()["database"] == "ok"


def _start_django(env_overrides: dict) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "ALLOWED_HOSTS")}
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


def test_production_refuses_to_start_without_secret_key():
    result = _start_django({"DEBUG": "0", "ALLOWED_HOSTS": "example.org"})

    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_a_weak_secret_key():
    result = _start_django({"DEBUG": "0", "SECRET_KEY": "x" * 60, "ALLOWED_HOSTS": "example.org"})

    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = _start_django({"DEBUG": "0", "SECRET_KEY": secrets.token_urlsafe(50)})

    assert result.returncode != 0
    assert "ALLOWED_HOSTS" in result.stderr


def test_production_deploy_check_is_clean():
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(
        {
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "shegong.example.org",
        }
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_settings_use_chinese_and_shanghai(settings):
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert settings.TIME_ZONE == "Asia/Shanghai"
    assert settings.DATABASES["default"]["CONN_MAX_AGE"] == 60


def test_no_template_loads_from_another_host():
    # Users are in mainland China: every asset is served by us (DEVELOPERS.md).
    external = re.compile(r"""(?:src|href)\s*=\s*["'](?:https?:)?//""", re.IGNORECASE)
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "shegong").rglob("*.html")
        if external.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_an_english_page_does_not_leave_english_on_for_what_runs_next(anonymous, db):
    # A worker thread serves an English page, then runs a service whose messages a Chinese
    # officer will read: the service must speak Chinese.
    from django.utils import translation

    response = anonymous.get("/?lang=en")
    assert response.headers["Content-Language"] == "en"
    assert translation.get_language() == "zh-hans"


def test_a_submission_too_large_to_read_gets_a_page_that_says_so(anonymous, db):
    # Over DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB), e.g. a long text pasted into several boxes.
    anonymous.raise_request_exception = False

    response = anonymous.post("/help/", {"description": "长" * 1_000_000})

    assert response.status_code == 400
    assert "提交的内容太多" in response.content.decode()
