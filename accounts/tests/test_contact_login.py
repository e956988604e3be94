import re
from datetime import timedelta

from django.core import mail
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time


def _ask(client, email, capture):
    with capture(execute=True):
        return client.post(reverse("contact:link_request"), {"email": email})


def _link(to):
    body = next(m.body for m in mail.outbox if to in m.to)
    return re.search(r"http://\S+", body).group(0).replace("http://127.0.0.1:8000", "")


def test_link_signs_in_once_with_a_post_and_shows_the_contacts_page(client, contact_sundsvall, django_capture_on_commit_callbacks):
    response = _ask(client, "Sara@Ombud.example", django_capture_on_commit_callbacks)
    assert "Kolla din e-post" in response.content.decode()
    link = _link("sara@ombud.example")
    # Opening the link (as a mail scanner would) spends nothing.
    assert "Öppna Mina sidor" in client.get(link).content.decode()
    assert "Öppna Mina sidor" in client.get(link).content.decode()
    token = link.split("sesame=")[1]
    response = client.post(reverse("contact:login"), {"sesame": token})
    assert response.status_code == 302
    page = client.get(reverse("contact:my_page")).content.decode()
    assert "ICA Nära Sundsvall" in page


def test_a_used_link_does_not_sign_in_again(client, contact_sundsvall, django_capture_on_commit_callbacks):
    _ask(client, contact_sundsvall.email, django_capture_on_commit_callbacks)
    token = _link(contact_sundsvall.email).split("sesame=")[1]
    client.post(reverse("contact:login"), {"sesame": token})
    client.post(reverse("contact:logout"))
    assert client.post(reverse("contact:login"), {"sesame": token}).status_code == 400
    assert "Mina sidor för ombud" in client.get(reverse("contact:my_page")).content.decode()


def test_an_expired_link_does_not_sign_in(client, contact_sundsvall, django_capture_on_commit_callbacks):
    _ask(client, contact_sundsvall.email, django_capture_on_commit_callbacks)
    token = _link(contact_sundsvall.email).split("sesame=")[1]
    with freeze_time(timezone.now() + timedelta(minutes=11)):
        assert "gått ut" in client.get(reverse("contact:login"), {"sesame": token}).content.decode()
        assert client.post(reverse("contact:login"), {"sesame": token}).status_code == 400


def test_unknown_address_gets_the_same_answer_and_no_mail(client, db, django_capture_on_commit_callbacks):
    response = _ask(client, "okand@example.se", django_capture_on_commit_callbacks)
    assert response.status_code == 200 and "Kolla din e-post" in response.content.decode()
    assert mail.outbox == []


def test_link_requests_are_rate_limited_per_address(client, contact_sundsvall, django_capture_on_commit_callbacks):
    from django.core.cache import cache

    cache.clear()
    statuses = [_ask(client, contact_sundsvall.email, django_capture_on_commit_callbacks).status_code for _ in range(7)]
    assert statuses[:5] == [200] * 5 and statuses[-1] == 429
    cache.clear()


def test_a_contact_session_opens_no_coordinator_data(client, contact_sundsvall, meeting_sundsvall, django_capture_on_commit_callbacks):
    _ask(client, contact_sundsvall.email, django_capture_on_commit_callbacks)
    client.post(reverse("contact:login"), {"sesame": _link(contact_sundsvall.email).split("sesame=")[1]})
    assert client.get(meeting_sundsvall.get_absolute_url()).status_code == 404
    assert client.get(reverse("home")).url == reverse("contact:my_page")
