"""The local network: contacts who registered and agreed to hear from the working group."""

from django.utils import timezone

from meetings.models import Contact


def network_join(*, contact: Contact) -> None:
    if contact.in_network and contact.left_network_at is None:
        return
    Contact.objects.filter(pk=contact.pk).update(in_network=True, joined_network_at=timezone.now(), left_network_at=None)
    contact.refresh_from_db()


def network_leave(*, contact: Contact) -> None:
    """Leave the network; kept as a time so the contact is never mailed news again."""
    if contact.left_network_at is not None:
        return
    Contact.objects.filter(pk=contact.pk).update(left_network_at=timezone.now())
    contact.refresh_from_db()
