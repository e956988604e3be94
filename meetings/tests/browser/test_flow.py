"""The whole round as people do it: import workplaces, plan a meeting with an instructor,
invite, register through the link in the delivered mail, take attendance, hand out a
decal, then cancel the meeting and see it cancelled in the instructor's calendar feed.
The pages themselves are checked (axe, both languages) by the role crawls."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from decals.models import DecalIssue, DecalStock
from meetings.models import Meeting, Registration

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CSV = (
    "företag;typ;namn;id;adress;postnummer;ort;contact_name;contact_email\n"
    "PostNord;ombud;ICA Kvantum Birsta;PN-9001;Birstavägen 1;862 33;Sundsvall;Sara Östlund;sara@ombud.example\n"
    "DHL;terminal;DHL Terminal Sundsvall;DHL-77;Terminalvägen 5;856 50;Sundsvall;Tor Terminal;tor@terminal.example\n"
)


def local(dt):
    return timezone.localtime(dt).strftime("%Y-%m-%dT%H:%M")


def test_a_meeting_from_import_to_cancellation(
    page, nojs_page, live_server, settings, deliver_by_smtp, anna_sundsvall, per_police, sundsvall,
    browser_login, tmp_path,
):
    settings.SITE_URL = live_server.url
    DecalStock.objects.create(county=sundsvall.county, size="A5", quantity=10)
    browser_login(page, anna_sundsvall)

    # 1. Import the company's list of sites (part of the meetings app's site pages).
    page.goto("/moten/arbetsplatser/import/")
    page.get_by_label("Kommun").select_option(label="Sundsvall")
    csv_file = tmp_path / "ombud.csv"
    csv_file.write_text(CSV, encoding="utf-8")
    page.get_by_label("CSV-fil").set_input_files(str(csv_file))
    page.get_by_role("button", name="Förhandsgranska").click()
    page.get_by_role("button", name="Bekräfta och spara").click()
    page.wait_for_load_state()
    assert "ICA Kvantum Birsta" in page.content()

    # 2. Plan the meeting with Per from the police as instructor.
    page.goto("/moten/nytt/")
    start = timezone.now().replace(second=0, microsecond=0) + timedelta(days=10)
    page.locator("#id_working_group").select_option(label="TIF Sundsvall")
    page.locator("#id_title").fill("Samverkansmöte Birsta")
    page.locator("#id_starts_at").fill(local(start))
    page.locator("#id_ends_at").fill(local(start + timedelta(hours=2)))
    page.locator("#id_place").fill("Stadshuset, sal 3")
    page.locator("#id_capacity").fill("30")
    page.locator("#id_registration_deadline").fill(local(start - timedelta(days=2)))
    page.get_by_label(re.compile("Per Ström")).check()
    page.locator("form [type=submit]").last.click()
    page.wait_for_load_state()
    meeting = Meeting.objects.get(title="Samverkansmöte Birsta")
    assert list(meeting.instructors.all()) == [per_police]
    page.goto(f"/moten/{meeting.pk}/")

    # 3. Invite: the chooser shows the count first, then the batch goes out.
    page.get_by_role("link", name="Skicka inbjudningar").click()
    page.get_by_role("button", name="Visa mottagare").click()
    expect(page.locator("main")).to_contain_text("2 personer matchar urvalet")
    expect(page.locator("main")).to_contain_text("2 är valda")
    page.get_by_role("button", name="Skicka inbjudningar till de valda").click()
    page.wait_for_load_state()
    assert "/utskick/" in page.url
    page.reload()
    assert "2 av 2 klara" in page.content()
    page.goto(f"/moten/{meeting.pk}/utskick/")
    assert "sara@ombud.example" in page.content()

    # 4. Sara opens the link in the mail she got and registers herself and a colleague (no JavaScript).
    [mail] = deliver_by_smtp.to("sara@ombud.example")
    body = mail.get_body(preferencelist=("plain",)).get_content()
    link = re.search(r"https?://\S+/moten/anmalan/[\w-]+/", body).group(0)
    contact_page = nojs_page  # registering needs no JavaScript
    contact_page.goto(link)
    assert "Samverkansmöte Birsta" in contact_page.content()
    contact_page.get_by_label("Namn").nth(1).fill("Nils Kollega")
    contact_page.get_by_label("E-post").nth(1).fill("nils@ombud.example")
    contact_page.get_by_label("Kostönskemål (valfritt)").nth(1).fill("Vegetarisk")
    contact_page.get_by_label(re.compile("lokala nätverket")).check()
    contact_page.get_by_role("button", name="Skicka anmälan").click()
    contact_page.wait_for_load_state()
    assert "2 personer är anmälda" in contact_page.content()
    assert Registration.objects.filter(meeting=meeting).count() == 2
    confirmation = deliver_by_smtp.to("nils@ombud.example")[0]
    change_link = re.search(r"https?://\S+/moten/anmalan/andra/[\w-]+/", confirmation.get_body(preferencelist=("plain",)).get_content()).group(0)
    contact_page.goto(change_link)
    assert contact_page.get_by_label("Kostönskemål (valfritt)").input_value() == "Vegetarisk"

    # 5. On the day: both came; the workplace got two decals.
    page.goto(f"/moten/{meeting.pk}/narvaro/")
    page.get_by_label(re.compile("Sara Östlund")).check()
    page.get_by_label(re.compile("Nils Kollega")).check()
    page.get_by_role("button", name="Spara närvaro").click()
    page.wait_for_load_state()
    assert Registration.objects.filter(meeting=meeting, checked_in_at__isnull=False).count() == 2
    decal_form = page.locator("form", has=page.get_by_role("button", name="Registrera dekaler"))
    decal_form.get_by_label("Arbetsplats").select_option(label="ICA Kvantum Birsta (PostNord), Birstavägen 1")
    decal_form.get_by_label("Storlek").select_option("A5")
    decal_form.get_by_label("Antal dekaler").fill("2")
    decal_form.get_by_role("button", name="Registrera dekaler").click()
    page.wait_for_load_state()
    assert DecalIssue.objects.get(meeting=meeting).quantity == 2
    assert DecalStock.objects.get(county=sundsvall.county, size="A5").quantity == 8


    # 6. The instructor's feed has the meeting; after cancelling, it says CANCELLED.
    per_police.refresh_from_db()
    feed_url = f"/moten/kalender/{per_police.feed_token}.ics"
    feed = page.request.get(feed_url).text()
    assert meeting.uid in feed and "STATUS:CANCELLED" not in feed
    page.goto(f"/moten/{meeting.pk}/stall-in/")
    page.get_by_role("button", name="Ja, ställ in mötet").click()
    page.wait_for_load_state()
    feed = page.request.get(feed_url).text()
    assert meeting.uid in feed and "STATUS:CANCELLED" in feed
