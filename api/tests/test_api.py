"""Tokens, error bodies, ETags, throttling and the writes that go through the portal's services."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from api.models import ApiToken, token_digest
from api.throttling import PerToken
from decals.models import DecalOrder, DecalStock
from tif_portal.models import OutboundEmail

pytestmark = pytest.mark.django_db


def test_the_token_page_shows_a_new_token_once_and_keeps_only_its_digest(client, anna_sundsvall):
    client.force_login(anna_sundsvall)
    url = reverse("api_tokens:token_list")
    assert url in client.get(reverse("accounts:profile")).content.decode()
    page = client.post(url, {"name": "Ombudslistan", "scope": "write", "days": 90})
    token = ApiToken.objects.get()
    secret = page.context["secret"]
    assert secret.startswith("tif_") and secret in page.content.decode()
    assert token.digest == token_digest(secret) and secret not in (token.digest, token.hint)
    assert "no-store" in page["Cache-Control"]
    assert secret not in client.get(url).content.decode(), "shown once"
    assert token.expires_at - timezone.now() > timedelta(days=89)


def test_a_revoked_or_expired_token_is_refused(client, api_as, anna_sundsvall, bo_harnosand):
    api = api_as(anna_sundsvall)
    assert api.get(reverse("api:site-list")).status_code == 200
    token = ApiToken.objects.get()
    client.force_login(bo_harnosand)
    assert client.post(reverse("api_tokens:token_revoke", args=[token.pk])).status_code == 404, "only the owner revokes"
    client.force_login(anna_sundsvall)
    client.post(reverse("api_tokens:token_revoke", args=[token.pk]))
    response = api.get(reverse("api:site-list"))
    assert response.status_code == 401 and response.json()["error"]["code"] == "authentication_failed"
    expired = api_as(anna_sundsvall)
    ApiToken.objects.filter(revoked_at__isnull=True).update(expires_at=timezone.now())
    assert expired.get(reverse("api:site-list")).status_code == 401


def test_a_reading_role_gets_only_a_reading_token(client, per_police):
    client.force_login(per_police)
    client.post(reverse("api_tokens:token_list"), {"name": "Schema", "scope": "write", "days": 30})
    assert not ApiToken.objects.filter(scope="write").exists()


def test_errors_come_in_the_asked_language(client, api_as, anna_sundsvall):
    assert client.get(reverse("api:site-list")).json()["error"]["message"].startswith("Autentiseringsuppgifter")
    english = client.get(reverse("api:site-list"), HTTP_ACCEPT_LANGUAGE="en").json()["error"]
    assert english == {"status": 401, "code": "not_authenticated", "message": "Authentication credentials were not provided."}
    read = api_as(anna_sundsvall, scope=ApiToken.Scope.READ, language="en")
    assert "only read" in read.post(reverse("api:site-upsert"), {"rows": []}).json()["error"]["message"]
    assert read.get("/api/sites/999999/").json()["error"]["message"] == "No Site matches the given query."


def test_reads_carry_an_etag_that_answers_304_until_something_changes(api_as, anna_sundsvall, site_sundsvall):
    api = api_as(anna_sundsvall)
    url = reverse("api:site-detail", args=[site_sundsvall.pk])
    etag = api.get(url)["ETag"]
    assert api.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    site_sundsvall.name = "Nytt namn"
    site_sundsvall.save()
    assert api.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_each_token_has_its_own_limit(api_as, anna_sundsvall, monkeypatch):
    monkeypatch.setattr(PerToken, "rate", "3/min", raising=False)
    cache.clear()
    first, second = api_as(anna_sundsvall), api_as(anna_sundsvall)
    assert [first.get(reverse("api:site-list")).status_code for _ in range(4)] == [200, 200, 200, 429]
    limited = first.get(reverse("api:site-list"))
    assert limited["Retry-After"] and limited.json()["error"]["code"] == "throttled"
    assert second.get(reverse("api:site-list")).status_code == 200


def test_lists_are_paged_and_filtered_with_a_bounded_number_of_queries(api_as, anna_sundsvall, make_site, sundsvall, django_assert_max_num_queries):
    for n in range(30):
        make_site(sundsvall, company="DHL" if n % 3 else "PostNord")
    api = api_as(anna_sundsvall)
    api.get(reverse("api:site-list"))
    with django_assert_max_num_queries(6):
        body = api.get(reverse("api:site-list"), {"company": "PostNord", "page_size": 5}).json()
    assert body["count"] == 10 and len(body["results"]) == 5 and body["next"]


def test_a_decal_order_step_goes_through_the_service_mail_and_history(api_as, karin_county, decal_order_harnosand, vasternorrland):
    DecalStock.objects.create(county=vasternorrland, size="A5", quantity=10)
    api = api_as(karin_county)
    url = reverse("api:decal_order-state", args=[decal_order_harnosand.pk])
    assert api.post(url, {"action": "approve"}).json()["state"] == "approved"
    assert DecalStock.objects.get().quantity == 8
    assert OutboundEmail.objects.filter(purpose="decal_order").exists()
    assert decal_order_harnosand.history.latest().history_user == karin_county
    again = api.post(url, {"action": "approve"})
    assert again.status_code == 400 and "redan" in again.json()["error"]["message"]
    assert DecalOrder.objects.get().state == "approved"


def test_the_county_figures(api_as, karin_county, ulla_uppsala_county, site_harnosand):
    body = api_as(karin_county).get(reverse("api:county_dashboard", args=["22"]), {"year": 2026}).json()
    rows = {row["municipality"]: row["values"] for row in body["rows"]}
    assert rows["2280"]["sites_known"] == 1 and body["total"]["sites_known"] == 1
    assert api_as(ulla_uppsala_county).get(reverse("api:county_dashboard", args=["22"])).status_code == 404


def test_webhooks_are_managed_by_their_owner_and_the_secret_shown_once(api_as, anna_sundsvall):
    api = api_as(anna_sundsvall)
    created = api.post(reverse("api:webhook-list"), {"url": "https://example.org/tif", "events": ["meeting.cancelled"]})
    assert created.status_code == 201 and len(created.json()["secret"]) == 64
    detail = api.get(reverse("api:webhook-detail", args=[created.json()["id"]])).json()
    assert "secret" not in detail
    refused = api.post(reverse("api:webhook-list"), {"url": "http://example.org/tif", "events": ["meeting.cancelled"]})
    assert refused.status_code == 400 and refused.json()["error"]["fields"]["url"]
