"""Sites upserted per second through the REST API at national scale, beside the CSV import.

    DATABASE_URL=postgres://... REDIS_URL=redis://... python -m tif_portal.bench.api

Re-creates the database ``tif_bench_api`` on the server of DATABASE_URL. 15,000 sites (the
country's parcel service points, spread over all 290 municipalities, one contact each) go in
through ``POST /api/sites/upsert/`` in batches of 1,000 (in-process through Django's test
client: middleware, token, JSON and all, no network), then the same batches again, which
change nothing; then the same rows sorted by municipality, as a company's regional
lists would come. The same rows then go in as one CSV file through the import the portal's
page uses, into emptied tables, and again. Figures are sites per second of each pass.
"""

import csv
import io
import json
import os
import sys
import time

from tif_portal.bench import database_url

BENCH_DB = "tif_bench_api"
SITES = int(os.environ.get("BENCH_SITES", "15000"))
BATCH = 1000


def _rows(municipalities) -> list[dict]:
    rows = []
    for i in range(SITES):
        m = municipalities[i % len(municipalities)]
        rows.append({
            "company": ("PostNord", "DHL", "Schenker", "Bring", "Instabox", "Budbee")[i % 6],
            "external_id": f"SP-{i:06d}",
            "kind": "ombud" if i % 10 else "terminal",
            "name": f"Servicepunkt {i}",
            "street": f"Storgatan {i // len(municipalities) + 1}",
            "postal_code": f"{10000 + i % 89999:05d}",
            "city": m.name,
            "municipality_code": m.code,
            "contact_name": f"Kontakt {i}",
            "contact_email": f"kontakt{i}@ombud.example",
        })
    return rows


def _csv(rows) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), delimiter=";")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def _empty_sites() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE meetings_contact, meetings_historicalcontact, meetings_site, meetings_historicalsite CASCADE"
        )


def _api_pass(client, secret: str, rows) -> tuple[float, dict]:
    counts: dict = {}
    started = time.perf_counter()
    for start in range(0, len(rows), BATCH):
        response = client.post(
            "/api/sites/upsert/", json.dumps({"rows": rows[start : start + BATCH]}), content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {secret}",
        )
        if response.status_code != 200:
            raise SystemExit(f"upsert answered {response.status_code}: {response.content[:300]!r}")
        for key, n in response.json()["counts"].items():
            counts[key] = counts.get(key, 0) + n
    return time.perf_counter() - started, counts


def _csv_pass(data: bytes, *, municipality, user) -> tuple[float, dict]:
    from meetings.services import sites_csv as imports

    started = time.perf_counter()
    done = imports.import_apply(imports.read_rows(data), municipality=municipality, user=user)
    return time.perf_counter() - started, {k: v for k, v in done.counts.items() if v}


def main() -> int:
    if not os.environ.get("DATABASE_URL") or not os.environ.get("REDIS_URL"):
        print("Set DATABASE_URL (PostgreSQL) and REDIS_URL.", file=sys.stderr)
        return 1
    os.environ.update({
        "DATABASE_URL": database_url(os.environ["DATABASE_URL"], BENCH_DB, fresh=True),
        "DJANGO_SETTINGS_MODULE": "tif_portal.settings",
    })
    import django
    from django.conf import settings

    # Importing the package above may have read the settings already: point them at the bench's database.
    settings.DATABASES["default"]["NAME"] = BENCH_DB
    django.setup()
    from django.core.management import call_command
    from django.test import Client

    print(f"Database {BENCH_DB}: migrating ...", flush=True)
    call_command("migrate", verbosity=0)
    from accounts.models import User
    from api.services import token_create
    from municipalities.models import Municipality

    admin = User.objects.create_superuser("bench@tif.example", "bench-password-2026", name="Bench Admin")
    secret = token_create(user=admin, name="bench", scope="write", days=1)[1]
    municipalities = list(Municipality.objects.order_by("code"))
    rows = _rows(municipalities)
    client = Client()

    results = []
    for label in ("API, first pass (creates)", "API, same batches again (unchanged)"):
        seconds, counts = _api_pass(client, secret, rows)
        results.append((label, seconds, counts))
    # The import plans each batch against every site of the municipalities it names: a batch
    # of one region's sites reads far less than a batch spread over the whole country.
    _empty_sites()
    by_municipality = sorted(rows, key=lambda row: row["municipality_code"])
    for label in ("API, batches by municipality (creates)", "API, batches by municipality (unchanged)"):
        seconds, counts = _api_pass(client, secret, by_municipality)
        results.append((label, seconds, counts))
    _empty_sites()
    data = _csv(rows)
    for label in ("CSV import, one file (creates)", "CSV import, same file again (unchanged)"):
        seconds, counts = _csv_pass(data, municipality=municipalities[0], user=admin)
        results.append((label, seconds, counts))

    print(f"{SITES:,} sites with one contact each over {len(municipalities)} municipalities; API batches of {BATCH:,}.")
    width = max(len(label) for label, *_ in results)
    print(f"{'pass':{width}}  {'seconds':>8}  {'sites/s':>8}  counts")
    for label, seconds, counts in results:
        print(f"{label:{width}}  {seconds:8.1f}  {SITES / seconds:8.0f}  {counts}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
