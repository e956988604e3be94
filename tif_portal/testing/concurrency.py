"""Two things at once against the real PostgreSQL: each call in a thread of its own, with
its own database connection, both started together.

    reach = both_reach()      # put reach() where both would have read what the other changes
    outcomes = at_once(lambda: service(...), lambda: service(...))

``both_reach`` holds the first thread until the second gets there too, or two seconds
have passed: a lock that makes the second wait elsewhere lets the first go on alone,
while without the lock both read the same state and the test sees the race.
"""

import threading

from django.db import connection


def both_reach(timeout: float = 2.0):
    barrier = threading.Barrier(2)

    def reach() -> None:
        try:
            barrier.wait(timeout=timeout)
        except threading.BrokenBarrierError:
            pass  # the other call is held up (by a lock): go on alone

    return reach


def at_once(*calls, timeout: float = 60.0) -> list:
    """Each call's result, or the exception it raised, in the order given."""
    start = threading.Barrier(len(calls))
    outcomes: list = [None] * len(calls)

    def run(index, call):
        try:
            start.wait(timeout=10)
            outcomes[index] = call()
        except Exception as error:  # noqa: BLE001 - handed to the test, which asserts on it
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n, call)) for n, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    return outcomes
