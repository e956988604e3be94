"""The survey done properly: the same questions at registration (before), after the meeting and
before the follow-up; results hidden below five answers; nothing ties an answer to a person."""

import json

import pytest
from django.core import mail
from django.urls import reverse

from followup import services
from followup.models import SURVEY_MIN_ANSWERS, SurveyInvitation, SurveyPhase, SurveyResponse
from knowledge.personal_data import contact_data_export
from meetings.models import Invitation, Registration
from tif_portal.outbox import delivery

pytestmark = pytest.mark.django_db


def _registration_post(contact, **baseline):
    data = {"people-TOTAL_FORMS": "3", "people-INITIAL_FORMS": "0", "people-MIN_NUM_FORMS": "3", "people-MAX_NUM_FORMS": "10",
            "people-0-name": contact.name, "people-0-email": contact.email}
    data.update({f"baseline-{name}": value for name, value in baseline.items()})
    return data


def test_the_baseline_is_asked_at_registration_and_stored_without_the_person(
    client, meeting_sundsvall, contact_sundsvall, django_capture_on_commit_callbacks
):
    invitation = Invitation.objects.create(meeting=meeting_sundsvall, contact=contact_sundsvall)
    url = reverse("meetings:registration", args=[invitation.token])
    assert "tre frågor före mötet" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, _registration_post(contact_sundsvall, safety="2", knows_contact="no", would_report="yes"))
    assert response.status_code == 302
    answer = SurveyResponse.objects.get()
    assert (answer.meeting, answer.phase, answer.safety, answer.knows_contact, answer.would_report) == (
        meeting_sundsvall, SurveyPhase.BEFORE, 2, False, True)
    # Registered once: the page does not ask again.
    assert "tre frågor före mötet" not in client.get(url).content.decode()

    delivery.deliver_batch()
    confirmation = next(m for m in mail.outbox if m.to == [contact_sundsvall.email])
    assert "trygg" not in confirmation.body.lower() and "enkät" not in confirmation.body.lower()
    export = json.dumps(contact_data_export(user=contact_sundsvall.user or _contact_user(contact_sundsvall)), default=str)
    assert "SurveyResponse" not in export and "safety" not in export


def _contact_user(contact):
    from accounts.contact_login import contact_link_request

    contact_link_request(email=contact.email)
    contact.refresh_from_db()
    return contact.user


def test_a_half_answered_baseline_asks_for_the_rest_and_registers_nobody(client, meeting_sundsvall, contact_sundsvall):
    invitation = Invitation.objects.create(meeting=meeting_sundsvall, contact=contact_sundsvall)
    url = reverse("meetings:registration", args=[invitation.token])
    response = client.post(url, _registration_post(contact_sundsvall, safety="4"))
    assert response.status_code == 200
    assert "Svara på alla tre frågorna eller ingen" in response.content.decode()
    assert not Registration.objects.exists() and not SurveyResponse.objects.exists()
    skipped = client.post(url, _registration_post(contact_sundsvall))
    assert skipped.status_code == 302 and Registration.objects.count() == 1 and not SurveyResponse.objects.exists()


def test_answers_have_random_keys_so_their_order_says_nothing(meeting_sundsvall):
    answers = [
        services.survey_baseline_record(meeting=meeting_sundsvall, safety=3, knows_contact=True, would_report=True)
        for _ in range(6)
    ]
    ids = [a.pk for a in answers]
    assert ids != sorted(ids) or ids != list(range(ids[0], ids[0] + 6))
    assert all(abs(a - b) > 1000 for a, b in zip(ids, ids[1:], strict=False))
    related = {f.related_model.__name__ for f in SurveyResponse._meta.get_fields() if f.is_relation}
    assert related == {"Meeting"}


def test_results_stay_hidden_until_five_have_answered(client, anna_sundsvall, held_meeting):
    client.force_login(anna_sundsvall)
    url = reverse("followup:survey_results", args=[held_meeting.working_group_id])
    for safety in (1, 2, 2, 1):
        SurveyResponse.objects.create(meeting=held_meeting, phase="after", safety=safety, knows_contact=False, would_report=True)
    page = client.get(url)
    html = page.content.decode()
    assert f"Visas vid minst {SURVEY_MIN_ANSWERS} svar" in html
    after = next(row for row in page.context["phases"] if row["phase"] == "after")
    assert after["hidden"] and after["safety"] is None and after["n"] == 4
    assert "<svg" not in html
    SurveyResponse.objects.create(meeting=held_meeting, phase="after", safety=4, knows_contact=True, would_report=True)
    page = client.get(url)
    after = next(row for row in page.context["phases"] if row["phase"] == "after")
    assert not after["hidden"] and after["safety"] == 2 and after["knows_pct"] == 20
    assert "<svg" in page.content.decode()


def test_the_follow_up_survey_asks_the_same_questions(client, held_meeting, contacts_sundsvall, attend):
    attend(held_meeting, contacts_sundsvall, present=contacts_sundsvall[:1])
    services.survey_invite(meeting=held_meeting, phase=SurveyPhase.BEFORE_FOLLOW_UP)
    token = SurveyInvitation.objects.get().token
    page = client.get(reverse("followup:survey_answer", args=[token])).content.decode()
    for question in ("Hur trygg känner du dig", "Vet du när och hur du ska kontakta polisen", "Skulle du anmäla"):
        assert question in page
