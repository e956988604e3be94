"""The migrations build what the models describe and load the reference data.

The rest of the suite builds its test databases straight from the models (``--nomigrations``
in pytest.ini: replaying every migration took each test process about 20 seconds), so this is
where the migrations themselves are run, from an empty database, as ``make run`` and a new
installation do.
"""

import os
import subprocess
import sys
from pathlib import Path

import dj_database_url
import pytest
from django.conf import settings
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_the_models_need_no_migration_that_is_not_written():
    # Exits with status 1 (SystemExit) when a model change has no migration.
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def _scratch_database_url(tmp_path) -> tuple[str, callable]:
    """An empty database on the tests' own server, and how to drop it afterwards."""
    default = settings.DATABASES["default"]
    if not default["ENGINE"].endswith("postgresql"):
        return f"sqlite:///{tmp_path / 'migrations.sqlite3'}", lambda: None
    import psycopg2

    name = f"tif_migrations_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
    server = {"host": default["HOST"], "port": default["PORT"] or 5432, "user": default["USER"],
              "password": default["PASSWORD"], "dbname": "postgres"}

    def run(statement):
        connection = psycopg2.connect(**server)
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute(statement)
        connection.close()

    run(f'DROP DATABASE IF EXISTS "{name}"')
    run(f'CREATE DATABASE "{name}"')
    config = dj_database_url.parse(os.environ["DATABASE_URL"])
    url = f"postgres://{config['USER']}:{config['PASSWORD'] or ''}@{config['HOST']}:{config['PORT'] or 5432}/{name}"
    return url, lambda: run(f'DROP DATABASE IF EXISTS "{name}"')


COUNT_REFERENCE_DATA = """
import django; django.setup()
from knowledge.models import Page
from municipalities.models import County, Municipality
print(County.objects.count(), Municipality.objects.count(), Page.objects.count())
"""


@pytest.mark.django_db
def test_every_migration_applies_to_an_empty_database_and_loads_the_reference_data(tmp_path):
    url, drop = _scratch_database_url(tmp_path)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")} | {"DATABASE_URL": url}
    try:
        migrated = subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
                                  cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
        assert migrated.returncode == 0, migrated.stderr
        counted = subprocess.run([sys.executable, "-c", COUNT_REFERENCE_DATA],
                                 cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
        assert counted.returncode == 0, counted.stderr
    finally:
        drop()
    from knowledge.models import Page
    from municipalities.models import County, Municipality

    # The migrations load what the tests' own databases get from the same loaders.
    expected = [County.objects.count(), Municipality.objects.count(), Page.objects.count()]
    assert expected[0] == 21 and expected[1] == 290
    assert [int(n) for n in counted.stdout.split()] == expected
