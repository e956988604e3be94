"""Magic links for agent contacts: asked for by e-mail, valid ten minutes and once.

Opening the link shows a page with a button; only the button's POST uses the token,
so mail scanners that open links do not spend it.
"""

from django.db import transaction
from django.urls import reverse
from sesame.utils import get_query_string

from accounts import emails
from accounts.models import User
from meetings.models import Contact
from tif_portal import outbox
from tif_portal.links import absolute_url


@transaction.atomic
def contact_link_request(*, email: str) -> bool:
    """Mail a sign-in link if the address belongs to a contact; returns whether one was sent.

    The caller must answer the same either way, so addresses cannot be probed.
    """
    email = email.strip().lower()
    contacts = Contact.objects.filter(email__iexact=email, erased_at__isnull=True).select_related("site")
    first = contacts.first()
    if first is None:
        return False
    user = contact_user(email, first.name, first.language)
    contacts.filter(user__isnull=True).update(user=user)
    link = absolute_url(reverse("contact:login") + get_query_string(user))
    outbox.enqueue([emails.contact_link_mail(email=email, link=link, contact=first)])
    return True


def contact_user(email: str, name: str, language: str) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email, None, name=name, role=User.Role.CONTACT, language=language)
    return user


