import pytest
from django.core import mail
from django.urls import reverse

from tif_portal.models import OutboundEmail
from tif_portal.testing import PASSWORD

# Some tests reach their people through request.getfixturevalue, which pytest-django
# cannot see when it orders database tests before the transactional ones.
pytestmark = pytest.mark.django_db


def test_login_with_email_and_password(client, anna_sundsvall):
    response = client.post(reverse("accounts:login"), {"username": "ANNA@sundsvall.example", "password": PASSWORD})
    assert response.status_code == 302 and response.url == reverse("home")


def test_wrong_password_says_what_to_check_in_the_pages_language_only(client, anna_sundsvall):
    response = client.post(reverse("accounts:login"), {"username": anna_sundsvall.email, "password": "fel"})
    body = response.content.decode()
    assert "Fel e-postadress eller lösenord. Kontrollera stavningen" in body and "Wrong email address" not in body
    response = client.post(
        reverse("accounts:login"), {"username": anna_sundsvall.email, "password": "fel"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "Wrong email address or password" in response.content.decode()


def test_login_is_throttled_after_five_failures(client, anna_sundsvall):
    for _ in range(5):
        client.post(reverse("accounts:login"), {"username": anna_sundsvall.email, "password": "fel"})
    response = client.post(reverse("accounts:login"), {"username": anna_sundsvall.email, "password": PASSWORD})
    assert response.status_code == 429
    assert "För många misslyckade inloggningar" in response.content.decode()


def test_password_reset_mail_goes_through_the_outbox(client, anna_sundsvall, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:password_reset"), {"email": anna_sundsvall.email})
    assert response.status_code == 302
    row = OutboundEmail.objects.get(to=anna_sundsvall.email)
    assert row.state == OutboundEmail.State.SENT
    assert len(mail.outbox) == 1 and "/konto/losenord/ny/" in mail.outbox[0].body


def test_password_reset_answers_the_same_for_unknown_addresses(client, db):
    response = client.post(reverse("accounts:password_reset"), {"email": "okand@example.se"})
    assert response.status_code == 302
    assert not OutboundEmail.objects.exists()


def test_logout_needs_post_and_ends_the_session(client, anna_sundsvall):
    client.force_login(anna_sundsvall)
    client.post(reverse("accounts:logout"))
    assert client.get(reverse("accounts:profile")).status_code == 302


def test_profile_language_choice_switches_the_interface(client, anna_sundsvall):
    client.force_login(anna_sundsvall)
    client.post(reverse("accounts:profile"), {"name": "Anna Åkesson", "phone": "", "language": "en"})
    page = client.get(reverse("accounts:profile")).content.decode()
    assert '<html lang="en">' in page and "My account" in page


def test_language_switcher_sets_english(client, db):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert 'lang="en"' in client.get("/").content.decode()


def test_renewing_the_feed_token_invalidates_the_old_one(client, per_police):
    old = per_police.feed_token
    client.force_login(per_police)
    client.post(reverse("accounts:feed_token_renew"))
    per_police.refresh_from_db()
    assert per_police.feed_token != old


@pytest.mark.parametrize(
    "person, text",
    [
        ("anna_sundsvall", "Kommande möten"),
        ("per_police", "Mitt schema"),
        ("karin_county", "Västernorrlands län"),
        ("admin_user", "Översikt"),
    ],
)
def test_each_role_gets_its_own_start_page(client, request, person, text):
    client.force_login(request.getfixturevalue(person))
    assert text in client.get(reverse("home")).content.decode()


def test_coordinator_start_page_shows_next_meetings_and_open_tasks(client, anna_sundsvall, meeting_sundsvall):
    meeting_sundsvall.checklist.create(position=1, key="book_room")
    client.force_login(anna_sundsvall)
    body = client.get(reverse("home")).content.decode()
    assert meeting_sundsvall.title in body and "Boka lokal" in body


def test_instructor_start_page_lists_their_schedule(client, per_police, meeting_sundsvall, meeting_harnosand):
    meeting_sundsvall.instructors.add(per_police)
    client.force_login(per_police)
    body = client.get(reverse("home")).content.decode()
    assert "Samverkansmöte Sundsvall" in body and "Samverkansmöte Härnösand" not in body


def test_fields_for_the_users_own_details_say_what_they_hold_and_phones_are_tel(client, anna_sundsvall, contact_sundsvall):
    client.force_login(anna_sundsvall)
    html = client.get(reverse("accounts:profile")).content.decode()
    assert 'autocomplete="name"' in html and 'type="tel"' in html and 'autocomplete="tel"' in html
    from decals.forms import OrderForm
    from meetings.models import Site

    order = str(OrderForm(sites=Site.objects.all()))
    for token in ("organization", "address-line1", "postal-code", "address-level2"):
        assert f'autocomplete="{token}"' in order
