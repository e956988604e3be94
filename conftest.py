"""Shared test fixtures: named people with roles in named municipalities, mail and services."""

import os
import tempfile
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings

from accounts.models import User
from municipalities.models import County, Membership, Municipality, WorkingGroup
from tif_portal.testing import PASSWORD

pytest_plugins = ["tif_portal.testing.fixtures", "tif_portal.testing.worker"]


def _services_available() -> bool:
    return settings.DATABASES["default"]["ENGINE"].endswith("postgresql") and bool(settings.REDIS_URL)


def pytest_collection_modifyitems(config, items):
    if _services_available():
        return
    required = os.environ.get("TIF_REQUIRE_SERVICES") == "1"
    for item in items:
        if "services" in item.keywords:
            if required:
                item.add_marker(pytest.mark.xfail(reason="PostgreSQL and Redis are required", run=False, strict=True))
            else:
                item.add_marker(pytest.mark.skip(reason="needs DATABASE_URL (PostgreSQL) and REDIS_URL"))


def pytest_configure(config):
    # The production hasher takes a deliberate half second per password; tests create and
    # log in hundreds of users. Only the hashing speed differs: every check still runs.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Uploaded and generated files go to folders of this test process, not the portal's own.
    # Changed through override_settings so that storages already opened at start-up follow.
    files = Path(tempfile.mkdtemp(prefix="tif-test-files-"))
    storages = {**settings.STORAGES, "private": {**settings.STORAGES["private"]}}
    storages["private"]["OPTIONS"] = {**storages["private"].get("OPTIONS", {}), "location": str(files / "private")}
    override_settings(MEDIA_ROOT=files / "media", STORAGES=storages).enable()


def pytest_sessionstart(session):
    if os.environ.get("TIF_REQUIRE_SERVICES") == "1" and not _services_available():
        raise pytest.UsageError("TIF_REQUIRE_SERVICES=1 but DATABASE_URL (PostgreSQL) or REDIS_URL is not set")


def _reload_reference_data() -> None:
    """What the migrations load (counties, municipalities, knowledge pages), once emptied."""
    if County.objects.exists():
        return
    import importlib

    from django.apps import apps

    from municipalities.services import municipalities_load

    municipalities_load()
    importlib.import_module("knowledge.migrations.0002_pages_content").load(apps, None)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database is built from the models (``--nomigrations``): load what the
    migrations would have loaded, once. tif_portal/tests/test_migrations.py runs the migrations."""
    with django_db_blocker.unblock():
        _reload_reference_data()


@pytest.fixture(autouse=True)
def _reference_data(request):
    """Transactional tests empty every table afterwards, the migrations' counties too: reload them."""
    marker = request.node.get_closest_marker("django_db")
    transactional = (marker is not None and marker.kwargs.get("transaction")) or any(
        name in request.fixturenames for name in ("transactional_db", "live_server")
    )
    if transactional:
        request.getfixturevalue("transactional_db")
        _reload_reference_data()


@pytest.fixture(autouse=True)
def _mail_through_outbox(settings):
    """Mail takes the real path: Django's mails into the outbox, delivery into mail.outbox."""
    settings.EMAIL_BACKEND = "tif_portal.outbox.backend.OutboxEmailBackend"
    settings.OUTBOX_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture(autouse=True)
def _page_cache_in_journeys(request, settings):
    """The browser journeys run with the page cache as production does, each from a new data
    generation so no page kept by an earlier test is served. Tests through Django's client stay
    inside one transaction that never commits, so the generation would never move: they measure
    the pages' own work (query budgets), and tif_portal/tests/test_pagecache.py tests the cache."""
    if "live_server" in request.fixturenames:
        from tif_portal import generation

        settings.PAGE_CACHE_SECONDS = 60
        generation.raise_generation()
    else:
        settings.PAGE_CACHE_SECONDS = 0


@pytest.fixture(autouse=True)
def _celery_eager(settings):
    """Tasks run in the calling process unless a test starts a real worker."""
    from tif_portal.celery import app

    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    yield
    app.conf.task_always_eager = False


@pytest.fixture
def vasternorrland(db):
    return County.objects.get(code="22")


@pytest.fixture
def uppsala_county(db):
    return County.objects.get(code="03")


@pytest.fixture
def sundsvall(db):
    return Municipality.objects.get(code="2281")


@pytest.fixture
def harnosand(db):
    return Municipality.objects.get(code="2280")


@pytest.fixture
def group_sundsvall(sundsvall):
    return WorkingGroup.objects.create(municipality=sundsvall, name="TIF Sundsvall")


@pytest.fixture
def group_harnosand(harnosand):
    return WorkingGroup.objects.create(municipality=harnosand, name="TIF Härnösand")




def make_user(email, name, role, **fields):
    return User.objects.create_user(email, PASSWORD, name=name, role=role, **fields)


@pytest.fixture
def anna_sundsvall(group_sundsvall):
    user = make_user("anna@sundsvall.example", "Anna Åkesson", User.Role.COORDINATOR)
    Membership.objects.create(working_group=group_sundsvall, user=user, role=Membership.Role.COORDINATOR)
    return user


@pytest.fixture
def bo_harnosand(group_harnosand):
    user = make_user("bo@harnosand.example", "Bo Öhman", User.Role.COORDINATOR)
    Membership.objects.create(working_group=group_harnosand, user=user, role=Membership.Role.COORDINATOR)
    return user


@pytest.fixture
def per_police(group_sundsvall):
    user = make_user("per@polisen.example", "Per Ström", User.Role.INSTRUCTOR, agency=User.Agency.POLICE)
    Membership.objects.create(working_group=group_sundsvall, user=user, role=Membership.Role.POLICE)
    return user


@pytest.fixture
def tove_customs(group_harnosand):
    user = make_user("tove@tullverket.example", "Tove Ärlig", User.Role.INSTRUCTOR, agency=User.Agency.CUSTOMS)
    Membership.objects.create(working_group=group_harnosand, user=user, role=Membership.Role.CUSTOMS)
    return user


@pytest.fixture
def karin_county(vasternorrland):
    return make_user("karin@lansstyrelsen.example", "Karin Nordlund", User.Role.COUNTY_OFFICER, county=vasternorrland)


@pytest.fixture
def ulla_uppsala_county(uppsala_county):
    return make_user("ulla@lansstyrelsen-uppsala.example", "Ulla Lind", User.Role.COUNTY_OFFICER, county=uppsala_county)


@pytest.fixture
def admin_user(db):
    return User.objects.create_superuser("admin@tif.example", PASSWORD, name="Alva Admin")


@pytest.fixture(autouse=True)
def _reference_data_after_flush(request):
    """Tests without a django_db marker run after the transactional ones, which empty every
    table: put the counties, municipalities and knowledge pages back (committed, once)."""
    if "db" not in request.fixturenames or "transactional_db" in request.fixturenames or "live_server" in request.fixturenames:
        return
    marker = request.node.get_closest_marker("django_db")
    if marker is not None and marker.kwargs.get("transaction"):
        return
    request.getfixturevalue("django_db_setup")
    blocker = request.getfixturevalue("django_db_blocker")
    with blocker.unblock():
        _reload_reference_data()
