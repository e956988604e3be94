"""Login throttling and rate limits count the real client behind the documented proxy, are not
fooled by how an address is written, end with a password reset, and survive a cache outage."""

import re
import socket

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from tif_portal.models import OutboundEmail
from tif_portal.testing import PASSWORD

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.1"


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()


@pytest.fixture
def behind_the_proxy(settings):
    settings.TRUSTED_PROXIES = [PROXY]


def _login(client, user, password, client_address, remote=PROXY):
    return client.post(reverse("accounts:login"), {"username": user.email, "password": password},
                       REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=f"{client_address}, {remote}" if remote == PROXY else client_address)


def test_behind_the_proxy_wrong_passwords_from_one_client_lock_out_that_client_only(client, anna_sundsvall, behind_the_proxy):
    for _ in range(5):
        _login(client, anna_sundsvall, "fel", "203.0.113.5")
    assert _login(client, anna_sundsvall, PASSWORD, "203.0.113.5").status_code == 429
    assert _login(client, anna_sundsvall, PASSWORD, "198.51.100.9").status_code == 302, "Anna herself is not locked out"


def test_an_x_forwarded_for_from_anyone_but_the_proxy_is_not_believed(client, anna_sundsvall, behind_the_proxy):
    for n in range(5):
        _login(client, anna_sundsvall, "fel", f"192.0.2.{n}", remote="198.51.100.66")
    assert _login(client, anna_sundsvall, PASSWORD, "192.0.2.99", remote="198.51.100.66").status_code == 429


def test_a_completed_password_reset_lifts_the_lockout(client, anna_sundsvall, django_capture_on_commit_callbacks):
    for _ in range(5):
        client.post(reverse("accounts:login"), {"username": anna_sundsvall.email, "password": "fel"})
    assert client.post(reverse("accounts:login"), {"username": anna_sundsvall.email, "password": PASSWORD}).status_code == 429
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:password_reset"), {"email": anna_sundsvall.email})
    link = re.search(r"/konto/losenord/ny/\S+/", mail.outbox[-1].body).group(0)
    form_page = client.get(link, follow=True)
    new_password = "Ett nytt långt lösen 2026!"
    client.post(form_page.redirect_chain[-1][0], {"new_password1": new_password, "new_password2": new_password})
    assert client.post(reverse("accounts:login"), {"username": anna_sundsvall.email, "password": new_password}).status_code == 302


def test_link_requests_count_an_address_once_however_it_is_written(client, contact_sundsvall):
    variants = ["Sara@Ombud.example", " sara@ombud.example", "SARA@OMBUD.EXAMPLE ", "sara@ombud.example", "Sara@ombud.Example"]
    for variant in variants:
        assert client.post(reverse("contact:link_request"), {"email": variant}).status_code == 200
    assert client.post(reverse("contact:link_request"), {"email": "sara@ombud.EXAMPLE"}).status_code == 429
    assert OutboundEmail.objects.filter(purpose="contact_link").count() == 5


def test_password_reset_requests_are_rate_limited(client, anna_sundsvall):
    for _ in range(8):
        client.post(reverse("accounts:password_reset"), {"email": anna_sundsvall.email.upper()})
    assert OutboundEmail.objects.filter(to=anna_sundsvall.email).count() == 5


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_with_the_cache_down_the_link_request_and_accessibility_forms_still_answer(client, settings, contact_sundsvall):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": f"redis://127.0.0.1:{_closed_port()}/0"}}
    assert client.post(reverse("contact:link_request"), {"email": contact_sundsvall.email}).status_code == 200
    response = client.post(reverse("knowledge:accessibility_report"), {"message": "Fokus syns inte.", "page_url": "/"})
    assert response.status_code == 302
