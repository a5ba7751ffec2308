"""Standard users and units for every test (STYLE.md): a city admin, two district officers of
sibling districts, a station worker in each, a judge and an anonymous citizen.

The tree: 海口市民政局 → 秀英区民政局 (秀英街道社工站, 海秀街道社工站)
                      → 龙华区民政局 (中山街道社工站)
"""

import os
from pathlib import Path

import pytest
from django.test import Client

from shegong.accounts.models import User

from .factories import TEST_PASSWORD, UserFactory, city_unit, district_unit, station_unit

# Playwright's sync API runs an event loop in the test thread; Django would refuse ORM calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_xdist_make_scheduler(config, log):
    """``--dist loadscope`` (make test) keeps each module in one process and hands modules out
    by their number of tests, so a module of three tests that starts servers came last and one
    process ran on alone for seconds. Modules marked ``heavy`` are handed out first."""
    if config.getoption("dist") != "loadscope":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class HeavyFirst(LoadScopeScheduling):
        ordered = False

        def _assign_work_unit(self, node):
            if not self.ordered:
                self.ordered = True
                root = Path(str(config.rootpath))
                units = sorted(
                    self.workqueue.items(),
                    key=lambda unit: (not _heavy(root / unit[0]), -len(unit[1])),
                )
                self.workqueue.clear()
                self.workqueue.update(units)
            super()._assign_work_unit(node)

    return HeavyFirst(config, log)


def _heavy(module: Path) -> bool:
    try:
        return "pytest.mark.heavy" in module.read_text(encoding="utf-8")
    except OSError:
        return False


@pytest.fixture(autouse=True)
def fresh_cache():
    """Django's cache outlives a test's database: pages and QR counters cached by an earlier
    test must not stand in for this test's data."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True, scope="session")
def templates_render_as_in_production(django_test_environment):
    """Django's test set-up makes every template render send a signal that the test client
    answers by copying the context, for ``response.context``; on a console page with a hundred
    form widgets that was half of its time. The tests read what a person gets, the page;
    a test that needs the context takes ``template_context`` (below)."""
    from django.template import Template
    from django.test.utils import _TestState, instrumented_test_render

    assert Template._render is instrumented_test_render
    Template._render = _TestState.saved_data.template_render
    yield
    Template._render = instrumented_test_render


@pytest.fixture
def template_context():
    """``response.context`` for this test: Django's instrumented template render, restored."""
    from django.template import Template
    from django.test.utils import instrumented_test_render

    plain = Template._render
    Template._render = instrumented_test_render
    yield
    Template._render = plain


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Nearly every test makes users; the production hasher would dominate the run."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def city(db):
    return city_unit()


@pytest.fixture
def district(city):
    return district_unit(city, "460105", "秀英区")


@pytest.fixture
def sibling_district(city):
    return district_unit(city, "460106", "龙华区")


@pytest.fixture
def station(district):
    return station_unit(district, "460105001", "秀英街道")


@pytest.fixture
def second_station(district):
    return station_unit(district, "460105002", "海秀街道")


@pytest.fixture
def sibling_station(sibling_district):
    return station_unit(sibling_district, "460106001", "中山街道")


@pytest.fixture
def city_admin(city):
    return UserFactory(username="city", role=User.Role.CITY_ADMIN, unit=city)


@pytest.fixture
def district_officer(district):
    return UserFactory(username="officer", role=User.Role.DISTRICT_OFFICER, unit=district)


@pytest.fixture
def sibling_officer(sibling_district):
    return UserFactory(
        username="sibling-officer", role=User.Role.DISTRICT_OFFICER, unit=sibling_district
    )


@pytest.fixture
def station_worker(station):
    return UserFactory(username="worker", role=User.Role.STATION_WORKER, unit=station)


@pytest.fixture
def sibling_worker(sibling_station):
    return UserFactory(
        username="sibling-worker", role=User.Role.STATION_WORKER, unit=sibling_station
    )


@pytest.fixture
def judge(city):
    return UserFactory(username="judge", role=User.Role.JUDGE, unit=city)


@pytest.fixture
def anonymous():
    return Client()


@pytest.fixture
def login():
    """``login(user)`` returns a client logged in as that user."""

    def make(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make


@pytest.fixture
def password():
    return TEST_PASSWORD


@pytest.fixture(scope="session")
def demo_snapshots(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo seeded once per test process (tests/demo_data.py)."""
    from .demo_data import DemoSnapshots

    snapshots = DemoSnapshots(tmp_path_factory.mktemp("demo-snapshot"))
    yield snapshots
    snapshots.close()


@pytest.fixture(scope="module")
def demo_loader(demo_snapshots, django_db_blocker, tmp_path_factory):
    """``with demo_loader(*usernames): ...`` loads the demo for a module's fixture, every
    write rolled back at the end (tests/demo_data.py)."""
    from contextlib import contextmanager

    @contextmanager
    def load(*usernames: str):
        with (
            django_db_blocker.unblock(),
            demo_snapshots.loaded(*usernames, media_root=tmp_path_factory.mktemp("media")),
        ):
            yield

    return load


@pytest.fixture(scope="module")
def demo_data(demo_loader):
    """The demo data for the module (tests/demo_data.py); tests that use it take ``db`` too,
    so that each runs in a savepoint rolled back after it."""
    with demo_loader():
        yield
