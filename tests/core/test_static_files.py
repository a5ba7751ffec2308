"""Static files are served from an index built once per process (core.middleware.
StaticFilesMiddleware); a new collectstatic, which writes a new manifest, is served at once."""

import os

from django.test import Client


def test_a_new_collectstatic_is_served_by_the_next_handler(settings, tmp_path, db):
    settings.STATIC_ROOT = tmp_path
    (tmp_path / "site-a.css").write_text("body{color:#111}")
    manifest = tmp_path / "staticfiles.json"
    manifest.write_text('{"paths": {}}')

    assert Client().get("/static/site-a.css").status_code == 200
    assert Client().get("/static/site-b.css").status_code == 404

    # collectstatic again: a new file and a new manifest.
    (tmp_path / "site-b.css").write_text("body{color:#222}")
    manifest.write_text('{"paths": {}, "version": "2"}')
    later = manifest.stat().st_mtime_ns + 1_000_000
    os.utime(manifest, ns=(later, later))

    response = Client().get("/static/site-b.css")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"body{color:#222}"
