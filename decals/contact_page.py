"""The decal section of an agent contact's own page: workplaces, eligibility, orders."""

from decals.forms import OrderForm
from decals.models import DecalOrder
from decals.selectors import sites_eligibility
from meetings.models import Site
from tif_portal import contact_page


def contact_sites(contacts):
    return Site.objects.filter(pk__in=[c.site_id for c in contacts]).select_related("municipality")


@contact_page.section(order=20, template="decals/contact_section.html")
def decal_orders(user, contacts):
    sites = {c.site_id: c.site for c in contacts}
    eligibility = sites_eligibility(sites.values())
    choices = contact_sites(contacts)
    workplaces = [
        {
            "site": site,
            "eligibility": eligibility[site.pk],
            "form": OrderForm.for_site(site, choices) if eligibility[site.pk].eligible else None,
        }
        for site in sites.values()
    ]
    orders = DecalOrder.objects.of_contacts(contacts).prefetch_related("events")
    return {"workplaces": workplaces, "orders": orders}
