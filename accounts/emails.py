from django.template.loader import render_to_string

from accounts.contact_login import link_subject
from tif_portal import outbox


@outbox.renderer("accounts.contact_link")
def contact_link(email):
    return outbox.Rendered(
        subject=link_subject(),
        body_text=render_to_string("emails/contact_link.txt", email.params),
    )
