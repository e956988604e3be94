"""The data generation: one number, kept in the shared cache, that every committed write to the
database raises.

Whatever is kept until the data changes (``tif_portal.pagecache``) names the generation it was
made in and is used again only while the number is the same. The number is raised by the
database connection itself, after each INSERT, UPDATE or DELETE has been committed, so no way of
writing is missed: a model's ``save``, ``QuerySet.update``, ``bulk_create``, raw SQL, the web
processes and the Celery worker alike. Raising it after the commit, not before, means nothing
read before the commit can be kept under the new number.
"""

import threading

from django.core.cache import cache
from django.db.backends.signals import connection_created

KEY = "data-generation"
_WRITE_VERBS = ("INSERT", "UPDATE", "DELETE")
_this_thread = threading.local()


def current() -> int:
    return cache.get_or_set(KEY, 1, None)


def raise_generation() -> None:
    try:
        cache.incr(KEY)
    except ValueError:  # not set yet (or the cache was emptied): any new number will do
        cache.set(KEY, 2, None)


def writes_in_this_thread() -> int:
    """How many writing statements this thread has run: a page that wrote is not kept."""
    return getattr(_this_thread, "writes", 0)


def _raise_after_commit(connection) -> None:
    if not connection.in_atomic_block:
        raise_generation()  # autocommit: the statement is committed already
    elif connection.run_on_commit is not getattr(connection, "_generation_hooks", None):
        # Once per transaction, without walking the list of hooks on every write: Django starts
        # a new list whenever hooks run or may have been dropped (commit, rollback, a savepoint
        # rolled back), so the same list still holds the hook added here.
        connection.on_commit(raise_generation)
        connection._generation_hooks = connection.run_on_commit


def _watch(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    if sql.lstrip()[:6].upper() in _WRITE_VERBS:
        _this_thread.writes = writes_in_this_thread() + 1
        _raise_after_commit(context["connection"])
    return result


def _watch_connection(sender, connection, **kwargs) -> None:
    if _watch not in connection.execute_wrappers:
        connection.execute_wrappers.append(_watch)


def watch_writes() -> None:
    """Called once from ``TifPortalConfig.ready``: every database connection made from then on
    raises the generation after its writes."""
    connection_created.connect(_watch_connection, dispatch_uid="tif-portal-data-generation")
