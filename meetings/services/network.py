"""The local network: contacts who registered and agreed to hear from the working group."""

import uuid

from django.db import transaction
from django.utils import timezone

from meetings import emails
from meetings.models import Contact, NetworkConsent
from tif_portal import outbox


@transaction.atomic
def network_join(
    *, contact: Contact, method: str, given_by: Contact | None = None, recorded_by=None, note: str = ""
) -> NetworkConsent | None:
    """Add the contact to the local network with the consent recorded: how (``method``), by
    whom (the person ticking the box, ``given_by``, or the coordinator writing it down,
    ``recorded_by``) and when. A member already in gets no second record."""
    if contact.in_network and contact.left_network_at is None:
        return None
    now = timezone.now()
    consent = NetworkConsent.objects.create(
        contact=contact, method=method, given_at=now, given_by=given_by, recorded_by=recorded_by, note=note.strip()
    )
    contact.in_network, contact.joined_network_at, contact.left_network_at = True, now, None
    # save(), not update(): the change history records who and when.
    contact.save(update_fields=["in_network", "joined_network_at", "left_network_at"])
    return consent


def network_leave(*, contact: Contact) -> None:
    """Leave the network; kept as a time so the contact is never mailed news again."""
    if contact.left_network_at is not None:
        return
    contact.left_network_at = timezone.now()
    contact.save(update_fields=["left_network_at"])


def leaving_consequences(contacts) -> list[dict]:
    """What leaving the network means for each workplace of ``contacts`` (one person's rows):
    a workplace may order decals only while someone there is in the network.

    Each item has the site, whether it may order now (``eligible``) and whether someone else
    there stays in the network (``others_stay``). Three queries whatever the number of workplaces.
    """
    from decals.selectors import sites_eligibility

    contacts = [c for c in contacts if c.in_network and c.left_network_at is None]
    if not contacts:
        return []
    sites = {c.site_id: c.site for c in contacts}
    staying = set(
        Contact.objects.in_network()
        .filter(site_id__in=list(sites))
        .exclude(pk__in=[c.pk for c in contacts])
        .values_list("site_id", flat=True)
    )
    eligibility = sites_eligibility(sites.values())
    return [
        {"site": site, "eligible": eligibility[pk].eligible, "others_stay": pk in staying}
        for pk, site in sorted(sites.items(), key=lambda item: item[1].name)
    ]


def network_members(working_group):
    """Contacts in the group's local network: joined, not left, not erased, in the group's municipality."""
    return Contact.objects.in_network().filter(site__municipality_id=working_group.municipality_id)


@transaction.atomic
def network_news_send(*, working_group, subject: str, text: str, sent_by) -> str:
    """Queue a message to every network member; each mail carries a one-click leave link.

    Returns the batch id for the progress page.
    """
    batch = uuid.uuid4().hex
    members = network_members(working_group).values_list("pk", "email", "language")
    outbox.enqueue(
        emails.network_news_mail(
            batch=batch, contact_id=pk, email=email, language=language, group=working_group, subject=subject,
            text=text, sent_by=sent_by,
        )
        for pk, email, language in members
    )
    return batch
