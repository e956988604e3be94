"""The smaller holes an attacker's audit found, each closed: a decompression bomb for a logo,
personal links after erasure, the reporter's address left in the outbox, a line break in a
title, the language cookie, pages with personal data kept in caches, the public secret key in
production, and an English error page."""

import io
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import path, reverse
from django.utils import timezone
from PIL import Image

from knowledge import personal_data
from knowledge import services as knowledge_services
from meetings.models import Invitation
from meetings.services import meetings as meeting_services
from meetings.services import outreach
from tif_portal.models import OutboundEmail
from tif_portal.outbox import delivery

pytestmark = pytest.mark.django_db
ROOT = Path(django_settings.BASE_DIR)


def test_a_logo_that_would_unpack_to_too_many_pixels_is_refused_with_a_message(client, anna_sundsvall, meeting_sundsvall):
    data = io.BytesIO()
    Image.new("1", (20000, 20000)).save(data, "PNG")  # a few kilobytes, 400 million pixels
    client.force_login(anna_sundsvall)
    response = client.post(reverse("meetings:logo_upload", args=[meeting_sundsvall.pk]),
                           {"logo": SimpleUploadedFile("bomb.png", data.getvalue(), content_type="image/png")})
    assert response.status_code == 200
    assert "för många bildpunkter" in response.content.decode()


@pytest.fixture
def erased_sara(client, contact_sundsvall, meeting_sundsvall, anna_sundsvall):
    from accounts.models import User

    outreach.invitations_send(meeting=meeting_sundsvall, contacts=[contact_sundsvall], sent_by=anna_sundsvall)
    invitation = Invitation.objects.get(meeting=meeting_sundsvall)
    [registration] = outreach.registrations_create(
        invitation=invitation, people=[{"name": "Sara", "email": contact_sundsvall.email, "dietary_needs": ""}],
        join_network=False,
    ).registrations
    links = [
        reverse("meetings:registration", args=[invitation.token]),
        reverse("meetings:registration_change", args=[registration.token]),
        reverse("meetings:network_leave", args=[contact_sundsvall.token]),
    ]
    knowledge_services.accessibility_report_submit(page_url="/", message="Fokus syns inte.", name="Sara",
                                                   email=contact_sundsvall.email)
    user = User.objects.create_user(contact_sundsvall.email, None, name="Sara", role=User.Role.CONTACT)
    contact_sundsvall.user = user
    contact_sundsvall.save()
    return user, links


def test_personal_links_stop_working_when_the_person_is_erased(client, erased_sara, admin_user):
    user, links = erased_sara
    for link in links:
        assert client.get(link).status_code == 200
    personal_data.contact_erase(user=user)
    for link in links:
        assert client.get(link).status_code == 404, link


def test_erasure_removes_the_reporters_address_from_the_accessibility_mail(admin_user, erased_sara, contact_sundsvall):
    user, _links = erased_sara
    delivery.deliver_batch()
    row = OutboundEmail.objects.get(purpose="accessibility_report")
    assert contact_sundsvall.email in row.body_text
    personal_data.contact_erase(user=user)
    row.refresh_from_db()
    assert contact_sundsvall.email not in row.body_text + row.body_html + str(row.params)


def test_a_line_break_in_a_meeting_title_fails_no_mail(anna_sundsvall, group_sundsvall, contact_sundsvall, site_sundsvall, make_contact):
    start = timezone.now() + timedelta(days=10)
    meeting = meeting_services.meeting_create(group=group_sundsvall, created_by=anna_sundsvall, title="Samverkansmöte\nBirsta",
                                      starts_at=start, ends_at=start + timedelta(hours=2), place="Stadshuset")
    others = [make_contact(site_sundsvall) for _ in range(2)]
    outreach.invitations_send(meeting=meeting, contacts=[contact_sundsvall, *others], sent_by=anna_sundsvall)
    result = delivery.deliver_batch()
    assert result.failed == 0 and result.sent == 3
    assert OutboundEmail.objects.filter(purpose="invitation", subject="Inbjudan: Samverkansmöte Birsta").count() == 3


def test_the_meeting_form_keeps_a_title_on_one_line(client, anna_sundsvall, group_sundsvall):
    from meetings.forms import MeetingForm

    start = timezone.localtime() + timedelta(days=5)
    form = MeetingForm({"working_group": group_sundsvall.pk, "kind": "collaboration", "title": "Möte\r\nBirsta",
                        "starts_at": start.strftime("%Y-%m-%dT%H:%M"), "ends_at": (start + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
                        "place": "Stadshuset"}, user=anna_sundsvall)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["title"] == "Möte Birsta"


@override_settings(LANGUAGE_COOKIE_SECURE=True)
def test_the_language_cookie_is_secure_over_https(client, anna_sundsvall):
    client.force_login(anna_sundsvall)
    response = client.post(reverse("accounts:profile"), {"name": anna_sundsvall.name, "phone": "", "language": "en"}, secure=True)
    assert response.cookies["django_language"]["secure"] is True
    switched = client.post(reverse("set_language"), {"language": "sv", "next": "/"}, secure=True)
    assert switched.cookies["django_language"]["secure"] is True


def test_pages_and_documents_with_personal_data_are_not_stored_in_caches(client, anna_sundsvall, meeting_sundsvall, erased_sara):
    _user, links = erased_sara
    client.force_login(anna_sundsvall)
    for url in (meeting_sundsvall.get_absolute_url(), reverse("meetings:attendance_sheet_pdf", args=[meeting_sundsvall.pk]),
                reverse("meetings:site_list")):
        assert "no-store" in client.get(url)["Cache-Control"], url
    client.logout()
    for link in links:
        assert "no-store" in client.get(link)["Cache-Control"], link
    assert "no-store" not in client.get(reverse("knowledge:page_list")).get("Cache-Control", "")


def _production(env):
    return subprocess.run([sys.executable, "-c", "import django; django.setup()"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60)


def test_the_portal_refuses_to_serve_a_real_host_with_the_public_secret_key():
    base = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")} | {"DJANGO_SETTINGS_MODULE": "tif_portal.settings"}
    refused = _production(base | {"DJANGO_ALLOWED_HOSTS": "tif.example.se", "DJANGO_HTTPS": "1"})
    assert refused.returncode != 0 and "DJANGO_SECRET_KEY" in refused.stderr
    assert _production(base).returncode == 0, "on loopback the local key is fine"
    own_key = base | {"DJANGO_ALLOWED_HOSTS": "tif.example.se", "DJANGO_SECRET_KEY": "a-long-random-value-" * 3}
    assert _production(own_key).returncode == 0


def _broken(request):
    raise RuntimeError("something broke")


urlpatterns = [path("trasig/", _broken), path("", lambda request: None, name="home")]


@override_settings(ROOT_URLCONF=__name__, DEBUG=False)
def test_an_error_shows_a_page_in_swedish(client):
    client.raise_request_exception = False
    response = client.get("/trasig/")
    assert response.status_code == 500
    page = response.content.decode()
    assert 'lang="sv"' in page and "Något gick fel" in page


def test_a_missing_page_and_a_refused_one_answer_in_swedish(client, per_police, meeting_sundsvall):
    assert "Sidan finns inte" in client.get("/finns-inte/").content.decode()
    client.force_login(per_police)
    refused = client.get(reverse("meetings:attendance", args=[meeting_sundsvall.pk]))
    assert refused.status_code == 403 and "Du har inte behörighet" in refused.content.decode()
