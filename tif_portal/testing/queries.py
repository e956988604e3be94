"""Query budgets for pages: a page answers, shows its rows, and costs no more queries as data grows."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def page_queries(client, url: str, *, shows=()) -> int:
    """GET ``url``, which must answer 200 and show each text in ``shows``; returns its query count.

    Without the status and the rows a budget would also pass on a 403, a redirect or an empty list.
    """
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    content = response.content.decode()
    for text in shows:
        assert text in content, f"{url} does not show {text!r}"
    return len(queries.captured_queries)


def assert_queries_do_not_grow(client, url: str, *, grow, budget: int, shows=(), shows_after_growth=()) -> None:
    """The page's query count stays within ``budget`` and does not rise when ``grow()`` adds rows."""
    page_queries(client, url)  # warm caches (sessions, content types) so both counts compare alike
    few = page_queries(client, url, shows=shows)
    grow()
    many = page_queries(client, url, shows=shows_after_growth)
    assert few <= budget, f"{url} needs {few} queries, over its budget of {budget}"
    assert many <= few, f"{url} went from {few} to {many} queries as data grew"
