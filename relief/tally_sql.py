"""The triggers that keep ``relief.tallies`` exact, and the set-based recount that fills them, for both databases.

Every trigger body is plain SQL over ``NEW`` / ``OLD`` that PostgreSQL (inside a PL/pgSQL function) and SQLite
(inside ``CREATE TRIGGER … BEGIN … END``) both understand, so the two databases run the same statements:

* adding is ``INSERT … ON CONFLICT (key) DO UPDATE SET n = n + 1``: exact under concurrency, the row is locked
  by the upsert until the transaction ends;
* subtracting is ``UPDATE … SET n = n - 1`` on rows that exist (a row is only ever subtracted from after it was
  added to), so a flush that empties a tally before the rows it counts leaves nothing behind.

A household is *served* by a campaign while it is approved and holds at least one active hand-out of it. Whether a
hand-out is the household's first (or last) active one is decided by looking for *another* active hand-out of the
same household and campaign (``id <> this one``); on PostgreSQL the trigger first locks the household row, as
``distribution_record`` does, so two hand-outs to one household (``household_limit`` > 1) racing in two
transactions see each other and count it once. The same "another row" test decides whether a household's category
change moves it in or out of "no category". PostgreSQL runs these two tables' triggers BEFORE the row changes:
its AFTER row triggers run once the whole statement is done, so in a multi-row statement each would see every
other row's change; BEFORE (and SQLite's AFTER, which runs row by row) sees only the rows already processed.

The local day of a hand-out is its Asia/Ho_Chi_Minh date: ``AT TIME ZONE`` on PostgreSQL; on SQLite, which stores
UTC text, seven hours later (Vietnam has kept UTC+7 without daylight saving since 1975).
"""

from contextlib import contextmanager

BAG = "relief_tally_bag"
HOUSEHOLD = "relief_tally_household"
CATEGORY = "relief_tally_category"
SERVED = "relief_tally_served"
SERVED_CATEGORY = "relief_tally_served_category"
DAY = "relief_tally_hand_out_day"
KEYS = {
    BAG: ["campaign_id", "ward_id", "state", "source", "unfunded"],
    HOUSEHOLD: ["ward_id", "status", "residence"],
    CATEGORY: ["ward_id", "category_id"],
    SERVED: ["campaign_id", "ward_id", "residence"],
    SERVED_CATEGORY: ["campaign_id", "ward_id", "category_id"],
    DAY: ["campaign_id", "ward_id", "day"],
}
TALLY_TABLES = list(KEYS)
# The tables whose rows the tallies count, each with the triggers kept on it.
COUNTED = {
    "relief_bag": ["tally_bag_insert", "tally_bag_update", "tally_bag_delete"],
    "households_household": ["tally_household_insert", "tally_household_update", "tally_household_delete"],
    "households_household_categories": ["tally_category_insert", "tally_category_update", "tally_category_delete"],
    "relief_distribution": ["tally_hand_out_insert", "tally_hand_out_update", "tally_hand_out_delete"],
}

LOCAL_DAY = {
    "postgresql": "(({row}.handed_out_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date)",
    "sqlite": "date({row}.handed_out_at, '+7 hours')",
}


def add(table, values, rest="WHERE TRUE"):
    """Add 1 to the rows of ``table`` keyed by ``values`` for every row ``rest`` (FROM … WHERE …) yields."""
    keys = ", ".join(KEYS[table])
    return (
        f"INSERT INTO {table} ({keys}, n) SELECT {', '.join(values)}, 1 {rest} "
        f"ON CONFLICT ({keys}) DO UPDATE SET n = {table}.n + excluded.n"
    )


def subtract(table, values, rest="WHERE TRUE"):
    """Take 1 from the existing rows of ``table`` keyed by ``values`` for every row ``rest`` yields."""
    keys = ", ".join(KEYS[table])
    return f"UPDATE {table} SET n = n - 1 WHERE ({keys}) IN (SELECT {', '.join(values)} {rest})"


def _categories(household):
    """The household's categories, or the single "category" 0 when it has none."""
    return (
        f"(SELECT category_id FROM households_household_categories WHERE household_id = {household} "
        f"UNION ALL SELECT 0 WHERE NOT EXISTS "
        f"(SELECT 1 FROM households_household_categories WHERE household_id = {household})) AS k"
    )


def _served_campaigns(household):
    return (
        f"(SELECT DISTINCT campaign_id FROM relief_distribution "
        f"WHERE household_id = {household} AND cancelled_at IS NULL) AS c"
    )


def bag_statements(change, row):
    values = [f"{row}.campaign_id", f"COALESCE({row}.ward_id, 0)", f"{row}.state", f"{row}.source", f"{row}.unfunded"]
    return [change(BAG, values)]


def household_statements(change, row):
    """What one household, as ``row`` (NEW or OLD) describes it, adds to the counts; its categories and hand-outs
    are read from their tables (the same before and after a change of the household row itself)."""
    approved = f"{row}.status = 'approved'"
    categories, campaigns = _categories(f"{row}.id"), _served_campaigns(f"{row}.id")
    return [
        change(HOUSEHOLD, [f"{row}.ward_id", f"{row}.status", f"{row}.residence"]),
        change(CATEGORY, [f"{row}.ward_id", "k.category_id"], f"FROM {categories} WHERE {approved}"),
        change(
            SERVED,
            ["c.campaign_id", f"{row}.ward_id", f"{row}.residence"],
            f"FROM {campaigns} WHERE {approved}",
        ),
        change(
            SERVED_CATEGORY,
            ["c.campaign_id", f"{row}.ward_id", "k.category_id"],
            f"FROM {campaigns}, {categories} WHERE {approved}",
        ),
    ]


def category_statements(change, opposite, row):
    """A household's link to a category (``row``) coming (``change`` = add) or going (subtract): the category
    gains or loses the household, and "no category" the opposite when it was the household's only one."""
    household = f"FROM households_household h WHERE h.id = {row}.household_id AND h.status = 'approved'"
    served = (
        f"FROM households_household h, {_served_campaigns(f'{row}.household_id')} "
        f"WHERE h.id = {row}.household_id AND h.status = 'approved'"
    )
    alone = (
        f" AND NOT EXISTS (SELECT 1 FROM households_household_categories o "
        f"WHERE o.household_id = {row}.household_id AND o.id <> {row}.id)"
    )
    return [
        change(CATEGORY, ["h.ward_id", f"{row}.category_id"], household),
        opposite(CATEGORY, ["h.ward_id", "0"], household + alone),
        change(SERVED_CATEGORY, ["c.campaign_id", "h.ward_id", f"{row}.category_id"], served),
        opposite(SERVED_CATEGORY, ["c.campaign_id", "h.ward_id", "0"], served + alone),
    ]


def hand_out_statements(change, row, vendor):
    """One hand-out (``row``) coming or going: its day counts it while active, and its household is served from
    its first active hand-out of the campaign to its last."""
    alone = (
        f"{row}.cancelled_at IS NULL AND NOT EXISTS (SELECT 1 FROM relief_distribution o "
        f"WHERE o.household_id = {row}.household_id AND o.campaign_id = {row}.campaign_id "
        f"AND o.cancelled_at IS NULL AND o.id <> {row}.id)"
    )
    household = f"h.id = {row}.household_id AND h.status = 'approved' AND {alone}"
    return [
        change(
            DAY,
            [f"{row}.campaign_id", f"{row}.ward_id", LOCAL_DAY[vendor].format(row=row)],
            f"WHERE {row}.cancelled_at IS NULL",
        ),
        change(
            SERVED,
            [f"{row}.campaign_id", "h.ward_id", "h.residence"],
            f"FROM households_household h WHERE {household}",
        ),
        change(
            SERVED_CATEGORY,
            [f"{row}.campaign_id", "h.ward_id", "k.category_id"],
            f"FROM households_household h, {_categories(f'{row}.household_id')} WHERE {household}",
        ),
    ]


def _changed(columns, vendor):
    differs = "IS DISTINCT FROM" if vendor == "postgresql" else "IS NOT"
    return " OR ".join(f"OLD.{column} {differs} NEW.{column}" for column in columns)


BAG_COLUMNS = ["campaign_id", "ward_id", "state", "source", "unfunded"]
HOUSEHOLD_COLUMNS = ["ward_id", "status", "residence"]
CATEGORY_COLUMNS = ["household_id", "category_id"]
HAND_OUT_COLUMNS = ["household_id", "campaign_id", "ward_id", "handed_out_at"]


def triggers(vendor):
    """``[(name, table, timing, operation, WHEN condition or None, [statements])]`` for ``vendor``."""
    row_first = "BEFORE" if vendor == "postgresql" else "AFTER"  # see the module's docstring
    hand_out_changed = _changed(HAND_OUT_COLUMNS, vendor) + (
        " OR (OLD.cancelled_at IS NULL) <> (NEW.cancelled_at IS NULL)"
    )
    return [
        ("tally_bag_insert", "relief_bag", "AFTER", "INSERT", None, bag_statements(add, "NEW")),
        (
            "tally_bag_update",
            "relief_bag",
            "AFTER",
            "UPDATE",
            _changed(BAG_COLUMNS, vendor),
            bag_statements(subtract, "OLD") + bag_statements(add, "NEW"),
        ),
        ("tally_bag_delete", "relief_bag", "AFTER", "DELETE", None, bag_statements(subtract, "OLD")),
        ("tally_household_insert", "households_household", "AFTER", "INSERT", None, household_statements(add, "NEW")),
        (
            "tally_household_update",
            "households_household",
            "AFTER",
            "UPDATE",
            _changed(HOUSEHOLD_COLUMNS, vendor),
            household_statements(subtract, "OLD") + household_statements(add, "NEW"),
        ),
        (
            "tally_household_delete",
            "households_household",
            "AFTER",
            "DELETE",
            None,
            household_statements(subtract, "OLD"),
        ),
        (
            "tally_category_insert",
            "households_household_categories",
            row_first,
            "INSERT",
            None,
            category_statements(add, subtract, "NEW"),
        ),
        (
            "tally_category_update",
            "households_household_categories",
            row_first,
            "UPDATE",
            _changed(CATEGORY_COLUMNS, vendor),
            category_statements(subtract, add, "OLD") + category_statements(add, subtract, "NEW"),
        ),
        (
            "tally_category_delete",
            "households_household_categories",
            row_first,
            "DELETE",
            None,
            category_statements(subtract, add, "OLD"),
        ),
        (
            "tally_hand_out_insert",
            "relief_distribution",
            row_first,
            "INSERT",
            None,
            hand_out_statements(add, "NEW", vendor),
        ),
        (
            "tally_hand_out_update",
            "relief_distribution",
            row_first,
            "UPDATE",
            hand_out_changed,
            hand_out_statements(subtract, "OLD", vendor) + hand_out_statements(add, "NEW", vendor),
        ),
        (
            "tally_hand_out_delete",
            "relief_distribution",
            row_first,
            "DELETE",
            None,
            hand_out_statements(subtract, "OLD", vendor),
        ),
    ]


def _postgresql_locks(table, operation):
    """Row locks a PostgreSQL trigger takes before counting (see the module's docstring)."""
    rows = {"INSERT": ["NEW"], "UPDATE": ["OLD", "NEW"], "DELETE": ["OLD"]}[operation]
    if table in ("relief_distribution", "households_household_categories"):
        return [f"PERFORM 1 FROM households_household WHERE id = {row}.household_id FOR UPDATE" for row in rows]
    return []


# A bulk insert of new households (an import) may set this for its transaction on PostgreSQL and then count what it
# inserted set-based with ``add_households``: the row triggers of these two would otherwise run a few statements for
# each of a hundred thousand households and their categories. Only INSERT triggers: new rows have counted nothing yet.
DEFERRED_SETTING = "ansinh.tallies_deferred"
DEFERRABLE = ("tally_household_insert", "tally_category_insert")


def deferred_check(returned):
    return f"IF current_setting('{DEFERRED_SETTING}', true) = 'on' THEN RETURN {returned}; END IF"


def _postgresql_function(name, table, operation, statements):
    returned = "OLD" if operation == "DELETE" else "NEW"
    body = _postgresql_locks(table, operation) + statements
    if name == "tally_bag_update":
        body = _postgresql_bag_update(statements)
    if name in DEFERRABLE:
        body = [deferred_check(returned), *body]
    return (
        f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n"
        + "".join(f"  {statement};\n" for statement in body)
        + f"  RETURN {returned};\nEND\n$$"
    )


def function_sql(names):
    """``CREATE OR REPLACE FUNCTION`` of the named PostgreSQL trigger functions (a migration that changes them)."""
    return [
        _postgresql_function(name, table, operation, statements)
        for name, table, _, operation, _, statements in triggers("postgresql")
        if name in names
    ]


def create_sql(vendor):
    """The statements that create every tally trigger on ``vendor``."""
    sql = []
    for name, table, timing, operation, when, statements in triggers(vendor):
        if vendor == "postgresql":
            sql.append(_postgresql_function(name, table, operation, statements))
            condition = f" WHEN ({when})" if when else ""
            sql.append(
                f"CREATE TRIGGER {name} {timing} {operation} ON {table} FOR EACH ROW{condition} "
                f"EXECUTE FUNCTION {name}()"
            )
        else:
            condition = f" WHEN {when}" if when else ""
            sql.append(
                f"CREATE TRIGGER {name} {timing} {operation} ON {table} FOR EACH ROW{condition}\nBEGIN\n"
                + "".join(f"  {statement};\n" for statement in statements)
                + "END"
            )
    return sql


def _postgresql_bag_update(statements):
    """A bag moving between two counter rows locks them in key order, so a hand-out (allocated → handed out) and
    a cancellation (handed out → allocated) in the same ward never wait for each other crosswise."""
    subtract_old, add_new = statements
    old = ", ".join(f"COALESCE(OLD.{c}, 0)" if c == "ward_id" else f"OLD.{c}" for c in BAG_COLUMNS)
    new = ", ".join(f"COALESCE(NEW.{c}, 0)" if c == "ward_id" else f"NEW.{c}" for c in BAG_COLUMNS)
    return [f"IF ({old}) < ({new}) THEN {subtract_old}; {add_new}; ELSE {add_new}; {subtract_old}; END IF"]


def drop_sql(vendor):
    sql = []
    for name, table, *_ in triggers(vendor):
        if vendor == "postgresql":
            sql += [f"DROP TRIGGER IF EXISTS {name} ON {table}", f"DROP FUNCTION IF EXISTS {name}()"]
        else:
            sql.append(f"DROP TRIGGER IF EXISTS {name}")
    return sql


def refill_sql(vendor):
    """Empty every tally and count it again from the rows, set-based: what the migration and a bulk load run."""
    day = LOCAL_DAY[vendor].format(row="d")
    served = (
        "(SELECT DISTINCT campaign_id, household_id FROM relief_distribution WHERE cancelled_at IS NULL) AS s "
        "JOIN households_household h ON h.id = s.household_id AND h.status = 'approved'"
    )
    categories = "LEFT JOIN households_household_categories k ON k.household_id = h.id"
    return [f"DELETE FROM {table}" for table in TALLY_TABLES] + [
        f"INSERT INTO {BAG} (campaign_id, ward_id, state, source, unfunded, n) "
        "SELECT campaign_id, COALESCE(ward_id, 0), state, source, unfunded, COUNT(*) FROM relief_bag "
        "GROUP BY campaign_id, COALESCE(ward_id, 0), state, source, unfunded",
        f"INSERT INTO {HOUSEHOLD} (ward_id, status, residence, n) "
        "SELECT ward_id, status, residence, COUNT(*) FROM households_household GROUP BY ward_id, status, residence",
        f"INSERT INTO {CATEGORY} (ward_id, category_id, n) "
        f"SELECT h.ward_id, COALESCE(k.category_id, 0), COUNT(*) FROM households_household h {categories} "
        "WHERE h.status = 'approved' GROUP BY h.ward_id, COALESCE(k.category_id, 0)",
        f"INSERT INTO {SERVED} (campaign_id, ward_id, residence, n) "
        f"SELECT s.campaign_id, h.ward_id, h.residence, COUNT(*) FROM {served} "
        "GROUP BY s.campaign_id, h.ward_id, h.residence",
        f"INSERT INTO {SERVED_CATEGORY} (campaign_id, ward_id, category_id, n) "
        f"SELECT s.campaign_id, h.ward_id, COALESCE(k.category_id, 0), COUNT(*) FROM {served} {categories} "
        "GROUP BY s.campaign_id, h.ward_id, COALESCE(k.category_id, 0)",
        f"INSERT INTO {DAY} (campaign_id, ward_id, day, n) "
        f"SELECT d.campaign_id, d.ward_id, {day}, COUNT(*) FROM relief_distribution d "
        f"WHERE d.cancelled_at IS NULL GROUP BY d.campaign_id, d.ward_id, {day}",
    ]


def refill(connection):
    """Recount every tally from the rows (in the caller's transaction)."""
    with connection.cursor() as cursor:
        for statement in refill_sql(connection.vendor):
            cursor.execute(statement)


def _add_households_sql():
    """What new households (``id = ANY(%(ids)s)``) and their categories add to the tallies, set-based.

    Only what the two deferred INSERT triggers would have added: households by ward, status and residence, and the
    approved ones by category. Served counts are not theirs: a hand-out's own trigger counts it, deferred or not.
    """

    def upsert(table, select):
        keys = ", ".join(KEYS[table])
        return f"INSERT INTO {table} ({keys}, n) {select} ON CONFLICT ({keys}) DO UPDATE SET n = {table}.n + excluded.n"

    return [
        upsert(
            HOUSEHOLD,
            "SELECT h.ward_id, h.status, h.residence, COUNT(*) FROM households_household h "
            "WHERE h.id = ANY(%(ids)s) GROUP BY 1, 2, 3",
        ),
        upsert(
            CATEGORY,
            "SELECT h.ward_id, COALESCE(k.category_id, 0), COUNT(*) FROM households_household h "
            "LEFT JOIN households_household_categories k ON k.household_id = h.id "
            "WHERE h.id = ANY(%(ids)s) AND h.status = 'approved' GROUP BY 1, 2",
        ),
    ]


@contextmanager
def households_counted_together(connection):
    """Insert new households and their categories inside this block, then ``add_households`` their ids: on
    PostgreSQL the two INSERT triggers stand aside for the block (this transaction only); elsewhere they count
    row by row as usual and ``add_households`` does nothing. Must run inside the caller's transaction."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config(%s, 'on', true)", [DEFERRED_SETTING])
    yield  # an error rolls the transaction (or savepoint) back, and the setting with it
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config(%s, 'off', true)", [DEFERRED_SETTING])


def add_households(connection, ids):
    """Count the households ``ids`` inserted in a ``households_counted_together`` block (PostgreSQL)."""
    if connection.vendor != "postgresql" or not ids:
        return
    with connection.cursor() as cursor:
        for statement in _add_households_sql():
            cursor.execute(statement, {"ids": list(ids)})
