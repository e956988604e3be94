"""Benchmarks: python -m tif_portal.bench (all) or python -m tif_portal.bench.<name>."""

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
