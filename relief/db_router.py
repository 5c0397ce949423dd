"""Reads for dashboards and reports from a PostgreSQL streaming replica, when one is configured.

The leaders' figures are heavy aggregates over the whole district and can be a few seconds behind, so they may read
from a replica (``DATABASE_REPLICA_URL``) and leave the primary to the officers' hand-outs. Only code inside
``replica_reads()`` is routed there; everything else, and every write, stays on the primary: a hand-out must read
the bag it just locked, never a copy that lags behind it.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS

_reporting = ContextVar("reporting", default=False)


@contextmanager
def replica_reads():
    """Route the reads made inside the block (or the decorated function) to the replica, if there is one."""
    token = _reporting.set(True)
    try:
        yield
    finally:
        _reporting.reset(token)


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if settings.REPLICA_DATABASE and _reporting.get():
            return settings.REPLICA_DATABASE
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints):
        # Explicit, because Django would otherwise write an object back to the database it was read from.
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica holds the primary's rows: objects from either may be related

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS  # a streaming replica is read-only; it follows the primary's schema
