import pytest
from django.urls import reverse


def test_health_reports_database_and_broker(client, db, settings):
    response = client.get(reverse("health"))
    body = response.json()
    assert body["database"] == "ok"
    assert set(body) == {"database", "broker", "status"}


@pytest.mark.services
def test_health_reports_broker_down(client, db, settings):
    from tif_portal.celery import app

    original = app.conf.broker_url
    app.conf.broker_url = "redis://127.0.0.1:1/0"
    try:
        response = client.get(reverse("health"))
    finally:
        app.conf.broker_url = original
    assert response.status_code == 503 and response.json()["broker"] == "unreachable"
