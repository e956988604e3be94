import csv
import html
import io
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from decals.models import DecalIssue
from followup import dashboard, services
from followup.models import FollowUp, SurveyResponse
from meetings.models import Contact, Meeting, Registration, Site
from municipalities.models import Municipality, WorkingGroup

pytestmark = pytest.mark.django_db


@pytest.fixture
def grow(vasternorrland):
    """Add ``n`` sites, contacts, held and planned meetings with attendees, decals,
    follow-ups and survey answers to every municipality in Västernorrland."""
    counter = {"n": 0}

    def grow(n):
        now = timezone.now().replace(hour=10, minute=0, second=0, microsecond=0)
        year_start = now.replace(month=1, day=2)
        for municipality in Municipality.objects.filter(county=vasternorrland):
            group, _ = WorkingGroup.objects.get_or_create(municipality=municipality, name=f"TIF {municipality.name}")
            for _i in range(n):
                counter["n"] += 1
                k = counter["n"]
                site = Site.objects.create(
                    municipality=municipality,
                    company="PostNord",
                    name=f"Ombud {k}",
                    street="Storgatan 1",
                    postal_code="852 30",
                    city=municipality.name,
                )
                contact = Contact.objects.create(
                    site=site, name=f"Person {k}", email=f"p{k}@ombud.example", in_network=True
                )
                held = Meeting.objects.create(
                    working_group=group,
                    title=f"Möte {k}",
                    starts_at=year_start,
                    ends_at=year_start + timedelta(hours=2),
                    place="Stadshuset",
                    status=Meeting.Status.HELD,
                )
                Meeting.objects.create(
                    working_group=group,
                    title=f"Planerat {k}",
                    starts_at=year_start + timedelta(days=300),
                    ends_at=year_start + timedelta(days=300, hours=2),
                    place="Stadshuset",
                )
                Registration.objects.create(meeting=held, contact=contact, checked_in_at=held.starts_at)
                DecalIssue.objects.create(meeting=held, site=site, quantity=2)
                FollowUp.objects.create(meeting=held, due_date=timezone.localdate().replace(month=1, day=1))
                SurveyResponse.objects.create(
                    meeting=held, phase="after", safety=(k % 5) + 1, knows_contact=True, would_report=k % 2 == 0
                )

    return grow


def _count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_dashboard_keeps_a_fixed_number_of_queries_as_data_grows(client, karin_county, grow):
    url = reverse("followup:county_dashboard", args=["22"])
    client.force_login(karin_county)
    grow(1)
    small = _count_queries(client, url)
    grow(9)
    large = _count_queries(client, url)
    assert large == small
    assert small <= 20


def test_the_dashboard_shows_each_municipalitys_figures(client, karin_county, grow):
    grow(2)
    client.force_login(karin_county)
    page = client.get(reverse("followup:county_dashboard", args=["22"])).content.decode()
    data = dashboard.county_dashboard(karin_county.county, timezone.localdate().year)
    sundsvall = next(r for r in data["rows"] if r.values["municipality"] == "Sundsvall")
    assert sundsvall.values["meetings_held"] == 2 and sundsvall.values["meetings_planned"] == 2
    assert sundsvall.values["sites_reached"] == 2 and sundsvall.values["sites_known"] == 2
    assert sundsvall.values["decals_issued"] == 4 and sundsvall.values["followups_overdue"] in (0, 2)
    assert "Örnsköldsvik" in page and "<svg" in page and "<desc" in page
    assert page.count("<figure") == 3 and page.count("<details") >= 3


def test_the_csv_export_has_exactly_the_dashboards_rows_and_keeps_swedish_letters(client, karin_county, grow):
    grow(2)
    client.force_login(karin_county)
    response = client.get(reverse("followup:county_export_csv", args=["22"]))
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.startswith(b"\xef\xbb\xbf")
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    data = dashboard.county_dashboard(karin_county.county, timezone.localdate().year)
    assert rows == dashboard.csv_rows(data)
    names = [row[0] for row in rows[1:-1]]
    assert "Örnsköldsvik" in names and "Härnösand" in names and "Ånge" in names
    assert len(names) == Municipality.objects.filter(county=karin_county.county).count()
    page = html.unescape(client.get(reverse("followup:county_dashboard", args=["22"])).content.decode())
    for row in rows:
        for cell in row:
            assert cell in page


def test_the_year_filter_changes_the_figures(client, karin_county, grow):
    grow(1)
    client.force_login(karin_county)
    last_year = timezone.localdate().year - 1
    response = client.get(reverse("followup:county_export_csv", args=["22"]), {"year": last_year})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    held_column = rows[0].index("Möten genomförda")
    assert all(row[held_column] == "0" for row in rows[1:])


def test_the_county_report_is_a_pdf(client, karin_county, grow):
    grow(1)
    client.force_login(karin_county)
    response = client.get(reverse("followup:county_report_pdf", args=["22"]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    from pypdf import PdfReader

    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Örnsköldsvik" in text and "Härnösand" in text


def _visible_text(page) -> str:
    """The text that starts on the page, without whitespace (the layout wraps labels): a table
    wider than the page runs off its right edge, where the text is still in the file."""
    width = float(page.mediabox.width)
    parts = []

    def visit(text, cm, tm, _font, _size):
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        if 0 <= x < width:
            parts.append("".join(text.split()))

    page.extract_text(visitor_text=visit)
    return "".join(parts)


def test_the_county_report_pdf_shows_every_column_of_the_dashboard_for_every_municipality(client, karin_county, grow):
    grow(2)
    client.force_login(karin_county)
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(client.get(reverse("followup:county_report_pdf", args=["22"])).content))
    text = "".join(_visible_text(page) for page in reader.pages)
    data = dashboard.county_dashboard(karin_county.county, timezone.localdate().year)
    missing = [str(label) for label in data["columns"] if "".join(str(label).split()) not in text]
    assert missing == [], f"the report lacks the columns {missing}"
    for row in [*data["rows"], data["total"]]:
        cells = ["".join(cell.split()) for cell in row.cells()]
        position = text.find(cells[0])
        assert position >= 0, cells[0]
        for cell in cells[1:]:
            position = text.find(cell, position + 1)
            assert position >= 0, f"{cells[0]}: {cell} is not in the report"


def test_coordinators_do_not_see_the_county_dashboard(client, anna_sundsvall):
    client.force_login(anna_sundsvall)
    assert client.get(reverse("followup:county_dashboard", args=["22"])).status_code == 404


def test_followup_daily_service_is_safe_to_repeat(grow):
    grow(1)
    services.followup_daily()
    assert services.followup_daily()["created"] == 0
