"""Material to pass on (presentations, the film) for those who could not attend.

A working group adds it to a meeting; county officers add it to a knowledge page. Participants
reach a meeting's material through their registration's personal link (in the minutes mail
and on their own page); files are served from the private storage by views that check the
link or the person.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from knowledge.models import Material, Page, can_edit_knowledge
from meetings.access import may_manage
from meetings.models import Meeting, Registration
from tif_portal.links import absolute_reverse
from tif_portal.uploads import content_type_for


def may_add_to_meeting(user, meeting: Meeting) -> bool:
    """Those who manage the meeting (in its own municipality), as for every meeting change."""
    return may_manage(user, meeting)


@transaction.atomic
def material_add(*, added_by, title: str, description: str = "", file=None, url: str = "",
                 meeting: Meeting | None = None, page: Page | None = None) -> Material:
    """Attach a checked file or an https link; the form has validated type and size."""
    if meeting is not None and not may_add_to_meeting(added_by, meeting):
        raise PermissionDenied
    if page is not None and not can_edit_knowledge(added_by):
        raise PermissionDenied
    material = Material(title=title.strip(), description=description.strip(), meeting=meeting, page=page, added_by=added_by)
    if file:
        material.kind, material.content_type, material.size = Material.Kind.FILE, content_type_for(file.name), file.size
        # Stored by save(), after the checks: a refused row leaves no file behind.
        material.file = file
    else:
        material.kind, material.url = Material.Kind.LINK, url
    material.full_clean()
    material.save()
    return material


@transaction.atomic
def material_remove(*, material: Material, by) -> None:
    if material.meeting_id and not may_add_to_meeting(by, material.meeting):
        raise PermissionDenied
    if material.page_id and not can_edit_knowledge(by):
        raise PermissionDenied
    name = material.file.name if material.file else ""
    material._history_user = by
    material.delete()
    if name:
        storage = Material._meta.get_field("file").storage
        transaction.on_commit(lambda: storage.delete(name))


def registration_for_link(token: str):
    """The registration a personal material link opens, or None."""
    return (
        Registration.objects.filter(token=token, contact__erased_at__isnull=True)
        .exclude(status=Registration.Status.CANCELLED)
        .select_related("meeting__working_group__municipality", "contact")
        .first()
    )


def personal_link(registration: Registration) -> str:
    return absolute_reverse("knowledge:material_personal", registration.token)


def minutes_material_link(meeting: Meeting, email: str) -> str:
    """The link the minutes mail gives ``email`` to the meeting's material, or "" when it has none.

    A participant gets their registration's personal link; members and instructors the page
    they open signed in.
    """
    if not Material.objects.filter(meeting=meeting).exists():
        return ""
    registration = (
        Registration.objects.filter(meeting=meeting, contact__email__iexact=email, contact__erased_at__isnull=True)
        .exclude(status=Registration.Status.CANCELLED)
        .only("token")
        .first()
    )
    if registration is not None:
        return personal_link(registration)
    return absolute_reverse("knowledge:meeting_material", meeting.pk)
