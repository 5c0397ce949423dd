"""On PostgreSQL, a hand-out of the next bag in stock as one function, ``relief_hand_out_next_bag``.

A hand-out point records one hand-out per request, and under load the request's own work is what limits how many
a district's server records a second. As separate statements, each step costs a planning in PostgreSQL and a round
trip, a cursor and a result in Python; as one PL/pgSQL function, PostgreSQL plans them once per connection and
Python makes one call. The function does, in this order, what the step-by-step path of the service
(``relief.services.distribution_record``) does: lock and read the household with its ward and the campaign
(``Household.objects.lock_for_hand_out``), refuse a foreign campaign, answer a repeated key, refuse a closed
campaign or a household not approved, read the slots the household holds (the step-by-step path reads them with
the repeated key, ``Distribution.objects.held_and_repeat``), then ``Bag.objects.take_next_in_stock``,
``Distribution.objects.record`` and ``households.selectors.ward_stock``. SQLite
and a bag typed by its serial still take that path, and the service tests run against both. The service says in
words why a hand-out is refused, from the rows the function returns, and holds its own rules over the function's.

The function is written from the models (their tables, columns and history columns) and installed again after
every ``migrate`` (``install``, connected to ``post_migrate``), so it cannot fall behind a model's fields: a field
of ``Distribution`` the function gives no value stops ``migrate`` with an error that says so.
"""

from django.db import connections, transaction

from .history import history_columns

NAME = "relief_hand_out_next_bag"

# What the function answers in ``outcome``; only "done" wrote anything.
FOREIGN = "foreign"  # the campaign is none, or not of the household's district
REPEAT = "repeat"  # the one-time key was used before: ``distribution_id`` is the hand-out it recorded
REFUSED = "refused"  # the campaign is closed or the household not approved, and the key was not seen before
FULL = "full"  # the household holds the campaign's limit of bags
EMPTY = "empty"  # the ward has no bag of the campaign in stock
DONE = "done"


def function_sql(connection):
    """``CREATE FUNCTION relief_hand_out_next_bag(…)`` for ``connection``'s tables."""
    from households.models import Household

    from .models import Bag, Campaign, Distribution, Ward
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
        "ward_id": "h_ward_id",
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
    # The household, its ward and the campaign come back as the lock read them, each model's fields in turn
    # (``households.models.household_from_row``); each column is an OUT column named after its table's alias.
    read = [("h", Household), ("w", Ward), ("c", Campaign)]
    read_out = [(alias, field) for alias, model in read for field in model._meta.concrete_fields]
    read_columns = ", ".join(f"{alias}.{quote(field.column)}" for alias, field in read_out)
    read_into = ", ".join(f"{alias}_{field.column}" for alias, field in read_out)
    read_types = ",\n  ".join(f"{alias}_{field.column} {field.db_type(connection)}" for alias, field in read_out)
    approved = f"'{Household.Status.APPROVED}'"
    return f"""
CREATE FUNCTION {NAME}(
  p_household bigint, p_campaign bigint, p_ward bigint, p_user bigint, p_request_key uuid, p_received_by text,
  p_handed_out_at timestamptz, p_now timestamptz
) RETURNS TABLE (
  outcome text, out_distribution_id bigint, out_slot integer, out_bag_id bigint, out_bag_number integer,
  out_bag_serial text, out_stock bigint,
  {read_types}
) LANGUAGE plpgsql AS $$
DECLARE
  held integer[];
BEGIN
  -- Locking the household serialises hand-outs to it, so what the next statements read is settled (each takes a
  -- new snapshot, after the lock). Only the household's row is locked: locking its ward or the campaign too would
  -- queue every hand-out of the district behind one another. An officer's household is looked for in their ward
  -- only (p_ward); none found is no row at all.
  SELECT {read_columns} INTO {read_into}
  FROM {quote(Household._meta.db_table)} h JOIN {quote(Ward._meta.db_table)} w ON w.id = h.ward_id
  LEFT JOIN {quote(Campaign._meta.db_table)} c ON c.id = p_campaign
  WHERE h.id = p_household AND (p_ward IS NULL OR h.ward_id = p_ward) FOR UPDATE OF h;
  IF NOT FOUND THEN
    RETURN;
  END IF;
  IF c_id IS NULL OR c_district_id <> w_district_id THEN
    outcome := '{FOREIGN}';
    RETURN NEXT;
    RETURN;
  END IF;
  -- A one-time key seen before answers with the hand-out it recorded, whatever has changed since.
  IF p_request_key IS NOT NULL THEN
    SELECT d.id INTO out_distribution_id FROM {distribution_table} d WHERE d.request_key = p_request_key;
    IF FOUND THEN
      outcome := '{REPEAT}';
      RETURN NEXT;
      RETURN;
    END IF;
  END IF;
  -- The service's own rules (relief.services._hand_out_refusal) say why in words, and are checked again there.
  IF NOT c_is_open OR h_status <> {approved} THEN
    outcome := '{REFUSED}';
    RETURN NEXT;
    RETURN;
  END IF;
  SELECT coalesce(array_agg(d.slot), '{{}}') INTO held FROM {distribution_table} d
  WHERE d.household_id = p_household AND d.campaign_id = p_campaign AND d.cancelled_at IS NULL;
  SELECT min(n) INTO out_slot FROM generate_series(1, c_household_limit::integer) AS n WHERE n <> ALL (held);
  IF out_slot IS NULL THEN
    outcome := '{FULL}';
    RETURN NEXT;
    RETURN;
  END IF;
  -- The lowest-numbered bag in the ward's stock that no concurrent hand-out holds, moved in the same statement.
  UPDATE {bag_table} b SET state = {handed_out} WHERE b.state = {allocated} AND b.id = (
    SELECT s.id FROM {bag_table} s WHERE s.campaign_id = p_campaign AND s.ward_id = h_ward_id AND s.state = {allocated}
    ORDER BY s.number LIMIT 1 FOR UPDATE SKIP LOCKED
  ) RETURNING b.id, b.number, b.serial INTO out_bag_id, out_bag_number, out_bag_serial;
  IF out_bag_id IS NULL THEN
    outcome := '{EMPTY}';
    RETURN NEXT;
    RETURN;
  END IF;
  INSERT INTO {bag_history} ({bag_tracked}, {history_extra})
  SELECT {bag_tracked}, p_now, '', '~', p_user FROM {bag_table} WHERE id = out_bag_id;
  INSERT INTO {distribution_table} ({columns}) VALUES ({", ".join(values[field.attname] for field in fields)})
  RETURNING id INTO out_distribution_id;
  INSERT INTO {hand_out_history} ({hand_out_tracked}, {history_extra})
  SELECT {hand_out_tracked}, p_now, '', '+', p_user FROM {distribution_table} WHERE id = out_distribution_id;
  SELECT coalesce(sum(t.n), 0) INTO out_stock FROM {tally_table} t
  WHERE t.campaign_id = p_campaign AND t.ward_id = h_ward_id AND t.state = {allocated};
  outcome := '{DONE}';
  RETURN NEXT;
END
$$"""


DROP_SQL = f"""
DO $$
DECLARE
  found regprocedure;
BEGIN
  FOR found IN SELECT p.oid FROM pg_proc p WHERE p.proname = '{NAME}' AND pg_function_is_visible(p.oid) LOOP
    EXECUTE format('DROP FUNCTION %s', found);
  END LOOP;
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
    # Dropped first, whatever its arguments were: a function whose arguments or columns changed cannot be replaced
    # in place. One transaction, so a hand-out never finds it missing.
    with transaction.atomic(using=using), connection.cursor() as cursor:
        cursor.execute(DROP_SQL)
        cursor.execute(function_sql(connection))
