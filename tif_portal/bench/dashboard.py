"""Page timings on national data: the county dashboard of the largest county and a few other pages.

    python manage.py seed_national          # once
    python -m tif_portal.bench.dashboard    # median render time and query count per page

Pages are rendered in-process through Django's test client (no network, no
gunicorn), each several times after one warm-up; the table shows the median and
the number of database queries of one render.
"""

import os
import statistics
import sys
import time

from tif_portal.bench import national_data

RUNS = int(os.environ.get("BENCH_RUNS", "7"))


def _setup():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tif_portal.settings")
    import django

    django.setup()


def measure(client, url: str, runs: int = RUNS) -> tuple[float, int, int]:
    """(median milliseconds, queries, response bytes) for a GET of ``url``."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    response = client.get(url)  # warm-up: templates, translations, connection
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return statistics.median(timings), len(queries.captured_queries), len(response.content)


def main() -> int:
    _setup()
    from django.test import Client
    from django.urls import reverse

    from accounts.models import User
    from followup.models import FollowUp
    from meetings.models import Meeting, Site
    from municipalities.models import Municipality, WorkingGroup
    from tif_portal.seed.national import national_logins

    national_data()
    logins = national_logins()
    county_officer = User.objects.get(email=logins["county_officer"])
    coordinator = User.objects.get(email=logins["coordinator"])
    gothenburg = WorkingGroup.objects.get(municipality__code="1480", name__startswith="TIF ")
    county = county_officer.county

    officer, coord = Client(), Client()
    officer.force_login(county_officer)
    coord.force_login(coordinator)
    pages = [
        ("County dashboard, Västra Götaland (14)", officer, reverse("followup:county_dashboard", args=[county.code])),
        ("County dashboard CSV export (14)", officer, reverse("followup:county_export_csv", args=[county.code])),
        ("Follow-up list, county officer (14)", officer, reverse("followup:followup_list")),
        ("Coordinator start page (Göteborg)", coord, reverse("home")),
        ("Meeting list (Göteborg)", coord, reverse("meetings:meeting_list")),
        ("Meeting list, county officer (14)", officer, reverse("meetings:meeting_list")),
        ("Working-group page with criteria (Göteborg)", coord, gothenburg.get_absolute_url()),
        ("Follow-up list (Göteborg)", coord, reverse("followup:followup_list")),
    ]
    print(
        f"National data: {Municipality.objects.count()} municipalities, {Site.objects.count():,} sites, "
        f"{Meeting.objects.count():,} meetings, {FollowUp.objects.count():,} follow-ups; "
        f"{county.name}: {county.municipalities.count()} municipalities. Median of {RUNS} renders."
    )
    width = max(len(name) for name, *_ in pages)
    print(f"{'page':{width}}  {'median ms':>9}  {'queries':>7}  {'kB':>6}")
    for name, client, url in pages:
        median, queries, size = measure(client, url)
        print(f"{name:{width}}  {median:9.1f}  {queries:7d}  {size / 1024:6.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
