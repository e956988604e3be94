"""Changes to sites and contacts; the CSV import and the registration pages use these too."""

from django.db import transaction

from meetings.models import Contact, Site

SITE_FIELDS = ("municipality", "kind", "company", "name", "external_id", "street", "postal_code", "city")
CONTACT_FIELDS = ("site", "name", "email", "phone", "language")


@transaction.atomic
def site_create(**fields) -> Site:
    return Site.objects.create(**{name: fields[name] for name in SITE_FIELDS if name in fields})


@transaction.atomic
def site_update(*, site: Site, **fields) -> Site:
    for name in SITE_FIELDS:
        if name in fields:
            setattr(site, name, fields[name])
    site.save()
    return site


@transaction.atomic
def contact_create(**fields) -> Contact:
    """A contact from the site's form (the form has checked that the address is new at the site)."""
    fields["email"] = fields["email"].strip().lower()
    return Contact.objects.create(**{name: fields[name] for name in CONTACT_FIELDS if name in fields})


def contact_at_site(*, site: Site, email: str, name: str, **defaults) -> tuple[Contact, bool]:
    """The site's contact with this address (there is one per address and site), made with
    ``name`` and ``defaults`` if there is none yet; also says whether it was made. Registration,
    walk-ins and regional managers all find their contact this way."""
    email = email.strip().lower()
    contact = Contact.objects.filter(site=site, email__iexact=email).first()
    if contact is not None:
        return contact, False
    return Contact.objects.create(site=site, email=email, name=name, **defaults), True


@transaction.atomic
def contact_update(*, contact: Contact, **fields) -> Contact:
    if "email" in fields:
        fields["email"] = fields["email"].strip().lower()
    for name in CONTACT_FIELDS:
        if name in fields:
            setattr(contact, name, fields[name])
    contact.save()
    return contact
