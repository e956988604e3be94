import uuid

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from tif_portal import outbox


def contact_link_mail(*, email: str, link: str, contact) -> outbox.Mail:
    """A sign-in link for an agent contact. Every request is a new link (the view's rate
    limits stop floods), so every request is a new mail."""
    return outbox.Mail(
        key=f"contact-link:{uuid.uuid4().hex}",
        to=email,
        purpose="contact_link",
        renderer="accounts.contact_link",
        params={"link": link, "name": contact.name},
        language=contact.language,
        municipality_id=contact.site.municipality_id,
    )


def link_subject() -> str:
    return _("Din inloggningslänk till TIF-portalen")


@outbox.renderer("accounts.contact_link")
def contact_link(email):
    return outbox.Rendered(
        subject=link_subject(),
        body_text=render_to_string("emails/contact_link.txt", email.params),
    )
