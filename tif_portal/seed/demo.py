"""Demo data for a whole county: Västernorrland, its working groups, people and workplaces.

Runs again safely: everything is looked up before it is made.
"""

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from followup.services import followup_create_for
from meetings.models import Contact, Meeting, Registration, Site
from meetings.services.meetings import default_agenda, meeting_create
from municipalities.models import County, Membership, Municipality, WorkingGroup

COUNTY_CODE = "22"
DEMO_PASSWORD = "tif-demo-2026"
COMPANIES = ["PostNord", "DHL", "Schenker", "Bring", "Instabox", "Budbee"]
STREETS = ["Storgatan", "Köpmangatan", "Järnvägsgatan", "Nygatan", "Skolgatan", "Åkervägen", "Kyrkogatan"]
FIRST = ["Anna", "Björn", "Cecilia", "David", "Elin", "Fredrik", "Gunilla", "Hassan", "Ida", "Jonas", "Åsa", "Örjan"]
LAST = ["Andersson", "Berg", "Ćosić", "Dahl", "Ek", "Forsberg", "Lindqvist", "Nyström", "Öberg", "Åström"]

PEOPLE = [
    # email, name, role, agency, group municipality code, seat
    ("admin@tif.example", "Alva Admin", User.Role.ADMIN, "", None, None),
    ("lansstyrelsen@tif.example", "Karin Länsstyrelsen", User.Role.COUNTY_OFFICER, "", None, None),
    ("samordnare.sundsvall@tif.example", "Anna Sundsvall", User.Role.COORDINATOR, "", "2281", "coordinator"),
    ("samordnare.harnosand@tif.example", "Bo Härnösand", User.Role.COORDINATOR, "", "2280", "coordinator"),
    ("polis@tif.example", "Per Polis", User.Role.INSTRUCTOR, "police", "2281", "police"),
    ("tull@tif.example", "Tove Tull", User.Role.INSTRUCTOR, "customs", "2280", "customs"),
]


def _user(email, name, role, agency, county) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(
            email,
            DEMO_PASSWORD,
            name=name,
            role=role,
            agency=agency,
            county=county if role == User.Role.COUNTY_OFFICER else None,
            is_staff=role == User.Role.ADMIN,
            is_superuser=role == User.Role.ADMIN,
        )
    return user


def _sites(municipality: Municipality, count: int, rng: random.Random) -> list[Site]:
    existing = list(Site.objects.filter(municipality=municipality))
    if existing:
        return existing
    sites = []
    for n in range(count):
        company = COMPANIES[n % len(COMPANIES)]
        kind = Site.Kind.AGENT if n % 7 else (Site.Kind.TERMINAL if n % 2 else Site.Kind.LETTER_CARRIER)
        sites.append(
            Site(
                municipality=municipality,
                kind=kind,
                company=company,
                name=f"{company} {rng.choice(['ICA', 'Coop', 'Pressbyrån', 'Tempo', 'Hemköp', 'Nära'])} {municipality.name} {n + 1}",
                external_id=f"{company[:3].upper()}-{municipality.code}-{n + 1:03d}",
                street=f"{rng.choice(STREETS)} {rng.randint(1, 60)}",
                postal_code=f"{850 + int(municipality.code[-1]) * 3} {rng.randint(10, 99)}",
                city=municipality.name,
            )
        )
    Site.objects.bulk_create(sites)
    return list(Site.objects.filter(municipality=municipality))


def _contacts(sites: list[Site], rng: random.Random) -> list[Contact]:
    contacts = []
    for site in sites:
        for n in range(2):
            first, last = rng.choice(FIRST), rng.choice(LAST)
            contacts.append(
                Contact(
                    site=site,
                    name=f"{first} {last}",
                    email=f"{first}.{last}.{site.pk}.{n}@ombud.example".lower()
                    .replace("å", "a").replace("ä", "a").replace("ö", "o").replace("ć", "c"),
                    language="en" if rng.random() < 0.1 else "sv",
                )
            )
    Contact.objects.bulk_create(contacts, ignore_conflicts=True)
    return list(Contact.objects.filter(site__in=sites))


@transaction.atomic
def demo_load() -> list[tuple[str, str, str]]:
    """Create the demo county; returns (email, password, role) for every demo login."""
    rng = random.Random(22)
    county = County.objects.get(code=COUNTY_CODE)
    groups = {}
    for municipality in county.municipalities.all():
        groups[municipality.code], _ = WorkingGroup.objects.get_or_create(
            municipality=municipality, name=f"TIF {municipality.name}"
        )
    logins = []
    people = {}
    for email, name, role, agency, group_code, seat in PEOPLE:
        user = _user(email, name, role, agency, county)
        people[email] = user
        if group_code:
            Membership.objects.get_or_create(working_group=groups[group_code], user=user, defaults={"role": seat})
        logins.append((email, DEMO_PASSWORD, user.get_role_display()))
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    for code, group in groups.items():
        sites = _sites(group.municipality, 30 if code in ("2281", "2280") else 10, rng)
        contacts = _contacts(sites, rng)
        if group.meetings.exists():
            continue
        coordinator = people.get("samordnare.sundsvall@tif.example")
        instructors = (
            [people["polis@tif.example"], people["tull@tif.example"]] if code in ("2281", "2280") else []
        )
        past = meeting_create(
            group=group,
            created_by=coordinator,
            instructors=instructors,
            title=f"Samverkansmöte {group.municipality.name}",
            starts_at=(now - timedelta(days=300)).replace(hour=18),
            ends_at=(now - timedelta(days=300)).replace(hour=20),
            place="Stadshuset, sal B",
            status=Meeting.Status.HELD,
            capacity=60,
            agenda=default_agenda(),
        )
        meeting_create(
            group=group,
            created_by=coordinator,
            instructors=instructors,
            title=f"Samverkansmöte {group.municipality.name} – vår",
            starts_at=(now + timedelta(days=21)).replace(hour=18),
            ends_at=(now + timedelta(days=21)).replace(hour=20),
            registration_deadline=now + timedelta(days=14),
            place="Kulturhuset",
            capacity=40,
            agenda=default_agenda(),
        )
        attendees = contacts[: len(contacts) // 2]
        Registration.objects.bulk_create(
            [Registration(meeting=past, contact=c, checked_in_at=past.starts_at) for c in attendees],
            ignore_conflicts=True,
        )
        Contact.objects.filter(pk__in=[c.pk for c in attendees[::2]]).update(in_network=True, joined_network_at=past.starts_at)
        followup_create_for(past)
    return logins
