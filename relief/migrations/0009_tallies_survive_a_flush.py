"""The tallies' DELETE triggers take a row's count only from a counter above zero.

Django's flush on SQLite (between transactional tests, ``manage.py flush``) is ``DELETE FROM`` every table in an
order of its own, and the row triggers fire. A tally emptied before the rows it counts can be re-created by a
trigger (a household losing its last category counts under "no category") and then be subtracted from again for a
household it counted before it was emptied, which its CHECK (``n >= 0``) refuses. A deleted row's count therefore
leaves a counter only if there is one to leave; once every table is empty, every counter is back at zero. Triggers
on INSERT and UPDATE keep the strict subtraction, so a counter that drifts still fails loudly there, and
``check_ledger`` recounts them all. PostgreSQL's flush is TRUNCATE, which fires no row trigger; its functions get
the same text so both databases keep one definition.
"""

from django.db import migrations

SQLITE_TRIGGERS = [
    """CREATE TRIGGER tally_bag_delete AFTER DELETE ON relief_bag FOR EACH ROW
BEGIN
  UPDATE relief_tally_bag SET n = n - 1 WHERE (campaign_id, ward_id, state, source, unfunded) IN (SELECT OLD.campaign_id, COALESCE(OLD.ward_id, 0), OLD.state, OLD.source, OLD.unfunded WHERE TRUE) AND n > 0;
END""",
    """CREATE TRIGGER tally_household_delete AFTER DELETE ON households_household FOR EACH ROW
BEGIN
  UPDATE relief_tally_household SET n = n - 1 WHERE (ward_id, status, residence) IN (SELECT OLD.ward_id, OLD.status, OLD.residence WHERE TRUE) AND n > 0;
  UPDATE relief_tally_category SET n = n - 1 WHERE (ward_id, category_id) IN (SELECT OLD.ward_id, k.category_id FROM (SELECT category_id FROM households_household_categories WHERE household_id = OLD.id UNION ALL SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM households_household_categories WHERE household_id = OLD.id)) AS k WHERE OLD.status = 'approved') AND n > 0;
  UPDATE relief_tally_served SET n = n - 1 WHERE (campaign_id, ward_id, residence) IN (SELECT c.campaign_id, OLD.ward_id, OLD.residence FROM (SELECT DISTINCT campaign_id FROM relief_distribution WHERE household_id = OLD.id AND cancelled_at IS NULL) AS c WHERE OLD.status = 'approved') AND n > 0;
  UPDATE relief_tally_served_category SET n = n - 1 WHERE (campaign_id, ward_id, category_id) IN (SELECT c.campaign_id, OLD.ward_id, k.category_id FROM (SELECT DISTINCT campaign_id FROM relief_distribution WHERE household_id = OLD.id AND cancelled_at IS NULL) AS c, (SELECT category_id FROM households_household_categories WHERE household_id = OLD.id UNION ALL SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM households_household_categories WHERE household_id = OLD.id)) AS k WHERE OLD.status = 'approved') AND n > 0;
END""",
    """CREATE TRIGGER tally_category_delete AFTER DELETE ON households_household_categories FOR EACH ROW
BEGIN
  UPDATE relief_tally_category SET n = n - 1 WHERE (ward_id, category_id) IN (SELECT h.ward_id, OLD.category_id FROM households_household h WHERE h.id = OLD.household_id AND h.status = 'approved') AND n > 0;
  INSERT INTO relief_tally_category (ward_id, category_id, n) SELECT h.ward_id, 0, 1 FROM households_household h WHERE h.id = OLD.household_id AND h.status = 'approved' AND NOT EXISTS (SELECT 1 FROM households_household_categories o WHERE o.household_id = OLD.household_id AND o.id <> OLD.id) ON CONFLICT (ward_id, category_id) DO UPDATE SET n = relief_tally_category.n + excluded.n;
  UPDATE relief_tally_served_category SET n = n - 1 WHERE (campaign_id, ward_id, category_id) IN (SELECT c.campaign_id, h.ward_id, OLD.category_id FROM households_household h, (SELECT DISTINCT campaign_id FROM relief_distribution WHERE household_id = OLD.household_id AND cancelled_at IS NULL) AS c WHERE h.id = OLD.household_id AND h.status = 'approved') AND n > 0;
  INSERT INTO relief_tally_served_category (campaign_id, ward_id, category_id, n) SELECT c.campaign_id, h.ward_id, 0, 1 FROM households_household h, (SELECT DISTINCT campaign_id FROM relief_distribution WHERE household_id = OLD.household_id AND cancelled_at IS NULL) AS c WHERE h.id = OLD.household_id AND h.status = 'approved' AND NOT EXISTS (SELECT 1 FROM households_household_categories o WHERE o.household_id = OLD.household_id AND o.id <> OLD.id) ON CONFLICT (campaign_id, ward_id, category_id) DO UPDATE SET n = relief_tally_served_category.n + excluded.n;
END""",
    """CREATE TRIGGER tally_hand_out_delete AFTER DELETE ON relief_distribution FOR EACH ROW
BEGIN
  UPDATE relief_tally_hand_out_day SET n = n - 1 WHERE (campaign_id, ward_id, day) IN (SELECT OLD.campaign_id, OLD.ward_id, date(OLD.handed_out_at, '+7 hours') WHERE OLD.cancelled_at IS NULL) AND n > 0;
  UPDATE relief_tally_served SET n = n - 1 WHERE (campaign_id, ward_id, residence) IN (SELECT OLD.campaign_id, h.ward_id, h.residence FROM households_household h WHERE h.id = OLD.household_id AND h.status = 'approved' AND OLD.cancelled_at IS NULL AND NOT EXISTS (SELECT 1 FROM relief_distribution o WHERE o.household_id = OLD.household_id AND o.campaign_id = OLD.campaign_id AND o.cancelled_at IS NULL AND o.id <> OLD.id)) AND n > 0;
  UPDATE relief_tally_served_category SET n = n - 1 WHERE (campaign_id, ward_id, category_id) IN (SELECT OLD.campaign_id, h.ward_id, k.category_id FROM households_household h, (SELECT category_id FROM households_household_categories WHERE household_id = OLD.household_id UNION ALL SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM households_household_categories WHERE household_id = OLD.household_id)) AS k WHERE h.id = OLD.household_id AND h.status = 'approved' AND OLD.cancelled_at IS NULL AND NOT EXISTS (SELECT 1 FROM relief_distribution o WHERE o.household_id = OLD.household_id AND o.campaign_id = OLD.campaign_id AND o.cancelled_at IS NULL AND o.id <> OLD.id)) AND n > 0;
END""",
]

SQLITE_TRIGGERS_BEFORE = [
    """CREATE TRIGGER tally_bag_delete AFTER DELETE ON relief_bag FOR EACH ROW
BEGIN
  UPDATE relief_tally_bag SET n = n - 1 WHERE (campaign_id, ward_id, state, source, unfunded) IN (SELECT OLD.campaign_id, COALESCE(OLD.ward_id, 0), OLD.state, OLD.source, OLD.unfunded WHERE TRUE);
END""",
    """CREATE TRIGGER tally_household_delete AFTER DELETE ON households_household FOR EACH ROW
BEGIN
  UPDATE relief_tally_household SET n = n - 1 WHERE (ward_id, status, residence) IN (SELECT OLD.ward_id, OLD.status, OLD.residence WHERE TRUE);
  UPDATE relief_tally_category SET n = n - 1 WHERE (ward_id, category_id) IN (SELECT OLD.ward_id, k.category_id FROM (SELECT category_id FROM households_household_categories WHERE household_id = OLD.id UNION ALL SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM households_household_categories WHERE household_id = OLD.id)) AS k WHERE OLD.status = 'approved');
  UPDATE relief_tally_served SET n = n - 1 WHERE (campaign_id, ward_id, residence) IN (SELECT c.campaign_id, OLD.ward_id, OLD.residence FROM (SELECT DISTINCT campaign_id FROM relief_distribution WHERE household_id = OLD.id AND cancelled_at IS NULL) AS c WHERE OLD.status = 'approved');
  UPDATE relief_tally_served_category SET n = n - 1 WHERE (campaign_id, ward_id, category_id) IN (SELECT c.campaign_id, OLD.ward_id, k.category_id FROM (SELECT DISTINCT campaign_id FROM relief_distribution WHERE household_id = OLD.id AND cancelled_at IS NULL) AS c, (SELECT category_id FROM households_household_categories WHERE household_id = OLD.id UNION ALL SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM households_household_categories WHERE household_id = OLD.id)) AS k WHERE OLD.status = 'approved');
END""",
    """CREATE TRIGGER tally_category_delete AFTER DELETE ON households_household_categories FOR EACH ROW
BEGIN
  UPDATE relief_tally_category SET n = n - 1 WHERE (ward_id, category_id) IN (SELECT h.ward_id, OLD.category_id FROM households_household h WHERE h.id = OLD.household_id AND h.status = 'approved');
  INSERT INTO relief_tally_category (ward_id, category_id, n) SELECT h.ward_id, 0, 1 FROM households_household h WHERE h.id = OLD.household_id AND h.status = 'approved' AND NOT EXISTS (SELECT 1 FROM households_household_categories o WHERE o.household_id = OLD.household_id AND o.id <> OLD.id) ON CONFLICT (ward_id, category_id) DO UPDATE SET n = relief_tally_category.n + excluded.n;
  UPDATE relief_tally_served_category SET n = n - 1 WHERE (campaign_id, ward_id, category_id) IN (SELECT c.campaign_id, h.ward_id, OLD.category_id FROM households_household h, (SELECT DISTINCT campaign_id FROM relief_distribution WHERE household_id = OLD.household_id AND cancelled_at IS NULL) AS c WHERE h.id = OLD.household_id AND h.status = 'approved');
  INSERT INTO relief_tally_served_category (campaign_id, ward_id, category_id, n) SELECT c.campaign_id, h.ward_id, 0, 1 FROM households_household h, (SELECT DISTINCT campaign_id FROM relief_distribution WHERE household_id = OLD.household_id AND cancelled_at IS NULL) AS c WHERE h.id = OLD.household_id AND h.status = 'approved' AND NOT EXISTS (SELECT 1 FROM households_household_categories o WHERE o.household_id = OLD.household_id AND o.id <> OLD.id) ON CONFLICT (campaign_id, ward_id, category_id) DO UPDATE SET n = relief_tally_served_category.n + excluded.n;
END""",
    """CREATE TRIGGER tally_hand_out_delete AFTER DELETE ON relief_distribution FOR EACH ROW
BEGIN
  UPDATE relief_tally_hand_out_day SET n = n - 1 WHERE (campaign_id, ward_id, day) IN (SELECT OLD.campaign_id, OLD.ward_id, date(OLD.handed_out_at, '+7 hours') WHERE OLD.cancelled_at IS NULL);
  UPDATE relief_tally_served SET n = n - 1 WHERE (campaign_id, ward_id, residence) IN (SELECT OLD.campaign_id, h.ward_id, h.residence FROM households_household h WHERE h.id = OLD.household_id AND h.status = 'approved' AND OLD.cancelled_at IS NULL AND NOT EXISTS (SELECT 1 FROM relief_distribution o WHERE o.household_id = OLD.household_id AND o.campaign_id = OLD.campaign_id AND o.cancelled_at IS NULL AND o.id <> OLD.id));
  UPDATE relief_tally_served_category SET n = n - 1 WHERE (campaign_id, ward_id, category_id) IN (SELECT OLD.campaign_id, h.ward_id, k.category_id FROM households_household h, (SELECT category_id FROM households_household_categories WHERE household_id = OLD.household_id UNION ALL SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM households_household_categories WHERE household_id = OLD.household_id)) AS k WHERE h.id = OLD.household_id AND h.status = 'approved' AND OLD.cancelled_at IS NULL AND NOT EXISTS (SELECT 1 FROM relief_distribution o WHERE o.household_id = OLD.household_id AND o.campaign_id = OLD.campaign_id AND o.cancelled_at IS NULL AND o.id <> OLD.id));
END""",
]

POSTGRESQL_FUNCTIONS = [
    """CREATE OR REPLACE FUNCTION tally_bag_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE relief_tally_bag SET n = n - 1 WHERE (campaign_id, ward_id, state, source, unfunded) IN (SELECT OLD.campaign_id, COALESCE(OLD.ward_id, 0), OLD.state, OLD.source, OLD.unfunded WHERE TRUE) AND n > 0;
  RETURN OLD;
END
$$""",
    """CREATE OR REPLACE FUNCTION tally_household_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE relief_tally_household SET n = n - 1 WHERE (ward_id, status, residence) IN (SELECT OLD.ward_id, OLD.status, OLD.residence WHERE TRUE) AND n > 0;
  UPDATE relief_tally_category SET n = n - 1 WHERE (ward_id, category_id) IN (SELECT OLD.ward_id, k.category_id FROM (SELECT category_id FROM households_household_categories WHERE household_id = OLD.id UNION ALL SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM households_household_categories WHERE household_id = OLD.id)) AS k WHERE OLD.status = 'approved') AND n > 0;
  UPDATE relief_tally_served SET n = n - 1 WHERE (campaign_id, ward_id, residence) IN (SELECT c.campaign_id, OLD.ward_id, OLD.residence FROM (SELECT DISTINCT campaign_id FROM relief_distribution WHERE household_id = OLD.id AND cancelled_at IS NULL) AS c WHERE OLD.status = 'approved') AND n > 0;
  UPDATE relief_tally_served_category SET n = n - 1 WHERE (campaign_id, ward_id, category_id) IN (SELECT c.campaign_id, OLD.ward_id, k.category_id FROM (SELECT DISTINCT campaign_id FROM relief_distribution WHERE household_id = OLD.id AND cancelled_at IS NULL) AS c, (SELECT category_id FROM households_household_categories WHERE household_id = OLD.id UNION ALL SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM households_household_categories WHERE household_id = OLD.id)) AS k WHERE OLD.status = 'approved') AND n > 0;
  RETURN OLD;
END
$$""",
    """CREATE OR REPLACE FUNCTION tally_category_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM 1 FROM households_household WHERE id = OLD.household_id FOR UPDATE;
  UPDATE relief_tally_category SET n = n - 1 WHERE (ward_id, category_id) IN (SELECT h.ward_id, OLD.category_id FROM households_household h WHERE h.id = OLD.household_id AND h.status = 'approved') AND n > 0;
  INSERT INTO relief_tally_category (ward_id, category_id, n) SELECT h.ward_id, 0, 1 FROM households_household h WHERE h.id = OLD.household_id AND h.status = 'approved' AND NOT EXISTS (SELECT 1 FROM households_household_categories o WHERE o.household_id = OLD.household_id AND o.id <> OLD.id) ON CONFLICT (ward_id, category_id) DO UPDATE SET n = relief_tally_category.n + excluded.n;
  UPDATE relief_tally_served_category SET n = n - 1 WHERE (campaign_id, ward_id, category_id) IN (SELECT c.campaign_id, h.ward_id, OLD.category_id FROM households_household h, (SELECT DISTINCT campaign_id FROM relief_distribution WHERE household_id = OLD.household_id AND cancelled_at IS NULL) AS c WHERE h.id = OLD.household_id AND h.status = 'approved') AND n > 0;
  INSERT INTO relief_tally_served_category (campaign_id, ward_id, category_id, n) SELECT c.campaign_id, h.ward_id, 0, 1 FROM households_household h, (SELECT DISTINCT campaign_id FROM relief_distribution WHERE household_id = OLD.household_id AND cancelled_at IS NULL) AS c WHERE h.id = OLD.household_id AND h.status = 'approved' AND NOT EXISTS (SELECT 1 FROM households_household_categories o WHERE o.household_id = OLD.household_id AND o.id <> OLD.id) ON CONFLICT (campaign_id, ward_id, category_id) DO UPDATE SET n = relief_tally_served_category.n + excluded.n;
  RETURN OLD;
END
$$""",
    """CREATE OR REPLACE FUNCTION tally_hand_out_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM 1 FROM households_household WHERE id = OLD.household_id FOR UPDATE;
  UPDATE relief_tally_hand_out_day SET n = n - 1 WHERE (campaign_id, ward_id, day) IN (SELECT OLD.campaign_id, OLD.ward_id, ((OLD.handed_out_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date) WHERE OLD.cancelled_at IS NULL) AND n > 0;
  UPDATE relief_tally_served SET n = n - 1 WHERE (campaign_id, ward_id, residence) IN (SELECT OLD.campaign_id, h.ward_id, h.residence FROM households_household h WHERE h.id = OLD.household_id AND h.status = 'approved' AND OLD.cancelled_at IS NULL AND NOT EXISTS (SELECT 1 FROM relief_distribution o WHERE o.household_id = OLD.household_id AND o.campaign_id = OLD.campaign_id AND o.cancelled_at IS NULL AND o.id <> OLD.id)) AND n > 0;
  UPDATE relief_tally_served_category SET n = n - 1 WHERE (campaign_id, ward_id, category_id) IN (SELECT OLD.campaign_id, h.ward_id, k.category_id FROM households_household h, (SELECT category_id FROM households_household_categories WHERE household_id = OLD.household_id UNION ALL SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM households_household_categories WHERE household_id = OLD.household_id)) AS k WHERE h.id = OLD.household_id AND h.status = 'approved' AND OLD.cancelled_at IS NULL AND NOT EXISTS (SELECT 1 FROM relief_distribution o WHERE o.household_id = OLD.household_id AND o.campaign_id = OLD.campaign_id AND o.cancelled_at IS NULL AND o.id <> OLD.id)) AND n > 0;
  RETURN OLD;
END
$$""",
]

POSTGRESQL_FUNCTIONS_BEFORE = [
    """CREATE OR REPLACE FUNCTION tally_bag_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE relief_tally_bag SET n = n - 1 WHERE (campaign_id, ward_id, state, source, unfunded) IN (SELECT OLD.campaign_id, COALESCE(OLD.ward_id, 0), OLD.state, OLD.source, OLD.unfunded WHERE TRUE);
  RETURN OLD;
END
$$""",
    """CREATE OR REPLACE FUNCTION tally_household_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE relief_tally_household SET n = n - 1 WHERE (ward_id, status, residence) IN (SELECT OLD.ward_id, OLD.status, OLD.residence WHERE TRUE);
  UPDATE relief_tally_category SET n = n - 1 WHERE (ward_id, category_id) IN (SELECT OLD.ward_id, k.category_id FROM (SELECT category_id FROM households_household_categories WHERE household_id = OLD.id UNION ALL SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM households_household_categories WHERE household_id = OLD.id)) AS k WHERE OLD.status = 'approved');
  UPDATE relief_tally_served SET n = n - 1 WHERE (campaign_id, ward_id, residence) IN (SELECT c.campaign_id, OLD.ward_id, OLD.residence FROM (SELECT DISTINCT campaign_id FROM relief_distribution WHERE household_id = OLD.id AND cancelled_at IS NULL) AS c WHERE OLD.status = 'approved');
  UPDATE relief_tally_served_category SET n = n - 1 WHERE (campaign_id, ward_id, category_id) IN (SELECT c.campaign_id, OLD.ward_id, k.category_id FROM (SELECT DISTINCT campaign_id FROM relief_distribution WHERE household_id = OLD.id AND cancelled_at IS NULL) AS c, (SELECT category_id FROM households_household_categories WHERE household_id = OLD.id UNION ALL SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM households_household_categories WHERE household_id = OLD.id)) AS k WHERE OLD.status = 'approved');
  RETURN OLD;
END
$$""",
    """CREATE OR REPLACE FUNCTION tally_category_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM 1 FROM households_household WHERE id = OLD.household_id FOR UPDATE;
  UPDATE relief_tally_category SET n = n - 1 WHERE (ward_id, category_id) IN (SELECT h.ward_id, OLD.category_id FROM households_household h WHERE h.id = OLD.household_id AND h.status = 'approved');
  INSERT INTO relief_tally_category (ward_id, category_id, n) SELECT h.ward_id, 0, 1 FROM households_household h WHERE h.id = OLD.household_id AND h.status = 'approved' AND NOT EXISTS (SELECT 1 FROM households_household_categories o WHERE o.household_id = OLD.household_id AND o.id <> OLD.id) ON CONFLICT (ward_id, category_id) DO UPDATE SET n = relief_tally_category.n + excluded.n;
  UPDATE relief_tally_served_category SET n = n - 1 WHERE (campaign_id, ward_id, category_id) IN (SELECT c.campaign_id, h.ward_id, OLD.category_id FROM households_household h, (SELECT DISTINCT campaign_id FROM relief_distribution WHERE household_id = OLD.household_id AND cancelled_at IS NULL) AS c WHERE h.id = OLD.household_id AND h.status = 'approved');
  INSERT INTO relief_tally_served_category (campaign_id, ward_id, category_id, n) SELECT c.campaign_id, h.ward_id, 0, 1 FROM households_household h, (SELECT DISTINCT campaign_id FROM relief_distribution WHERE household_id = OLD.household_id AND cancelled_at IS NULL) AS c WHERE h.id = OLD.household_id AND h.status = 'approved' AND NOT EXISTS (SELECT 1 FROM households_household_categories o WHERE o.household_id = OLD.household_id AND o.id <> OLD.id) ON CONFLICT (campaign_id, ward_id, category_id) DO UPDATE SET n = relief_tally_served_category.n + excluded.n;
  RETURN OLD;
END
$$""",
    """CREATE OR REPLACE FUNCTION tally_hand_out_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM 1 FROM households_household WHERE id = OLD.household_id FOR UPDATE;
  UPDATE relief_tally_hand_out_day SET n = n - 1 WHERE (campaign_id, ward_id, day) IN (SELECT OLD.campaign_id, OLD.ward_id, ((OLD.handed_out_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date) WHERE OLD.cancelled_at IS NULL);
  UPDATE relief_tally_served SET n = n - 1 WHERE (campaign_id, ward_id, residence) IN (SELECT OLD.campaign_id, h.ward_id, h.residence FROM households_household h WHERE h.id = OLD.household_id AND h.status = 'approved' AND OLD.cancelled_at IS NULL AND NOT EXISTS (SELECT 1 FROM relief_distribution o WHERE o.household_id = OLD.household_id AND o.campaign_id = OLD.campaign_id AND o.cancelled_at IS NULL AND o.id <> OLD.id));
  UPDATE relief_tally_served_category SET n = n - 1 WHERE (campaign_id, ward_id, category_id) IN (SELECT OLD.campaign_id, h.ward_id, k.category_id FROM households_household h, (SELECT category_id FROM households_household_categories WHERE household_id = OLD.household_id UNION ALL SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM households_household_categories WHERE household_id = OLD.household_id)) AS k WHERE h.id = OLD.household_id AND h.status = 'approved' AND OLD.cancelled_at IS NULL AND NOT EXISTS (SELECT 1 FROM relief_distribution o WHERE o.household_id = OLD.household_id AND o.campaign_id = OLD.campaign_id AND o.cancelled_at IS NULL AND o.id <> OLD.id));
  RETURN OLD;
END
$$""",
]


def _sqlite(statements):
    return [f"DROP TRIGGER IF EXISTS {statement.split()[2]}" for statement in statements] + statements


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in _sqlite(SQLITE_TRIGGERS) if vendor == "sqlite" else POSTGRESQL_FUNCTIONS:
        schema_editor.execute(statement)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in _sqlite(SQLITE_TRIGGERS_BEFORE) if vendor == "sqlite" else POSTGRESQL_FUNCTIONS_BEFORE:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("relief", "0008_two_factor_device_history")]

    operations = [migrations.RunPython(forwards, backwards)]
