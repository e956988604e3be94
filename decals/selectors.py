"""Reads the decal pages share: which workplaces may order, and how many decals went where."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Count, Max, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from decals.models import CountyDecalSettings, DecalIssue, DecalOrder
from meetings.models import COLLABORATION_KINDS, Contact, Meeting, Registration
from municipalities.models import municipality_q

# Meetings where workplaces take part (a workplace meeting counts as a collaboration meeting):
# a working group's own meetings do not count.
PARTICIPANT_MEETINGS = [*COLLABORATION_KINDS, Meeting.Kind.FOLLOW_UP]


@dataclass
class Eligibility:
    """Whether a workplace may order decals, and why (not)."""

    site: object
    years: int
    last_meeting: date | None
    in_network: bool

    @property
    def attended(self) -> bool:
        return self.last_meeting is not None

    @property
    def eligible(self) -> bool:
        return self.attended and self.in_network

    @property
    def reasons(self) -> list[str]:
        """What is missing, in words the contact understands (empty when eligible)."""
        missing = []
        if not self.attended:
            missing.append(
                _(
                    "Ingen från arbetsplatsen har deltagit i ett samverkansmöte de senaste %(years)s åren. "
                    "Gå på nästa samverkansmöte i din kommun; du får en inbjudan via e-post."
                )
                % {"years": self.years}
            )
        if not self.in_network:
            missing.append(
                _(
                    "Ingen på arbetsplatsen är med i det lokala nätverket. "
                    "Kryssa i att du vill vara med i nätverket när du anmäler dig till ett möte."
                )
            )
        return missing


def eligibility_years(county_ids) -> dict[int, int]:
    """Years a meeting counts, per county id (the setting's default where a county has none)."""
    found = dict(
        CountyDecalSettings.objects.filter(county_id__in=set(county_ids)).values_list("county_id", "eligibility_years")
    )
    return {pk: found.get(pk, settings.DECAL_ELIGIBILITY_YEARS) for pk in county_ids}


def sites_eligibility(sites) -> dict[int, Eligibility]:
    """Eligibility for each site, keyed by site id; four queries whatever the number of sites.

    ``sites`` must have ``municipality`` loaded (select_related).
    """
    sites = list(sites)
    if not sites:
        return {}
    ids = [s.pk for s in sites]
    years = eligibility_years({s.municipality.county_id for s in sites})
    oldest = timezone.now() - timedelta(days=365 * max(years.values()) + 1)
    attended = (
        Registration.objects.filter(
            contact__site_id__in=ids,
            checked_in_at__isnull=False,
            meeting__kind__in=PARTICIPANT_MEETINGS,
            meeting__starts_at__gte=oldest,
        )
        .order_by()
        .values_list("contact__site_id")
        .annotate(last=Max("meeting__starts_at"))
    )
    issued = (
        DecalIssue.objects.filter(site_id__in=ids, meeting__starts_at__gte=oldest)
        .order_by()
        .values_list("site_id")
        .annotate(last=Max("meeting__starts_at"))
    )
    last: dict[int, object] = {}
    for site_id, when in [*attended, *issued]:
        last[site_id] = max(when, last.get(site_id, when))
    networked = set(Contact.objects.in_network().filter(site_id__in=ids).values_list("site_id", flat=True))
    result = {}
    for site in sites:
        site_years = years[site.municipality.county_id]
        when = last.get(site.pk)
        if when is not None and when < timezone.now() - timedelta(days=365 * site_years + site_years // 4):
            when = None
        result[site.pk] = Eligibility(
            site=site,
            years=site_years,
            last_meeting=timezone.localdate(when) if when else None,
            in_network=site.pk in networked,
        )
    return result


def site_eligibility(site) -> Eligibility:
    return sites_eligibility([site])[site.pk]


def user_handles_orders(user) -> bool:
    """Whether the decal queue is for this user at all (403 otherwise)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_admin or user.is_county_officer:
        return True
    return (
        user.is_coordinator
        and CountyDecalSettings.objects.filter(
            coordinators_may_handle_orders=True, county__municipalities__in=_own_municipalities(user)
        ).exists()
    )


def _own_municipalities(user):
    from municipalities.models import Municipality

    return Municipality.objects.filter(municipality_q(user, "")).values("pk")


def decal_counts(user, county=None) -> dict:
    """Decals handed out at meetings and ordered online, per municipality and per company.

    Scoped like every other read: a coordinator gets their municipalities, a county
    officer the county, an administrator everything (or ``county`` when given).
    Ordered counts leave out rejected orders. Four queries.
    """
    issues = DecalIssue.objects.filter(municipality_q(user, "site__municipality"))
    orders = DecalOrder.objects.filter(municipality_q(user, "site__municipality")).exclude(
        state=DecalOrder.State.REJECTED
    )
    if county is not None:
        issues = issues.filter(site__municipality__county=county)
        orders = orders.filter(site__municipality__county=county)

    def table(key):
        issued = {
            row[key]: row
            for row in issues.order_by()
            .values(key)
            .annotate(decals=Sum("quantity"), sites=Count("site", distinct=True))
        }
        ordered = {
            row[key]: row
            for row in orders.order_by()
            .values(key)
            .annotate(
                decals=Sum("quantity"),
                count=Count("id"),
                shipped=Sum("quantity", filter=Q(state=DecalOrder.State.SHIPPED)),
            )
        }
        rows = []
        for name in sorted(set(issued) | set(ordered)):
            i, o = issued.get(name, {}), ordered.get(name, {})
            rows.append(
                {
                    "name": name,
                    "issued": i.get("decals") or 0,
                    "issued_sites": i.get("sites") or 0,
                    "ordered": o.get("decals") or 0,
                    "orders": o.get("count") or 0,
                    "shipped": o.get("shipped") or 0,
                }
            )
        return rows

    municipalities = table("site__municipality__name")
    companies = table("site__company")
    totals = {k: sum(r[k] for r in municipalities) for k in ("issued", "issued_sites", "ordered", "orders", "shipped")}
    return {"municipalities": municipalities, "companies": companies, "totals": totals}


def decals_handed_out(meeting) -> dict:
    """The meeting's decals in all and per size: {"total": 7, "sizes": [("A4", 2), ("A5", 5)]}; one query."""
    sizes = list(
        DecalIssue.objects.filter(meeting=meeting)
        .order_by("size")
        .values("size")
        .annotate(n=Sum("quantity"))
        .values_list("size", "n")
    )
    return {"total": sum(n for _size, n in sizes), "sizes": sizes}
