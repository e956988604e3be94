"""Cross-tenant denial for every view: another municipality's objects give 404.

Each URL that takes an object's id is listed in FOREIGN_OBJECTS with a function that
returns the arguments of an object belonging to Härnösand. Anna coordinates in
Sundsvall and Ulla is county officer in Uppsala: both must get 404 for all of them.
A new URL with arguments fails ``test_every_url_with_arguments_is_covered`` until it
is listed here (or in PUBLIC_BY_TOKEN with the reason it is public).
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

# The API's endpoints, with tokens instead of sessions: api/tests/test_tenancy.py.
from api.tests.test_tenancy import API_FOREIGN_OBJECTS

# Marked so pytest-django runs these before the transactional (browser) tests, which
# empty the reference tables; fixtures fetched by name would not tell it they need the db.
pytestmark = pytest.mark.django_db


def _fixture(name):
    return lambda get: get(name)


def _with_decision(group):
    from django.core.files.base import ContentFile

    if not group.decision_document:
        group.decision_document.save("beslut.pdf", ContentFile(b"%PDF-1.7\n"))
    return group


def _this_year():
    from django.utils import timezone

    return timezone.localdate().year


FOREIGN_OBJECTS = {
    "meetings:meeting_mark_held": lambda get: [get("meeting_harnosand").pk],
    "municipalities:group_detail": lambda get: [get("group_harnosand").pk],
    "municipalities:group_update": lambda get: [get("group_harnosand").pk],
    "municipalities:member_add": lambda get: [get("group_harnosand").pk],
    "municipalities:member_remove": lambda get: [get("bo_harnosand").memberships.get().pk],
    "municipalities:county_detail": lambda get: [get("harnosand").county.code],
    "meetings:meeting_detail": lambda get: [get("meeting_harnosand").pk],
    "meetings:meeting_update": lambda get: [get("meeting_harnosand").pk],
    "meetings:meeting_cancel": lambda get: [get("meeting_harnosand").pk],
    "meetings:meeting_copy": lambda get: [get("meeting_harnosand").pk],
    "meetings:meeting_history": lambda get: [get("meeting_harnosand").pk],
    "meetings:instructor_answer": lambda get: [get("meeting_harnosand").pk],
    "meetings:checklist_tick": lambda get: [get("meeting_harnosand").checklist.create(position=1, key="book_room").pk],
    "meetings:site_detail": lambda get: [get("site_harnosand").pk],
    "meetings:site_update": lambda get: [get("site_harnosand").pk],
    "meetings:contact_create": lambda get: [get("site_harnosand").pk],
    "meetings:contact_detail": lambda get: [get("contact_harnosand").pk],
    "meetings:contact_update": lambda get: [get("contact_harnosand").pk],
    "meetings:contact_network_join": lambda get: [get("contact_harnosand").pk],
    "meetings:invitation_letter_pdf": lambda get: [get("meeting_harnosand").pk],
    "meetings:invitation_letter_html": lambda get: [get("meeting_harnosand").pk],
    "meetings:checklist_pdf": lambda get: [get("meeting_harnosand").pk],
    "meetings:checklist_html": lambda get: [get("meeting_harnosand").pk],
    "meetings:attendance_sheet_pdf": lambda get: [get("meeting_harnosand").pk],
    "meetings:attendance_sheet_html": lambda get: [get("meeting_harnosand").pk],
    "meetings:minutes_pdf": lambda get: [get("meeting_harnosand").pk],
    "meetings:minutes_html": lambda get: [get("meeting_harnosand").pk],
    "meetings:information_sheet_pdf": lambda get: [get("meeting_harnosand").pk],
    "meetings:information_sheet_html": lambda get: [get("meeting_harnosand").pk],
    "meetings:decal_pdf": lambda get: [get("meeting_harnosand").pk, "a5"],
    "meetings:decal_html": lambda get: [get("meeting_harnosand").pk, "a5"],
    "meetings:invitation_letters_start": lambda get: [get("meeting_harnosand").pk],
    "meetings:invitation_text_edit": lambda get: [get("meeting_harnosand").pk],
    "meetings:logo_upload": lambda get: [get("meeting_harnosand").pk],
    "meetings:invitation_chooser": lambda get: [get("meeting_harnosand").pk],
    "meetings:invitation_send": lambda get: [get("meeting_harnosand").pk],
    "meetings:invitation_resend": lambda get: [
        get("meeting_harnosand").pk,
        get("meeting_harnosand").invitations.create(contact=get("contact_harnosand")).pk,
    ],
    "meetings:failed_invitations_resend": lambda get: [get("meeting_harnosand").pk],
    "meetings:meeting_outbox": lambda get: [get("meeting_harnosand").pk],
    "meetings:attendance": lambda get: [get("meeting_harnosand").pk],
    "meetings:walk_in_add": lambda get: [get("meeting_harnosand").pk],
    "meetings:attendee_export": lambda get: [get("meeting_harnosand").pk],
    "meetings:decal_issue": lambda get: [get("meeting_harnosand").pk],
    "meetings:minutes_edit": lambda get: [get("meeting_harnosand").pk],
    "meetings:minutes_send": lambda get: [get("meeting_harnosand").pk],
    "meetings:batch_progress": lambda get: [get("meeting_harnosand").pk, "batch"],
    "meetings:batch_status": lambda get: [get("meeting_harnosand").pk, "batch"],
    "meetings:network_news": lambda get: [get("group_harnosand").pk],
    "meetings:network_progress": lambda get: [get("group_harnosand").pk, "batch"],
    "meetings:network_status": lambda get: [get("group_harnosand").pk, "batch"],
    "job_detail": lambda get: [get("job_harnosand").pk],
    "job_status": lambda get: [get("job_harnosand").pk],
    "job_download": lambda get: [get("job_harnosand").pk],
    "job_retry": lambda get: [get("job_harnosand").pk],
    "knowledge:contact_sheet_choose": lambda get: [get("group_harnosand").pk],
    "decals:order_detail": lambda get: [get("decal_order_harnosand").pk],
    "decals:issue_update": lambda get: [get("decal_issue_harnosand").pk],
    "decals:issue_delete": lambda get: [get("decal_issue_harnosand").pk],
    "followup:followup_detail": lambda get: [get("followup_harnosand").pk],
    "followup:followup_meeting_create": lambda get: [get("followup_harnosand").pk],
    "followup:followup_done": lambda get: [get("followup_harnosand").pk],
    "followup:seizure_feedback": lambda get: [get("group_harnosand").pk],
    "followup:seizure_feedback_update": lambda get: [get("feedback_harnosand").pk],
    "followup:seizure_feedback_delete": lambda get: [get("feedback_harnosand").pk],
    "municipalities:plans": lambda get: [get("group_harnosand").pk],
    "followup:survey_results": lambda get: [get("group_harnosand").pk],
    "municipalities:action_update": lambda get: [get("action_harnosand").pk],
    "municipalities:communication_update": lambda get: [get("communication_harnosand").pk],
    "municipalities:goal_update": lambda get: [get("goal_harnosand").pk],
    "municipalities:situation_update": lambda get: [get("situation_harnosand").pk],
    "municipalities:situation_retire": lambda get: [get("situation_harnosand").pk],
    "municipalities:decision_update": lambda get: [get("group_harnosand").pk],
    "municipalities:decision_document": lambda get: [_with_decision(get("group_harnosand")).pk],
    "municipalities:report": lambda get: [get("group_harnosand").pk],
    "municipalities:report_pdf": lambda get: [get("group_harnosand").pk, _this_year()],
    "municipalities:report_send": lambda get: [get("group_harnosand").pk, _this_year()],
    "knowledge:meeting_material": lambda get: [get("meeting_harnosand").pk],
    "knowledge:material_file": lambda get: [get("material_harnosand").pk],
    "knowledge:material_delete": lambda get: [get("material_harnosand").pk],
    "followup:county_dashboard": lambda get: [get("harnosand").county.code],
    "followup:county_export_csv": lambda get: [get("harnosand").county.code],
    "followup:county_report_pdf": lambda get: [get("harnosand").county.code],
    # County meetings: only the county's officers manage them; a coordinator of the county who is
    # not invited does not see a county group meeting.
    "meetings:county_meeting_detail": lambda get: [get("county_group_vasternorrland").pk],
    "meetings:county_meeting_update": lambda get: [get("county_group_vasternorrland").pk],
    "meetings:county_meeting_invite": lambda get: [get("county_group_vasternorrland").pk],
    "meetings:county_meeting_register": lambda get: [get("county_group_vasternorrland").pk],
    "meetings:county_meeting_attendance": lambda get: [get("county_group_vasternorrland").pk],
    "meetings:county_meeting_minutes": lambda get: [get("county_group_vasternorrland").pk],
    "meetings:county_meeting_follow_up": lambda get: [get("county_group_vasternorrland").pk],
    "meetings:regional_manager_detail": lambda get: [get("regional_manager_harnosand").pk],
    "api_tokens:token_revoke": lambda get: [get("bo_harnosand").api_tokens.create(
        name="Bo", hint="tif_x", digest="0" * 64, expires_at="2099-01-01T00:00Z").pk],
}

# URLs that take a secret token or belong to another mechanism, and why they are safe.
PUBLIC_BY_TOKEN = {
    "meetings:registration": "the personal invitation token opens only that invitation",
    "meetings:registration_change": "the registration's own token opens only that registration",
    "meetings:registration_person": "the invitation token; only registrations of the invited contact's workplace",
    "meetings:registration_person_cancel": "the invitation token; only registrations of the invited contact's workplace",
    "meetings:waiting_list_leave": "the invitation token; only the waiting list entries of the contact's workplace",
    "meetings:network_leave": "the contact's token; leaving the network is all it can do",
    "accounts:password_reset_confirm": "Django's signed one-time token for one user",
    "set_language": "no object",
    "meetings:calendar_feed": "an instructor's secret feed token (User.feed_token, renewable); read-only calendar",
    "knowledge:page_detail": "a public knowledge page (slug); no municipality owns it",
    "knowledge:page_update": "a public knowledge page; editing needs the county officer or administrator role",
    "knowledge:page_history": "a public knowledge page; versions need the county officer or administrator role",
    "knowledge:page_version": "a public knowledge page; versions need the county officer or administrator role",
    "knowledge:contact_sheet": "public by design: shows only members the group chose to publish",
    "knowledge:contact_sheet_pdf": "public by design: shows only members the group chose to publish",
    "followup:survey_answer": "a participant's one-time anonymous survey link; opens only the survey form",
    "knowledge:page_material": "a public knowledge page's material; adding needs the county officer or administrator role",
    "knowledge:material_personal": "a participant's registration token; opens only that meeting's material",
    "knowledge:material_personal_file": "a participant's registration token; only files of that meeting",
    "followup:plans": "a redirect to the plans' new address, which checks who asks",
    "followup:action_update": "a redirect to the action's new address, which checks who asks",
    "followup:communication_update": "a redirect to the communication item's new address, which checks who asks",
    "public_media": "public pictures only (logos, knowledge pages); private files are in another storage",
}


def _named_patterns(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            namespace = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            if pattern.namespace == "admin":
                continue
            yield from _named_patterns(pattern, namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{prefix}{pattern.name}", pattern


def test_every_url_with_arguments_is_covered():
    uncovered = [
        name
        for name, pattern in _named_patterns()
        if pattern.pattern.regex.groups and name not in FOREIGN_OBJECTS and name not in PUBLIC_BY_TOKEN
        and name not in API_FOREIGN_OBJECTS
    ]
    assert uncovered == [], "list these in FOREIGN_OBJECTS or PUBLIC_BY_TOKEN"


@pytest.mark.parametrize("url_name", sorted(FOREIGN_OBJECTS))
@pytest.mark.parametrize("person", ["anna_sundsvall", "ulla_uppsala_county"])
def test_foreign_objects_give_404_on_get_and_post(client, request, url_name, person):
    args = FOREIGN_OBJECTS[url_name](request.getfixturevalue)
    client.force_login(request.getfixturevalue(person))
    url = reverse(url_name, args=args)
    assert client.get(url).status_code in (404, 405)  # 405: the view only takes POST
    assert client.post(url, {}).status_code == 404


# What an instructor may do with a meeting they instruct in another municipality: see it, answer,
# read the documents that name no participant and the minutes. Everything else of the meeting
# needs the right to manage it there.
AN_INSTRUCTORS_OWN = {
    "meetings:meeting_detail", "meetings:instructor_answer", "meetings:checklist_pdf", "meetings:checklist_html",
    "meetings:information_sheet_pdf", "meetings:information_sheet_html", "meetings:decal_pdf", "meetings:decal_html",
    "meetings:invitation_letter_pdf", "meetings:invitation_letter_html", "meetings:minutes_pdf", "meetings:minutes_html",
}
MEETING_URLS = sorted(
    name for name, args in FOREIGN_OBJECTS.items()
    if name.startswith("meetings:") and "meeting_harnosand" in args.__code__.co_names + args.__code__.co_consts
)


@pytest.mark.parametrize("url_name", [n for n in MEETING_URLS if n not in AN_INSTRUCTORS_OWN])
def test_a_coordinator_listed_as_instructor_elsewhere_cannot_manage_that_meeting(client, request, url_name, anna_sundsvall):
    meeting = request.getfixturevalue("meeting_harnosand")
    meeting.instructors.add(anna_sundsvall)
    args = FOREIGN_OBJECTS[url_name](request.getfixturevalue)
    client.force_login(anna_sundsvall)
    url = reverse(url_name, args=args)
    assert client.get(url).status_code in (403, 404, 405)
    assert client.post(url, {"text": "Skrivet av fel person", "answer": "yes"}).status_code in (403, 404)


def test_the_instructor_elsewhere_still_sees_the_meeting_and_answers(client, meeting_harnosand, anna_sundsvall):
    meeting_harnosand.instructors.add(anna_sundsvall)
    client.force_login(anna_sundsvall)
    assert client.get(meeting_harnosand.get_absolute_url()).status_code == 200
    client.post(reverse("meetings:instructor_answer", args=[meeting_harnosand.pk]), {"answer": "yes"})
    assert meeting_harnosand.instructor_links.get().confirmed_at is not None


@pytest.mark.parametrize("url_name", sorted(FOREIGN_OBJECTS))
def test_the_owner_can_open_the_same_urls(client, request, url_name, bo_harnosand):
    args = FOREIGN_OBJECTS[url_name](request.getfixturevalue)
    client.force_login(request.getfixturevalue("karin_county"))
    response = client.get(reverse(url_name, args=args))
    assert response.status_code in (200, 405), "the 404 above must come from scoping, not a broken URL"


def test_lists_show_only_the_users_municipality(client, anna_sundsvall, bo_harnosand, meeting_sundsvall, meeting_harnosand):
    client.force_login(anna_sundsvall)
    groups = client.get(reverse("municipalities:group_list")).content.decode()
    assert "TIF Sundsvall" in groups and "TIF Härnösand" not in groups
    meetings = client.get(reverse("meetings:meeting_list")).content.decode()
    assert "Samverkansmöte Sundsvall" in meetings and "Samverkansmöte Härnösand" not in meetings
    start = client.get(reverse("home")).content.decode()
    assert "Samverkansmöte Härnösand" not in start


def test_county_officer_sees_every_municipality_in_the_county_and_no_other(client, karin_county, group_sundsvall, group_harnosand):
    client.force_login(karin_county)
    page = client.get(reverse("municipalities:group_list")).content.decode()
    assert "TIF Sundsvall" in page and "TIF Härnösand" in page
    county = client.get(reverse("municipalities:county_detail", args=["22"])).content.decode()
    assert "Örnsköldsvik" in county
    assert client.get(reverse("municipalities:county_detail", args=["03"])).status_code == 404


def test_instructor_sees_meetings_they_teach_in_another_municipality(client, per_police, meeting_harnosand):
    meeting_harnosand.instructors.add(per_police)
    client.force_login(per_police)
    assert client.get(meeting_harnosand.get_absolute_url()).status_code == 200
    assert client.get(reverse("municipalities:group_detail", args=[meeting_harnosand.working_group_id])).status_code == 404


def test_administrators_see_every_meeting_even_where_scopes_are_combined(client, admin_user, per_police, meeting_harnosand):
    client.force_login(admin_user)
    assert client.get(meeting_harnosand.get_absolute_url()).status_code == 200
