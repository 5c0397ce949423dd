"""On PostgreSQL, the writes of a hand-out of the next bag in stock as one function, ``relief_hand_out_next_bag``.

A hand-out point records one hand-out per request, and under load the request's own work is what limits how many
a district's server records a second. As separate statements, the writes cost a planning in PostgreSQL and a round
trip, a cursor and a result in Python each; as one PL/pgSQL function, PostgreSQL plans them once per connection and
Python makes one call. The service (``relief.services.distribution_record``) still reads and locks the household,
and says in words why a hand-out is refused; the function does, in this order, what the step-by-step path does
after that (``Distribution.objects.held_and_repeat``, ``Bag.objects.take_next_in_stock``,
``Distribution.objects.record``, ``households.selectors.ward_stock``), which SQLite and a bag typed by its serial
still take, and the service tests run against both.

The function is written from the models (their tables, columns and history columns) and installed again after
every ``migrate`` (``install``, connected to ``post_migrate``), so it cannot fall behind a model's fields: a field
of ``Distribution`` the function gives no value stops ``migrate`` with an error that says so.
"""

from django.db import connections

from .history import history_columns

NAME = "relief_hand_out_next_bag"

# What the function answers in ``outcome``; only "done" wrote anything.
REPEAT = "repeat"  # the one-time key was used before: ``distribution_id`` is the hand-out it recorded
REFUSED = "refused"  # the caller's checks refused the hand-out (passed in as ``p_refused``), key not seen before
FULL = "full"  # the household holds the campaign's limit of bags
EMPTY = "empty"  # the ward has no bag of the campaign in stock
DONE = "done"


def function_sql(connection):
    """``CREATE OR REPLACE FUNCTION relief_hand_out_next_bag(…)`` for ``connection``'s tables."""
    from .models import Bag, Distribution
    from .tallies import BagTally

    quote = connection.ops.quote_name
    bag_table, distribution_table = quote(Bag._meta.db_table), quote(Distribution._meta.db_table)
    tally_table = quote(BagTally._meta.db_table)
    bag_history, bag_tracked, history_extra = history_columns(Bag, connection)
    hand_out_history, hand_out_tracked, _ = history_columns(Distribution, connection)
    values = {
        "bag_id": "out_bag_id",
        "household_id": "p_household",
        "campaign_id": "p_campaign",
        "ward_id": "p_ward",
        "slot": "out_slot",
        "handed_out_at": "p_handed_out_at",
        "received_by": "p_received_by",
        "recorded_by_id": "p_user",
        "request_key": "p_request_key",
        "cancelled_at": "NULL",
        "cancelled_by_id": "NULL",
        "cancel_reason": "''",
    }
    fields = [field for field in Distribution._meta.concrete_fields if not field.primary_key]
    missing = [field.attname for field in fields if field.attname not in values]
    if missing:
        raise LookupError(f"{NAME} gives no value to Distribution's {', '.join(missing)}: add it in {__name__}.")
    columns = ", ".join(quote(field.column) for field in fields)
    allocated, handed_out = f"'{Bag.State.ALLOCATED}'", f"'{Bag.State.HANDED_OUT}'"
    return f"""
CREATE OR REPLACE FUNCTION {NAME}(
  p_household bigint, p_campaign bigint, p_ward bigint, p_limit integer, p_refused boolean, p_user bigint,
  p_request_key uuid, p_received_by text, p_handed_out_at timestamptz, p_now timestamptz,
  OUT outcome text, OUT out_distribution_id bigint, OUT out_slot integer, OUT out_bag_id bigint,
  OUT out_bag_number integer, OUT out_bag_serial text, OUT out_stock bigint
) LANGUAGE plpgsql AS $$
DECLARE
  held integer[];
BEGIN
  -- A one-time key seen before answers with the hand-out it recorded, whatever has changed since.
  IF p_request_key IS NOT NULL THEN
    SELECT d.id INTO out_distribution_id FROM {distribution_table} d WHERE d.request_key = p_request_key;
    IF FOUND THEN
      outcome := '{REPEAT}';
      RETURN;
    END IF;
  END IF;
  IF p_refused THEN
    outcome := '{REFUSED}';
    RETURN;
  END IF;
  -- The household is locked by the caller, so the slots it holds are settled: the first free one is its next.
  SELECT coalesce(array_agg(d.slot), '{{}}') INTO held FROM {distribution_table} d
  WHERE d.household_id = p_household AND d.campaign_id = p_campaign AND d.cancelled_at IS NULL;
  SELECT min(n) INTO out_slot FROM generate_series(1, p_limit) AS n WHERE n <> ALL (held);
  IF out_slot IS NULL THEN
    outcome := '{FULL}';
    RETURN;
  END IF;
  -- The lowest-numbered bag in the ward's stock that no concurrent hand-out holds, moved in the same statement.
  UPDATE {bag_table} b SET state = {handed_out} WHERE b.state = {allocated} AND b.id = (
    SELECT s.id FROM {bag_table} s WHERE s.campaign_id = p_campaign AND s.ward_id = p_ward AND s.state = {allocated}
    ORDER BY s.number LIMIT 1 FOR UPDATE SKIP LOCKED
  ) RETURNING b.id, b.number, b.serial INTO out_bag_id, out_bag_number, out_bag_serial;
  IF out_bag_id IS NULL THEN
    outcome := '{EMPTY}';
    RETURN;
  END IF;
  INSERT INTO {bag_history} ({bag_tracked}, {history_extra})
  SELECT {bag_tracked}, p_now, '', '~', p_user FROM {bag_table} WHERE id = out_bag_id;
  INSERT INTO {distribution_table} ({columns}) VALUES ({", ".join(values[field.attname] for field in fields)})
  RETURNING id INTO out_distribution_id;
  INSERT INTO {hand_out_history} ({hand_out_tracked}, {history_extra})
  SELECT {hand_out_tracked}, p_now, '', '+', p_user FROM {distribution_table} WHERE id = out_distribution_id;
  SELECT coalesce(sum(t.n), 0) INTO out_stock FROM {tally_table} t
  WHERE t.campaign_id = p_campaign AND t.ward_id = p_ward AND t.state = {allocated};
  outcome := '{DONE}';
END
$$"""


def install(using="default", **kwargs):
    """Create or replace the function in database ``using`` if it is PostgreSQL (a ``post_migrate`` receiver)."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return
    from django.db.migrations.recorder import MigrationRecorder

    # Before relief's tables exist (a ``migrate`` that stopped early) there is nothing to write the function for.
    if not MigrationRecorder(connection).applied_migrations().keys() & {("relief", "0001_initial")}:
        return
    with connection.cursor() as cursor:
        cursor.execute(function_sql(connection))
