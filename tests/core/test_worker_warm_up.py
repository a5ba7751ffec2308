"""A worker loads its document renderers before taking work, so the first poster someone waits
for is not also the one that pays for loading WeasyPrint and the CJK fonts."""

import logging
import sys

from django.apps import apps

from shegong.core.worker import worker_warm_up


def test_the_worker_warms_up_the_poster_renderer(db):
    warmed = worker_warm_up()

    assert "directory" in warmed
    assert "weasyprint" in sys.modules


def test_a_failing_warm_up_is_logged_and_skipped(db, monkeypatch, caplog):
    config = apps.get_app_config("directory")

    def broken():
        raise OSError("no fonts here")

    monkeypatch.setattr(config, "worker_warm_up", broken, raising=False)
    with caplog.at_level(logging.ERROR, logger="shegong.core.worker"):
        warmed = worker_warm_up()

    assert "directory" not in warmed
    assert "warming up directory failed" in caplog.text
