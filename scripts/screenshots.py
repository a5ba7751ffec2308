"""`make screenshots`: the pictures of docs/guide/, taken from the demo as it runs.

Starts scripts/demo.sh (granian, the worker, DEBUG off, demo logins) on a free port over a
scratch demo database, signs in with each role's demo account in Debian's chromium (Playwright),
and saves every console page in that role's menu (desktop, 1280 × 800) and the citizen's public
pages (phone, 390 × 844) as docs/guide/img/<role>-<page>.jpg. Then stops the demo like Ctrl-C.

    .venv/bin/python scripts/screenshots.py
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
IMAGES = ROOT / "docs" / "guide" / "img"
CHROMIUM = "/usr/bin/chromium"
PASSWORD = "shegong-demo-2023"  # noqa: S105 — the demo accounts' published password

# role → its demo account; its pages are the links of its console menu.
ROLES = {
    "city-admin": "city.admin",
    "district-officer": "district.460105",
    "station-worker": "station.460105001.1",
    "judge": "judge.1",
}
# The citizen's pages, on a phone.
CITIZEN_PAGES = {
    "home": "/",
    "stations": "/stations/",
    "station": "/stations/460105001/",
    "help": "/help/",
    "help-track": "/help/track/",
    "elder": "/?elder=1",
}


def page_name(url: str) -> str:
    """/console/activities/coverage/ → activities-coverage; /console/ → home."""
    parts = [p for p in url.removeprefix("/console/").split("/") if p]
    return "-".join(parts) or "home"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def main() -> None:
    from playwright.sync_api import sync_playwright

    port = _free_port()
    work = ROOT / "var" / "screenshots"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    env = {**os.environ, "PORT": str(port), "PY": sys.executable}
    env["DATABASE_URL"] = f"sqlite:///{work / 'demo.sqlite3'}"
    demo = subprocess.Popen(  # noqa: S603 — our own script
        [str(ROOT / "scripts" / "demo.sh")],
        cwd=ROOT,
        env=env,
        stdout=(work / "demo.log").open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=2)  # noqa: S310 — loopback
                break
            except OSError:
                if demo.poll() is not None:
                    raise SystemExit((work / "demo.log").read_text()[-2000:]) from None
                time.sleep(0.2)
        IMAGES.mkdir(parents=True, exist_ok=True)
        for old in IMAGES.glob("*.jpg"):
            old.unlink()
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM,
                args=["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"],
            )
            for role, username in ROLES.items():
                context = browser.new_context(viewport={"width": 1280, "height": 800})
                page = context.new_page()
                page.goto(f"{base}/accounts/login/")
                page.fill("input[name=username]", username)
                page.fill("input[name=password]", PASSWORD)
                page.click("button[type=submit]")
                page.wait_for_url(f"{base}/console/**")
                menu = page.eval_on_selector_all(
                    "nav.menu a", "links => links.map(a => a.getAttribute('href'))"
                )
                for url in menu:
                    page.goto(base + url)
                    path = IMAGES / f"{role}-{page_name(url)}.jpg"
                    page.screenshot(path=path, type="jpeg", quality=60)
                    print(f"{path.relative_to(ROOT)}  {url}")
                context.close()
            context = browser.new_context(
                viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
            )
            page = context.new_page()
            for name, url in CITIZEN_PAGES.items():
                page.goto(base + url)
                path = IMAGES / f"citizen-{name}.jpg"
                page.screenshot(path=path, type="jpeg", quality=60)
                print(f"{path.relative_to(ROOT)}  {url}")
            context.close()
            browser.close()
    finally:
        os.killpg(demo.pid, signal.SIGINT)
        demo.wait(timeout=60)


if __name__ == "__main__":
    main()
