from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from meetings import emails
from meetings.models import Contact, Invitation, Meeting, Registration, Site
from meetings.services import outreach
from meetings.services.network import network_news_send
from tif_portal.models import OutboundEmail
from tif_portal.outbox import delivery
from tif_portal.testing.queries import assert_queries_do_not_grow, page_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def contacts(make_site, make_contact, sundsvall):
    agent = make_site(sundsvall, company="PostNord", kind=Site.Kind.AGENT)
    terminal = make_site(sundsvall, company="DHL", kind=Site.Kind.TERMINAL)
    return [
        make_contact(agent, name="Sara Östlund", email="sara@ombud.example"),
        make_contact(agent, name="Eva English", email="eva@ombud.example", language="en"),
        make_contact(terminal, name="Tor Terminal", email="tor@terminal.example"),
    ]


def chooser_url(meeting, **params):
    from urllib.parse import urlencode

    query = {"participation": "any", **params}
    return f"{reverse('meetings:invitation_chooser', args=[meeting.pk])}?{urlencode(query)}"


def test_sending_invitations_creates_a_personal_invitation_and_one_mail_each(meeting_sundsvall, contacts, anna_sundsvall):
    batch = outreach.invitations_send(meeting=meeting_sundsvall, contacts=contacts, sent_by=anna_sundsvall)
    invitations = Invitation.objects.filter(meeting=meeting_sundsvall)
    assert invitations.count() == 3 and len({i.token for i in invitations}) == 3
    rows = OutboundEmail.objects.filter(batch=batch)
    assert sorted(rows.values_list("key", flat=True)) == sorted(f"invitation:{meeting_sundsvall.pk}:{c.pk}" for c in contacts)
    assert set(rows.values_list("state", flat=True)) == {OutboundEmail.State.QUEUED}


def test_a_cancelled_meeting_invites_no_one_from_the_service_or_the_page(
    client, meeting_sundsvall, contacts, anna_sundsvall
):
    # The copy the coordinator chose from is still "planned": the rule reads the meeting under its lock.
    chosen_from = Meeting.objects.get(pk=meeting_sundsvall.pk)
    Meeting.objects.filter(pk=meeting_sundsvall.pk).update(status=Meeting.Status.CANCELLED)
    with pytest.raises(outreach.InvitationsNotSent, match="inställt"):
        outreach.invitations_send(meeting=chosen_from, contacts=contacts, sent_by=anna_sundsvall)
    client.force_login(anna_sundsvall)
    response = client.post(
        reverse("meetings:invitation_send", args=[meeting_sundsvall.pk]),
        {"municipality": meeting_sundsvall.working_group.municipality_id, "participation": "any", "confirm_late": "1"},
        follow=True,
    )
    assert response.status_code == 200 and "Mötet är inställt." in response.content.decode()
    assert not Invitation.objects.exists() and not OutboundEmail.objects.exists()


def test_sending_twice_queues_nothing_new(meeting_sundsvall, contacts, anna_sundsvall):
    outreach.invitations_send(meeting=meeting_sundsvall, contacts=contacts, sent_by=anna_sundsvall)
    again = outreach.invitations_send(meeting=meeting_sundsvall, contacts=contacts, sent_by=anna_sundsvall)
    assert OutboundEmail.objects.filter(batch=again).count() == 0
    assert OutboundEmail.objects.count() == 3 and Invitation.objects.count() == 3


def test_the_send_view_twice_queues_nothing_new(client, anna_sundsvall, meeting_sundsvall, contacts, sundsvall):
    client.force_login(anna_sundsvall)
    url = reverse("meetings:invitation_send", args=[meeting_sundsvall.pk])
    data = {"municipality": sundsvall.pk, "participation": "any"}
    assert client.post(url, data).status_code == 302
    response = client.post(url, data, follow=True)
    assert OutboundEmail.objects.count() == 3
    assert "redan fått en inbjudan" in response.content.decode()


def test_the_invitation_mail_has_the_personal_link_and_the_meeting_as_ics(meeting_sundsvall, contacts, anna_sundsvall, settings):
    settings.SITE_URL = "https://tif.example.se"
    outreach.invitations_send(meeting=meeting_sundsvall, contacts=contacts[:1], sent_by=anna_sundsvall)
    delivery.deliver_batch()
    [message] = mail.outbox
    token = Invitation.objects.get(contact=contacts[0]).token
    assert f"https://tif.example.se/moten/anmalan/{token}/" in message.body
    assert "Hej Sara Östlund" in message.body and "English" not in message.body
    attachments = {filename: (content, mimetype) for filename, content, mimetype in message.attachments}
    content, mimetype = attachments["mote.ics"]
    assert mimetype.startswith("text/calendar")
    assert b"BEGIN:VEVENT" in (content if isinstance(content, bytes) else content.encode())
    content, mimetype = attachments["inbjudan.pdf"]
    assert mimetype == "application/pdf" and content.startswith(b"%PDF")


def test_an_english_reader_gets_the_swedish_and_the_english_text(meeting_sundsvall, contacts, anna_sundsvall):
    outreach.invitations_send(meeting=meeting_sundsvall, contacts=[contacts[1]], sent_by=anna_sundsvall)
    delivery.deliver_batch()
    [message] = mail.outbox
    assert "Hej Eva English" in message.body
    assert "English" in message.body.split("Hej Eva English", 1)[1]
    assert "Inbjudan" in message.subject


def test_the_chooser_filters_by_company_kind_and_earlier_participation(
    client, anna_sundsvall, meeting_sundsvall, make_meeting, group_sundsvall, contacts
):
    earlier = make_meeting(group_sundsvall, days=-30)
    Registration.objects.create(meeting=earlier, contact=contacts[0], checked_in_at=timezone.now())
    Registration.objects.create(meeting=earlier, contact=contacts[1])  # registered, never came
    client.force_login(anna_sundsvall)

    def shown(**params):
        page = client.get(chooser_url(meeting_sundsvall, **params))
        assert page.status_code == 200
        return {c.email for c in page.context["page"]}, page.context["total"]

    assert shown()[1] == 3
    assert shown(company="DHL") == ({"tor@terminal.example"}, 1)
    assert shown(kind="terminal") == ({"tor@terminal.example"}, 1)
    assert shown(participation="attended") == ({"sara@ombud.example"}, 1)
    assert shown(participation="never")[0] == {"eva@ombud.example", "tor@terminal.example"}


def test_the_chooser_never_offers_another_municipalitys_contacts(client, anna_sundsvall, meeting_sundsvall, contacts, contact_harnosand, harnosand):
    client.force_login(anna_sundsvall)
    page = client.get(chooser_url(meeting_sundsvall))
    assert "hakan@ombud.example" not in page.content.decode()
    assert harnosand not in page.context["form"].fields["municipality"].queryset
    assert client.get(chooser_url(meeting_sundsvall, municipality=harnosand.pk)).context["page"] is None


def test_the_chooser_shows_the_count_before_sending(client, anna_sundsvall, meeting_sundsvall, contacts):
    outreach.invitations_send(meeting=meeting_sundsvall, contacts=contacts[:1], sent_by=anna_sundsvall)
    client.force_login(anna_sundsvall)
    page = client.get(reverse("meetings:invitation_chooser", args=[meeting_sundsvall.pk]))
    assert (page.context["total"], page.context["new"]) == (3, 2)
    assert "2 är valda och får en inbjudan" in page.content.decode()


def test_one_address_at_three_workplaces_gets_one_invitation(
    client, anna_sundsvall, meeting_sundsvall, make_site, make_contact, sundsvall
):
    sites = [make_site(sundsvall, name=f"Ombud {n}") for n in range(3)]
    same = [make_contact(site, name="Lisa Lind", email="lisa@kedjan.example") for site in sites]
    make_contact(sites[0], name="Olle Ek", email="olle@kedjan.example")
    client.force_login(anna_sundsvall)
    page = client.get(chooser_url(meeting_sundsvall))
    assert page.context["total"] == 2 and page.context["new"] == 2
    assert "och 2 arbetsplatser till" in page.content.decode()

    client.post(reverse("meetings:invitation_send", args=[meeting_sundsvall.pk]), {"participation": "any", "municipality": sundsvall.pk})
    assert sorted(OutboundEmail.objects.filter(purpose="invitation").values_list("to", flat=True)) == [
        "lisa@kedjan.example", "olle@kedjan.example",
    ]
    assert Invitation.objects.filter(contact__in=same).count() == 1
    # Sending the contacts themselves, one by one, adds nothing either.
    for contact in same:
        outreach.invitations_send(meeting=meeting_sundsvall, contacts=[contact], sent_by=anna_sundsvall)
    assert OutboundEmail.objects.filter(purpose="invitation").count() == 2


def _chooser_form(page):
    """The send form's fields as the browser would post them, with the boxes as shown."""
    import re

    html = page.content.decode()
    form = html[html.index('action="/moten/'):]
    data = {"shown": [], "chosen": []}
    for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form):
        if name == "shown":
            data["shown"].append(value)
        elif name != "csrfmiddlewaretoken":
            data[name] = value
    data["chosen"] = re.findall(r'name="chosen" value="(\d+)"[^>]*checked', form)
    return data


def test_the_coordinator_unticks_people_across_pages_without_javascript(
    client, anna_sundsvall, meeting_sundsvall, make_site, make_contact, sundsvall, settings
):
    from meetings.views import invitations

    site = make_site(sundsvall, name="Ombud A")
    people = [make_contact(site, name=f"Person {n:02d}", email=f"p{n:02d}@ombud.example") for n in range(5)]
    invitations.PAGE_SIZE, page_size = 2, invitations.PAGE_SIZE
    try:
        client.force_login(anna_sundsvall)
        first = client.get(chooser_url(meeting_sundsvall))
        # The next page is a button of the form, so the ticks on this page go along.
        chooser = reverse("meetings:invitation_chooser", args=[meeting_sundsvall.pk])
        assert f'formaction="{chooser}" name="page" value="2"' in first.content.decode()
        data = _chooser_form(first)
        assert len(data["chosen"]) == 2, "everyone starts ticked"
        data["chosen"] = [str(people[1].pk)]  # untick Person 00 on page 1
        data["page"] = "2"
        second = client.post(reverse("meetings:invitation_chooser", args=[meeting_sundsvall.pk]), data, follow=True)
        assert second.context["page"].number == 2 and second.context["chosen"] == 4
        data = _chooser_form(second)
        data["chosen"] = [str(people[2].pk)]  # untick Person 03 on page 2
        client.post(reverse("meetings:invitation_send", args=[meeting_sundsvall.pk]), data)
    finally:
        invitations.PAGE_SIZE = page_size
    invited = set(OutboundEmail.objects.filter(purpose="invitation").values_list("to", flat=True))
    assert invited == {"p01@ombud.example", "p02@ombud.example", "p04@ombud.example"}


def test_the_coordinator_starts_from_no_one_and_ticks_individuals(
    client, anna_sundsvall, meeting_sundsvall, contacts, sundsvall
):
    client.force_login(anna_sundsvall)
    page = client.post(
        reverse("meetings:invitation_chooser", args=[meeting_sundsvall.pk]),
        {"participation": "any", "municipality": sundsvall.pk, "select": "none"},
        follow=True,
    )
    data = _chooser_form(page)
    assert data["chosen"] == [] and page.context["chosen"] == 0
    data["chosen"] = [str(contacts[2].pk)]
    client.post(reverse("meetings:invitation_send", args=[meeting_sundsvall.pk]), data)
    assert list(OutboundEmail.objects.values_list("to", flat=True)) == ["tor@terminal.example"]


@pytest.mark.parametrize("when", ["deadline_passed", "meeting_past"])
def test_sending_after_the_deadline_or_the_meeting_warns_and_asks_to_confirm(
    client, anna_sundsvall, meeting_sundsvall, contacts, sundsvall, when
):
    if when == "deadline_passed":
        meeting_sundsvall.registration_deadline = timezone.now() - timedelta(hours=3)
        warning = "Sista anmälningsdag"
    else:
        meeting_sundsvall.starts_at = timezone.now() - timedelta(days=2)
        meeting_sundsvall.ends_at = meeting_sundsvall.starts_at + timedelta(hours=2)
        meeting_sundsvall.registration_deadline = None
        warning = "Mötet har redan börjat"
    meeting_sundsvall.save()
    client.force_login(anna_sundsvall)
    page = client.get(chooser_url(meeting_sundsvall)).content.decode()
    assert warning in page and 'name="confirm_late"' in page
    url = reverse("meetings:invitation_send", args=[meeting_sundsvall.pk])
    data = {"participation": "any", "municipality": sundsvall.pk}
    refused = client.post(url, data, follow=True).content.decode()
    assert "Kryssa i att du vill skicka ändå" in refused and not OutboundEmail.objects.exists()
    client.post(url, {**data, "confirm_late": "1"})
    assert OutboundEmail.objects.filter(purpose="invitation").count() == 3


def test_an_instructor_may_not_send_invitations(client, per_police, meeting_sundsvall):
    client.force_login(per_police)
    assert client.get(reverse("meetings:invitation_chooser", args=[meeting_sundsvall.pk])).status_code == 403
    assert client.post(reverse("meetings:invitation_send", args=[meeting_sundsvall.pk]), {}).status_code == 403


def test_the_chooser_keeps_a_fixed_number_of_queries_as_data_grows_tenfold(
    client, anna_sundsvall, meeting_sundsvall, make_meeting, group_sundsvall, sundsvall, django_assert_max_num_queries
):
    earlier = make_meeting(group_sundsvall, days=-30)

    def grow(n, start):
        sites = Site.objects.bulk_create(
            Site(municipality=sundsvall, company=["PostNord", "DHL", "Bring"][i % 3], name=f"Ombud {start + i}",
                 street="Gatan 1", postal_code="852 30", city="Sundsvall")
            for i in range(n)
        )
        contacts = Contact.objects.bulk_create(
            Contact(site=site, name=f"K {start + i}", email=f"k{start + i}@ombud.example") for i, site in enumerate(sites)
        )
        Registration.objects.bulk_create(
            Registration(meeting=earlier, contact=c, checked_in_at=timezone.now()) for c in contacts[::2]
        )

    client.force_login(anna_sundsvall)
    grow(6, 0)
    for params in ({}, {"participation": "attended"}, {"participation": "never", "company": "DHL"}):
        url = chooser_url(meeting_sundsvall, **params)
        client.get(url)  # warm the session and content types
        with django_assert_max_num_queries(12) as small:
            client.get(url)
        grow(60, 1000 * (len(small.captured_queries) + 1))
        with django_assert_max_num_queries(len(small.captured_queries)):
            assert client.get(url).status_code == 200


def test_the_progress_page_shows_progress_in_a_live_region_with_a_link_to_update_and_never_reloads_itself(
    client, anna_sundsvall, meeting_sundsvall, contacts
):
    batch = outreach.invitations_send(meeting=meeting_sundsvall, contacts=contacts, sent_by=anna_sundsvall)
    client.force_login(anna_sundsvall)
    url = reverse("meetings:batch_progress", args=[meeting_sundsvall.pk, batch])
    status_url = reverse("meetings:batch_status", args=[meeting_sundsvall.pk, batch])
    page = client.get(url)
    html = page.content.decode()
    assert not page.has_header("Refresh") and 'http-equiv="refresh"' not in html
    assert 'aria-live="polite"' in html and "0 av 3 klara" in html and f'data-status-url="{status_url}"' in html
    assert f'<a href="{url}">Uppdatera</a>' in html
    assert client.get(status_url).json() == {
        "percent": 0, "finished": False,
        "text": "0 av 3 klara (0 %). Skickade: 0, misslyckade: 0, försöker igen: 0, i kö: 3, skickas nu: 0. Arbetet pågår.",
    }
    delivery.deliver_batch()
    html = client.get(url).content.decode()
    assert "3 av 3 klara" in html and "Uppdatera" not in html and "data-status-url" not in html
    assert client.get(status_url).json()["finished"] is True


def test_the_progress_status_of_another_municipalitys_meeting_is_not_found(client, bo_harnosand, anna_sundsvall, meeting_sundsvall, contacts):
    batch = outreach.invitations_send(meeting=meeting_sundsvall, contacts=contacts, sent_by=anna_sundsvall)
    client.force_login(bo_harnosand)
    assert client.get(reverse("meetings:batch_status", args=[meeting_sundsvall.pk, batch])).status_code == 404


def test_a_permanent_failure_shows_its_reason_on_the_outbox_page(client, anna_sundsvall, meeting_sundsvall, contacts, deliver_by_smtp):
    deliver_by_smtp.replies["tor@terminal.example"] = "550 5.1.1 Mailbox unavailable"
    outreach.invitations_send(meeting=meeting_sundsvall, contacts=contacts, sent_by=anna_sundsvall)
    delivery.deliver_batch()
    client.force_login(anna_sundsvall)
    html = client.get(reverse("meetings:meeting_outbox", args=[meeting_sundsvall.pk]) + "?state=failed").content.decode()
    assert "tor@terminal.example" in html and "550 5.1.1 Mailbox unavailable" in html
    assert "sara@ombud.example" not in html


def test_the_outbox_page_is_paginated(client, anna_sundsvall, meeting_sundsvall, sundsvall, django_assert_max_num_queries):
    site = Site.objects.create(municipality=sundsvall, company="PostNord", name="Stort ombud", street="G 1", postal_code="1", city="S")
    contacts = Contact.objects.bulk_create(Contact(site=site, name=f"K{i}", email=f"k{i}@ombud.example") for i in range(120))
    outreach.invitations_send(meeting=meeting_sundsvall, contacts=contacts, sent_by=anna_sundsvall)
    client.force_login(anna_sundsvall)
    page = client.get(reverse("meetings:meeting_outbox", args=[meeting_sundsvall.pk]) + "?page=3")
    assert len(page.context["page"].object_list) == 20 and "Sida 3 av 3" in page.content.decode()


def test_reminders_go_once_to_registrations_of_meetings_within_two_days(make_meeting, group_sundsvall, contacts):
    soon = make_meeting(group_sundsvall, days=1)
    later = make_meeting(group_sundsvall, days=5)
    cancelled = make_meeting(group_sundsvall, days=1, status="cancelled")
    due = Registration.objects.create(meeting=soon, contact=contacts[0])
    Registration.objects.create(meeting=soon, contact=contacts[1], status=Registration.Status.CANCELLED)
    Registration.objects.create(meeting=later, contact=contacts[0])
    Registration.objects.create(meeting=cancelled, contact=contacts[2])

    assert outreach.reminders_send() == 1
    assert outreach.reminders_send() == 0
    assert list(OutboundEmail.objects.values_list("key", flat=True)) == [f"reminder:{due.pk}"]
    due.refresh_from_db()
    assert due.reminder_sent_at is not None
    delivery.deliver_batch()
    assert "Påminnelse" in mail.outbox[0].subject
    assert reverse("meetings:registration_change", args=[due.token]) in mail.outbox[0].body


def test_the_reminder_task_is_in_the_beat_schedule():
    from tif_portal.celery import app

    assert any(entry["task"] == "meetings.tasks.send_meeting_reminders" for entry in app.conf.beat_schedule.values())


def test_minutes_wait_until_the_meeting_has_started(client, anna_sundsvall, meeting_sundsvall):
    outreach.minutes_save(meeting=meeting_sundsvall, text="Förberedda anteckningar.", written_by=anna_sundsvall)
    client.force_login(anna_sundsvall)
    send = reverse("meetings:minutes_send", args=[meeting_sundsvall.pk])
    assert "först när mötet har börjat" in client.get(send).content.decode()
    client.post(send)
    assert not OutboundEmail.objects.filter(purpose="minutes").exists()


def test_minutes_go_once_per_version_to_attendees_instructors_and_the_group_in_their_languages(
    client, anna_sundsvall, per_police, make_meeting, group_sundsvall, contacts
):
    held = make_meeting(group_sundsvall, days=-1, contact_person=anna_sundsvall)
    held.instructors.add(per_police)
    held.checklist.create(position=8, key="send_minutes")
    per_police.language = "en"
    per_police.save()
    Registration.objects.create(meeting=held, contact=contacts[0], checked_in_at=timezone.now())
    Registration.objects.create(meeting=held, contact=contacts[1], checked_in_at=timezone.now())
    Registration.objects.create(meeting=held, contact=contacts[2])  # registered, did not come
    client.force_login(anna_sundsvall)
    assert client.post(reverse("meetings:minutes_edit", args=[held.pk]), {"text": "Vi gick igenom postlagen."}).status_code == 302
    send = reverse("meetings:minutes_send", args=[held.pk])

    preview = client.get(send).content.decode()
    for person in ("Sara Östlund", "Eva English", "Per Ström", "Anna Åkesson"):
        assert person in preview
    assert "Tor Terminal" not in preview
    client.post(send)
    client.post(send)  # the same version again: nothing new
    addresses = {"sara@ombud.example", "eva@ombud.example", anna_sundsvall.email, per_police.email}
    assert set(OutboundEmail.objects.filter(purpose="minutes").values_list("key", flat=True)) == {
        f"minutes:{held.pk}:v1:{address}" for address in addresses
    }
    assert dict(OutboundEmail.objects.filter(purpose="minutes").values_list("to", "language"))[per_police.email] == "en"
    assert held.checklist.get(key="send_minutes").done_by == anna_sundsvall

    # A correction goes to everyone again, as version 2.
    client.post(reverse("meetings:minutes_edit", args=[held.pk]), {"text": "Vi gick igenom postlagen och tullagen."})
    client.post(send)
    assert OutboundEmail.objects.filter(purpose="minutes", key__contains=":v2:").count() == 4
    delivery.deliver_batch()
    corrected = [m for m in mail.outbox if "version 2" in m.subject]
    assert len(corrected) == 4 and all("tullagen" in m.body for m in corrected)
    english = next(m for m in corrected if m.to == [per_police.email])
    assert "/" in english.subject and english.extra_headers["Content-Language"] == "sv, en"
    assert all(m.extra_headers["Reply-To"].endswith(f"<{anna_sundsvall.email}>") for m in corrected)


def test_network_news_reaches_members_only_with_a_one_click_leave_link(
    client, anna_sundsvall, group_sundsvall, contacts, contact_harnosand, settings
):
    settings.SITE_URL = "https://tif.example.se"
    Contact.objects.filter(pk__in=[contacts[0].pk, contacts[1].pk, contact_harnosand.pk]).update(in_network=True)
    Contact.objects.filter(pk=contacts[1].pk).update(left_network_at=timezone.now())
    client.force_login(anna_sundsvall)
    response = client.post(reverse("meetings:network_news", args=[group_sundsvall.pk]), {"subject": "Nytt om beslag", "text": "Tullen har hittat mycket."})
    assert response.status_code == 302
    delivery.deliver_batch()
    [message] = mail.outbox
    assert message.to == ["sara@ombud.example"]
    leave = f"https://tif.example.se{reverse('meetings:network_leave', args=[contacts[0].token])}"
    assert message.extra_headers["List-Unsubscribe"] == f"<{leave}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert leave in message.body and "Tullen har hittat mycket." in message.body


def test_the_leave_link_asks_first_and_leaves_on_post(client, contacts):
    contact = contacts[0]
    Contact.objects.filter(pk=contact.pk).update(in_network=True)
    url = reverse("meetings:network_leave", args=[contact.token])
    page = client.get(url)
    assert page.status_code == 200 and "Ja, lämna nätverket" in page.content.decode()
    contact.refresh_from_db()
    assert contact.left_network_at is None, "a mail scanner opening the link must not unsubscribe"
    client.post(url)
    contact.refresh_from_db()
    assert contact.left_network_at is not None


def test_one_click_unsubscribe_works_without_a_csrf_token(contacts):
    from django.test import Client

    contact = contacts[0]
    Contact.objects.filter(pk=contact.pk).update(in_network=True)
    response = Client(enforce_csrf_checks=True).post(
        reverse("meetings:network_leave", args=[contact.token]), {"List-Unsubscribe": "One-Click"}
    )
    assert response.status_code == 200
    contact.refresh_from_db()
    assert contact.left_network_at is not None
    assert not outreach.Contact.objects.in_network().filter(pk=contact.pk).exists()


def test_network_news_over_smtp_carries_the_unsubscribe_headers(group_sundsvall, contacts, anna_sundsvall, deliver_by_smtp):
    Contact.objects.filter(pk=contacts[0].pk).update(in_network=True)
    network_news_send(working_group=group_sundsvall, subject="Hej", text="Text", sent_by=anna_sundsvall)
    delivery.deliver_batch()
    [message] = deliver_by_smtp.messages
    assert message["List-Unsubscribe"].strip().startswith("<http") and message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_a_broken_token_gives_404(client):
    assert client.get(reverse("meetings:network_leave", args=["nope"])).status_code == 404
    assert client.get(reverse("meetings:registration", args=["nope"])).status_code == 404
    assert client.get(reverse("meetings:registration_change", args=["nope"])).status_code == 404


def test_the_document_cache_drops_only_its_oldest_file_when_full():
    emails._documents.clear()
    for i in range(emails.MAX_DOCUMENTS + 1):
        emails._cached_document(("letter", i), lambda i=i: bytes([i]))
    assert ("letter", 0) not in emails._documents
    assert len(emails._documents) == emails.MAX_DOCUMENTS and ("letter", 1) in emails._documents
    emails._documents.clear()


def test_the_outbox_list_keeps_its_query_count(client, anna_sundsvall, meeting_sundsvall, site_sundsvall, make_contact):
    def invite(numbers):
        contacts = [make_contact(site_sundsvall, email=f"mottagare{n}@ombud.example") for n in numbers]
        outreach.invitations_send(meeting=meeting_sundsvall, contacts=contacts, sent_by=anna_sundsvall)

    invite([1])
    client.force_login(anna_sundsvall)
    assert_queries_do_not_grow(
        client, reverse("meetings:meeting_outbox", args=[meeting_sundsvall.pk]), grow=lambda: invite(range(2, 40)),
        budget=10, shows=["mottagare1@ombud.example"], shows_after_growth=["mottagare39@ombud.example"],
    )


def test_the_network_progress_page_keeps_its_query_count(client, anna_sundsvall, group_sundsvall, site_sundsvall, make_contact):
    from meetings.services.network import network_join

    def members(numbers):
        for n in numbers:
            network_join(contact=make_contact(site_sundsvall, email=f"medlem{n}@ombud.example"), method="my_page")

    members([1])
    client.force_login(anna_sundsvall)
    few = network_news_send(working_group=group_sundsvall, subject="Nytt", text="Hej", sent_by=anna_sundsvall)
    few_url = reverse("meetings:network_progress", args=[group_sundsvall.pk, few])
    members(range(2, 40))
    many = network_news_send(working_group=group_sundsvall, subject="Nytt igen", text="Hej", sent_by=anna_sundsvall)
    many_url = reverse("meetings:network_progress", args=[group_sundsvall.pk, many])
    page_queries(client, few_url)
    assert page_queries(client, few_url, shows=["medlem1@ombud.example"]) <= 10
    assert page_queries(client, many_url, shows=["medlem1@ombud.example", "medlem39@ombud.example"]) <= page_queries(client, few_url)


def test_network_news_greets_once_in_the_readers_language_with_the_text_once(anna_sundsvall, group_sundsvall, contacts):
    Contact.objects.filter(pk__in=[contacts[0].pk, contacts[1].pk]).update(in_network=True)
    Contact.objects.filter(pk=contacts[1].pk).update(language="en")
    network_news_send(working_group=group_sundsvall, subject="Nytt", text="Tullen har hittat mycket.", sent_by=anna_sundsvall)
    network_news_send(working_group=group_sundsvall, subject="Igen", text="Hej alla!\n\nMöte i maj.", sent_by=anna_sundsvall)
    delivery.deliver_batch()
    by_reader = {(m.to[0], m.subject): m.body for m in mail.outbox}
    swedish, english = by_reader[(contacts[0].email, "Nytt")], by_reader[(contacts[1].email, "Nytt")]
    assert swedish.count("Hej ") == 1 and swedish.count("Tullen har hittat mycket.") == 1
    assert english.count("Tullen har hittat mycket.") == 1 and english.count("Hello") == 1 and "Hej " not in english
    greeted = by_reader[(contacts[0].email, "Igen")]
    assert greeted.startswith("Hej alla!") and greeted.count("Hej") == 1
