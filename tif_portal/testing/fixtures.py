"""Fixtures shared by every app's tests: meetings, an SMTP sink, a browser with axe."""

import os
from datetime import timedelta

import pytest
from django.utils import timezone

from meetings.models import Contact, Meeting, Site
from tif_portal.testing.smtp import SmtpSink


@pytest.fixture
def make_meeting():
    def make(group, *, days=14, **fields):
        start = timezone.now().replace(second=0, microsecond=0) + timedelta(days=days)
        defaults = {
            "title": f"Samverkansmöte {group.municipality.name}",
            "starts_at": start,
            "ends_at": start + timedelta(hours=2),
            "place": "Stadshuset",
            "capacity": 40,
            "registration_deadline": start - timedelta(days=2),
        }
        defaults.update(fields)
        return Meeting.objects.create(working_group=group, **defaults)

    return make


@pytest.fixture
def meeting_sundsvall(make_meeting, group_sundsvall):
    return make_meeting(group_sundsvall)


@pytest.fixture
def meeting_harnosand(make_meeting, group_harnosand):
    return make_meeting(group_harnosand)


@pytest.fixture
def make_site():
    counter = {"n": 0}

    def make(municipality, **fields):
        counter["n"] += 1
        n = counter["n"]
        defaults = {
            "company": "PostNord",
            "name": f"Ombud {municipality.name} {n}",
            "external_id": f"PN-{municipality.code}-{n}",
            "street": f"Storgatan {n}",
            "postal_code": "852 30",
            "city": municipality.name,
        }
        defaults.update(fields)
        return Site.objects.create(municipality=municipality, **defaults)

    return make


@pytest.fixture
def make_contact():
    counter = {"n": 0}

    def make(site, **fields):
        counter["n"] += 1
        defaults = {"name": f"Kontakt Åström {counter['n']}", "email": f"kontakt{counter['n']}@ombud.example"}
        defaults.update(fields)
        return Contact.objects.create(site=site, **defaults)

    return make


@pytest.fixture
def site_sundsvall(make_site, sundsvall):
    return make_site(sundsvall, name="ICA Nära Sundsvall")


@pytest.fixture
def site_harnosand(make_site, harnosand):
    return make_site(harnosand, name="Coop Härnösand")


@pytest.fixture
def contact_sundsvall(make_contact, site_sundsvall):
    return make_contact(site_sundsvall, name="Sara Östlund", email="sara@ombud.example")


@pytest.fixture
def contact_harnosand(make_contact, site_harnosand):
    return make_contact(site_harnosand, name="Håkan Ängström", email="hakan@ombud.example")


@pytest.fixture
def smtp_sink():
    """A local SMTP server that keeps what it receives; the stand-in for the mail provider."""
    sink = SmtpSink()
    sink.start()
    yield sink
    sink.stop()


@pytest.fixture
def deliver_by_smtp(settings, smtp_sink):
    settings.EMAIL_HOST = smtp_sink.host
    settings.EMAIL_PORT = smtp_sink.port
    settings.OUTBOX_DELIVERY_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    return smtp_sink


# Browser --------------------------------------------------------------------

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def _playwright():
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop; Django must still allow the test's ORM calls.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def chromium(_playwright):
    browser = _playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def page(chromium, live_server):
    from tif_portal.testing.browser import record_documents

    context = chromium.new_context(base_url=live_server.url, locale="sv-SE", java_script_enabled=True)
    page = context.new_page()
    record_documents(page)
    page.set_default_timeout(15000)
    yield page
    context.close()


@pytest.fixture
def nojs_page(chromium, live_server):
    context = chromium.new_context(base_url=live_server.url, locale="sv-SE", java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


@pytest.fixture
def page_check():
    """Checks each page as ``assert_page_passes`` does; ``page_check.assert_valid_html()`` then
    runs the HTML checker over all of them at once."""
    from tif_portal.testing.browser import PageChecker

    return PageChecker()


@pytest.fixture
def browser_login():
    from tif_portal.testing.browser import login

    return login


# Follow-up ------------------------------------------------------------------


@pytest.fixture
def followup_harnosand(meeting_harnosand):
    from followup.models import FollowUp

    return FollowUp.objects.create(meeting=meeting_harnosand, due_date=timezone.localdate() + timedelta(days=300))


@pytest.fixture
def action_harnosand(group_harnosand):
    from municipalities.models import ActionItem

    return ActionItem.objects.create(
        working_group=group_harnosand, what="Informera ombuden", who="Bo", due_date=timezone.localdate()
    )


@pytest.fixture
def material_harnosand(meeting_harnosand):
    from django.core.files.base import ContentFile

    from knowledge.models import Material

    material = Material(title="Presentationen", kind="file", meeting=meeting_harnosand, content_type="application/pdf")
    material.file.save("presentation.pdf", ContentFile(b"%PDF-1.7\n"), save=False)
    material.save()
    return material


@pytest.fixture
def goal_harnosand(group_harnosand):
    from municipalities.models import Goal

    return Goal.objects.create(
        working_group=group_harnosand, what="Alla ombud nås", measure="Andel ombud på möte", target_value=80,
        target_date=timezone.localdate() + timedelta(days=200),
    )


@pytest.fixture
def situation_harnosand(group_harnosand):
    from municipalities.models import SituationEntry

    return SituationEntry.objects.create(
        working_group=group_harnosand, date=timezone.localdate(), source="Polisen", text="Fler paket."
    )


@pytest.fixture
def communication_harnosand(group_harnosand):
    from municipalities.models import CommunicationItem

    return CommunicationItem.objects.create(
        working_group=group_harnosand, audience="Allmänheten", message="Vi samarbetar", who="Bo",
        date=timezone.localdate(),
    )


@pytest.fixture
def decal_order_harnosand(contact_harnosand):
    """A decal order placed from Härnösand (made directly: eligibility is not the point here)."""
    from decals.models import DecalOrder

    site = contact_harnosand.site
    return DecalOrder.objects.create(
        site=site,
        contact=contact_harnosand,
        quantity=2,
        delivery_name=site.name,
        delivery_street=site.street,
        delivery_postal_code=site.postal_code,
        delivery_city=site.city,
    )


@pytest.fixture
def decal_issue_harnosand(meeting_harnosand, site_harnosand):
    """Decals handed out at Härnösand's meeting (made directly: the stock is not the point here)."""
    from decals.models import DecalIssue

    return DecalIssue.objects.create(meeting=meeting_harnosand, site=site_harnosand, size="A5", quantity=3)


@pytest.fixture
def job_harnosand(meeting_harnosand, settings, tmp_path):
    """A finished letter job of Härnösand's meeting, with its result file."""
    from django.core.files.base import ContentFile

    from tif_portal.models import BackgroundJob

    settings.MEDIA_ROOT = tmp_path / "media"
    job = BackgroundJob.objects.create(
        kind=BackgroundJob.Kind.INVITATION_LETTERS,
        params={"meeting_id": meeting_harnosand.pk, "contact_ids": []},
        municipality=meeting_harnosand.working_group.municipality,
        state=BackgroundJob.State.DONE,
    )
    job.result.save("brev.pdf", ContentFile(b"%PDF-1.7\n"))
    return job


@pytest.fixture
def feedback_harnosand(group_harnosand, karin_county):
    """Seizure feedback in Härnösand's group, written by the county officer (who may change it)."""
    from datetime import date

    from followup.models import SeizureFeedback

    return SeizureFeedback.objects.create(
        working_group=group_harnosand, period_start=date(2026, 1, 1), period_end=date(2026, 3, 31),
        summary="Fem beslag av narkotika.", recorded_by=karin_county,
    )


# County meetings --------------------------------------------------------------


@pytest.fixture
def train():
    """Make people trained instructors: a held training in their county that they attended."""
    from meetings.models import CountyMeeting, CountyMeetingParticipant
    from meetings.services import county

    def make(*users, days_ago=30):
        home = users[0].memberships.select_related("working_group__municipality__county").first()
        start = timezone.now().replace(second=0, microsecond=0) - timedelta(days=days_ago)
        meeting = county.county_meeting_create(
            county=home.working_group.municipality.county, created_by=None, kind=CountyMeeting.Kind.TRAINING,
            title="Instruktörsutbildning", starts_at=start, ends_at=start + timedelta(hours=6), place="Länsstyrelsen",
        )
        CountyMeetingParticipant.objects.bulk_create(
            CountyMeetingParticipant(meeting=meeting, user=user, registered_at=start - timedelta(days=7)) for user in users
        )
        county.county_meeting_attendance(meeting=meeting, present=[user.pk for user in users])
        return meeting

    return make


@pytest.fixture
def county_group_vasternorrland(vasternorrland, karin_county):
    """Next month's county group in Västernorrland, nobody invited yet."""
    from meetings.models import CountyMeeting

    start = timezone.now().replace(second=0, microsecond=0) + timedelta(days=30)
    return CountyMeeting.objects.create(
        county=vasternorrland, kind=CountyMeeting.Kind.COUNTY_GROUP, title="Länsvis grupp Västernorrland",
        starts_at=start, ends_at=start + timedelta(hours=3), place="Länsstyrelsen, Härnösand", created_by=karin_county,
    )


@pytest.fixture
def regional_manager_harnosand(site_harnosand, karin_county):
    """PostNord's regional manager, contact for a site in Härnösand only."""
    from meetings.services.regional import regional_manager_invite

    return regional_manager_invite(
        company="PostNord", name="Rune Regionsson", email="rune@postnord.example", sites=[site_harnosand],
        invited_by=karin_county,
    )
