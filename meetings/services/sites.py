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
    fields["email"] = fields["email"].strip().lower()
    return Contact.objects.create(**{name: fields[name] for name in CONTACT_FIELDS if name in fields})


@transaction.atomic
def contact_update(*, contact: Contact, **fields) -> Contact:
    if "email" in fields:
        fields["email"] = fields["email"].strip().lower()
    for name in CONTACT_FIELDS:
        if name in fields:
            setattr(contact, name, fields[name])
    contact.save()
    return contact
