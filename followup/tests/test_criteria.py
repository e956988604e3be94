from datetime import date

import pytest
from django.utils import timezone

from accounts.models import User
from decals.models import DecalIssue
from followup import criteria, services
from followup.models import FollowUp, SeizureFeedback
from meetings.models import Meeting, MeetingInstructor
from municipalities.models import ActionItem, CommunicationItem, Membership, SituationEntry

pytestmark = pytest.mark.django_db


def _holds(group, key):
    return criteria.group_status(group).holds(key)


def _missing(group, key):
    status = criteria.group_status(group)
    return next(c.missing for c in status.criteria if c.key == key)


def test_police_and_municipality_holds_with_a_police_member_and_a_coordinator(
    group_sundsvall, anna_sundsvall, per_police
):
    assert _holds(group_sundsvall, "police_and_municipality")


def test_police_and_municipality_fails_without_police_and_says_what_is_missing(group_sundsvall, anna_sundsvall):
    assert not _holds(group_sundsvall, "police_and_municipality")
    assert "polisen" in _missing(group_sundsvall, "police_and_municipality")


def test_police_and_municipality_fails_with_police_alone(group_sundsvall, per_police):
    assert not _holds(group_sundsvall, "police_and_municipality")


def test_joint_invitation_holds_when_a_police_instructor_is_on_a_collaboration_meeting(meeting_sundsvall, per_police):
    meeting_sundsvall.instructors.add(per_police)
    assert _holds(meeting_sundsvall.working_group, "joint_invitation")


def test_joint_invitation_holds_with_a_customs_instructor(meeting_sundsvall, tove_customs):
    meeting_sundsvall.instructors.add(tove_customs)
    assert _holds(meeting_sundsvall.working_group, "joint_invitation")


def test_joint_invitation_fails_without_an_instructor_or_on_a_cancelled_meeting(meeting_sundsvall, per_police):
    group = meeting_sundsvall.working_group
    assert not _holds(group, "joint_invitation")
    MeetingInstructor.objects.create(meeting=meeting_sundsvall, user=per_police)
    Meeting.objects.filter(pk=meeting_sundsvall.pk).update(status=Meeting.Status.CANCELLED)
    assert not _holds(group, "joint_invitation")


def test_joint_invitation_fails_when_the_instructor_is_from_neither_agency(meeting_sundsvall):
    other = User.objects.create_user("x@example.org", "pw-123456789", name="X", role=User.Role.INSTRUCTOR)
    meeting_sundsvall.instructors.add(other)
    assert not _holds(meeting_sundsvall.working_group, "joint_invitation")


def test_meeting_held_holds_only_once_a_collaboration_meeting_is_marked_held(meeting_sundsvall):
    group = meeting_sundsvall.working_group
    assert not _holds(group, "meeting_held")
    Meeting.objects.filter(pk=meeting_sundsvall.pk).update(status=Meeting.Status.HELD)
    assert _holds(group, "meeting_held")


def test_network_holds_with_a_contact_in_the_network_and_fails_after_they_leave(group_sundsvall, contact_sundsvall):
    assert not _holds(group_sundsvall, "network")
    contact_sundsvall.in_network = True
    contact_sundsvall.save()
    assert _holds(group_sundsvall, "network")
    contact_sundsvall.left_network_at = timezone.now()
    contact_sundsvall.save()
    assert not _holds(group_sundsvall, "network")


def test_network_in_another_municipality_does_not_count(group_sundsvall, contact_harnosand):
    contact_harnosand.in_network = True
    contact_harnosand.save()
    assert not _holds(group_sundsvall, "network")


def test_decals_hold_once_handed_out_at_a_meeting(meeting_sundsvall, site_sundsvall):
    group = meeting_sundsvall.working_group
    assert not _holds(group, "decals")
    DecalIssue.objects.create(meeting=meeting_sundsvall, site=site_sundsvall, quantity=2)
    assert _holds(group, "decals")


def test_decals_hold_once_ordered_and_fail_when_the_order_is_rejected(
    group_sundsvall, site_sundsvall, contact_sundsvall
):
    from decals.models import DecalOrder

    order = DecalOrder(
        site=site_sundsvall,
        contact=contact_sundsvall,
        quantity=2,
        delivery_name="Sara Östlund",
        delivery_street="Storgatan 1",
        delivery_postal_code="852 30",
        delivery_city="Sundsvall",
    )
    order.save()
    assert _holds(group_sundsvall, "decals")
    DecalOrder.objects.filter(pk=order.pk).update(state=DecalOrder.State.REJECTED, rejection_reason="Fel adress")
    assert not _holds(group_sundsvall, "decals")


def test_media_holds_for_a_done_press_or_social_item_only(group_sundsvall):
    item = CommunicationItem.objects.create(
        working_group=group_sundsvall,
        audience="Allmänheten",
        channel=CommunicationItem.Channel.SOCIAL,
        message="Vi samarbetar",
        who="Anna",
        date=date(2026, 1, 1),
    )
    assert not _holds(group_sundsvall, "media")  # planned, not done
    item.status = CommunicationItem.Status.DONE
    item.save()
    assert _holds(group_sundsvall, "media")
    item.channel = CommunicationItem.Channel.EMAIL
    item.save()
    assert not _holds(group_sundsvall, "media")


def test_seizure_feedback_criterion_holds_once_recorded(group_sundsvall):
    assert not _holds(group_sundsvall, "seizure_feedback")
    SeizureFeedback.objects.create(
        working_group=group_sundsvall,
        period_start=date(2025, 1, 1),
        period_end=date(2025, 12, 31),
        summary="Två beslag.",
    )
    assert _holds(group_sundsvall, "seizure_feedback")


def test_steps_advance_with_the_data(group_sundsvall, anna_sundsvall, per_police, make_meeting, train):
    status = criteria.group_status(group_sundsvall)
    assert status.step == 1 and status.missing_for_step

    group_sundsvall.decision_date = date(2025, 1, 15)
    group_sundsvall.save()
    status = criteria.group_status(group_sundsvall)
    assert status.step == 2 and len(status.missing_for_step) == 4  # situation, actions, communication, training

    SituationEntry.objects.create(working_group=group_sundsvall, date=date(2025, 2, 1), source="Polisen", text="Ökning")
    ActionItem.objects.create(working_group=group_sundsvall, what="Bjud in", who="Anna", due_date=date(2025, 3, 1))
    CommunicationItem.objects.create(
        working_group=group_sundsvall, audience="Ombud", message="Möte", who="Anna", date=date(2025, 3, 1)
    )
    status = criteria.group_status(group_sundsvall)
    assert status.step == 2 and status.missing_for_step == [criteria.STEP_MISSING["trained_instructor"]]
    train(per_police)
    assert criteria.group_status(group_sundsvall).step == 4

    meeting = make_meeting(group_sundsvall, days=-30, status=Meeting.Status.HELD)
    assert criteria.group_status(group_sundsvall).step == 5
    follow_up = services.followup_create_for(meeting)
    follow_up.state = FollowUp.State.DONE
    follow_up.save()
    status = criteria.group_status(group_sundsvall)
    assert status.step == 5 and status.complete and status.missing_for_step == []


def test_step_two_needs_both_police_and_municipality(group_sundsvall, anna_sundsvall):
    group_sundsvall.decision_date = date(2025, 1, 15)
    group_sundsvall.save()
    Membership.objects.filter(working_group=group_sundsvall).delete()
    status = criteria.group_status(group_sundsvall)
    assert status.step == 2 and criteria.STEP_MISSING["members"] in status.missing_for_step


def test_the_status_of_many_groups_is_one_query(group_sundsvall, group_harnosand, django_assert_num_queries):
    from municipalities.models import WorkingGroup

    with django_assert_num_queries(1):
        result = criteria.statuses(WorkingGroup.objects.all())
    assert set(result) == {group_sundsvall.pk, group_harnosand.pk}
