"""Races run for real: threads released at one instant, each on its own database connection (PostgreSQL only)."""

import threading

from django.core.exceptions import ValidationError
from django.db import connection


def race(count, work, expected=()):
    """Run ``work(i)`` in ``count`` threads released at the same instant; return each outcome as (kind, value).

    The kind is "ok" with what ``work`` returned, "refused" with a ``ValidationError``'s messages, the name of an
    exception listed in ``expected`` with the exception, or "crash": a crash shows up in a failed assertion, not as
    a silent thread.
    """
    barrier = threading.Barrier(count)
    outcomes = [None] * count

    def run(i):
        try:
            barrier.wait()
            outcomes[i] = ("ok", work(i))
        except ValidationError as error:
            outcomes[i] = ("refused", " ".join(error.messages))
        except expected as error:
            outcomes[i] = (type(error).__name__, error)
        except Exception as error:
            outcomes[i] = ("crash", repr(error))
        finally:
            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes
