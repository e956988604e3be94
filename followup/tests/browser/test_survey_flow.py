"""In the browser: a participant answers the baseline when registering, participants answer
after the meeting, and the coordinator sees results only once five have answered."""

import pytest
from playwright.sync_api import expect

from followup import services
from followup.models import SurveyInvitation, SurveyResponse
from meetings.models import Invitation, Registration

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _answer(page, token, safety):
    page.goto(f"/uppfoljning/enkat/{token}/")
    page.get_by_label(str(safety), exact=True).check()
    page.locator("#id_knows_contact_0").check()
    page.locator("#id_would_report_0").check()
    page.get_by_role("button", name="Skicka svaren").click()
    expect(page.get_by_text("Tack för dina svar")).to_be_visible()


def test_results_stay_hidden_below_five_answers(nojs_page, page, live_server, anna_sundsvall, group_sundsvall, make_meeting,
                                                make_site, make_contact, sundsvall, browser_login, page_check):
    meeting = make_meeting(group_sundsvall, days=-2)
    site = make_site(sundsvall)
    people = [make_contact(site) for _ in range(5)]
    for person in people:
        Registration.objects.update_or_create(meeting=meeting, contact=person, defaults={"checked_in_at": meeting.starts_at})
    services.meeting_mark_held(meeting=meeting)
    tokens = list(SurveyInvitation.objects.filter(registration__meeting=meeting).values_list("token", flat=True))
    assert len(tokens) == 5
    for token, safety in zip(tokens[:4], (2, 3, 4, 3), strict=True):
        _answer(nojs_page, token, safety)

    browser_login(page, anna_sundsvall)
    page.goto(f"/uppfoljning/grupper/{group_sundsvall.pk}/enkat/")
    page_check(page, "sv", "coordinator: survey results")
    assert page.get_by_text("Visas vid minst 5 svar").count() >= 1
    assert "3,0" not in page.locator("main").inner_text()

    _answer(nojs_page, tokens[4], 3)
    page.reload()
    after_row = page.get_by_role("row", name="Efter mötet").first  # the side-by-side table comes first
    assert "3,0" in after_row.inner_text() and "100 %" in after_row.inner_text()
    assert SurveyResponse.objects.filter(phase="after").count() == 5


def test_the_baseline_is_asked_in_the_registration_form(nojs_page, live_server, meeting_sundsvall, contact_sundsvall):
    invitation = Invitation.objects.create(meeting=meeting_sundsvall, contact=contact_sundsvall)
    nojs_page.goto(f"/moten/anmalan/{invitation.token}/")
    fieldset = nojs_page.locator("fieldset", has_text="Frivilligt: tre frågor före mötet")
    fieldset.get_by_label("2", exact=True).check()
    fieldset.locator("#id_baseline-knows_contact_1").check()
    fieldset.locator("#id_baseline-would_report_0").check()
    nojs_page.get_by_role("button", name="Skicka anmälan").click()
    assert Registration.objects.filter(meeting=meeting_sundsvall).count() == 1
    answer = SurveyResponse.objects.get()
    assert (answer.phase, answer.safety, answer.knows_contact, answer.would_report) == ("before", 2, False, True)
