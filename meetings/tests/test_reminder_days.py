"""Each meeting chooses how many days ahead its participants are reminded (two by default)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.models import Registration
from meetings.services import outreach
from meetings.services.meetings import meeting_copy
from tif_portal.models import OutboundEmail

pytestmark = pytest.mark.django_db


def test_a_meeting_reminds_as_many_days_ahead_as_the_coordinator_chose(make_meeting, group_sundsvall, make_contact, site_sundsvall):
    week_ahead = make_meeting(group_sundsvall, days=5, reminder_days_before=7)
    default = make_meeting(group_sundsvall, days=5)
    silent = make_meeting(group_sundsvall, days=1, reminder_days_before=0)
    people = [make_contact(site_sundsvall) for _ in range(3)]
    reminded = Registration.objects.create(meeting=week_ahead, contact=people[0])
    waiting = Registration.objects.create(meeting=default, contact=people[1])
    Registration.objects.create(meeting=silent, contact=people[2])

    assert outreach.reminders_send() == 1
    assert list(OutboundEmail.objects.values_list("key", flat=True)) == [f"reminder:{reminded.pk}"]
    # The default meeting's day comes three days later; the silent one never sends.
    assert outreach.reminders_send(now=timezone.now() + timedelta(days=3, hours=1)) == 1
    assert set(OutboundEmail.objects.values_list("key", flat=True)) == {f"reminder:{reminded.pk}", f"reminder:{waiting.pk}"}


def test_the_coordinator_sets_the_reminder_on_the_meeting_and_a_copy_keeps_it(client, anna_sundsvall, meeting_sundsvall):
    client.force_login(anna_sundsvall)
    form = client.get(reverse("meetings:meeting_update", args=[meeting_sundsvall.pk])).context["form"]
    assert form["reminder_days_before"].value() == 2
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data.update(reminder_days_before="15", starts_at=form["starts_at"].value(), ends_at=form["ends_at"].value())
    response = client.post(reverse("meetings:meeting_update", args=[meeting_sundsvall.pk]), data)
    assert response.status_code == 200 and "reminder_days_before" in response.context["form"].errors
    data["reminder_days_before"] = "5"
    assert client.post(reverse("meetings:meeting_update", args=[meeting_sundsvall.pk]), data).status_code == 302
    meeting_sundsvall.refresh_from_db()
    assert meeting_sundsvall.reminder_days_before == 5
    assert meeting_copy(meeting=meeting_sundsvall, weeks=2, created_by=anna_sundsvall).reminder_days_before == 5
