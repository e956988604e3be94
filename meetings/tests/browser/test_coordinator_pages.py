"""A coordinator's round: sites, a CSV import, a new meeting with an instructor, the
checklist; then the instructor's schedule. The role crawls check the pages themselves (axe, both languages)."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from meetings.models import Meeting, Site

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CSV = (
    "företag;typ;namn;id;adress;postnummer;ort;contact_name;contact_email\r\n"
    "PostNord;ombud;ICA Kvantum Birsta;PN-1001;Birstavägen 5;856 50;Sundsvall;Åsa Öberg;asa@ombud.example\r\n"
    "DHL;ombud;Coop Centrum;DHL-77;Storgatan 10;852 30;Sundsvall;;\r\n"
).encode("cp1252")


def _upload(page, sundsvall):
    page.goto("/moten/arbetsplatser/import/")
    page.locator("#id_municipality").select_option(str(sundsvall.pk))
    page.locator("#id_file").set_input_files({"name": "ombud.csv", "mimeType": "text/csv", "buffer": CSV})
    page.locator("form [type=submit]").last.click()
    page.wait_for_load_state()
    assert page.url.endswith("/moten/arbetsplatser/import/granska/")


def test_coordinator_imports_sites_plans_a_meeting_and_the_instructor_sees_it(
    page, live_server, anna_sundsvall, per_police, group_sundsvall, sundsvall, browser_login
):
    browser_login(page, anna_sundsvall)
    page.goto("/moten/arbetsplatser/")
    page.get_by_role("link", name="Importera CSV").click()
    _upload(page, sundsvall)
    expect(page.get_by_text("ICA Kvantum Birsta")).to_be_visible()
    page.get_by_role("button", name="Bekräfta och spara").click()
    page.wait_for_load_state()
    expect(page.get_by_text("Importen är klar")).to_be_visible()
    assert Site.objects.filter(municipality=sundsvall).count() == 2
    page.get_by_role("link", name="ICA Kvantum Birsta").click()
    # The click only starts the navigation: wait for the site's page before looking at it.
    page.wait_for_url(re.compile(r"/moten/arbetsplatser/\d+/$"))
    expect(page.get_by_text("Åsa Öberg")).to_be_visible()

    page.goto("/moten/nytt/")
    start = timezone.localtime(timezone.now() + timedelta(days=21)).replace(hour=13, minute=0)
    page.locator("#id_working_group").select_option(str(group_sundsvall.pk))
    page.locator("#id_title").fill("Samverkansmöte Birsta")
    page.locator("#id_starts_at").fill(start.strftime("%Y-%m-%dT%H:%M"))
    page.locator("#id_ends_at").fill((start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"))
    page.locator("#id_place").fill("Birsta stadsdelscenter")
    page.locator("#id_capacity").fill("40")
    page.locator("#id_registration_deadline").fill((start - timedelta(days=3)).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Per Ström (Polisen)").check()
    page.get_by_role("button", name="Spara").click()
    page.wait_for_load_state()
    meeting = Meeting.objects.get(title="Samverkansmöte Birsta")
    assert page.url.endswith(meeting.get_absolute_url())
    expect(page.get_by_text("Inte bekräftat")).to_be_visible()

    item = meeting.checklist.get(key="book_room")
    page.get_by_role("button", name="Markera klar Boka lokal").click()
    page.wait_for_load_state()
    item.refresh_from_db()
    assert item.done_at is not None
    assert "Ångra" in page.locator(f"#checklist-{item.pk} button").inner_text()

    # The instructor's side.
    page.get_by_role("button", name="Logga ut").click()
    page.wait_for_load_state()
    browser_login(page, per_police)
    page.goto("/moten/mitt-schema/")
    expect(page.get_by_role("link", name="Samverkansmöte Birsta")).to_be_visible()
    page.get_by_role("button", name="Jag kommer – Samverkansmöte Birsta").click()
    page.wait_for_load_state()
    assert meeting.instructor_links.get().confirmed_at is not None


def test_the_checklist_and_confirmation_work_without_javascript(
    nojs_page, live_server, anna_sundsvall, per_police, group_sundsvall, browser_login
):
    from meetings.services import meetings as meeting_services

    start = timezone.now() + timedelta(days=7)
    meeting = meeting_services.meeting_create(
        group=group_sundsvall,
        created_by=anna_sundsvall,
        instructors=[per_police],
        title="Möte utan skript",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        place="Stadshuset",
    )
    browser_login(nojs_page, anna_sundsvall)
    nojs_page.goto(meeting.get_absolute_url())
    nojs_page.get_by_role("button", name="Markera klar Boka lokal").click()
    nojs_page.wait_for_load_state()
    assert meeting.checklist.get(key="book_room").done_at is not None
    nojs_page.get_by_role("button", name="Ångra Boka lokal").click()
    nojs_page.wait_for_load_state()
    assert meeting.checklist.get(key="book_room").done_at is None


def test_without_javascript_the_coordinator_unticks_a_recipient_and_only_the_others_are_invited(
    nojs_page, live_server, anna_sundsvall, meeting_sundsvall, site_sundsvall, make_contact, browser_login
):
    from tif_portal.models import OutboundEmail

    for name, email in [("Åsa Öberg", "asa@ombud.example"), ("Nils Nej", "nils@ombud.example"), ("Sara Östlund", "sara@ombud.example")]:
        make_contact(site_sundsvall, name=name, email=email)
    page = nojs_page
    browser_login(page, anna_sundsvall)
    page.goto(f"/moten/{meeting_sundsvall.pk}/inbjudningar/")
    page.get_by_role("button", name="Visa mottagare").click()
    page.wait_for_load_state()
    assert "3 är valda" in page.content()
    page.get_by_label("Nils Nej").uncheck()
    page.get_by_role("button", name="Räkna om de valda").click()
    page.wait_for_load_state()
    assert "2 är valda" in page.content() and not page.get_by_label("Nils Nej").is_checked()
    page.get_by_role("button", name="Skicka inbjudningar till de valda").click()
    page.wait_for_load_state()
    assert sorted(OutboundEmail.objects.filter(purpose="invitation").values_list("to", flat=True)) == [
        "asa@ombud.example", "sara@ombud.example",
    ]
