"""Lists on their second page, which the role crawls (small data) never reach: the image list's
links and the invitation chooser's buttons, checked like every page (axe, 320 px, the HTML
checker) in Swedish and English; and the chooser of a meeting cancelled meanwhile."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from knowledge.models import PageImage
from meetings.models import Invitation, Meeting

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def small_pages(settings):
    from meetings.views import invitations

    invitations.PAGE_SIZE, page_size = 2, invitations.PAGE_SIZE
    yield
    invitations.PAGE_SIZE = page_size


@pytest.fixture
def five_people(make_site, make_contact, sundsvall):
    site = make_site(sundsvall, name="Ombud A")
    return [make_contact(site, name=f"Person {n:02d}", email=f"p{n:02d}@ombud.example") for n in range(5)]


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_second_page_of_the_image_list_and_the_chooser_pass_the_checks(
    page, live_server, browser_login, page_check, karin_county, anna_sundsvall, meeting_sundsvall,
    five_people, sundsvall, small_pages, language,
):
    PageImage.objects.bulk_create(
        PageImage(image=f"knowledge/bild-{n}.png", alt_sv=f"Bild {n}", uploaded_by=karin_county) for n in range(55)
    )
    next_page, previous_page = ("Nästa", "Föregående") if language == "sv" else ("Next", "Previous")
    browser_login(page, karin_county)
    if language == "en":
        page.get_by_role("button", name="English").click()
    page.goto(reverse("knowledge:image_list"))
    page.get_by_role("link", name=next_page).click()
    page.wait_for_url("**?page=2")
    assert page.locator("tbody tr").count() == 5
    page_check(page, language, "county officer")

    page.context.clear_cookies()
    browser_login(page, anna_sundsvall)
    if language == "en":
        page.get_by_role("button", name="English").click()
    page.goto(reverse("meetings:invitation_chooser", args=[meeting_sundsvall.pk])
              + f"?participation=any&municipality={sundsvall.pk}")
    page.get_by_label("Person 00").uncheck()  # the untick goes with the form to the next page
    page.get_by_role("button", name=next_page).click()
    page.wait_for_load_state()
    expect(page.get_by_text("Person 02")).to_be_visible()
    page_check(page, language, "coordinator")
    page.get_by_role("button", name=previous_page).click()
    page.wait_for_load_state()
    assert not page.get_by_label("Person 00").is_checked() and page.get_by_label("Person 01").is_checked()
    page_check.assert_valid_html()


def test_a_meeting_cancelled_while_the_coordinator_chose_sends_nothing(
    page, live_server, browser_login, anna_sundsvall, meeting_sundsvall, five_people, sundsvall
):
    browser_login(page, anna_sundsvall)
    page.goto(reverse("meetings:invitation_chooser", args=[meeting_sundsvall.pk])
              + f"?participation=any&municipality={sundsvall.pk}")
    Meeting.objects.filter(pk=meeting_sundsvall.pk).update(status=Meeting.Status.CANCELLED)
    page.get_by_role("button", name="Skicka inbjudningar till de valda").click()
    page.wait_for_load_state()
    assert page.url.endswith(meeting_sundsvall.get_absolute_url())
    expect(page.get_by_text("Mötet är inställt.").first).to_be_visible()
    assert not Invitation.objects.exists()
