"""Workplace meetings (a visit to one site's staff meeting, counting as a collaboration meeting)
and regional agent managers (one person for several sites in several municipalities)."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from decals.selectors import site_eligibility
from followup import criteria
from followup.models import FollowUp
from followup.services import meeting_mark_held
from meetings.checklist import WORKPLACE
from meetings.models import Contact, Meeting, RegionalManager
from meetings.services import meetings as services
from meetings.services import outreach
from meetings.services.network import network_join
from meetings.services.regional import regional_manager_invite
from tif_portal.models import OutboundEmail

pytestmark = pytest.mark.django_db


def _start(days):
    return timezone.now().replace(second=0, microsecond=0) + timedelta(days=days)


def _workplace_meeting(group, site, by, days=-3):
    start = _start(days)
    return services.meeting_create(
        group=group, created_by=by, kind=Meeting.Kind.WORKPLACE, site=site, title="Arbetsplatsträff ICA",
        starts_at=start, ends_at=start + timedelta(minutes=45), place="Personalrummet",
    )


# Workplace meetings ----------------------------------------------------------------------


def test_a_workplace_meeting_has_its_own_short_checklist(group_sundsvall, anna_sundsvall, site_sundsvall):
    meeting = _workplace_meeting(group_sundsvall, site_sundsvall, anna_sundsvall)
    assert [item.key for item in meeting.checklist.all()] == [key for key, _label in WORKPLACE]
    assert meeting.checklist.first().label == WORKPLACE[0][1]


def test_a_workplace_meeting_needs_its_site_and_no_other_kind_has_one(group_sundsvall, site_sundsvall, make_meeting):
    with transaction.atomic(), pytest.raises(IntegrityError):
        make_meeting(group_sundsvall, kind=Meeting.Kind.WORKPLACE)
    with transaction.atomic(), pytest.raises(IntegrityError):
        make_meeting(group_sundsvall, kind=Meeting.Kind.COLLABORATION, site=site_sundsvall)


def test_attending_a_workplace_meeting_makes_the_site_eligible_and_counts_for_the_criteria(
    group_sundsvall, anna_sundsvall, site_sundsvall, contact_sundsvall
):
    assert not criteria.group_status(group_sundsvall).holds("meeting_held")
    meeting = _workplace_meeting(group_sundsvall, site_sundsvall, anna_sundsvall)
    outreach.walk_in_add(meeting=meeting, name=contact_sundsvall.name, email=contact_sundsvall.email, site=site_sundsvall)
    outreach.attendance_record(meeting=meeting, present=list(meeting.registrations.values_list("pk", flat=True)))
    network_join(contact=contact_sundsvall, method="coordinator", recorded_by=anna_sundsvall, note="På träffen")
    assert site_eligibility(site_sundsvall).eligible
    meeting_mark_held(meeting=meeting)
    assert criteria.group_status(group_sundsvall).holds("meeting_held")
    assert FollowUp.objects.filter(meeting=meeting).exists()


def _form_data(group, **overrides):
    start = _start(10).astimezone(timezone.get_current_timezone())
    data = {
        "working_group": group.pk, "kind": "workplace", "title": "Arbetsplatsträff Birsta",
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"), "ends_at": (start + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "place": "Personalrummet", "agenda": "",
    }
    data.update(overrides)
    return data


def test_the_form_asks_for_the_site_of_the_groups_own_municipality(client, karin_county, group_sundsvall, site_harnosand, site_sundsvall):
    client.force_login(karin_county)
    page = client.post(reverse("meetings:meeting_create"), _form_data(group_sundsvall)).content.decode()
    assert "Välj arbetsplatsen som ni besöker" in page
    page = client.post(reverse("meetings:meeting_create"), _form_data(group_sundsvall, site=site_harnosand.pk)).content.decode()
    assert "Välj en arbetsplats i arbetsgruppens kommun" in page
    assert not Meeting.objects.exists()
    client.post(reverse("meetings:meeting_create"), _form_data(group_sundsvall, site=site_sundsvall.pk))
    assert Meeting.objects.get().site == site_sundsvall


def test_a_coordinator_cannot_choose_another_municipalitys_site(client, anna_sundsvall, group_sundsvall, site_harnosand):
    client.force_login(anna_sundsvall)
    response = client.post(reverse("meetings:meeting_create"), _form_data(group_sundsvall, site=site_harnosand.pk))
    assert response.status_code == 200 and not Meeting.objects.exists()
    assert "Coop Härnösand" not in client.get(reverse("meetings:meeting_create")).content.decode()


# Regional managers --------------------------------------------------------------------------


@pytest.fixture
def three_sites(make_site, sundsvall, harnosand):
    return [make_site(sundsvall), make_site(sundsvall), make_site(harnosand)]


def test_a_regional_manager_is_the_contact_of_each_site_with_one_sign_in_and_one_mail(three_sites, karin_county):
    manager = regional_manager_invite(
        company="PostNord", name="Rune Regionsson", email="Rune@PostNord.example", sites=three_sites, invited_by=karin_county
    )
    contacts = Contact.objects.filter(regional_manager=manager)
    assert sorted(c.site_id for c in contacts) == sorted(s.pk for s in three_sites)
    assert len({c.user_id for c in contacts}) == 1 and contacts[0].email == "rune@postnord.example"
    [mail] = OutboundEmail.objects.filter(purpose="regional_manager_invitation")
    assert all(site.name in mail.body_text for site in three_sites) and "/mina-sidor/" in mail.body_text
    regional_manager_invite(company="PostNord", name="Rune", email="rune@postnord.example", sites=three_sites, invited_by=karin_county)
    assert RegionalManager.objects.count() == 1 and contacts.count() == 3
    assert OutboundEmail.objects.filter(purpose="regional_manager_invitation").count() == 1


def test_a_municipality_sees_the_manager_at_its_own_sites_only(client, three_sites, karin_county, anna_sundsvall, bo_harnosand):
    manager = regional_manager_invite(company="PostNord", name="Rune Regionsson", email="rune@postnord.example",
                                      sites=three_sites[2:], invited_by=karin_county)
    client.force_login(anna_sundsvall)
    assert client.get(manager.get_absolute_url()).status_code == 404
    assert "Rune" not in client.get(reverse("meetings:regional_manager_list")).content.decode()
    regional_manager_invite(company="PostNord", name="Rune Regionsson", email="rune@postnord.example",
                            sites=three_sites[:1], invited_by=karin_county)
    page = client.get(manager.get_absolute_url()).content.decode()
    assert three_sites[0].name in page and three_sites[2].name not in page


def test_the_invitation_form_offers_only_visible_sites_and_refuses_others(client, three_sites, anna_sundsvall):
    client.force_login(anna_sundsvall)
    url = reverse("meetings:regional_manager_create") + "?foretag=PostNord"
    page = client.get(url).content.decode()
    assert three_sites[0].name in page and three_sites[2].name not in page
    response = client.post(url, {"name": "Rune", "email": "rune@postnord.example", "language": "sv",
                                 "sites": [three_sites[0].pk, three_sites[2].pk]})
    assert response.status_code == 200 and not RegionalManager.objects.exists()


def test_only_those_who_manage_invite_regional_managers(client, per_police):
    client.force_login(per_police)
    assert client.get(reverse("meetings:regional_manager_create")).status_code == 403


def test_a_regional_manager_who_erases_their_data_is_anonymised_with_every_site(three_sites, karin_county):
    from knowledge.personal_data import contact_erase

    manager = regional_manager_invite(company="PostNord", name="Rune Regionsson", email="rune@postnord.example",
                                      sites=three_sites, invited_by=karin_county)
    contact_erase(user=Contact.objects.filter(regional_manager=manager).first().user)
    manager.refresh_from_db()
    assert "Rune" not in manager.name and manager.email.endswith("@invalid.invalid") and manager.phone == ""
    assert not manager.history.filter(name__contains="Rune").exists()
