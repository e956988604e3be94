"""Every change people make is in the change history, and those who manage a meeting can read it."""

from django.urls import reverse

from followup.services import meeting_mark_held
from meetings.models import Meeting, NetworkConsent, Registration
from meetings.services import outreach
from meetings.services.network import network_join, network_leave
from tif_portal.testing.queries import assert_queries_do_not_grow


def _registered(meeting, make_contact, site, n=2):
    return [Registration.objects.create(meeting=meeting, contact=make_contact(site, name=f"Deltagare {i}")) for i in range(n)]


def test_ticking_attendance_is_recorded_with_who_ticked(meeting_sundsvall, site_sundsvall, make_contact, anna_sundsvall):
    came, stayed_away = _registered(meeting_sundsvall, make_contact, site_sundsvall)
    outreach.attendance_record(meeting=meeting_sundsvall, present=[came.pk], recorded_by=anna_sundsvall)
    latest = came.history.order_by("-history_date", "-history_id").first()
    assert latest.checked_in_at is not None and latest.history_user == anna_sundsvall
    assert stayed_away.history.count() == 1, "a row that does not change gets no record"

    outreach.attendance_record(meeting=meeting_sundsvall, present=[], recorded_by=anna_sundsvall)
    assert came.history.order_by("-history_date", "-history_id").first().checked_in_at is None


def test_joining_and_leaving_the_network_and_a_meeting_held_are_recorded(meeting_sundsvall, contact_sundsvall):
    before = contact_sundsvall.history.count()
    network_join(contact=contact_sundsvall, method=NetworkConsent.Method.MY_PAGE, given_by=contact_sundsvall)
    network_leave(contact=contact_sundsvall)
    records = list(contact_sundsvall.history.order_by("history_date", "history_id"))[before:]
    assert [r.in_network for r in records] == [True, True] and records[-1].left_network_at is not None

    meeting_sundsvall.starts_at = meeting_sundsvall.starts_at.replace(year=meeting_sundsvall.starts_at.year - 1)
    meeting_sundsvall.ends_at = meeting_sundsvall.ends_at.replace(year=meeting_sundsvall.ends_at.year - 1)
    meeting_sundsvall.save()
    meeting_mark_held(meeting=meeting_sundsvall)
    assert meeting_sundsvall.history.order_by("-history_date", "-history_id").first().status == Meeting.Status.HELD


def test_the_history_page_shows_who_changed_what_to_the_manager_only(
    client, meeting_sundsvall, site_sundsvall, make_contact, anna_sundsvall, bo_harnosand, per_police
):
    came, _ = _registered(meeting_sundsvall, make_contact, site_sundsvall)
    outreach.attendance_record(meeting=meeting_sundsvall, present=[came.pk], recorded_by=anna_sundsvall)
    url = reverse("meetings:meeting_history", args=[meeting_sundsvall.pk])

    client.force_login(anna_sundsvall)
    page = client.get(url).content.decode()
    assert "Anmälan: Deltagare 0" in page and anna_sundsvall.name in page and "Närvarande" in page

    client.force_login(bo_harnosand)
    assert client.get(url).status_code == 404, "another municipality does not learn the meeting exists"
    client.force_login(per_police)
    assert client.get(url).status_code in (403, 404), "an instructor does not manage the meeting"


def test_the_history_page_costs_the_same_queries_however_long_the_history(
    client, meeting_sundsvall, site_sundsvall, make_contact, anna_sundsvall
):
    client.force_login(anna_sundsvall)
    url = reverse("meetings:meeting_history", args=[meeting_sundsvall.pk])

    def grow():
        for registration in _registered(meeting_sundsvall, make_contact, site_sundsvall, n=20):
            registration.dietary_needs = "Vegetarisk"
            registration.save()

    assert_queries_do_not_grow(client, url, grow=grow, budget=12, shows=["Mötet"], shows_after_growth=["Deltagare 19"])


def test_what_someone_eats_is_not_repeated_in_the_history(client, meeting_sundsvall, site_sundsvall, make_contact, anna_sundsvall):
    (registration,) = _registered(meeting_sundsvall, make_contact, site_sundsvall, n=1)
    registration.dietary_needs = "Glutenfri"
    registration.save()
    client.force_login(anna_sundsvall)
    page = client.get(reverse("meetings:meeting_history", args=[meeting_sundsvall.pk])).content.decode()
    assert "Kostönskemål" in page and "Glutenfri" not in page
