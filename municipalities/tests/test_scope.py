"""The user's scope is resolved once per request, however the page reaches it."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db


def _scope_queries(captured) -> int:
    return sum('FROM "municipalities_membership"' in q["sql"] and "municipality_id" in q["sql"] for q in captured)


def test_the_meeting_page_resolves_the_scope_once(client, anna_sundsvall, meeting_sundsvall):
    # The page filters through request.user (a lazy wrapper) and through the user's own
    # methods (the documents section): both must find the same kept scope.
    client.force_login(anna_sundsvall)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(meeting_sundsvall.get_absolute_url())
    assert response.status_code == 200 and meeting_sundsvall.title in response.content.decode()
    assert _scope_queries(captured) == 1


def test_a_forgotten_scope_is_resolved_again(anna_sundsvall, group_harnosand, meeting_harnosand):
    from meetings.models import Meeting
    from municipalities.models import Membership, scope_forget

    assert not Meeting.objects.visible_to(anna_sundsvall).filter(pk=meeting_harnosand.pk).exists()
    Membership.objects.create(working_group=group_harnosand, user=anna_sundsvall, role=Membership.Role.OTHER)
    scope_forget(anna_sundsvall)
    assert Meeting.objects.visible_to(anna_sundsvall).filter(pk=meeting_harnosand.pk).exists()


def test_deciding_one_municipality_agrees_with_the_scope_filter(
    anna_sundsvall, bo_harnosand, per_police, karin_county, ulla_uppsala_county, admin_user, sundsvall, harnosand
):
    from municipalities.models import Municipality, municipality_q, sees_municipality

    inactive = bo_harnosand
    inactive.is_active = False
    users = [anna_sundsvall, per_police, karin_county, ulla_uppsala_county, admin_user, inactive]
    for user in users:
        for municipality in (sundsvall, harnosand):
            filtered = Municipality.objects.filter(municipality_q(user, "")).filter(pk=municipality.pk).exists()
            assert sees_municipality(user, municipality.pk) == filtered, (user, municipality)
    assert sees_municipality(karin_county, harnosand.pk) and not sees_municipality(anna_sundsvall, harnosand.pk)
