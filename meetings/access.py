"""Who may do what with a meeting: the one place every meeting view asks.

Seeing a meeting follows ``Meeting.objects.visible_to`` (the municipalities of the user's role,
and the meetings they instruct, wherever). Managing it takes more: a role that manages
(coordinator, county officer, administrator) in the meeting's own municipality. Being listed
as an instructor on another municipality's meeting lets a coordinator see it and answer as
instructor, nothing else. The participants' names and addresses are for those who manage.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from meetings.models import CountyMeeting, Meeting
from municipalities.models import sees_municipality


def visible_meeting(user, pk) -> Meeting:
    """The meeting if the user may see it; 404 otherwise, so its existence does not leak."""
    return get_object_or_404(Meeting.objects.visible_to(user), pk=pk)


def may_manage(user, meeting: Meeting) -> bool:
    if not user.can_manage:
        return False
    return sees_municipality(user, meeting.working_group.municipality_id)


def managed_meeting(user, pk) -> Meeting:
    """The meeting if the user may manage it: 404 when they cannot see it, 403 when they only see it."""
    meeting = visible_meeting(user, pk)
    if not may_manage(user, meeting):
        raise PermissionDenied
    return meeting


def may_read_minutes(user, meeting: Meeting) -> bool:
    """Those who manage the meeting, and its own instructors (who get the minutes by mail)."""
    return may_manage(user, meeting) or meeting.instructor_links.filter(user_id=user.pk).exists()


# Documents anyone who sees the meeting may read: they name no participant.
OPEN_DOCUMENTS = {"invitation", "checklist", "information", "decal"}


def may_read_document(user, meeting: Meeting, slug: str) -> bool:
    if slug in OPEN_DOCUMENTS:
        return True
    if slug == "minutes":
        return may_read_minutes(user, meeting)
    return may_manage(user, meeting)  # the attendance sheet lists every participant


# County meetings (trainings, the county group) ---------------------------------
#
# They belong to a county, not a working group. Seeing one follows
# ``CountyMeeting.objects.visible_to``: the county's officers, the people invited or registered,
# and for trainings every instructor and coordinator of the county (so that they can register).
# Managing one is for the officers of that county and administrators only.


def visible_county_meeting(user, pk) -> CountyMeeting:
    return get_object_or_404(CountyMeeting.objects.visible_to(user), pk=pk)


def may_manage_county_meeting(user, meeting: CountyMeeting) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return user.is_admin or (user.is_county_officer and user.county_id == meeting.county_id)


def managed_county_meeting(user, pk) -> CountyMeeting:
    """404 when the user cannot see the meeting, 403 when they only see it."""
    meeting = visible_county_meeting(user, pk)
    if not may_manage_county_meeting(user, meeting):
        raise PermissionDenied
    return meeting


def may_plan_county_meetings(user) -> bool:
    return getattr(user, "is_authenticated", False) and user.is_active and (user.is_admin or user.is_county_officer)
