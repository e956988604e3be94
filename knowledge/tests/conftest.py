import importlib

import pytest


@pytest.fixture(autouse=True)
def _knowledge_pages(request):
    """Transactional tests empty every table afterwards, the migration's pages too: reload them."""
    if "transactional_db" not in request.fixturenames and "live_server" not in request.fixturenames:
        marker = request.node.get_closest_marker("django_db")
        if not (marker and marker.kwargs.get("transaction")):
            return
    request.getfixturevalue("transactional_db")
    from django.apps import apps

    from knowledge.models import Page

    if not Page.objects.exists():
        content = importlib.import_module("knowledge.migrations.0002_pages_content")
        content.load(apps, None)
