"""Pages kept until the data changes: served again without the page's work, made old by every
committed write however it is made (also from another process), never served to anyone else."""

import subprocess
import sys

import pytest
from django.contrib import messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.db import connection, transaction
from django.http import HttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meetings.models import Meeting
from tif_portal import generation
from tif_portal.testing.worker import BASE_DIR, worker_env

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 60
    generation.raise_generation()


@pytest.fixture
def signed_in(client, anna_sundsvall, page_cache):
    client.force_login(anna_sundsvall)
    return client


def _get(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), len(queries.captured_queries)


def _kept(client, url):
    """The page, after making sure it comes from the cache: a first look may set the CSRF cookie
    (an answer that sets a cookie is not kept), the next is kept, the last comes from the cache."""
    client.get(url)
    first, _queries = _get(client, url)
    again, queries = _get(client, url)
    assert again == first and queries <= 2, f"{url} took {queries} queries: not from the cache"
    return again


def _rename(meeting, title):
    Meeting.objects.filter(pk=meeting.pk).update(title=title)


def test_a_page_seen_again_is_served_without_its_work(signed_in, meeting_sundsvall):
    url = reverse("meetings:meeting_list")
    assert meeting_sundsvall.title in _kept(signed_in, url)
    generation.raise_generation()
    _page, queries_made_afresh = _get(signed_in, url)
    assert queries_made_afresh > 2


@pytest.mark.parametrize(
    "write",
    [
        pytest.param(lambda m: _rename(m, "Ändrat möte"), id="queryset-update"),
        pytest.param(lambda m: (setattr(m, "title", "Ändrat möte"), m.save()), id="model-save"),
        pytest.param(
            lambda m: connection.cursor().execute("UPDATE meetings_meeting SET title = %s WHERE id = %s", ["Ändrat möte", m.pk]),
            id="raw-sql",
        ),
    ],
)
def test_every_kind_of_write_makes_the_kept_page_old(signed_in, meeting_sundsvall, write):
    url = reverse("meetings:meeting_list")
    _kept(signed_in, url)
    write(meeting_sundsvall)
    page, _queries = _get(signed_in, url)
    assert "Ändrat möte" in page


def test_a_write_counts_when_its_transaction_commits_and_not_when_it_rolls_back(signed_in, meeting_sundsvall):
    url = reverse("meetings:meeting_list")
    _kept(signed_in, url)
    before = generation.current()
    with pytest.raises(RuntimeError), transaction.atomic():
        _rename(meeting_sundsvall, "Aldrig sparat")
        raise RuntimeError("rolled back")
    assert generation.current() == before
    with transaction.atomic():
        _rename(meeting_sundsvall, "Ändrat i en transaktion")
        _rename(meeting_sundsvall, "Ändrat två gånger")
        assert generation.current() == before  # not before the commit: nothing old may be kept as new
    assert generation.current() == before + 1  # once per transaction
    assert "Ändrat två gånger" in _get(signed_in, url)[0]


def test_a_write_after_a_savepoint_rolled_back_still_counts(signed_in, meeting_sundsvall):
    url = reverse("meetings:meeting_list")
    _kept(signed_in, url)
    before = generation.current()
    with transaction.atomic():
        with pytest.raises(RuntimeError), transaction.atomic():
            _rename(meeting_sundsvall, "Aldrig sparat")  # its hook goes with the savepoint
            raise RuntimeError("savepoint rolled back")
        _rename(meeting_sundsvall, "Sparat efter återställningen")
    assert generation.current() > before
    assert "Sparat efter återställningen" in _get(signed_in, url)[0]


def test_a_write_from_another_process_makes_the_kept_page_old(signed_in, meeting_sundsvall):
    url = reverse("meetings:meeting_list")
    _kept(signed_in, url)
    script = (
        "import django; django.setup(); from meetings.models import Meeting; "
        f"Meeting.objects.filter(pk={meeting_sundsvall.pk}).update(title='Ändrat av arbetaren')"
    )
    env = worker_env(smtp_host="127.0.0.1", smtp_port=1)
    subprocess.run([sys.executable, "-c", script], env=env, cwd=BASE_DIR, check=True, timeout=60)
    assert "Ändrat av arbetaren" in _get(signed_in, url)[0]


def test_a_kept_page_goes_only_to_the_session_it_was_made_for(client, page_cache,
                                                                anna_sundsvall, bo_harnosand,
                                                                meeting_sundsvall, meeting_harnosand):
    url = reverse("meetings:meeting_list")
    client.force_login(anna_sundsvall)
    anna_sees = _kept(client, url)
    client.force_login(bo_harnosand)
    bo_sees = _kept(client, url)
    assert meeting_sundsvall.title in anna_sees and meeting_harnosand.title not in anna_sees
    assert meeting_harnosand.title in bo_sees and meeting_sundsvall.title not in bo_sees
    client.logout()
    assert client.get(url).status_code == 302  # to the login page, not a kept page


def test_a_page_in_english_is_kept_apart_from_the_swedish_one(signed_in, meeting_sundsvall):
    url = reverse("meetings:meeting_list")
    swedish = _kept(signed_in, url)
    english = signed_in.get(url, headers={"accept-language": "en"}).content.decode()
    assert 'lang="sv"' in swedish and 'lang="en"' in english


def test_a_message_still_to_be_shown_is_shown_and_not_kept(signed_in, meeting_sundsvall, rf):
    url = reverse("meetings:meeting_list")
    _kept(signed_in, url)
    # A message waiting in its cookie, as one left by a form that changed nothing.
    storage = CookieStorage(rf.get(url))
    storage.add(messages.SUCCESS, "Inget behövde ändras")
    carrier = HttpResponse()
    storage.update(carrier)
    signed_in.cookies[CookieStorage.cookie_name] = carrier.cookies[CookieStorage.cookie_name].value
    assert "Inget behövde ändras" in _get(signed_in, url)[0]
    assert "Inget behövde ändras" not in _get(signed_in, url)[0]


def test_a_token_in_the_authorization_header_is_never_answered_from_the_cache(signed_in, meeting_sundsvall):
    url = reverse("meetings:meeting_list")
    _kept(signed_in, url)
    with CaptureQueriesContext(connection) as queries:
        signed_in.get(url, headers={"authorization": "Token nope"})
    assert len(queries.captured_queries) > 2, "the request with a token was answered from the cache"


def test_the_cache_is_off_when_its_time_is_zero(client, anna_sundsvall, settings, meeting_sundsvall):
    settings.PAGE_CACHE_SECONDS = 0
    client.force_login(anna_sundsvall)
    url = reverse("meetings:meeting_list")
    _first, first_queries = _get(client, url)
    _again, again_queries = _get(client, url)
    assert again_queries == first_queries


def test_the_health_check_is_never_kept(client, page_cache):
    url = reverse("health")
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).json()["database"] == "ok"
    assert queries.captured_queries, "the health check was answered from the cache"


def test_the_privacy_notice_says_how_long_a_page_is_kept(client, page_cache):
    url = reverse("knowledge:privacy_notice")
    assert "högst 60 sekunder i sitt snabbminne" in client.get(url).content.decode()
    english = client.get(url, headers={"accept-language": "en"}).content.decode()
    assert "for at most 60 seconds, for your session only" in english
