"""Pages under real HTTP load: wrk against gunicorn with production settings, on national data.

    DATABASE_URL=postgres://... REDIS_URL=redis://... python -m tif_portal.bench.http

Uses the database of DATABASE_URL (filled with ``seed_national`` first when empty; ``make
bench`` points it at a database of its own) and adds one meeting with 300 registrations in
Göteborg if it is missing. gunicorn runs with two sync workers, DEBUG off and a secret key of
its own on a loopback port; the county officer of Västra Götaland and Göteborg's coordinator
log in through the login form, and their session cookies go with every request; pages without
sign-in go with the CSRF cookie their first look set, as a browser's second look does. A bare
Django view (the whole middleware stack, a two-byte answer) is measured in the same run, and
every page's throughput is shown as a share of it, since times drift on a shared machine.

Two passes, each with gunicorn started afresh: every page made afresh on every request (the page
cache off: the pages' own work, as on the first look after a change), then as production serves
it (the page cache on: a page is made once and served until the data changes). For each page:
wrk with 8 connections for throughput, then 50 connections for the 95th percentile of latency. Any error (connection, timeout or a status other than 2xx/3xx) is
counted and makes the run fail.
"""

import http.cookiejar
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from tif_portal.bench import national_data

HOST = "127.0.0.1"
PORT = int(os.environ.get("BENCH_HTTP_PORT", "8180"))
SECONDS = int(os.environ.get("BENCH_HTTP_SECONDS", "8"))
WORKERS = int(os.environ.get("BENCH_HTTP_WORKERS", "2"))
LOW, HIGH = 8, 50
BIG_MEETING_TITLE = "Mätmöte med 300 anmälda"
REPORT_SCRIPT = Path(__file__).with_name("wrk_report.lua")


@dataclass
class Page:
    label: str
    path: str
    who: str  # "coordinator", "county_officer" or "" for no login


@dataclass
class Result:
    rate: float
    p95_ms: float
    errors: int


def _setup():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tif_portal.settings")
    import django

    django.setup()


def big_meeting():
    """A planned meeting in Göteborg with 300 registered participants and one open invitation
    (for the registration page); made once, found again on later runs."""
    from datetime import timedelta

    from django.utils import timezone

    from meetings.models import Contact, Invitation, Meeting, Registration
    from municipalities.models import WorkingGroup

    group = WorkingGroup.objects.get(municipality__code="1480", name__startswith="TIF ")
    meeting = Meeting.objects.filter(working_group=group, title=BIG_MEETING_TITLE).first()
    if meeting is None:
        start = (timezone.now() + timedelta(days=400)).replace(minute=0, second=0, microsecond=0)
        meeting = Meeting.objects.create(
            working_group=group, title=BIG_MEETING_TITLE, starts_at=start, ends_at=start + timedelta(hours=2),
            place="Stadshuset", capacity=400, registration_deadline=start - timedelta(days=2),
        )
        contacts = list(Contact.objects.filter(site__municipality=group.municipality, erased_at=None).order_by("pk")[:301])
        Registration.objects.bulk_create(Registration(meeting=meeting, contact=c) for c in contacts[:300])
        Invitation.objects.create(meeting=meeting, contact=contacts[300])
    return meeting, Invitation.objects.filter(meeting=meeting).first()


def pages() -> list[Page]:
    from django.urls import reverse

    from accounts.models import User
    from knowledge.models import Page as KnowledgePage
    from meetings.models import Site
    from tif_portal.seed.national import national_logins

    national_data()
    meeting, invitation = big_meeting()
    county = User.objects.get(email=national_logins()["county_officer"]).county
    company = Site.objects.filter(municipality__county=county).values_list("company", flat=True).first()
    knowledge = KnowledgePage.objects.filter(published=True).order_by("pk").first()
    knowledge_path = knowledge.get_absolute_url() if knowledge else reverse("knowledge:page_list")
    return [
        Page("coordinator start (Göteborg)", reverse("home"), "coordinator"),
        Page("meeting list (Göteborg)", reverse("meetings:meeting_list"), "coordinator"),
        Page("meeting detail, 300 registered", meeting.get_absolute_url(), "coordinator"),
        Page("attendance list, 300 registered", reverse("meetings:attendance", args=[meeting.pk]), "coordinator"),
        Page("site list, county officer, filtered",
             reverse("meetings:site_list") + "?" + urllib.parse.urlencode({"company": company}), "county_officer"),
        Page(f"county dashboard, {county.name}", reverse("followup:county_dashboard", args=[county.code]),
             "county_officer"),
        Page("county CSV export", reverse("followup:county_export_csv", args=[county.code]), "county_officer"),
        Page("follow-up list, county officer", reverse("followup:followup_list"), "county_officer"),
        Page("agent registration page (token)", reverse("meetings:registration", args=[invitation.token]), ""),
        Page("knowledge page (public)", knowledge_path, ""),
    ]


def start_gunicorn(log_path: Path, page_cache: bool) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tif_portal.bench.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": HOST,
        "TIF_SITE_URL": f"http://{HOST}:{PORT}",
        # Production's default, stated so that a stray variable in the caller's shell cannot change it.
        "DJANGO_CONN_MAX_AGE": "60",
    }
    # On: production's default (none stated, and none from the caller's shell); off: 0.
    env.pop("DJANGO_PAGE_CACHE_SECONDS", None)
    if not page_cache:
        env["DJANGO_PAGE_CACHE_SECONDS"] = "0"
    log = open(log_path, "w")
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "tif_portal.wsgi:application", "--workers", str(WORKERS),
         "--worker-class", "sync", "--bind", f"{HOST}:{PORT}", "--log-level", "warning"],
        env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited: see {log_path}")
        try:
            urllib.request.urlopen(f"http://{HOST}:{PORT}/bench/bare/", timeout=2).read()
            return server
        except OSError:
            time.sleep(0.3)
    stop(server)
    raise SystemExit(f"gunicorn did not answer: see {log_path}")


def stop(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)


def login(email: str, password: str) -> str:
    """The Cookie header of a session made by the real login form."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    base = f"http://{HOST}:{PORT}"
    form = opener.open(f"{base}/konto/logga-in/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    body = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "username": email, "password": password}).encode()
    request = urllib.request.Request(f"{base}/konto/logga-in/", data=body, headers={"Referer": f"{base}/konto/logga-in/"})
    opener.open(request).read()
    cookies = {cookie.name: cookie.value for cookie in jar}
    if "sessionid" not in cookies:
        raise SystemExit(f"login as {email} failed")
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


def first_look_cookie(path: str) -> str:
    """The Cookie header a browser sends on its second look at a page without signing in: the
    CSRF cookie the first look set, if it set one."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.open(f"http://{HOST}:{PORT}{path}").read()
    return "; ".join(f"{cookie.name}={cookie.value}" for cookie in jar)


def check(path: str, cookie: str) -> None:
    request = urllib.request.Request(f"http://{HOST}:{PORT}{path}", headers={"Cookie": cookie} if cookie else {})
    with urllib.request.urlopen(request, timeout=60) as response:
        if response.status != 200:
            raise SystemExit(f"{path} answered {response.status}")
        if cookie and "logga-in" in response.url:
            raise SystemExit(f"{path} sent the logged-in user to the login page")


def wrk(path: str, cookie: str, connections: int) -> Result:
    command = ["wrk", "-t1", f"-c{connections}", f"-d{SECONDS}s", "--timeout", "10s", "-s", str(REPORT_SCRIPT)]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    output = subprocess.run([*command, f"http://{HOST}:{PORT}{path}"], capture_output=True, text=True, check=True).stdout
    fields = [int(x) for x in re.search(r"^WRK (.*)$", output, re.M).group(1).split()]
    requests, duration_us, *errors, p95_us = fields
    return Result(rate=requests / (duration_us / 1e6), p95_ms=p95_us / 1000, errors=sum(errors))


@dataclass
class Pass:
    bare: float
    bare_rates: list
    bare_high: Result
    rows: list  # (page, result at LOW, result at HIGH)


def measure(table: list[Page], logins: dict, log_path: Path, page_cache: bool) -> Pass:
    server = start_gunicorn(log_path, page_cache)
    try:
        people = {who: login(logins[who], logins["password"]) for who in ("coordinator", "county_officer")}
        cookies = [people[page.who] if page.who else first_look_cookie(page.path) for page in table]
        for page, cookie in zip(table, cookies, strict=True):
            check(page.path, cookie)
            wrk(page.path, cookie, LOW)  # warm-up: both workers load templates and caches
        bare_path = "/bench/bare/"
        wrk(bare_path, "", LOW)
        bare_rates = [wrk(bare_path, "", LOW).rate]
        rows = []
        for page, cookie in zip(table, cookies, strict=True):
            low = wrk(page.path, cookie, LOW)
            high = wrk(page.path, cookie, HIGH)
            rows.append((page, low, high))
            print(f"  {page.label}: {low.rate:.0f} req/s, p95 {high.p95_ms:.0f} ms", flush=True)
        # Bare Django before and after the pages, so a load that comes and goes falls on both.
        bare_rates.append(wrk(bare_path, "", LOW).rate)
        bare_high = wrk(bare_path, "", HIGH)
    finally:
        stop(server)
    return Pass(sum(bare_rates) / len(bare_rates), bare_rates, bare_high, rows)


def print_pass(title: str, measured: Pass) -> int:
    """The table of one pass; returns its number of errors."""
    print(f"\n{title}: gunicorn {WORKERS} sync workers, DEBUG off, wrk {SECONDS} s per figure; "
          f"bare Django view: {measured.bare:.0f} req/s at {LOW} connections "
          f"({', '.join(f'{r:.0f}' for r in measured.bare_rates)}), p95 {measured.bare_high.p95_ms:.1f} ms at {HIGH}\n")
    width = max(len(page.label) for page, *_ in measured.rows)
    print(f"| {'page':{width}} | req/s ({LOW} conns) | % of bare Django | p95 at {HIGH} conns | errors |")
    print(f"|{'-' * (width + 2)}|---|---|---|---|")
    errors = 0
    for page, low, high in measured.rows:
        errors += low.errors + high.errors
        print(f"| {page.label:{width}} | {low.rate:.0f} | {low.rate / measured.bare * 100:.1f} % | "
              f"{high.p95_ms / 1000:.2f} s | {low.errors + high.errors} |")
    return errors


def main() -> int:
    """Two passes: each page made afresh on every request (the page cache off, as on the first
    look after a change), then as production serves it (the page cache on)."""
    if not shutil.which("wrk"):
        print("The HTTP benchmark needs wrk (Debian package wrk).", file=sys.stderr)
        return 1
    _setup()
    from django.conf import settings

    from tif_portal.seed.national import national_logins

    table = pages()
    logins = national_logins()
    log_path = Path(settings.VAR_DIR) / "bench-gunicorn.log"
    passes = [("Made afresh (page cache off)", False), ("As served (page cache on)", True)]
    errors = 0
    results = []
    for title, page_cache in passes:
        print(f"{title}:", flush=True)
        results.append((title, measure(table, logins, log_path, page_cache)))
    for title, measured in results:
        errors += print_pass(title, measured)
    if errors:
        print(f"\n{errors} errors: see {log_path}", file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
