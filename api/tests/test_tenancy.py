"""Cross-tenant denial for every API endpoint: another municipality's objects give 404, and
lists show only the token owner's own. The API's part of tif_portal/tests/test_tenancy.py.

A token acts with its owner's scoping: Anna coordinates in Sundsvall and Ulla is county
officer in Uppsala; neither may see any object of Härnösand, whatever endpoint asks.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

pytestmark = pytest.mark.django_db

# Every API URL with arguments, with a function returning the arguments of Härnösand's object.
API_FOREIGN_OBJECTS = {
    "api:municipality-detail": lambda get: [get("harnosand").code],
    "api:working_group-detail": lambda get: [get("group_harnosand").pk],
    "api:site-detail": lambda get: [get("site_harnosand").pk],
    "api:contact-detail": lambda get: [get("contact_harnosand").pk],
    "api:meeting-detail": lambda get: [get("meeting_harnosand").pk],
    "api:registration-detail": lambda get: [get("registration_harnosand").pk],
    "api:decal_order-detail": lambda get: [get("decal_order_harnosand").pk],
    "api:decal_order-state": lambda get: [get("decal_order_harnosand").pk],
    "api:county_dashboard": lambda get: [get("harnosand").county.code],
    "api:webhook-detail": lambda get: [get("webhook_harnosand").pk],
    "api:webhook-deliveries": lambda get: [get("webhook_harnosand").pk],
}
# The owner of the Härnösand objects: the county officer, and Bo for his own webhook.
OWNER = {"api:webhook-detail": "bo_harnosand", "api:webhook-deliveries": "bo_harnosand"}
WRITE_ONLY = {"api:decal_order-state"}

# Lists, and the objects (fixture name) that must and must not appear in them.
LISTS = {
    "api:municipality-list": ("sundsvall", "harnosand", "code"),
    "api:working_group-list": ("group_sundsvall", "group_harnosand", "id"),
    "api:site-list": ("site_sundsvall", "site_harnosand", "id"),
    "api:contact-list": ("contact_sundsvall", "contact_harnosand", "id"),
    "api:meeting-list": ("meeting_sundsvall", "meeting_harnosand", "id"),
    "api:registration-list": ("registration_sundsvall", "registration_harnosand", "id"),
    "api:webhook-list": ("webhook_sundsvall", "webhook_harnosand", "id"),
}


def api_url_names(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            namespace = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            yield from api_url_names(pattern, namespace)
        elif isinstance(pattern, URLPattern) and pattern.name and prefix == "api:":
            yield f"{prefix}{pattern.name}", pattern


@pytest.fixture
def webhook_sundsvall(anna_sundsvall):
    from api import services

    return services.webhook_create(owner=anna_sundsvall, url="https://example.org/anna", events=["meeting.cancelled"])


def test_every_api_url_with_arguments_is_covered():
    uncovered = [name for name, p in api_url_names() if p.pattern.regex.groups and name not in API_FOREIGN_OBJECTS]
    assert uncovered == [], "list these in API_FOREIGN_OBJECTS"


def test_every_api_list_is_covered():
    lists = {name for name, p in api_url_names() if name.endswith("-list")}
    assert lists - set(LISTS) == {"api:decal_order-list"}  # a coordinator handles no orders: below


@pytest.mark.parametrize("url_name", sorted(API_FOREIGN_OBJECTS))
@pytest.mark.parametrize("person", ["anna_sundsvall", "ulla_uppsala_county"])
def test_a_token_of_another_municipality_gets_404_for_every_object(request, api_as, url_name, person):
    args = API_FOREIGN_OBJECTS[url_name](request.getfixturevalue)
    api = api_as(request.getfixturevalue(person))
    url = reverse(url_name, args=args)
    if url_name in WRITE_ONLY:
        response = api.post(url, {"action": "approve"})
    else:
        response = api.get(url)
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize("url_name", sorted(API_FOREIGN_OBJECTS))
def test_the_owner_opens_the_same_objects(request, api_as, url_name, karin_county, bo_harnosand):
    args = API_FOREIGN_OBJECTS[url_name](request.getfixturevalue)
    api = api_as(request.getfixturevalue(OWNER.get(url_name, "karin_county")))
    url = reverse(url_name, args=args)
    if url_name in WRITE_ONLY:
        assert api.post(url, {"action": "reject", "reason": "Fel adress"}).status_code == 200
    else:
        assert api.get(url).status_code == 200, "the 404 above must come from scoping, not a broken URL"


@pytest.mark.parametrize("url_name", sorted(LISTS))
def test_lists_show_only_the_token_owners_own(request, api_as, url_name, anna_sundsvall):
    own_name, foreign_name, key = LISTS[url_name]
    own, foreign = request.getfixturevalue(own_name), request.getfixturevalue(foreign_name)
    body = api_as(anna_sundsvall).get(reverse(url_name), {"page_size": 1000}).json()
    keys = {row[key] for row in body["results"]}
    assert getattr(own, "code" if key == "code" else "pk") in keys
    assert getattr(foreign, "code" if key == "code" else "pk") not in keys


def test_decal_orders_list_only_the_county_officers_county(api_as, karin_county, ulla_uppsala_county, anna_sundsvall, decal_order_harnosand):
    ids = lambda person: {row["id"] for row in api_as(person).get(reverse("api:decal_order-list")).json()["results"]}  # noqa: E731
    assert ids(karin_county) == {decal_order_harnosand.pk}
    assert ids(ulla_uppsala_county) == set()
    assert ids(anna_sundsvall) == set()


def test_an_instructor_token_sees_meetings_but_no_personal_data(api_as, per_police, meeting_sundsvall, registration_sundsvall, contact_sundsvall):
    api = api_as(per_police)
    assert meeting_sundsvall.pk in {m["id"] for m in api.get(reverse("api:meeting-list")).json()["results"]}
    assert api.get(reverse("api:registration-list")).json()["results"] == []
    assert api.get(reverse("api:contact-detail", args=[contact_sundsvall.pk])).status_code == 404
