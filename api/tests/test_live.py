"""The OpenAPI schema validates, and plain ``requests`` against a live server calls every
operation it describes, as a county officer's program would."""

import pytest
import requests
from openapi_spec_validator import validate

from api import services
from decals.models import DecalStock

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def schema(live_server):
    response = requests.get(f"{live_server.url}/api/openapi.json", timeout=10)
    assert response.status_code == 200
    return response.json()


def test_the_schema_is_valid_openapi_3(schema):
    validate(schema)
    assert schema["openapi"].startswith("3.")


def test_the_schema_speaks_the_asked_language(live_server):
    swedish = requests.get(f"{live_server.url}/api/openapi.json", timeout=10).json()
    english = requests.get(f"{live_server.url}/api/openapi.json", headers={"Accept-Language": "en"}, timeout=10).json()
    assert swedish["paths"]["/api/sites/"]["get"]["summary"] == "Arbetsplatser"
    assert english["paths"]["/api/sites/"]["get"]["summary"] == "Workplaces"


def test_requests_exercise_every_operation(live_server, schema, karin_county, decal_order_harnosand, vasternorrland, meeting_harnosand, contact_harnosand):
    DecalStock.objects.create(county=vasternorrland, size="A5", quantity=10)
    registration = meeting_harnosand.registrations.create(contact=contact_harnosand)
    secret = services.token_create(user=karin_county, name="Länets system", scope="write", days=30)[1]
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {secret}"
    base = f"{live_server.url}/api"
    done = set()

    def call(method, path, expected=200, **kwargs):
        template = kwargs.pop("template", path)
        response = session.request(method, base + path, timeout=30, **kwargs)
        assert response.status_code == expected, (method, path, response.text[:300])
        done.add((method.lower(), "/api" + template))
        return response.json() if response.content else None

    site = contact_harnosand.site
    call("GET", "/municipalities/")
    call("GET", "/municipalities/2280/", template="/municipalities/{code}/")
    groups = call("GET", "/working-groups/", params={"municipality": "2280"})["results"]
    call("GET", f"/working-groups/{groups[0]['id']}/", template="/working-groups/{id}/")
    call("GET", "/sites/", params={"company": site.company})
    call("GET", f"/sites/{site.pk}/", template="/sites/{id}/")
    row = {"company": "PostNord", "external_id": "PN-9", "name": "Ombud 9", "street": "Nygatan 9", "postal_code": "87131", "city": "Härnösand", "municipality_code": "2280"}
    assert call("POST", "/sites/upsert/", json={"rows": [row]})["counts"]["create"] == 1
    call("GET", "/contacts/", params={"site": site.pk})
    call("GET", f"/contacts/{contact_harnosand.pk}/", template="/contacts/{id}/")
    person = {"company": site.company, "external_id": site.external_id, "name": "Ny Person", "email": "ny@ombud.example"}
    call("POST", "/contacts/upsert/", json={"rows": [person]})
    call("GET", "/meetings/", params={"municipality": "2280"})
    call("GET", f"/meetings/{meeting_harnosand.pk}/", template="/meetings/{id}/")
    call("GET", "/registrations/", params={"meeting": meeting_harnosand.pk})
    call("GET", f"/registrations/{registration.pk}/", template="/registrations/{id}/")
    call("GET", "/decal-orders/", params={"state": "placed"})
    call("GET", f"/decal-orders/{decal_order_harnosand.pk}/", template="/decal-orders/{id}/")
    call("POST", f"/decal-orders/{decal_order_harnosand.pk}/state/", json={"action": "approve"}, template="/decal-orders/{id}/state/")
    call("GET", "/counties/22/dashboard/", params={"year": 2026}, template="/counties/{code}/dashboard/")
    hook = call("POST", "/webhooks/", 201, json={"url": "https://example.org/lan", "events": ["decal_order.state_changed"]})
    hook_path = f"/webhooks/{hook['id']}/"
    call("GET", "/webhooks/")
    call("GET", hook_path, template="/webhooks/{id}/")
    call("PUT", hook_path, json={"url": "https://example.org/lan2", "events": ["decal_order.state_changed"], "active": True}, template="/webhooks/{id}/")
    call("PATCH", hook_path, json={"active": False}, template="/webhooks/{id}/")
    call("GET", f"{hook_path}deliveries/", template="/webhooks/{id}/deliveries/")
    call("DELETE", hook_path, 204, template="/webhooks/{id}/")

    described = {(method, path) for path, item in schema["paths"].items() for method in item if method != "parameters"}
    assert described - done == set(), "every operation in the schema is called"
