"""The rest of the method, as the people who do it: the county officer trains instructors and
holds the county group, a coordinator holds a workplace meeting, a regional manager is invited
for several sites and orders decals. The role crawls check the pages themselves (axe, both
languages)."""

import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone
from playwright.sync_api import expect

from decals.models import DecalOrder
from decals.selectors import site_eligibility
from meetings.models import Contact, CountyMeeting, Meeting
from tif_portal.models import OutboundEmail

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _local(dt) -> str:
    return timezone.localtime(dt).strftime("%Y-%m-%dT%H:%M")


def _fill_meeting(page, *, title, starts, hours=3, place="Länsstyrelsen, Härnösand"):
    page.locator("#id_title").fill(title)
    page.locator("#id_starts_at").fill(_local(starts))
    page.locator("#id_ends_at").fill(_local(starts + timedelta(hours=hours)))
    page.locator("#id_place").fill(place)


def _an_hour_ago():
    return timezone.now().replace(second=0, microsecond=0) - timedelta(hours=1)


def test_the_county_officer_trains_instructors_and_sees_them_trained_in_the_group(
    page, browser_login, karin_county, per_police, tove_customs, anna_sundsvall, group_sundsvall
):
    browser_login(page, karin_county)
    page.goto("/moten/")
    page.get_by_role("link", name="Länsmöten").click()
    page.get_by_role("link", name="Nytt länsmöte").click()
    page.get_by_label("Typ av möte").select_option("training")
    _fill_meeting(page, title="Instruktörsutbildning i Härnösand", starts=_an_hour_ago(), hours=6)
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_text("Mötet är skapat.")).to_be_visible()

    # Everyone of the county is ticked: police, customs and the coordinators.
    for person in (per_police, tove_customs, anna_sundsvall):
        expect(page.get_by_label(re.compile(person.name))).to_be_checked()
    page.get_by_role("button", name="Skicka inbjudningar").click()
    expect(page.get_by_text("3 inbjudningar skickas.")).to_be_visible()
    assert OutboundEmail.objects.filter(purpose="county_meeting_invitation").count() == 3

    # Per and Anna came; Tove did not.
    page.get_by_label(re.compile(per_police.name)).check()
    page.get_by_label(re.compile(anna_sundsvall.name)).check()
    page.get_by_role("button", name="Spara närvaron och markera mötet som genomfört").click()
    expect(page.get_by_text("2 personer är utbildade instruktörer.")).to_be_visible()
    training = CountyMeeting.objects.get()
    assert training.status == CountyMeeting.Status.HELD

    day = timezone.localtime(training.starts_at)
    page.goto(f"/kommuner/arbetsgrupper/{group_sundsvall.pk}/")
    members = page.locator("section[aria-labelledby=members]")
    expect(members.get_by_role("row", name=re.compile(per_police.name))).to_contain_text("Utbildad instruktör")
    expect(members.get_by_role("row", name=re.compile(per_police.name))).to_contain_text(str(day.year))
    expect(page.get_by_text("Arbetsgruppen har ingen utbildad instruktör")).to_have_count(0)

    # The instructor picker shows who is trained.
    page.goto("/moten/nytt/")
    expect(page.get_by_label(re.compile(f"{per_police.name}.*utbildad instruktör"))).to_have_count(1)
    expect(page.get_by_label(re.compile(f"{tove_customs.name}.*utbildad"))).to_have_count(0)


def test_the_county_group_meets_with_invitations_minutes_and_a_follow_up(
    page, chromium, live_server, browser_login, karin_county, per_police, anna_sundsvall, bo_harnosand
):
    browser_login(page, karin_county)
    page.goto("/moten/lan/nytt/")
    page.get_by_label("Typ av möte").select_option("county_group")
    _fill_meeting(page, title="Länsvis grupp 2026", starts=_an_hour_ago())
    page.get_by_label("Dagordning").fill("1. Läget i länet\n2. Beslag")
    page.get_by_role("button", name="Spara").click()
    page.get_by_label(re.compile(bo_harnosand.name)).uncheck()
    page.get_by_role("button", name="Skicka inbjudningar").click()
    expect(page.get_by_text("2 inbjudningar skickas.")).to_be_visible()
    meeting = CountyMeeting.objects.get()

    # The invited instructor sees it; the coordinator who was not invited does not.
    other = chromium.new_context(base_url=live_server.url, locale="sv-SE").new_page()
    browser_login(other, per_police)
    other.goto("/moten/lan/")
    expect(other.get_by_role("link", name="Länsvis grupp 2026")).to_be_visible()
    other.context.close()
    other = chromium.new_context(base_url=live_server.url, locale="sv-SE").new_page()
    browser_login(other, bo_harnosand)
    assert other.goto(meeting.get_absolute_url()).status == 404
    other.context.close()

    page.get_by_label(re.compile(per_police.name)).check()
    page.get_by_label(re.compile(anna_sundsvall.name)).check()
    page.get_by_role("button", name="Spara närvaron och markera mötet som genomfört").click()
    expect(page.get_by_text("Närvaron är sparad: 2 deltog.")).to_be_visible()
    page.get_by_role("textbox", name="Minnesanteckningar").fill("Fler beslag i länet. Nästa år: fler arbetsplatsträffar.")
    page.get_by_role("button", name="Spara och skicka till deltagarna").click()
    expect(page.get_by_text("skickas till 2 personer")).to_be_visible()
    minutes = OutboundEmail.objects.filter(purpose="county_meeting_minutes")
    assert sorted(minutes.values_list("to", flat=True)) == sorted([per_police.email, anna_sundsvall.email])
    assert "Fler beslag i länet." in minutes.first().body_text

    page.get_by_role("button", name="Planera uppföljningen om ett år").click()
    expect(page.get_by_text("Uppföljningen är planerad")).to_be_visible()
    follow_up = CountyMeeting.objects.get(follow_up_of=meeting)
    assert follow_up.starts_at.date() - meeting.starts_at.date() == timedelta(days=364)
    assert set(follow_up.participants.values_list("user_id", flat=True)) == {per_police.pk, anna_sundsvall.pk}


def test_a_workplace_meeting_makes_the_site_eligible_for_decals(
    page, browser_login, anna_sundsvall, per_police, group_sundsvall, site_sundsvall, make_site, sundsvall
):
    make_site(sundsvall, name="Coop Birsta")
    assert not site_eligibility(site_sundsvall).eligible
    browser_login(page, anna_sundsvall)
    page.goto("/moten/nytt/")
    page.get_by_label("Typ av möte").select_option("workplace")
    page.get_by_label("Arbetsplats", exact=True).select_option(str(site_sundsvall.pk))
    _fill_meeting(page, title="Arbetsplatsträff ICA Nära", starts=_an_hour_ago(), hours=1, place="Personalrummet")
    page.get_by_label(re.compile(per_police.name)).check()
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_text("Mötet är skapat.")).to_be_visible()
    expect(page.get_by_role("button", name="Markera klar Kom överens med arbetsplatsen om en tid")).to_be_visible()
    expect(page.get_by_role("button", name="Markera klar Boka lokal")).to_have_count(0)  # annex 2's steps are not asked for
    meeting = Meeting.objects.get()

    # The staff are written down on the day, from the visited site, with their consent to the network.
    page.goto(f"/moten/{meeting.pk}/narvaro/")
    assert page.locator("#id_walkin-site").input_value() == str(site_sundsvall.pk)
    page.locator("#id_walkin-name").fill("Sara Östlund")
    page.locator("#id_walkin-email").fill("sara@ombud.example")
    page.locator("#id_walkin-join_network").check()
    page.get_by_role("button", name="Lägg till som närvarande").click()
    page.wait_for_load_state()
    page.goto(meeting.get_absolute_url())
    page.get_by_role("button", name="Markera som genomfört").click()
    expect(page.get_by_text("Mötet är markerat som genomfört. Uppföljningen är planerad")).to_be_visible()

    assert site_eligibility(site_sundsvall).eligible
    page.goto(f"/kommuner/arbetsgrupper/{group_sundsvall.pk}/")
    expect(page.get_by_text("Genomför ett samverkansmöte och markera det som genomfört.")).to_have_count(0)


def test_a_regional_manager_is_invited_for_three_sites_in_two_municipalities_and_orders_decals(
    page, chromium, live_server, settings, browser_login, karin_county, make_site, sundsvall, harnosand,
    make_meeting, group_sundsvall, make_contact, vasternorrland,
):
    from decals.models import DecalStock
    from meetings.models import Registration

    settings.SITE_URL = live_server.url
    sites = [make_site(sundsvall, name="Ombud Birsta"), make_site(sundsvall, name="Ombud Nacksta"),
             make_site(harnosand, name="Ombud Härnösand C")]
    make_site(harnosand, name="DHL Härnösand", company="DHL")
    DecalStock.objects.create(county=vasternorrland, quantity=50)
    # Birsta's staff were at last spring's meeting and are in the network: that site may order.
    held = make_meeting(group_sundsvall, days=-60, status="held")
    staff = make_contact(sites[0], in_network=True, joined_network_at=timezone.now())
    Registration.objects.create(meeting=held, contact=staff, checked_in_at=held.starts_at)

    browser_login(page, karin_county)
    page.goto("/moten/regionala-chefer/")
    page.get_by_role("link", name="Bjud in en regional chef").click()
    page.locator("#id_foretag").select_option("PostNord")
    page.get_by_role("button", name="Visa arbetsplatser").click()
    expect(page.get_by_label(re.compile("DHL Härnösand"))).to_have_count(0)
    page.locator("#id_name").fill("Rune Regionsson")
    page.locator("#id_email").fill("rune@postnord.example")
    for site in sites:
        page.get_by_label(re.compile(site.name)).check()
    page.get_by_role("button", name="Bjud in").click()
    expect(page.get_by_text("Rune Regionsson är inbjuden")).to_be_visible()
    for site in sites:
        expect(page.get_by_role("link", name=site.name)).to_be_visible()
    assert Contact.objects.filter(email="rune@postnord.example").count() == 3
    [mail] = OutboundEmail.objects.filter(purpose="regional_manager_invitation")
    assert "Sundsvall" in mail.body_text and "Härnösand" in mail.body_text

    # The manager asks for a link on Mina sidor, as the invitation says, and sees the three sites.
    cache.clear()
    manager = chromium.new_context(base_url=live_server.url, locale="sv-SE").new_page()
    manager.goto("/mina-sidor/")
    manager.get_by_label("Din e-postadress").fill("rune@postnord.example")
    manager.get_by_role("button", name="Skicka länk").click()
    manager.wait_for_load_state()
    link = OutboundEmail.objects.get(purpose="contact_link").params["link"]
    manager.goto(link)
    manager.get_by_role("button", name="Öppna Mina sidor").click()
    manager.wait_for_url("**/mina-sidor/")
    for site in sites:
        expect(manager.get_by_text(site.name).first).to_be_visible()
    expect(manager.get_by_text("Arbetsplatsen kan beställa dekaler")).to_have_count(1)
    manager.get_by_text("Beställ dekaler till Ombud Birsta").click()
    manager.get_by_label("Antal dekaler").fill("4")
    manager.get_by_role("button", name="Beställ dekaler").click()
    manager.wait_for_load_state()
    expect(manager.get_by_text("Din beställning är lagd")).to_be_visible()
    order = DecalOrder.objects.get()
    assert (order.site_id, order.quantity, order.contact.email) == (sites[0].pk, 4, "rune@postnord.example")
    manager.context.close()
