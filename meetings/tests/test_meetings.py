"""Meetings: services (create, update, cancel, copy, checklist, confirm) and the coordinator's pages."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from meetings.checklist import ANNEX_2
from meetings.models import ChecklistItem, Contact, Meeting, MeetingInstructor, Registration, Site
from meetings.services import meetings as meeting_services
from tif_portal.models import OutboundEmail


def _start(days=10):
    return timezone.now().replace(second=0, microsecond=0) + timedelta(days=days)


@pytest.fixture
def planned(group_sundsvall, anna_sundsvall, per_police):
    start = _start()
    return meeting_services.meeting_create(
        group=group_sundsvall,
        created_by=anna_sundsvall,
        instructors=[per_police],
        title="Samverkansmöte Sundsvall",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        place="Stadshuset",
        capacity=30,
        registration_deadline=start - timedelta(days=2),
        agenda=meeting_services.default_agenda(),
    )


def _ics_of(message):
    (attachment,) = [a for a in message.attachments if a[0].endswith(".ics")]
    content = attachment[1]
    return Calendar.from_ical(content if isinstance(content, bytes) else content.encode())


# Services -------------------------------------------------------------------------


def test_creating_a_meeting_makes_the_annex_2_checklist_and_mails_each_instructor(
    group_sundsvall, anna_sundsvall, per_police, django_capture_on_commit_callbacks
):
    start = _start()
    with django_capture_on_commit_callbacks(execute=True):
        meeting = meeting_services.meeting_create(
            group=group_sundsvall,
            created_by=anna_sundsvall,
            instructors=[per_police],
            title="Samverkansmöte",
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            place="Stadshuset",
        )
    assert [item.key for item in meeting.checklist.all()] == [key for key, _ in ANNEX_2]
    assert list(meeting.instructors.all()) == [per_police]
    (message,) = mail.outbox
    assert message.to == ["per@polisen.example"]
    cal = _ics_of(message)
    assert cal["METHOD"] == "REQUEST"
    assert str(cal.walk("VEVENT")[0]["UID"]) == f"{meeting.uid}@tif-portal"


def test_moving_a_meeting_raises_the_sequence_and_tells_the_instructors(
    planned, anna_sundsvall, django_capture_on_commit_callbacks
):
    meeting_services.instructor_answer(meeting=planned, user=planned.instructors.get(), answer="yes")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        meeting_services.meeting_update(
            meeting=planned,
            updated_by=anna_sundsvall,
            starts_at=planned.starts_at + timedelta(hours=1),
            ends_at=planned.ends_at + timedelta(hours=1),
        )
    planned.refresh_from_db()
    assert planned.sequence == 1
    (message,) = [m for m in mail.outbox if m.subject.startswith("Ändrat möte")]
    event = _ics_of(message).walk("VEVENT")[0]
    assert int(event["SEQUENCE"]) == 1
    assert MeetingInstructor.objects.get(meeting=planned).confirmed_at is None, "the new time needs confirming"


def test_an_update_that_changes_nothing_keeps_the_sequence_and_sends_nothing(planned, anna_sundsvall):
    before = OutboundEmail.objects.count()
    meeting_services.meeting_update(meeting=planned, updated_by=anna_sundsvall, title=planned.title)
    planned.refresh_from_db()
    assert planned.sequence == 0
    assert OutboundEmail.objects.count() == before


def test_changing_instructors_tells_the_new_one_and_withdraws_from_the_old(
    planned, anna_sundsvall, per_police, make_user_instructor
):
    olle = make_user_instructor("olle@polisen.example", "Olle Polis")
    meeting_services.meeting_update(meeting=planned, updated_by=anna_sundsvall, instructors=[olle])
    assert list(planned.instructors.all()) == [olle]
    purposes = dict(
        OutboundEmail.objects.filter(purpose__startswith="meeting_instructor")
        .values_list("to", "purpose")
        .order_by("id")
    )
    assert purposes["olle@polisen.example"] == "meeting_instructor_assigned"
    assert purposes["per@polisen.example"] == "meeting_instructor_removed"


def test_cancelling_a_meeting_sends_a_cancel_with_a_higher_sequence(
    planned, anna_sundsvall, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        meeting_services.meeting_cancel(meeting=planned, cancelled_by=anna_sundsvall)
    planned.refresh_from_db()
    assert planned.status == Meeting.Status.CANCELLED
    assert planned.sequence == 1
    (message,) = [m for m in mail.outbox if m.subject.startswith("Inställt möte")]
    cal = _ics_of(message)
    assert cal["METHOD"] == "CANCEL"
    assert str(cal.walk("VEVENT")[0]["STATUS"]) == "CANCELLED"
    # Cancelling twice changes nothing more.
    meeting_services.meeting_cancel(meeting=planned, cancelled_by=anna_sundsvall)
    planned.refresh_from_db()
    assert planned.sequence == 1


def test_copying_a_meeting_keeps_place_instructors_and_agenda_with_a_fresh_checklist(
    planned, anna_sundsvall, per_police
):
    item = planned.checklist.first()
    meeting_services.checklist_tick(item=item, user=anna_sundsvall, done=True)
    copy = meeting_services.meeting_copy(meeting=planned, weeks=52, created_by=anna_sundsvall)
    assert copy.pk != planned.pk and copy.uid != planned.uid
    assert copy.starts_at == planned.starts_at + timedelta(weeks=52)
    assert copy.ends_at == planned.ends_at + timedelta(weeks=52)
    assert copy.registration_deadline == planned.registration_deadline + timedelta(weeks=52)
    assert (copy.place, copy.agenda, copy.capacity) == (planned.place, planned.agenda, planned.capacity)
    assert list(copy.instructors.all()) == [per_police]
    assert copy.checklist.count() == len(ANNEX_2)
    assert not copy.checklist.filter(done_at__isnull=False).exists()
    assert copy.sequence == 0


def test_ticking_and_unticking_a_checklist_item_records_who_and_when(planned, anna_sundsvall):
    item = planned.checklist.get(key="book_room")
    meeting_services.checklist_tick(item=item, user=anna_sundsvall, done=True)
    item.refresh_from_db()
    assert item.done_at is not None and item.done_by == anna_sundsvall
    meeting_services.checklist_tick(item=item, user=anna_sundsvall, done=False)
    item.refresh_from_db()
    assert item.done_at is None and item.done_by is None


def test_an_instructor_confirms_once(planned, per_police):
    first = meeting_services.instructor_answer(meeting=planned, user=per_police, answer="yes").confirmed_at
    assert first is not None
    assert meeting_services.instructor_answer(meeting=planned, user=per_police, answer="yes").confirmed_at == first


@pytest.fixture
def make_user_instructor(group_sundsvall):
    from accounts.models import User
    from municipalities.models import Membership
    from tif_portal.testing import PASSWORD

    def make(email, name, group=None):
        user = User.objects.create_user(email, PASSWORD, name=name, role=User.Role.INSTRUCTOR)
        Membership.objects.create(working_group=group or group_sundsvall, user=user, role=Membership.Role.POLICE)
        return user

    return make


# Pages --------------------------------------------------------------------------------


def _form_data(group, **overrides):
    start = _start(20).astimezone(timezone.get_current_timezone())
    data = {
        "working_group": group.pk,
        "kind": "collaboration",
        "title": "Samverkansmöte Birsta",
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "place": "Birsta stadsdelscenter",
        "address": "Birstavägen 1",
        "capacity": "40",
        "registration_deadline": (start - timedelta(days=3)).strftime("%Y-%m-%dT%H:%M"),
        "agenda": "1. Illegala föremål",
    }
    data.update(overrides)
    return data


def test_the_new_meeting_form_starts_with_the_handbooks_agenda(client, anna_sundsvall, per_police, tove_customs):
    client.force_login(anna_sundsvall)
    response = client.get(reverse("meetings:meeting_create"))
    page = response.content.decode()
    assert "postlagen 2010:1045" in page and "2023:196" in page and "otrygghet" in page
    # Instructors of groups in the same county are offered, coordinators are not.
    offered = set(response.context["form"].fields["instructors"].queryset)
    assert offered == {per_police, tove_customs}


def test_a_coordinator_creates_a_meeting_with_an_instructor(client, anna_sundsvall, group_sundsvall, per_police):
    client.force_login(anna_sundsvall)
    response = client.post(reverse("meetings:meeting_create"), _form_data(group_sundsvall, instructors=[per_police.pk]))
    meeting = Meeting.objects.get(title="Samverkansmöte Birsta")
    assert response.status_code == 302 and response.url == meeting.get_absolute_url()
    assert list(meeting.instructors.all()) == [per_police]
    assert meeting.checklist.count() == len(ANNEX_2)
    assert OutboundEmail.objects.filter(to=per_police.email, purpose="meeting_instructor_assigned").exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"ends_at": "2020-01-01T10:00"},
            "Mötet måste sluta efter att det börjar.",
        ),
        ({"registration_deadline": "2099-01-01T10:00"}, "Sista anmälningsdag måste vara före mötet."),
        ({"capacity": "0"}, "Ange minst en plats."),
    ],
)
def test_the_meeting_form_explains_what_to_fix(client, anna_sundsvall, group_sundsvall, overrides, message):
    client.force_login(anna_sundsvall)
    response = client.post(reverse("meetings:meeting_create"), _form_data(group_sundsvall, **overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Meeting.objects.exists()


def test_an_instructor_from_another_county_is_refused(client, anna_sundsvall, group_sundsvall, ulla_uppsala_county):
    from accounts.models import User
    from municipalities.models import Membership, Municipality, WorkingGroup

    uppsala = WorkingGroup.objects.create(municipality=Municipality.objects.get(code="0380"), name="TIF Uppsala")
    ola = User.objects.create_user("ola@polisen.example", "x", name="Ola", role=User.Role.INSTRUCTOR)
    Membership.objects.create(working_group=uppsala, user=ola, role=Membership.Role.POLICE)
    client.force_login(anna_sundsvall)
    response = client.post(reverse("meetings:meeting_create"), _form_data(group_sundsvall, instructors=[ola.pk]))
    assert response.status_code == 200 and not Meeting.objects.exists()


def test_editing_a_meeting_moves_it_for_the_instructors_once_the_coordinator_has_seen_who_is_told(
    client, anna_sundsvall, planned, per_police
):
    client.force_login(anna_sundsvall)
    data = _form_data(planned.working_group, instructors=[per_police.pk])
    data.pop("working_group")
    url = reverse("meetings:meeting_update", args=[planned.pk])
    preview = client.post(url, data)
    assert preview.status_code == 200 and "Per Ström (instruktör)" in preview.content.decode()
    planned.refresh_from_db()
    assert planned.sequence == 0, "nothing is saved before confirming"
    assert not OutboundEmail.objects.filter(purpose="meeting_instructor_moved").exists()
    response = client.post(url, {**data, "confirm_move": "1"})
    assert response.status_code == 302
    planned.refresh_from_db()
    assert planned.place == "Birsta stadsdelscenter" and planned.sequence == 1
    assert OutboundEmail.objects.filter(to=per_police.email, purpose="meeting_instructor_moved").exists()


def test_the_meeting_page_shows_instructors_checklist_and_actions(client, anna_sundsvall, planned):
    client.force_login(anna_sundsvall)
    page = client.get(planned.get_absolute_url()).content.decode()
    assert "Per Ström" in page and "Inte bekräftat" in page
    assert "Boka lokal" in page and "Markera klar" in page
    for name in ("meeting_update", "meeting_copy", "meeting_cancel"):
        assert reverse(f"meetings:{name}", args=[planned.pk]) in page


def test_ticking_a_checklist_item_works_without_javascript(client, anna_sundsvall, planned):
    client.force_login(anna_sundsvall)
    item = planned.checklist.get(key="book_room")
    response = client.post(reverse("meetings:checklist_tick", args=[item.pk]), {"done": "1"})
    assert response.status_code == 302 and response.url.endswith(f"#checklist-{item.pk}")
    item.refresh_from_db()
    assert item.done_by == anna_sundsvall
    client.post(reverse("meetings:checklist_tick", args=[item.pk]), {"done": "0"})
    item.refresh_from_db()
    assert item.done_at is None


def test_an_instructor_sees_the_meeting_but_cannot_change_it(client, per_police, planned):
    client.force_login(per_police)
    assert client.get(planned.get_absolute_url()).status_code == 200
    assert client.get(reverse("meetings:meeting_update", args=[planned.pk])).status_code == 403
    item = planned.checklist.first()
    assert client.post(reverse("meetings:checklist_tick", args=[item.pk]), {"done": "1"}).status_code == 403


def test_cancelling_asks_first_and_then_cancels(client, anna_sundsvall, planned):
    client.force_login(anna_sundsvall)
    assert "Ja, ställ in mötet" in client.get(reverse("meetings:meeting_cancel", args=[planned.pk])).content.decode()
    client.post(reverse("meetings:meeting_cancel", args=[planned.pk]))
    planned.refresh_from_db()
    assert planned.status == Meeting.Status.CANCELLED


def test_copying_from_the_page_opens_the_copy_for_editing(client, anna_sundsvall, planned):
    client.force_login(anna_sundsvall)
    response = client.post(reverse("meetings:meeting_copy", args=[planned.pk]), {"weeks": "4"})
    copy = Meeting.objects.exclude(pk=planned.pk).get()
    assert response.url == reverse("meetings:meeting_update", args=[copy.pk])
    assert copy.starts_at == planned.starts_at + timedelta(weeks=4)
    response = client.post(reverse("meetings:meeting_copy", args=[planned.pk]), {"weeks": "0"})
    assert "Ange mellan 1 och 104 veckor." in response.content.decode()


def test_the_meeting_list_shows_upcoming_or_past(client, anna_sundsvall, make_meeting, group_sundsvall):
    make_meeting(group_sundsvall, days=5, title="Kommande möte")
    make_meeting(group_sundsvall, days=-5, title="Tidigare möte")
    client.force_login(anna_sundsvall)
    upcoming = client.get(reverse("meetings:meeting_list")).content.decode()
    assert "Kommande möte" in upcoming and "Tidigare möte" not in upcoming
    past = client.get(reverse("meetings:meeting_list"), {"when": "past"}).content.decode()
    assert "Tidigare möte" in past and "Kommande möte" not in past


def _grow(group, meetings, n):
    """n sites with a contact each, registered to every meeting."""
    sites = Site.objects.bulk_create(
        Site(
            municipality=group.municipality,
            company="PostNord",
            name=f"Ombud {i}",
            street=f"Väg {i}",
            postal_code="852 30",
            city="Sundsvall",
            external_id=f"Q-{len(meetings)}-{n}-{i}",
        )
        for i in range(n)
    )
    contacts = Contact.objects.bulk_create(
        Contact(site=site, name=f"Deltagare {site.pk}", email=f"d{site.pk}@ombud.example") for site in sites
    )
    Registration.objects.bulk_create(
        Registration(meeting=meeting, contact=contact) for meeting in meetings for contact in contacts
    )


def test_the_meeting_list_and_page_keep_a_fixed_number_of_queries_as_data_grows_tenfold(
    client, anna_sundsvall, group_sundsvall, per_police, make_meeting, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    meetings = [make_meeting(group_sundsvall, days=d) for d in range(1, 4)]
    for meeting in meetings:
        meeting.instructors.add(per_police)
        ChecklistItem.objects.bulk_create(
            ChecklistItem(meeting=meeting, position=p, key=key) for p, (key, _l) in enumerate(ANNEX_2, 1)
        )
    client.force_login(anna_sundsvall)
    _grow(group_sundsvall, meetings, 3)
    with CaptureQueriesContext(connection) as list_small:
        client.get(reverse("meetings:meeting_list"))
    with CaptureQueriesContext(connection) as page_small:
        client.get(meetings[0].get_absolute_url())

    more = [make_meeting(group_sundsvall, days=d) for d in range(4, 31)]
    _grow(group_sundsvall, meetings + more, 27)
    with django_assert_max_num_queries(len(list_small.captured_queries)):
        response = client.get(reverse("meetings:meeting_list"))
    assert len(response.context["page"]) == 30
    with django_assert_max_num_queries(len(page_small.captured_queries)):
        response = client.get(meetings[0].get_absolute_url())
    assert response.context["meeting"].registration_count == 30


def test_a_cancelled_meeting_cannot_be_edited_but_can_be_copied(client, anna_sundsvall, planned):
    meeting_services.meeting_cancel(meeting=planned, cancelled_by=anna_sundsvall)
    client.force_login(anna_sundsvall)
    response = client.get(reverse("meetings:meeting_update", args=[planned.pk]))
    assert response.status_code == 302 and response.url == planned.get_absolute_url()
    page = client.get(planned.get_absolute_url()).content.decode()
    assert "Mötet är inställt" in page
    assert reverse("meetings:meeting_update", args=[planned.pk]) not in page
    assert reverse("meetings:meeting_copy", args=[planned.pk]) in page


def test_marking_a_held_meeting_plans_its_follow_up(client, anna_sundsvall, make_meeting, group_sundsvall):
    from django.urls import reverse

    from followup.models import FollowUp

    meeting = make_meeting(group_sundsvall, days=-1)
    client.force_login(anna_sundsvall)
    assert "Markera som genomfört" in client.get(meeting.get_absolute_url()).content.decode()
    client.post(reverse("meetings:meeting_mark_held", args=[meeting.pk]))
    client.post(reverse("meetings:meeting_mark_held", args=[meeting.pk]))
    meeting.refresh_from_db()
    assert meeting.status == "held"
    assert FollowUp.objects.filter(meeting=meeting).count() == 1


@pytest.mark.django_db
def test_a_coordinator_reading_english_gets_the_agenda_in_swedish(client, anna_sundsvall):
    # The agenda is the meeting's own text, printed on its Swedish documents.
    anna_sundsvall.language = "en"
    anna_sundsvall.save(update_fields=["language"])
    client.force_login(anna_sundsvall)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("meetings:meeting_create"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'lang="en"' in page and "Illegala föremål i paketflödet" in page
    assert "Illegal items in the parcel flow" not in page
