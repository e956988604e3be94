"""Reads that several views share; each takes the user and stays within what they may see."""

from django.db.models import IntegerField, OuterRef, Prefetch, Subquery
from django.utils import timezone

from meetings.models import ChecklistItem, Contact, Meeting, MeetingInstructor, Registration, Site


class SubqueryCount(Subquery):
    """How many rows a correlated subquery finds, for each row of the outer query.

    Counting this way keeps the outer query free of joins and GROUP BY: each row of a page
    costs one index lookup per count, and a paginator's COUNT(*) does not touch the counted
    tables at all.
    """

    template = "(SELECT COUNT(*) FROM (%(subquery)s) _counted)"
    output_field = IntegerField()


def active_registration_count():
    """The meeting's registrations that are not cancelled (for a queryset of meetings)."""
    return SubqueryCount(Registration.objects.filter(meeting=OuterRef("pk")).active().order_by().values("pk"))


def sites_for(user):
    """Sites the user may see, with their contact count (one query per page)."""
    return Site.objects.visible_to(user).annotate(
        contact_count=SubqueryCount(
            Contact.objects.filter(site=OuterRef("pk"), erased_at__isnull=True).order_by().values("pk")
        )
    )


def contacts_of_site(site: Site):
    return site.contacts.filter(erased_at__isnull=True).order_by("name")


def meetings_for(user):
    """Meetings the user may see, with counts of registrations and instructors."""
    return Meeting.objects.visible_to(user).annotate(
        registration_count=active_registration_count(),
        instructor_count=SubqueryCount(MeetingInstructor.objects.filter(meeting=OuterRef("pk")).order_by().values("pk")),
    )


def meeting_page(user):
    """Meetings with what the meeting page shows: instructors, checklist and registration count."""
    return (
        meetings_for(user)
        .select_related("created_by", "contact_person")
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
