"""deploy/nginx/shegong.conf made to run on this machine's loopback, unprivileged: ports, paths
and a throwaway certificate swapped in, everything else as shipped. Used by
tests/deploy/test_nginx.py and bench/bench_nginx_front.py, so both exercise the shipped file.
"""

import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONF = ROOT / "deploy" / "nginx" / "shegong.conf"
HOST = "shegong.example.org"


def _swap(text: str, old: str, new: str) -> str:
    if old not in text:
        raise ValueError(f"deploy/nginx/shegong.conf no longer says {old!r}: update {__file__}")
    return text.replace(old, new)


def render(
    tmp: Path,
    *,
    app_port: int,
    http_port: int,
    https_port: int,
    static_root: Path | None = None,
    access_log: bool = True,
    workers: str = "1",
) -> Path:
    """Write nginx.conf (and its certificate) under ``tmp``; return the path for ``nginx -c``."""
    subprocess.run(  # noqa: S603 — fixed arguments
        [
            *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"),
            *("-subj", f"/CN={HOST}", "-keyout", str(tmp / "key.pem")),
            *("-out", str(tmp / "cert.pem")),
        ],
        check=True,
        capture_output=True,
    )
    site = CONF.read_text()
    scan_log_line = "shegong.scans.log shegong_scan;\n        access_log /var/log/nginx/"
    swaps = [
        # The /q/ location logs to both files; without the access log only the scan log stays.
        (
            scan_log_line + "shegong.access.log shegong;",
            scan_log_line + "shegong.access.log shegong;"
            if access_log
            else "shegong.scans.log shegong_scan;",
        ),
        ("listen 80;", f"listen 127.0.0.1:{http_port};"),
        ("listen [::]:80;", ""),
        ("listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;"),
        ("listen [::]:443 ssl http2;", ""),
        (f"/etc/letsencrypt/live/{HOST}/fullchain.pem", str(tmp / "cert.pem")),
        (f"/etc/letsencrypt/live/{HOST}/privkey.pem", str(tmp / "key.pem")),
        ("/var/cache/nginx/shegong", str(tmp / "cache")),
        (
            "/var/log/nginx/shegong.access.log shegong",
            f"{tmp / 'access.log'} shegong" if access_log else "off",
        ),
        ("/var/log/nginx/shegong.scans.log", str(tmp / "scans.log")),
        ("/var/www/html", str(tmp)),
    ]
    if static_root is not None:
        swaps.append(("/srv/shegong/var/static/", f"{static_root}/"))
    swaps += [
        ("/srv/shegong", str(ROOT)),
        ("server 127.0.0.1:8000;", f"server 127.0.0.1:{app_port};"),
    ]
    for old, new in swaps:
        site = _swap(site, old, new)
    (tmp / "shegong.conf").write_text(site)
    for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (tmp / name).mkdir(exist_ok=True)
    main = tmp / "nginx.conf"
    main.write_text(
        f"""{"user root;" if os.geteuid() == 0 else ""}
daemon off;
worker_processes {workers};
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    include {tmp}/shegong.conf;
}}
"""
    )
    return main
