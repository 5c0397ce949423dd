"""Reads for dashboards and reports from a PostgreSQL streaming replica, when one is configured.

The leaders' figures are heavy aggregates over the whole district and can be a few seconds behind, so they may read
from a replica (``DATABASE_REPLICA_URL``) and leave the primary to the officers' hand-outs. Only code inside
``replica_reads()`` is routed there; everything else, and every write, stays on the primary: a hand-out must read
the bag it just locked, never a copy that lags behind it.

A replica that does not answer, or lags the primary by more than ``REPLICA_MAX_LAG_SECONDS``, is not used: the block
reads from the primary, so a leader's page neither fails with the replica nor shows figures older than the bound.
``read_source()`` tells the page which it was, and why.
"""

from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

# How far the replica's replayed data is behind the primary, in seconds, as the replica knows it: nothing when it has
# replayed all the WAL it received (an idle primary sends none, and the last replayed commit then ages without the
# data being stale), else the age of the last commit it replayed. Zero on a server that is not a standby.
LAG_SQL = """
    SELECT CASE
        WHEN NOT pg_is_in_recovery() THEN 0
        WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
        ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0)
    END
"""


@dataclass(frozen=True)
class ReadSource:
    """Where a block of reports read from: ``alias``, the replica's lag when it was measured, and why the primary
    was read instead of the replica (``"down"`` or ``"lagging"``; empty when it was not)."""

    alias: str = DEFAULT_DB_ALIAS
    lag_seconds: float | None = None
    fallback: str = ""

    @property
    def max_lag_seconds(self):
        return settings.REPLICA_MAX_LAG_SECONDS


_source = ContextVar("read_source", default=None)


def replica_lag_seconds(alias):
    """The replica's lag in seconds (``LAG_SQL``), or ``None`` when it does not answer.

    A connection the replica dropped (it restarted) is closed and opened once more before the replica counts as down.
    """
    connection = connections[alias]
    for _attempt in range(2):
        try:
            if connection.vendor != "postgresql":
                connection.ensure_connection()
                return 0.0  # a test's mirror of the primary: never behind it
            with connection.cursor() as cursor:
                cursor.execute(LAG_SQL)
                return float(cursor.fetchone()[0])
        except DatabaseError:
            connection.close()
    return None


def choose_read_source():
    """The replica if there is one, it answers and it lags within the bound; otherwise the primary, with the reason."""
    alias = settings.REPLICA_DATABASE
    if not alias:
        return ReadSource()
    lag = replica_lag_seconds(alias)
    if lag is None:
        return ReadSource(fallback="down")
    if lag > settings.REPLICA_MAX_LAG_SECONDS:
        return ReadSource(lag_seconds=lag, fallback="lagging")
    return ReadSource(alias=alias, lag_seconds=lag)


def read_source():
    """Where the enclosing ``replica_reads()`` block reads from (the primary outside any block)."""
    return _source.get() or ReadSource()


@contextmanager
def replica_reads():
    """Route the reads made inside the block (or the decorated function) to the replica, if there is one and it is
    fit to read from; a block inside another keeps the outer block's choice."""
    if _source.get() is not None:
        yield
        return
    token = _source.set(choose_read_source())
    try:
        yield
    finally:
        _source.reset(token)


def primary_when_replica_drops(view):
    """Answer a page whose replica dropped half way (stopped, restarted, failed over) again from the primary, and
    say so on the page: the check before the first read cannot see the replica stop during the page. Only for
    read-only views: the view runs a second time. An error of the primary is not retried."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        alias = settings.REPLICA_DATABASE
        if alias and connections[alias].errors_occurred:
            # Failed on an earlier page (the replica was down): opened afresh, so the mark below is this page's.
            connections[alias].close()
            connections[alias].errors_occurred = False
        try:
            return view(request, *args, **kwargs)
        except DatabaseError:
            # Django marks the connection whose query failed; the primary's errors go on as they are.
            if not alias or _source.get() is not None or not connections[alias].errors_occurred:
                raise
        connections[alias].close()
        token = _source.set(ReadSource(fallback="down"))
        try:
            return view(request, *args, **kwargs)
        finally:
            _source.reset(token)

    return wrapped


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        source = _source.get()
        return source.alias if source else DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints):
        # Explicit, because Django would otherwise write an object back to the database it was read from.
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica holds the primary's rows: objects from either may be related

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS  # a streaming replica is read-only; it follows the primary's schema
