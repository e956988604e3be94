"""Reads that several views share; each takes the user and stays within what they may see."""

from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from meetings.models import ChecklistItem, Meeting, MeetingInstructor, Registration, Site


def sites_for(user):
    """Sites the user may see, with their contact count (one query per page)."""
    return Site.objects.visible_to(user).annotate(
        contact_count=Count("contacts", filter=Q(contacts__erased_at__isnull=True))
    )


def contacts_of_site(site: Site):
    return site.contacts.filter(erased_at__isnull=True).order_by("name")


def meetings_for(user):
    """Meetings the user may see, with counts of registrations and instructors."""
    return Meeting.objects.visible_to(user).annotate(
        registration_count=Count(
            "registrations",
            filter=~Q(registrations__status=Registration.Status.CANCELLED),
            distinct=True,
        ),
        instructor_count=Count("instructor_links", distinct=True),
    )


def meeting_page(user):
    """Meetings with what the meeting page shows: instructors, checklist and registration count."""
    return (
        meetings_for(user)
        .select_related("created_by", "contact_person", "site")
        .prefetch_related(
            Prefetch("instructor_links", queryset=MeetingInstructor.objects.select_related("user")),
            Prefetch("checklist", queryset=ChecklistItem.objects.select_related("done_by")),
        )
    )


def meetings_for_instructor(user):
    """Coming meetings the user instructs, across working groups, with their confirmation."""
    return (
        MeetingInstructor.objects.filter(user=user, meeting__ends_at__gte=timezone.now())
        .select_related("meeting__working_group__municipality")
        .order_by("meeting__starts_at")
    )
