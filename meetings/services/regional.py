"""Regional agent managers of logistics companies: one person for several sites in several
municipalities (handbook annex 2: invite them too).

A manager has a Contact row at each site they answer for, all with the same address, so they
sign in once and see every site on Mina sidor, where they order decals for each; a
municipality sees them at its own sites only.
"""

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from accounts.contact_login import contact_user
from meetings import emails
from meetings.models import RegionalManager, Site
from meetings.services.sites import contact_at_site
from tif_portal import outbox


def companies_of(sites) -> list[str]:
    """The companies among the sites the user sees, for the invitation's first step; one query."""
    return list(sites.order_by("company").values_list("company", flat=True).distinct())


def manager_sites(manager: RegionalManager, user) -> list[Site]:
    """The manager's sites the user may see, by municipality; one query."""
    return list(
        Site.objects.visible_to(user)
        .filter(contacts__regional_manager=manager, contacts__erased_at__isnull=True)
        .order_by("municipality__name", "name")
        .distinct()
    )


@transaction.atomic
def regional_manager_invite(
    *, company: str, name: str, email: str, sites: Iterable[Site], invited_by, phone: str = "", language: str = "sv"
) -> RegionalManager:
    """Make the person the contact of each site (adding to earlier sites, never removing) and
    mail them one invitation naming the sites; inviting again for the same sites sends nothing new."""
    email = email.strip().lower()
    sites = sorted({site.pk: site for site in sites}.values(), key=lambda s: s.pk)
    manager, _created = RegionalManager.objects.get_or_create(
        company=company, email=email, defaults={"name": name, "phone": phone, "language": language}
    )
    user = contact_user(email, name, language)
    for site in sites:
        contact, created = contact_at_site(
            site=site, email=email, name=name, phone=phone, language=language, user=user, regional_manager=manager
        )
        if not created and (contact.regional_manager_id != manager.pk or contact.user_id is None):
            contact.regional_manager = manager
            contact.user = contact.user or user
            contact.save(update_fields=["regional_manager", "user"])
    manager.invited_by = invited_by
    manager.invited_at = timezone.now()
    manager.save(update_fields=["invited_by", "invited_at"])
    outbox.enqueue([emails.regional_manager_invitation_mail(manager, sites)])
    return manager

