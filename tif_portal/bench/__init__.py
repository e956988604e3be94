"""Benchmarks: python -m tif_portal.bench (all) or python -m tif_portal.bench.<name>."""

import os
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit


def database_url(url: str, name: str, *, fresh: bool) -> str:
    """The URL of database ``name`` on the PostgreSQL server of ``url``, created if missing
    (dropped first when ``fresh``), so benchmarks never touch the database in use."""
    import psycopg2

    parts = urlsplit(url)
    if not parts.scheme.startswith("postgres"):
        raise SystemExit("DATABASE_URL must point at PostgreSQL")
    admin = psycopg2.connect(urlunsplit(parts._replace(path="/postgres")))
    admin.autocommit = True
    with admin.cursor() as cursor:
        if fresh:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()
    return urlunsplit(parts._replace(path=f"/{name}"))


def national_data() -> None:
    """Migrate the benchmark's database and fill it with national data unless it has it: an
    empty database has no tables to ask yet."""
    from django.core.management import call_command

    from tif_portal.seed.national import already_loaded

    call_command("migrate", verbosity=0)
    if not already_loaded():
        print("Loading national data (seed_national) into this database first.", flush=True)
        call_command("seed_national")


def process_tree_cpu_seconds(pid: int) -> float:
    """User and system CPU of a process and its live descendants (a worker's pool), from /proc."""
    total, pending = 0.0, [pid]
    while pending:
        current = pending.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
            pending += [int(child) for child in Path(f"/proc/{current}/task/{current}/children").read_text().split()]
        except (OSError, ValueError):
            pass
    return total
