"""National-scale data: every municipality in Sweden at work with TIF.

All 290 municipalities get a working group; about 15,000 sites, 30,000 contacts,
a few thousand meetings over two years (held, cancelled and planned), registrations
with attendance, decals, follow-ups, survey answers and the groups' plans. Rows go
in with ``bulk_create`` in large batches, so the whole country loads in well under
two minutes on PostgreSQL. It is for measuring pages at the scale the portal is
built for, not for demonstrations: the people are invented and share one password.

Generated rows are recognisable (sites' external ids start with ``NAT-``, users'
addresses end in ``@nat.tif.example``), so a second run sees them and stops.
"""

import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from decals.models import DecalIssue
from followup.models import FollowUp, SeizureFeedback, SurveyResponse
from followup.services import add_months
from meetings.models import Contact, Meeting, MeetingInstructor, Registration, Site
from municipalities.models import (
    ActionItem,
    CommunicationItem,
    County,
    Membership,
    Municipality,
    SituationEntry,
    WorkingGroup,
)

PASSWORD = "tif-national-2026"
EMAIL_DOMAIN = "nat.tif.example"
SITE_PREFIX = "NAT-"
BATCH = 5000

COMPANIES = ["PostNord", "DHL", "Schenker", "Bring", "Instabox", "Budbee", "Airmee", "UPS"]
HOSTS = ["ICA", "Coop", "Pressbyrån", "Tempo", "Hemköp", "Willys", "Lidl", "Circle K", "OKQ8", "Direkten"]
STREETS = [
    "Storgatan",
    "Köpmangatan",
    "Järnvägsgatan",
    "Nygatan",
    "Skolgatan",
    "Åkervägen",
    "Kyrkogatan",
    "Östra vägen",
]
FIRST = [
    "Anna",
    "Björn",
    "Cecilia",
    "David",
    "Elin",
    "Fredrik",
    "Gunilla",
    "Hassan",
    "Ida",
    "Jonas",
    "Åsa",
    "Örjan",
    "Märta",
    "Ahmed",
]
LAST = ["Andersson", "Berg", "Dahl", "Ek", "Forsberg", "Lindqvist", "Nyström", "Öberg", "Åström", "Yilmaz", "Hägg"]
# The largest municipalities get many more workplaces than the average.
LARGE = {"0180": 12, "1480": 9, "1280": 6, "0380": 3.5, "0580": 3, "1880": 3, "0680": 3, "1283": 2.5, "2480": 2.5}


@dataclass
class Sizes:
    sites: int = 15000
    contacts_per_site: float = 2.0
    meetings: int = 3000


def _weights(municipalities, rng):
    return {m.pk: LARGE.get(m.code, 0.4 + rng.paretovariate(2.5) * 0.5) for m in municipalities}


def _split(total: int, weights: dict, minimum: int) -> dict:
    scale = sum(weights.values())
    return {pk: max(minimum, round(total * w / scale)) for pk, w in weights.items()}


def _email(*parts) -> str:
    text = ".".join(str(p) for p in parts).lower()
    for a, b in (("å", "a"), ("ä", "a"), ("ö", "o"), (" ", "")):
        text = text.replace(a, b)
    return f"{text}@{EMAIL_DOMAIN}"


def already_loaded() -> bool:
    return Site.objects.filter(external_id__startswith=SITE_PREFIX).exists()


@transaction.atomic
def national_load(*, sizes: Sizes | None = None, seed: int = 290, log=print) -> dict:
    """Load the country; returns counts of what was created."""
    sizes = sizes or Sizes()
    if already_loaded():
        log("National data is already loaded; nothing to do.")
        return {}
    rng = random.Random(seed)
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    today = timezone.localdate()
    password = make_password(PASSWORD)
    counties = list(County.objects.all())
    municipalities = list(Municipality.objects.select_related("county"))
    weights = _weights(municipalities, rng)
    counts = {}

    # People: a coordinator per municipality; police, customs and a county officer per county.
    users = []
    for county in counties:
        users.append(
            User(
                email=_email("lan", county.code),
                name=f"Handläggare {county.name}",
                role=User.Role.COUNTY_OFFICER,
                county=county,
                password=password,
            )
        )
        for n in range(4):
            users.append(
                User(
                    email=_email("polis", county.code, n),
                    name=f"Polis {rng.choice(FIRST)} {rng.choice(LAST)}",
                    role=User.Role.INSTRUCTOR,
                    agency=User.Agency.POLICE,
                    password=password,
                )
            )
        users.append(
            User(
                email=_email("tull", county.code),
                name=f"Tull {rng.choice(FIRST)} {rng.choice(LAST)}",
                role=User.Role.INSTRUCTOR,
                agency=User.Agency.CUSTOMS,
                password=password,
            )
        )
    for m in municipalities:
        users.append(
            User(
                email=_email("samordnare", m.code),
                name=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                role=User.Role.COORDINATOR,
                password=password,
            )
        )
    User.objects.bulk_create(users, batch_size=BATCH)
    by_email = {u.email: u for u in User.objects.filter(email__endswith=EMAIL_DOMAIN)}
    counts["users"] = len(users)

    # Working groups and memberships.
    existing = set(WorkingGroup.objects.values_list("municipality_id", "name"))
    groups = [
        WorkingGroup(
            municipality=m,
            name=f"TIF {m.name}",
            decision_date=(today - timedelta(days=rng.randint(200, 1400))) if rng.random() < 0.8 else None,
            decided_by=rng.choice(["Kommunstyrelsen", "Lokala brottsförebyggande rådet", "Kommundirektören"]),
        )
        for m in municipalities
        if (m.pk, f"TIF {m.name}") not in existing
    ]
    WorkingGroup.objects.bulk_create(groups, batch_size=BATCH)
    group_of = {
        g.municipality_id: g
        for g in WorkingGroup.objects.filter(name__startswith="TIF ").select_related("municipality__county")
    }
    memberships = []
    police_of = {c.pk: [by_email[_email("polis", c.code, n)] for n in range(4)] for c in counties}
    customs_of = {c.pk: by_email[_email("tull", c.code)] for c in counties}
    for m in municipalities:
        group = group_of[m.pk]
        memberships.append(
            Membership(
                working_group=group, user=by_email[_email("samordnare", m.code)], role=Membership.Role.COORDINATOR
            )
        )
        if rng.random() < 0.85:
            memberships.append(
                Membership(working_group=group, user=rng.choice(police_of[m.county_id]), role=Membership.Role.POLICE)
            )
        if rng.random() < 0.3:
            memberships.append(
                Membership(working_group=group, user=customs_of[m.county_id], role=Membership.Role.CUSTOMS)
            )
    Membership.objects.bulk_create(memberships, batch_size=BATCH, ignore_conflicts=True)
    counts["memberships"] = len(memberships)

    # Sites and contacts.
    site_counts = _split(sizes.sites, weights, 8)
    sites = []
    for m in municipalities:
        for n in range(site_counts[m.pk]):
            company = COMPANIES[n % len(COMPANIES)] if n % 9 else "PostNord"
            kind = Site.Kind.AGENT if n % 12 else (Site.Kind.TERMINAL if n % 24 else Site.Kind.LETTER_CARRIER)
            sites.append(
                Site(
                    municipality=m,
                    kind=kind,
                    company=company,
                    name=f"{rng.choice(HOSTS)} {m.name} {n + 1}",
                    external_id=f"{SITE_PREFIX}{m.code}-{n + 1:05d}",
                    street=f"{rng.choice(STREETS)} {rng.randint(1, 90)}",
                    postal_code=f"{rng.randint(100, 989)} {rng.randint(10, 99)}",
                    city=m.name,
                )
            )
    Site.objects.bulk_create(sites, batch_size=BATCH)
    counts["sites"] = len(sites)
    contacts = []
    for site in sites:
        n_contacts = int(sizes.contacts_per_site) + (1 if rng.random() < sizes.contacts_per_site % 1 else 0)
        for n in range(n_contacts):
            first, last = rng.choice(FIRST), rng.choice(LAST)
            in_network = rng.random() < 0.55
            contacts.append(
                Contact(
                    site=site,
                    name=f"{first} {last}",
                    email=_email(first, last, site.pk, n),
                    language="en" if rng.random() < 0.08 else "sv",
                    in_network=in_network,
                    joined_network_at=now - timedelta(days=rng.randint(10, 700)) if in_network else None,
                )
            )
    Contact.objects.bulk_create(contacts, batch_size=BATCH)
    counts["contacts"] = len(contacts)
    contacts_of = defaultdict(list)
    for contact in contacts:
        contacts_of[contact.site.municipality_id].append(contact)

    # Meetings over the last two years and the coming one.
    meeting_counts = _split(sizes.meetings, weights, 4)
    meetings = []
    for m in municipalities:
        group = group_of[m.pk]
        for n in range(meeting_counts[m.pk]):
            offset = rng.randint(-730, 240)
            day = today + timedelta(days=offset)
            while day.weekday() >= 5:
                day += timedelta(days=1)
            start = timezone.make_aware(datetime.combine(day, time(rng.choice([9, 13, 18]), 0)))
            past = start < now
            status = Meeting.Status.PLANNED
            if past:
                status = Meeting.Status.CANCELLED if rng.random() < 0.05 else Meeting.Status.HELD
            elif rng.random() < 0.03:
                status = Meeting.Status.CANCELLED
            kind = Meeting.Kind.COLLABORATION if rng.random() < 0.85 else Meeting.Kind.FOLLOW_UP
            meetings.append(
                Meeting(
                    working_group=group,
                    kind=kind,
                    title=f"{'Samverkansmöte' if kind == Meeting.Kind.COLLABORATION else 'Uppföljningsmöte'} {m.name} {n + 1}",
                    starts_at=start,
                    ends_at=start + timedelta(hours=2),
                    place=rng.choice(["Stadshuset", "Kulturhuset", "Polishuset", "Biblioteket"]),
                    address=f"{rng.choice(STREETS)} {rng.randint(1, 40)}, {m.name}",
                    capacity=rng.choice([30, 40, 60, 80]),
                    registration_deadline=start - timedelta(days=3),
                    status=status,
                    created_by=by_email[_email("samordnare", m.code)],
                )
            )
    Meeting.objects.bulk_create(meetings, batch_size=BATCH)
    counts["meetings"] = len(meetings)
    links = []
    for meeting in meetings:
        county_id = group_of[meeting.working_group.municipality_id].municipality.county_id
        if rng.random() < 0.8:
            links.append(
                MeetingInstructor(
                    meeting=meeting,
                    user=rng.choice(police_of[county_id]),
                    confirmed_at=meeting.starts_at - timedelta(days=7) if meeting.starts_at < now else None,
                )
            )
        if rng.random() < 0.2:
            links.append(MeetingInstructor(meeting=meeting, user=customs_of[county_id]))
    MeetingInstructor.objects.bulk_create(links, batch_size=BATCH, ignore_conflicts=True)

    # Registrations, attendance, decals, survey answers.
    registrations, issues, answers = [], [], []
    for meeting in meetings:
        if meeting.status == Meeting.Status.CANCELLED:
            continue
        pool = contacts_of[meeting.working_group.municipality_id]
        chosen = rng.sample(pool, min(len(pool), rng.randint(5, 18)))
        held = meeting.status == Meeting.Status.HELD
        attended_sites = set()
        for contact in chosen:
            present = held and rng.random() < 0.85
            registrations.append(
                Registration(meeting=meeting, contact=contact, checked_in_at=meeting.starts_at if present else None)
            )
            if present:
                attended_sites.add(contact.site_id)
                if rng.random() < 0.45:
                    answers.append(
                        SurveyResponse(
                            meeting=meeting,
                            phase="after",
                            safety=rng.choices([1, 2, 3, 4, 5], [1, 2, 4, 6, 4])[0],
                            knows_contact=rng.random() < 0.8,
                            would_report=rng.random() < 0.85,
                            answered_on=timezone.localtime(meeting.starts_at).date()
                            + timedelta(days=rng.randint(0, 10)),
                        )
                    )
        for site_id in attended_sites:
            issues.append(DecalIssue(meeting=meeting, site_id=site_id, quantity=rng.randint(1, 3)))
    Registration.objects.bulk_create(registrations, batch_size=BATCH)
    DecalIssue.objects.bulk_create(issues, batch_size=BATCH)
    SurveyResponse.objects.bulk_create(answers, batch_size=BATCH)
    counts.update(registrations=len(registrations), decal_issues=len(issues), survey_responses=len(answers))

    # Follow-ups of held collaboration meetings.
    follow_ups = []
    for meeting in meetings:
        if meeting.kind != Meeting.Kind.COLLABORATION or meeting.status != Meeting.Status.HELD:
            continue
        due = add_months(timezone.localtime(meeting.starts_at).date(), 12)
        state = FollowUp.State.OPEN
        if due < today:
            state = FollowUp.State.DONE if rng.random() < 0.7 else FollowUp.State.OPEN
        elif due < today + timedelta(days=90) and rng.random() < 0.4:
            state = FollowUp.State.PLANNED
        follow_ups.append(
            FollowUp(
                meeting=meeting,
                due_date=due,
                state=state,
                reminder_60_sent_at=now if due <= today + timedelta(days=60) else None,
                reminder_14_sent_at=now if due <= today + timedelta(days=14) else None,
            )
        )
    FollowUp.objects.bulk_create(follow_ups, batch_size=BATCH)
    counts["follow_ups"] = len(follow_ups)

    # The groups' plans and seizure feedback.
    situation, actions, communication, feedback = [], [], [], []
    for group in group_of.values():
        for _n in range(rng.randint(0, 3)):
            situation.append(
                SituationEntry(
                    working_group=group,
                    date=today - timedelta(days=rng.randint(0, 500)),
                    source=rng.choice(["Polisen", "Tullverket", "Ombuden"]),
                    text="Fler försändelser med narkotika och läkemedel till ombud i kommunen.",
                )
            )
        for _n in range(rng.randint(0, 5)):
            due = today + timedelta(days=rng.randint(-60, 120))
            actions.append(
                ActionItem(
                    working_group=group,
                    what=rng.choice(["Bjud in ombuden", "Dela ut dekaler", "Uppdatera lägesbilden", "Boka lokal"]),
                    who="Samordnaren",
                    due_date=due,
                    status=ActionItem.Status.DONE if due < today and rng.random() < 0.6 else ActionItem.Status.PLANNED,
                )
            )
        for _n in range(rng.randint(0, 3)):
            communication.append(
                CommunicationItem(
                    working_group=group,
                    audience="Allmänheten",
                    channel=rng.choice(CommunicationItem.Channel.values),
                    message="Vi samarbetar mot illegala försändelser.",
                    date=today - timedelta(days=rng.randint(-60, 300)),
                    who="Kommunikatören",
                    status=rng.choice(CommunicationItem.Status.values),
                )
            )
        if rng.random() < 0.5:
            end = today - timedelta(days=rng.randint(0, 200))
            feedback.append(
                SeizureFeedback(
                    working_group=group,
                    period_start=end - timedelta(days=180),
                    period_end=end,
                    summary="Ett tiotal beslag av narkotika och dopningsmedel i paket under perioden.",
                )
            )
    SituationEntry.objects.bulk_create(situation, batch_size=BATCH)
    ActionItem.objects.bulk_create(actions, batch_size=BATCH)
    CommunicationItem.objects.bulk_create(communication, batch_size=BATCH)
    SeizureFeedback.objects.bulk_create(feedback, batch_size=BATCH)
    counts.update(
        situation=len(situation), actions=len(actions), communication=len(communication), feedback=len(feedback)
    )
    counts["working_groups"] = len(group_of)
    return counts


def national_logins() -> dict[str, str]:
    """The logins the benchmark uses: Västra Götaland's county officer and Göteborg's coordinator."""
    return {"county_officer": _email("lan", "14"), "coordinator": _email("samordnare", "1480"), "password": PASSWORD}
