"""A small municipality with one of everything, so that every kind of page has something to show.

Built through the same services the portal uses: a meeting coming up with invitations, a
registration that fills it and a colleague on the waiting list, a held one with attendance, decals, minutes, a follow-up and a survey, a
network message, plans, seizure feedback, a decal order, a finished letter job and an edited
knowledge page. Returns the people and the personal links that only a token opens.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.contrib.auth.tokens import default_token_generator
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from sesame.utils import get_query_string

from accounts.contact_login import contact_link_request
from accounts.models import User
from decals import services as decals
from followup import services as followup
from followup.models import SurveyInvitation
from knowledge.models import Page
from knowledge.services import contact_sheet_choose, page_save
from meetings.models import Invitation, Meeting
from meetings.services import outreach
from meetings.services.meetings import default_agenda, meeting_create
from meetings.services.network import network_join, network_news_send
from tif_portal.models import BackgroundJob


@dataclass
class PageWorld:
    people: dict[str, User]
    meeting: Meeting
    held: Meeting
    batch: str
    network_batch: str
    job: BackgroundJob
    contact_login: str
    site_id: int
    answered_survey: str
    token_pages: dict[str, str] = field(default_factory=dict)


def _letter_job(meeting: Meeting, by: User) -> BackgroundJob:
    job = BackgroundJob.objects.create(
        kind=BackgroundJob.Kind.INVITATION_LETTERS,
        params={"meeting_id": meeting.pk, "contact_ids": []},
        municipality=meeting.working_group.municipality,
        created_by=by,
        total=2,
        done=2,
        state=BackgroundJob.State.DONE,
    )
    job.result.save("brev.pdf", ContentFile(b"%PDF-1.7\n"))
    return job


def _held_meeting(group, coordinator, instructor, contacts) -> Meeting:
    start = timezone.now().replace(minute=0, second=0, microsecond=0) - timedelta(days=20)
    held = meeting_create(
        group=group, created_by=coordinator, instructors=[instructor], title="Samverkansmöte hösten",
        starts_at=start, ends_at=start + timedelta(hours=2), place="Stadshuset, sal B", capacity=40,
        agenda=default_agenda(),
    )
    # Registration closed when the meeting passed: these people were registered on the day.
    for contact in contacts:
        outreach.walk_in_add(meeting=held, name=contact.name, email=contact.email, site=contact.site)
    outreach.attendance_record(meeting=held, present=[r.pk for r in held.registrations.all()])
    decals.decal_issue_add(meeting=held, site=contacts[0].site, size="A5", quantity=2, recorded_by=coordinator)
    outreach.minutes_save(meeting=held, text="Genomgång av beslag och av postlagens undantag.", written_by=coordinator)
    followup.meeting_mark_held(meeting=held)
    return held


def build_page_world(*, coordinator, instructor, county_officer, admin, site, make_contact, settings, tmp_path) -> PageWorld:
    settings.MEDIA_ROOT = tmp_path / "media"
    group = coordinator.memberships.get().working_group
    sara = make_contact(site, name="Sara Östlund", email="sara@ombud.example")
    colleagues = [make_contact(site, name=name) for name in ("Åsa Öberg", "Märta Ångström")]
    contacts = [sara, *colleagues]

    start = timezone.now().replace(minute=0, second=0, microsecond=0) + timedelta(days=14)
    meeting = meeting_create(
        group=group, created_by=coordinator, instructors=[instructor], title="Samverkansmöte våren",
        starts_at=start, ends_at=start + timedelta(hours=2), place="Kulturhuset", capacity=1,
        registration_deadline=start - timedelta(days=2), agenda=default_agenda(),
    )
    batch = outreach.invitations_send(meeting=meeting, contacts=contacts, sent_by=coordinator)
    invitation = Invitation.objects.get(meeting=meeting, contact=sara)
    [registration] = outreach.registrations_create(
        invitation=invitation,
        people=[{"name": sara.name, "email": sara.email, "dietary_needs": "Vegetarisk"}],
        join_network=True,
    ).registrations
    # The meeting is full now: a colleague waits for a seat.
    outreach.registrations_create(
        invitation=invitation, people=[{"name": colleagues[0].name, "email": colleagues[0].email}],
        join_network=False, waiting_list=True,
    )

    county = group.municipality.county
    decals.stock_receive(county=county, quantity=100, by=county_officer)
    decals.stock_receive(county=county, size="A4", quantity=20, by=county_officer, note="Tryckeriet")
    held = _held_meeting(group, coordinator, instructor, contacts)
    survey, answered = SurveyInvitation.objects.filter(registration__meeting=held)[:2]
    followup.survey_answer(invitation=answered, safety=4, knows_contact=True, would_report=True)
    followup.seizure_feedback_record(
        group=group, recorded_by=instructor, period_start=date(2026, 1, 1), period_end=date(2026, 6, 30),
        summary="Tolv beslag av narkotika i försändelser.",
    )
    today = timezone.localdate()
    followup.plan_item_create(kind="situation", group=group, created_by=coordinator, date=today, source="Polisen", text="Fler paket.")
    followup.plan_item_create(kind="action", group=group, created_by=coordinator, what="Besök ombuden", who="Anna", due_date=today + timedelta(days=10))
    followup.plan_item_create(kind="communication", group=group, created_by=coordinator, audience="Allmänheten", message="Vi samarbetar", who="Anna", date=today)

    for contact in contacts:
        network_join(contact=contact, method="coordinator", recorded_by=coordinator, note="På mötet i höstas")
    network_batch = network_news_send(working_group=group, subject="Nytt om beslag", text="Tre nya beslag i kommunen.", sent_by=coordinator)

    order = decals.order_place(
        contact=sara, site=site, quantity=2, size="a5", delivery_name=site.name, delivery_street=site.street,
        delivery_postal_code=site.postal_code, delivery_city=site.city,
    )
    decals.order_approve(order=order, by=county_officer)

    contact_sheet_choose(group=group, membership_ids=[instructor.memberships.get().pk], chosen_by=coordinator)
    knowledge_page = Page.objects.get(slug="illegala-varor")
    page_save(page=knowledge_page, data={"title_sv": knowledge_page.title_sv + " – uppdaterad"}, edited_by=county_officer)

    contact_link_request(email=sara.email)
    sara.refresh_from_db()
    uid = urlsafe_base64_encode(force_bytes(coordinator.pk))
    return PageWorld(
        people={"coordinator": coordinator, "instructor": instructor, "county_officer": county_officer, "admin": admin},
        meeting=meeting,
        held=held,
        batch=batch,
        network_batch=network_batch,
        job=_letter_job(meeting, coordinator),
        contact_login=reverse("contact:login") + get_query_string(sara.user),
        site_id=site.pk,
        answered_survey=reverse("followup:survey_answer", args=[answered.token]),
        token_pages={
            "meetings:registration": reverse("meetings:registration", args=[invitation.token]),
            "meetings:registration_change": reverse("meetings:registration_change", args=[registration.token]),
            "meetings:network_leave": reverse("meetings:network_leave", args=[sara.token]),
            "followup:survey_answer": reverse("followup:survey_answer", args=[survey.token]),
            "accounts:password_reset_confirm": reverse(
                "accounts:password_reset_confirm", args=[uid, default_token_generator.make_token(coordinator)]
            ),
        },
    )
