"""Tokens for the named people, and a client that sends one."""

import pytest

from api import services
from api.models import ApiToken


@pytest.fixture
def make_token():
    def make(user, scope=ApiToken.Scope.WRITE, days=30):
        if scope == ApiToken.Scope.WRITE and not services.may_write(user):
            scope = ApiToken.Scope.READ
        return services.token_create(user=user, name=f"Nyckel {user.name}", scope=scope, days=days)[1]

    return make


class ApiClient:
    """Django's test client with ``Authorization: Bearer`` and JSON bodies."""

    def __init__(self, client, secret: str, language: str = "sv"):
        self.client, self.secret, self.language = client, secret, language

    def _headers(self, headers):
        return {"HTTP_AUTHORIZATION": f"Bearer {self.secret}", "HTTP_ACCEPT_LANGUAGE": self.language, **headers}

    def get(self, url, data=None, **headers):
        return self.client.get(url, data, **self._headers(headers))

    def post(self, url, data=None, **headers):
        return self.client.post(url, data or {}, content_type="application/json", **self._headers(headers))


@pytest.fixture
def api_as(client, make_token):
    """``api_as(anna_sundsvall)``: a client acting with a new token of that person."""

    def make(user, scope=ApiToken.Scope.WRITE, language="sv"):
        return ApiClient(client, make_token(user, scope), language)

    return make


@pytest.fixture
def registration_harnosand(meeting_harnosand, contact_harnosand):
    return meeting_harnosand.registrations.create(contact=contact_harnosand)


@pytest.fixture
def registration_sundsvall(meeting_sundsvall, contact_sundsvall):
    return meeting_sundsvall.registrations.create(contact=contact_sundsvall)


@pytest.fixture
def webhook_harnosand(bo_harnosand):
    return services.webhook_create(owner=bo_harnosand, url="https://example.org/hook", events=["meeting.cancelled"])
