"""County meetings (instructor trainings, the county group): who sees and manages them, and
what attending a training does."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from followup import criteria
from meetings.forms import MeetingForm
from meetings.models import CountyMeeting, CountyMeetingParticipant
from meetings.services import county
from municipalities.models import Membership, Municipality, WorkingGroup
from tif_portal.models import OutboundEmail
from tif_portal.testing import PASSWORD

pytestmark = pytest.mark.django_db


def _start(days):
    return timezone.now().replace(second=0, microsecond=0) + timedelta(days=days)


@pytest.fixture
def training(vasternorrland, karin_county):
    start = _start(20)
    return county.county_meeting_create(
        county=vasternorrland, created_by=karin_county, kind=CountyMeeting.Kind.TRAINING,
        title="Instruktörsutbildning våren", starts_at=start, ends_at=start + timedelta(hours=6), place="Länsstyrelsen",
    )


@pytest.fixture
def uppsala_coordinator(uppsala_county):
    group = WorkingGroup.objects.create(municipality=Municipality.objects.get(code="0380"), name="TIF Uppsala")
    user = User.objects.create_user("ebba@uppsala.example", PASSWORD, name="Ebba Ek", role=User.Role.COORDINATOR)
    Membership.objects.create(working_group=group, user=user, role=Membership.Role.COORDINATOR)
    return user


def _status(client, user, url):
    client.force_login(user)
    return client.get(url).status_code


# Who sees and who manages -------------------------------------------------------------


def test_officers_of_another_county_never_see_the_countys_meetings(client, ulla_uppsala_county, training, county_group_vasternorrland):
    for meeting in (training, county_group_vasternorrland):
        assert _status(client, ulla_uppsala_county, meeting.get_absolute_url()) == 404
    listing = client.get(reverse("meetings:county_meeting_list")).content.decode()
    assert "Västernorrland" not in listing and "Instruktörsutbildning våren" not in listing


def test_people_of_another_county_do_not_see_its_training(client, uppsala_coordinator, training):
    assert _status(client, uppsala_coordinator, training.get_absolute_url()) == 404
    assert client.post(reverse("meetings:county_meeting_register", args=[training.pk])).status_code == 404
    assert not training.participants.exists()


def test_the_county_group_is_seen_by_those_invited_and_not_by_other_coordinators_of_the_county(
    client, county_group_vasternorrland, per_police, anna_sundsvall, karin_county
):
    url = county_group_vasternorrland.get_absolute_url()
    assert _status(client, per_police, url) == 404
    county.county_meeting_invite(meeting=county_group_vasternorrland, users=[per_police], invited_by=karin_county)
    assert _status(client, per_police, url) == 200
    assert _status(client, anna_sundsvall, url) == 404


def test_a_training_is_open_to_the_countys_instructors_and_coordinators_who_register_themselves(
    client, training, anna_sundsvall, per_police
):
    assert _status(client, anna_sundsvall, training.get_absolute_url()) == 200
    client.post(reverse("meetings:county_meeting_register", args=[training.pk]), {"register": "1"})
    assert training.participants.get(user=anna_sundsvall).registered_at is not None
    client.force_login(per_police)
    assert "Instruktörsutbildning våren" in client.get(reverse("meetings:county_meeting_list")).content.decode()


@pytest.mark.parametrize("name", ["county_meeting_update", "county_meeting_invite", "county_meeting_attendance",
                                  "county_meeting_minutes", "county_meeting_follow_up"])
def test_participants_see_but_never_manage_a_county_meeting(client, training, per_police, karin_county, name):
    county.county_meeting_invite(meeting=training, users=[per_police], invited_by=karin_county)
    client.force_login(per_police)
    url = reverse(f"meetings:{name}", args=[training.pk])
    assert client.get(url).status_code in (403, 405)
    assert client.post(url, {"minutes": "Fel person", "present": [per_police.pk]}).status_code == 403
    training.refresh_from_db()
    assert training.minutes == "" and not training.participants.filter(attended_at__isnull=False).exists()


def test_only_officers_and_administrators_plan_county_meetings(client, anna_sundsvall, karin_county):
    assert _status(client, anna_sundsvall, reverse("meetings:county_meeting_create")) == 403
    assert _status(client, karin_county, reverse("meetings:county_meeting_create")) == 200


# Invitations, attendance, minutes, follow-up --------------------------------------------


def test_invitations_go_to_the_countys_people_only_and_once(training, per_police, anna_sundsvall, uppsala_coordinator, karin_county):
    sent = county.county_meeting_invite(
        meeting=training, users=[per_police, anna_sundsvall, uppsala_coordinator], invited_by=karin_county
    )
    assert sent == 2
    assert set(training.participants.values_list("user__email", flat=True)) == {per_police.email, anna_sundsvall.email}
    assert county.county_meeting_invite(meeting=training, users=[per_police], invited_by=karin_county) == 0
    mail = OutboundEmail.objects.get(purpose="county_meeting_invitation", to=per_police.email)
    assert "Instruktörsutbildning våren" in mail.subject and f"/moten/lan/{training.pk}/" in mail.body_text


def test_attending_a_held_training_makes_a_trained_instructor_with_the_date(training, per_police, anna_sundsvall, karin_county):
    county.county_meeting_invite(meeting=training, users=[per_police, anna_sundsvall], invited_by=karin_county)
    with pytest.raises(county.CountyMeetingError):
        county.county_meeting_attendance(meeting=training, present=[per_police.pk])  # not started yet
    CountyMeeting.objects.filter(pk=training.pk).update(
        starts_at=training.starts_at - timedelta(days=40), ends_at=training.ends_at - timedelta(days=40)
    )
    training.refresh_from_db()
    assert county.county_meeting_attendance(meeting=training, present=[per_police.pk], recorded_by=karin_county) == 1
    marked = CountyMeetingParticipant.history.filter(user=per_police, attended_at__isnull=False).get()
    assert marked.history_user == karin_county
    training.refresh_from_db()
    assert training.status == CountyMeeting.Status.HELD
    assert training.follow_up_due == timezone.localdate(training.starts_at) + timedelta(days=365)
    assert county.trained_on([per_police.pk, anna_sundsvall.pk]) == {per_police.pk: timezone.localdate(training.starts_at)}


def test_a_county_group_attended_trains_nobody(county_group_vasternorrland, per_police, karin_county):
    county.county_meeting_invite(meeting=county_group_vasternorrland, users=[per_police], invited_by=karin_county)
    CountyMeeting.objects.filter(pk=county_group_vasternorrland.pk).update(starts_at=_start(-1), ends_at=_start(-1) + timedelta(hours=2))
    county_group_vasternorrland.refresh_from_db()
    county.county_meeting_attendance(meeting=county_group_vasternorrland, present=[per_police.pk])
    assert county.trained_on([per_police.pk]) == {}


def test_minutes_go_to_everyone_invited_and_a_follow_up_invites_them_again(
    county_group_vasternorrland, per_police, anna_sundsvall, karin_county
):
    meeting = county_group_vasternorrland
    county.county_meeting_invite(meeting=meeting, users=[per_police, anna_sundsvall], invited_by=karin_county)
    with pytest.raises(county.CountyMeetingError):
        county.county_meeting_follow_up(meeting=meeting, created_by=karin_county)
    assert county.county_meeting_minutes_save(meeting=meeting, text="Läget i länet.", send=True) == 2
    mail = OutboundEmail.objects.get(purpose="county_meeting_minutes", to=per_police.email)
    assert "Läget i länet." in mail.body_text
    county.meeting_mark_held(meeting=meeting)
    follow_up = county.county_meeting_follow_up(meeting=meeting, created_by=karin_county)
    assert follow_up.follow_up_of == meeting and follow_up.starts_at - meeting.starts_at == timedelta(days=364)
    assert set(follow_up.participants.values_list("user_id", flat=True)) == {per_police.pk, anna_sundsvall.pk}
    assert county.county_meeting_follow_up(meeting=meeting, created_by=karin_county) == follow_up


def test_registration_closes_when_the_meeting_starts(training, per_police):
    CountyMeeting.objects.filter(pk=training.pk).update(starts_at=_start(-1), ends_at=_start(-1) + timedelta(hours=1))
    training.refresh_from_db()
    with pytest.raises(county.CountyMeetingError):
        county.county_meeting_register(meeting=training, user=per_police)
    assert not CountyMeetingParticipant.objects.exists()


def test_a_meeting_that_ends_before_it_starts_is_refused_with_a_message(client, karin_county):
    client.force_login(karin_county)
    response = client.post(reverse("meetings:county_meeting_create"), {
        "kind": "training", "title": "Utbildning", "starts_at": "2026-05-04T10:00", "ends_at": "2026-05-04T09:00",
        "place": "Länsstyrelsen",
    })
    assert response.status_code == 200 and "Mötet måste sluta efter att det börjar" in response.content.decode()
    assert not CountyMeeting.objects.exists()


# What being trained shows ----------------------------------------------------------------


def test_the_instructor_picker_shows_who_is_trained(anna_sundsvall, per_police, tove_customs, train):
    training = train(per_police)
    form = MeetingForm(user=anna_sundsvall)
    labels = {user.pk: form.fields["instructors"].label_from_instance(user) for user in form.fields["instructors"].queryset}
    day = timezone.localdate(training.starts_at)
    assert "utbildad instruktör" in labels[per_police.pk] and str(day.year) in labels[per_police.pk]
    assert "utbildad" not in labels[tove_customs.pk]


def test_a_group_without_a_trained_instructor_sees_it_missing_in_its_steps(group_sundsvall, anna_sundsvall, per_police, train):
    group_sundsvall.decision_date = date(2026, 1, 15)
    group_sundsvall.save()
    missing = criteria.STEP_MISSING["trained_instructor"]
    assert missing in criteria.group_status(group_sundsvall).missing_for_step
    train(per_police)
    assert missing not in criteria.group_status(group_sundsvall).missing_for_step
