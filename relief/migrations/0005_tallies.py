"""Exact counters for the leaders' figures (``relief.tallies``), kept by row triggers and filled from the rows.

The triggers come before the back-fill, and on PostgreSQL the counted tables are locked against writes (SHARE:
reads go on) for the migration's transaction, so no change slips between the count and the first trigger.

The SQL is this migration's own text, one statement per string: every trigger body is plain SQL over ``NEW`` /
``OLD`` that PostgreSQL (inside a PL/pgSQL function) and SQLite (inside ``CREATE TRIGGER … BEGIN … END``) both
understand. Adding is ``INSERT … ON CONFLICT (key) DO UPDATE SET n = n + 1``, exact under concurrency; subtracting
is ``UPDATE … SET n = n - 1`` on rows that exist. A household is *served* by a campaign while it is approved and
holds at least one active hand-out of it; "first" or "last" active hand-out (or category) is decided by looking for
*another* such row (``id <> this one``), and on PostgreSQL the hand-out and category triggers first lock the
household row, as a hand-out does, so two racing transactions see each other. PostgreSQL runs those two tables'
triggers BEFORE the row changes: its AFTER row triggers run once the whole statement is done, so in a multi-row
statement each would see every other row's change; BEFORE (and SQLite's AFTER, row by row) sees only the rows
already processed. The local day of a hand-out is its Asia/Ho_Chi_Minh date: ``AT TIME ZONE`` on PostgreSQL; on
SQLite, which stores UTC text, seven hours later (Vietnam keeps UTC+7 without daylight saving).
"""

from django.db import migrations, models

COUNTED_TABLES = "relief_bag, households_household, households_household_categories, relief_distribution"
TALLY_TABLES = (
    "relief_tally_bag, relief_tally_household, relief_tally_category, relief_tally_served, "
    "relief_tally_served_category, relief_tally_hand_out_day"
)

SQLITE_TRIGGERS = [
    """CREATE TRIGGER tally_bag_insert AFTER INSERT ON relief_bag FOR EACH ROW
BEGIN
  INSERT INTO relief_tally_bag (campaign_id, ward_id, state, source, unfunded, n) SELECT NEW.campaign_id, COALESCE(NEW.ward_id, 0), NEW.state, NEW.source, NEW.unfunded, 1 WHERE TRUE ON CONFLICT (campaign_id, ward_id, state, source, unfunded) DO UPDATE SET n = relief_tally_bag.n + excluded.n;
END""",
    """CREATE TRIGGER tally_bag_update AFTER UPDATE ON relief_bag FOR EACH ROW WHEN OLD.campaign_id IS NOT NEW.campaign_id OR OLD.ward_id IS NOT NEW.ward_id OR OLD.state IS NOT NEW.state OR OLD.source IS NOT NEW.source OR OLD.unfunded IS NOT NEW.unfunded
BEGIN
  UPDATE relief_tally_bag SET n = n - 1 WHERE (campaign_id, ward_id, state, source, unfunded) IN (SELECT OLD.campaign_id, COALESCE(OLD.ward_id, 0), OLD.state, OLD.source, OLD.unfunded WHERE TRUE);
  INSERT INTO relief_tally_bag (campaign_id, ward_id, state, source, unfunded, n) SELECT NEW.campaign_id, COALESCE(NEW.ward_id, 0), NEW.state, NEW.source, NEW.unfunded, 1 WHERE TRUE ON CONFLICT (campaign_id, ward_id, state, source, unfunded) DO UPDATE SET n = relief_tally_bag.n + excluded.n;
END""",
    """CREATE TRIGGER tally_bag_delete AFTER DELETE ON relief_bag FOR EACH ROW
BEGIN
  UPDATE relief_tally_bag SET n = n - 1 WHERE (campaign_id, ward_id, state, source, unfunded) IN (SELECT OLD.campaign_id, COALESCE(OLD.ward_id, 0), OLD.state, OLD.source, OLD.unfunded WHERE TRUE);
END""",
    """CREATE TRIGGER tally_household_insert AFTER INSERT ON households_household FOR EACH ROW
BEGIN
  INSERT INTO relief_tally_household (ward_id, status, residence, n) SELECT NEW.ward_id, NEW.status, NEW.residence, 1 WHERE TRUE ON CONFLICT (ward_id, status, residence) DO UPDATE SET n = relief_tally_household.n + excluded.n;
  INSERT INTO relief_tally_category (ward_id, category_id, n) SELECT NEW.ward_id, k.category_id, 1 FROM (SELECT category_id FROM households_household_categories WHERE household_id = NEW.id UNION ALL SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM households_household_categories WHERE household_id = NEW.id)) AS k WHERE NEW.status = 'approved' ON CONFLICT (ward_id, category_id) DO UPDATE SET n = relief_tally_category.n + excluded.n;
  INSERT INTO relief_tally_served (campaign_id, ward_id, residence, n) SELECT c.campaign_id, NEW.ward_id, NEW.residence, 1 FROM (SELECT DISTINCT campaign_id FROM relief_distribution WHERE household_id = NEW.id AND cancelled_at IS NULL) AS c WHERE NEW.status = 'approved' ON CONFLICT (campaign_id, ward_id, residence) DO UPDATE SET n = relief_tally_served.n + excluded.n;
  INSERT INTO relief_tally_served_category (campaign_id, ward_id, category_id, n) SELECT c.campaign_id, NEW.ward_id, k.category_id, 1 FROM (SELECT DISTINCT campaign_id FROM relief_distribution WHERE household_id = NEW.id AND cancelled_at IS NULL) AS c, (SELECT category_id FROM households_household_categories WHERE household_id = NEW.id UNION ALL SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM households_household_categories WHERE household_id = NEW.id)) AS k WHERE NEW.status = 'approved' ON CONFLICT (campaign_id, ward_id, category_id) DO UPDATE SET n = relief_tally_served_category.n + excluded.n;
END""",
    """CREATE TRIGGER tally_household_update AFTER UPDATE ON households_household FOR EACH ROW WHEN OLD.ward_id IS NOT NEW.ward_id OR OLD.status IS NOT NEW.status OR OLD.residence IS NOT NEW.residence
BEGIN
  UPDATE relief_tally_household SET n = n - 1 WHERE (ward_id, status, residence) IN (SELECT OLD.ward_id, OLD.status, OLD.residence WHERE TRUE);
  UPDATE relief_tally_category SET n = n - 1 WHERE (ward_id, category_id) IN (SELECT OLD.ward_id, k.category_id FROM (SELECT category_id FROM households_household_categories WHERE household_id = OLD.id UNION ALL SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM households_household_categories WHERE household_id = OLD.id)) AS k WHERE OLD.status = 'approved');
  UPDATE relief_tally_served SET n = n - 1 WHERE (campaign_id, ward_id, residence) IN (SELECT c.campaign_id, OLD.ward_id, OLD.residence FROM (SELECT DISTINCT campaign_id FROM relief_distribution WHERE household_id = OLD.id AND cancelled_at IS NULL) AS c WHERE OLD.status = 'approved');
  UPDATE relief_tally_served_category SET n = n - 1 WHERE (campaign_id, ward_id, category_id) IN (SELECT c.campaign_id, OLD.ward_id, k.category_id FROM (SELECT DISTINCT campaign_id FROM relief_distribution WHERE household_id = OLD.id AND cancelled_at IS NULL) AS c, (SELECT category_id FROM households_household_categories WHERE household_id = OLD.id UNION ALL SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM households_household_categories WHERE household_id = OLD.id)) AS k WHERE OLD.status = 'approved');
  INSERT INTO relief_tally_household (ward_id, status, residence, n) SELECT NEW.ward_id, NEW.status, NEW.residence, 1 WHERE TRUE ON CONFLICT (ward_id, status, residence) DO UPDATE SET n = relief_tally_household.n + excluded.n;
  INSERT INTO relief_tally_category (ward_id, category_id, n) SELECT NEW.ward_id, k.category_id, 1 FROM (SELECT category_id FROM households_household_categories WHERE household_id = NEW.id UNION ALL SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM households_household_categories WHERE household_id = NEW.id)) AS k WHERE NEW.status = 'approved' ON CONFLICT (ward_id, category_id) DO UPDATE SET n = relief_tally_category.n + excluded.n;
  INSERT INTO relief_tally_served (campaign_id, ward_id, residence, n) SELECT c.campaign_id, NEW.ward_id, NEW.residence, 1 FROM (SELECT DISTINCT campaign_id FROM relief_distribution WHERE household_id = NEW.id AND cancelled_at IS NULL) AS c WHERE NEW.status = 'approved' ON CONFLICT (campaign_id, ward_id, residence) DO UPDATE SET n = relief_tally_served.n + excluded.n;
  INSERT INTO relief_tally_served_category (campaign_id, ward_id, category_id, n) SELECT c.campaign_id, NEW.ward_id, k.category_id, 1 FROM (SELECT DISTINCT campaign_id FROM relief_distribution WHERE household_id = NEW.id AND cancelled_at IS NULL) AS c, (SELECT category_id FROM households_household_categories WHERE household_id = NEW.id UNION ALL SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM households_household_categories WHERE household_id = NEW.id)) AS k WHERE NEW.status = 'approved' ON CONFLICT (campaign_id, ward_id, category_id) DO UPDATE SET n = relief_tally_served_category.n + excluded.n;
END""",
    """CREATE TRIGGER tally_household_delete AFTER DELETE ON households_household FOR EACH ROW
BEGIN
  UPDATE relief_tally_household SET n = n - 1 WHERE (ward_id, status, residence) IN (SELECT OLD.ward_id, OLD.status, OLD.residence WHERE TRUE);
  UPDATE relief_tally_category SET n = n - 1 WHERE (ward_id, category_id) IN (SELECT OLD.ward_id, k.category_id FROM (SELECT category_id FROM households_household_categories WHERE household_id = OLD.id UNION ALL SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM households_household_categories WHERE household_id = OLD.id)) AS k WHERE OLD.status = 'approved');
  UPDATE relief_tally_served SET n = n - 1 WHERE (campaign_id, ward_id, residence) IN (SELECT c.campaign_id, OLD.ward_id, OLD.residence FROM (SELECT DISTINCT campaign_id FROM relief_distribution WHERE household_id = OLD.id AND cancelled_at IS NULL) AS c WHERE OLD.status = 'approved');
  UPDATE relief_tally_served_category SET n = n - 1 WHERE (campaign_id, ward_id, category_id) IN (SELECT c.campaign_id, OLD.ward_id, k.category_id FROM (SELECT DISTINCT campaign_id FROM relief_distribution WHERE household_id = OLD.id AND cancelled_at IS NULL) AS c, (SELECT category_id FROM households_household_categories WHERE household_id = OLD.id UNION ALL SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM households_household_categories WHERE household_id = OLD.id)) AS k WHERE OLD.status = 'approved');
END""",
    """CREATE TRIGGER tally_category_insert AFTER INSERT ON households_household_categories FOR EACH ROW
BEGIN
  INSERT INTO relief_tally_category (ward_id, category_id, n) SELECT h.ward_id, NEW.category_id, 1 FROM households_household h WHERE h.id = NEW.household_id AND h.status = 'approved' ON CONFLICT (ward_id, category_id) DO UPDATE SET n = relief_tally_category.n + excluded.n;
  UPDATE relief_tally_category SET n = n - 1 WHERE (ward_id, category_id) IN (SELECT h.ward_id, 0 FROM households_household h WHERE h.id = NEW.household_id AND h.status = 'approved' AND NOT EXISTS (SELECT 1 FROM households_household_categories o WHERE o.household_id = NEW.household_id AND o.id <> NEW.id));
  INSERT INTO relief_tally_served_category (campaign_id, ward_id, category_id, n) SELECT c.campaign_id, h.ward_id, NEW.category_id, 1 FROM households_household h, (SELECT DISTINCT campaign_id FROM relief_distribution WHERE household_id = NEW.household_id AND cancelled_at IS NULL) AS c WHERE h.id = NEW.household_id AND h.status = 'approved' ON CONFLICT (campaign_id, ward_id, category_id) DO UPDATE SET n = relief_tally_served_category.n + excluded.n;
  UPDATE relief_tally_served_category SET n = n - 1 WHERE (campaign_id, ward_id, category_id) IN (SELECT c.campaign_id, h.ward_id, 0 FROM households_household h, (SELECT DISTINCT campaign_id FROM relief_distribution WHERE household_id = NEW.household_id AND cancelled_at IS NULL) AS c WHERE h.id = NEW.household_id AND h.status = 'approved' AND NOT EXISTS (SELECT 1 FROM households_household_categories o WHERE o.household_id = NEW.household_id AND o.id <> NEW.id));
END""",
    """CREATE TRIGGER tally_category_update AFTER UPDATE ON households_household_categories FOR EACH ROW WHEN OLD.household_id IS NOT NEW.household_id OR OLD.category_id IS NOT NEW.category_id
BEGIN
  UPDATE relief_tally_category SET n = n - 1 WHERE (ward_id, category_id) IN (SELECT h.ward_id, OLD.category_id FROM households_household h WHERE h.id = OLD.household_id AND h.status = 'approved');
  INSERT INTO relief_tally_category (ward_id, category_id, n) SELECT h.ward_id, 0, 1 FROM households_household h WHERE h.id = OLD.household_id AND h.status = 'approved' AND NOT EXISTS (SELECT 1 FROM households_household_categories o WHERE o.household_id = OLD.household_id AND o.id <> OLD.id) ON CONFLICT (ward_id, category_id) DO UPDATE SET n = relief_tally_category.n + excluded.n;
  UPDATE relief_tally_served_category SET n = n - 1 WHERE (campaign_id, ward_id, category_id) IN (SELECT c.campaign_id, h.ward_id, OLD.category_id FROM households_household h, (SELECT DISTINCT campaign_id FROM relief_distribution WHERE household_id = OLD.household_id AND cancelled_at IS NULL) AS c WHERE h.id = OLD.household_id AND h.status = 'approved');
  INSERT INTO relief_tally_served_category (campaign_id, ward_id, category_id, n) SELECT c.campaign_id, h.ward_id, 0, 1 FROM households_household h, (SELECT DISTINCT campaign_id FROM relief_distribution WHERE household_id = OLD.household_id AND cancelled_at IS NULL) AS c WHERE h.id = OLD.household_id AND h.status = 'approved' AND NOT EXISTS (SELECT 1 FROM households_household_categories o WHERE o.household_id = OLD.household_id AND o.id <> OLD.id) ON CONFLICT (campaign_id, ward_id, category_id) DO UPDATE SET n = relief_tally_served_category.n + excluded.n;
  INSERT INTO relief_tally_category (ward_id, category_id, n) SELECT h.ward_id, NEW.category_id, 1 FROM households_household h WHERE h.id = NEW.household_id AND h.status = 'approved' ON CONFLICT (ward_id, category_id) DO UPDATE SET n = relief_tally_category.n + excluded.n;
  UPDATE relief_tally_category SET n = n - 1 WHERE (ward_id, category_id) IN (SELECT h.ward_id, 0 FROM households_household h WHERE h.id = NEW.household_id AND h.status = 'approved' AND NOT EXISTS (SELECT 1 FROM households_household_categories o WHERE o.household_id = NEW.household_id AND o.id <> NEW.id));
  INSERT INTO relief_tally_served_category (campaign_id, ward_id, category_id, n) SELECT c.campaign_id, h.ward_id, NEW.category_id, 1 FROM households_household h, (SELECT DISTINCT campaign_id FROM relief_distribution WHERE household_id = NEW.household_id AND cancelled_at IS NULL) AS c WHERE h.id = NEW.household_id AND h.status = 'approved' ON CONFLICT (campaign_id, ward_id, category_id) DO UPDATE SET n = relief_tally_served_category.n + excluded.n;
  UPDATE relief_tally_served_category SET n = n - 1 WHERE (campaign_id, ward_id, category_id) IN (SELECT c.campaign_id, h.ward_id, 0 FROM households_household h, (SELECT DISTINCT campaign_id FROM relief_distribution WHERE household_id = NEW.household_id AND cancelled_at IS NULL) AS c WHERE h.id = NEW.household_id AND h.status = 'approved' AND NOT EXISTS (SELECT 1 FROM households_household_categories o WHERE o.household_id = NEW.household_id AND o.id <> NEW.id));
END""",
    """CREATE TRIGGER tally_category_delete AFTER DELETE ON households_household_categories FOR EACH ROW
BEGIN
  UPDATE relief_tally_category SET n = n - 1 WHERE (ward_id, category_id) IN (SELECT h.ward_id, OLD.category_id FROM households_household h WHERE h.id = OLD.household_id AND h.status = 'approved');
  INSERT INTO relief_tally_category (ward_id, category_id, n) SELECT h.ward_id, 0, 1 FROM households_household h WHERE h.id = OLD.household_id AND h.status = 'approved' AND NOT EXISTS (SELECT 1 FROM households_household_categories o WHERE o.household_id = OLD.household_id AND o.id <> OLD.id) ON CONFLICT (ward_id, category_id) DO UPDATE SET n = relief_tally_category.n + excluded.n;
  UPDATE relief_tally_served_category SET n = n - 1 WHERE (campaign_id, ward_id, category_id) IN (SELECT c.campaign_id, h.ward_id, OLD.category_id FROM households_household h, (SELECT DISTINCT campaign_id FROM relief_distribution WHERE household_id = OLD.household_id AND cancelled_at IS NULL) AS c WHERE h.id = OLD.household_id AND h.status = 'approved');
  INSERT INTO relief_tally_served_category (campaign_id, ward_id, category_id, n) SELECT c.campaign_id, h.ward_id, 0, 1 FROM households_household h, (SELECT DISTINCT campaign_id FROM relief_distribution WHERE household_id = OLD.household_id AND cancelled_at IS NULL) AS c WHERE h.id = OLD.household_id AND h.status = 'approved' AND NOT EXISTS (SELECT 1 FROM households_household_categories o WHERE o.household_id = OLD.household_id AND o.id <> OLD.id) ON CONFLICT (campaign_id, ward_id, category_id) DO UPDATE SET n = relief_tally_served_category.n + excluded.n;
END""",
    """CREATE TRIGGER tally_hand_out_insert AFTER INSERT ON relief_distribution FOR EACH ROW
BEGIN
  INSERT INTO relief_tally_hand_out_day (campaign_id, ward_id, day, n) SELECT NEW.campaign_id, NEW.ward_id, date(NEW.handed_out_at, '+7 hours'), 1 WHERE NEW.cancelled_at IS NULL ON CONFLICT (campaign_id, ward_id, day) DO UPDATE SET n = relief_tally_hand_out_day.n + excluded.n;
  INSERT INTO relief_tally_served (campaign_id, ward_id, residence, n) SELECT NEW.campaign_id, h.ward_id, h.residence, 1 FROM households_household h WHERE h.id = NEW.household_id AND h.status = 'approved' AND NEW.cancelled_at IS NULL AND NOT EXISTS (SELECT 1 FROM relief_distribution o WHERE o.household_id = NEW.household_id AND o.campaign_id = NEW.campaign_id AND o.cancelled_at IS NULL AND o.id <> NEW.id) ON CONFLICT (campaign_id, ward_id, residence) DO UPDATE SET n = relief_tally_served.n + excluded.n;
  INSERT INTO relief_tally_served_category (campaign_id, ward_id, category_id, n) SELECT NEW.campaign_id, h.ward_id, k.category_id, 1 FROM households_household h, (SELECT category_id FROM households_household_categories WHERE household_id = NEW.household_id UNION ALL SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM households_household_categories WHERE household_id = NEW.household_id)) AS k WHERE h.id = NEW.household_id AND h.status = 'approved' AND NEW.cancelled_at IS NULL AND NOT EXISTS (SELECT 1 FROM relief_distribution o WHERE o.household_id = NEW.household_id AND o.campaign_id = NEW.campaign_id AND o.cancelled_at IS NULL AND o.id <> NEW.id) ON CONFLICT (campaign_id, ward_id, category_id) DO UPDATE SET n = relief_tally_served_category.n + excluded.n;
END""",
    """CREATE TRIGGER tally_hand_out_update AFTER UPDATE ON relief_distribution FOR EACH ROW WHEN OLD.household_id IS NOT NEW.household_id OR OLD.campaign_id IS NOT NEW.campaign_id OR OLD.ward_id IS NOT NEW.ward_id OR OLD.handed_out_at IS NOT NEW.handed_out_at OR (OLD.cancelled_at IS NULL) <> (NEW.cancelled_at IS NULL)
BEGIN
  UPDATE relief_tally_hand_out_day SET n = n - 1 WHERE (campaign_id, ward_id, day) IN (SELECT OLD.campaign_id, OLD.ward_id, date(OLD.handed_out_at, '+7 hours') WHERE OLD.cancelled_at IS NULL);
  UPDATE relief_tally_served SET n = n - 1 WHERE (campaign_id, ward_id, residence) IN (SELECT OLD.campaign_id, h.ward_id, h.residence FROM households_household h WHERE h.id = OLD.household_id AND h.status = 'approved' AND OLD.cancelled_at IS NULL AND NOT EXISTS (SELECT 1 FROM relief_distribution o WHERE o.household_id = OLD.household_id AND o.campaign_id = OLD.campaign_id AND o.cancelled_at IS NULL AND o.id <> OLD.id));
  UPDATE relief_tally_served_category SET n = n - 1 WHERE (campaign_id, ward_id, category_id) IN (SELECT OLD.campaign_id, h.ward_id, k.category_id FROM households_household h, (SELECT category_id FROM households_household_categories WHERE household_id = OLD.household_id UNION ALL SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM households_household_categories WHERE household_id = OLD.household_id)) AS k WHERE h.id = OLD.household_id AND h.status = 'approved' AND OLD.cancelled_at IS NULL AND NOT EXISTS (SELECT 1 FROM relief_distribution o WHERE o.household_id = OLD.household_id AND o.campaign_id = OLD.campaign_id AND o.cancelled_at IS NULL AND o.id <> OLD.id));
  INSERT INTO relief_tally_hand_out_day (campaign_id, ward_id, day, n) SELECT NEW.campaign_id, NEW.ward_id, date(NEW.handed_out_at, '+7 hours'), 1 WHERE NEW.cancelled_at IS NULL ON CONFLICT (campaign_id, ward_id, day) DO UPDATE SET n = relief_tally_hand_out_day.n + excluded.n;
  INSERT INTO relief_tally_served (campaign_id, ward_id, residence, n) SELECT NEW.campaign_id, h.ward_id, h.residence, 1 FROM households_household h WHERE h.id = NEW.household_id AND h.status = 'approved' AND NEW.cancelled_at IS NULL AND NOT EXISTS (SELECT 1 FROM relief_distribution o WHERE o.household_id = NEW.household_id AND o.campaign_id = NEW.campaign_id AND o.cancelled_at IS NULL AND o.id <> NEW.id) ON CONFLICT (campaign_id, ward_id, residence) DO UPDATE SET n = relief_tally_served.n + excluded.n;
  INSERT INTO relief_tally_served_category (campaign_id, ward_id, category_id, n) SELECT NEW.campaign_id, h.ward_id, k.category_id, 1 FROM households_household h, (SELECT category_id FROM households_household_categories WHERE household_id = NEW.household_id UNION ALL SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM households_household_categories WHERE household_id = NEW.household_id)) AS k WHERE h.id = NEW.household_id AND h.status = 'approved' AND NEW.cancelled_at IS NULL AND NOT EXISTS (SELECT 1 FROM relief_distribution o WHERE o.household_id = NEW.household_id AND o.campaign_id = NEW.campaign_id AND o.cancelled_at IS NULL AND o.id <> NEW.id) ON CONFLICT (campaign_id, ward_id, category_id) DO UPDATE SET n = relief_tally_served_category.n + excluded.n;
END""",
    """CREATE TRIGGER tally_hand_out_delete AFTER DELETE ON relief_distribution FOR EACH ROW
BEGIN
  UPDATE relief_tally_hand_out_day SET n = n - 1 WHERE (campaign_id, ward_id, day) IN (SELECT OLD.campaign_id, OLD.ward_id, date(OLD.handed_out_at, '+7 hours') WHERE OLD.cancelled_at IS NULL);
  UPDATE relief_tally_served SET n = n - 1 WHERE (campaign_id, ward_id, residence) IN (SELECT OLD.campaign_id, h.ward_id, h.residence FROM households_household h WHERE h.id = OLD.household_id AND h.status = 'approved' AND OLD.cancelled_at IS NULL AND NOT EXISTS (SELECT 1 FROM relief_distribution o WHERE o.household_id = OLD.household_id AND o.campaign_id = OLD.campaign_id AND o.cancelled_at IS NULL AND o.id <> OLD.id));
  UPDATE relief_tally_served_category SET n = n - 1 WHERE (campaign_id, ward_id, category_id) IN (SELECT OLD.campaign_id, h.ward_id, k.category_id FROM households_household h, (SELECT category_id FROM households_household_categories WHERE household_id = OLD.household_id UNION ALL SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM households_household_categories WHERE household_id = OLD.household_id)) AS k WHERE h.id = OLD.household_id AND h.status = 'approved' AND OLD.cancelled_at IS NULL AND NOT EXISTS (SELECT 1 FROM relief_distribution o WHERE o.household_id = OLD.household_id AND o.campaign_id = OLD.campaign_id AND o.cancelled_at IS NULL AND o.id <> OLD.id));
END""",
]

POSTGRESQL_TRIGGERS = [
    """CREATE OR REPLACE FUNCTION tally_bag_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO relief_tally_bag (campaign_id, ward_id, state, source, unfunded, n) SELECT NEW.campaign_id, COALESCE(NEW.ward_id, 0), NEW.state, NEW.source, NEW.unfunded, 1 WHERE TRUE ON CONFLICT (campaign_id, ward_id, state, source, unfunded) DO UPDATE SET n = relief_tally_bag.n + excluded.n;
  RETURN NEW;
END
$$""",
    """CREATE TRIGGER tally_bag_insert AFTER INSERT ON relief_bag FOR EACH ROW EXECUTE FUNCTION tally_bag_insert()""",
    """CREATE OR REPLACE FUNCTION tally_bag_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF (OLD.campaign_id, COALESCE(OLD.ward_id, 0), OLD.state, OLD.source, OLD.unfunded) < (NEW.campaign_id, COALESCE(NEW.ward_id, 0), NEW.state, NEW.source, NEW.unfunded) THEN UPDATE relief_tally_bag SET n = n - 1 WHERE (campaign_id, ward_id, state, source, unfunded) IN (SELECT OLD.campaign_id, COALESCE(OLD.ward_id, 0), OLD.state, OLD.source, OLD.unfunded WHERE TRUE); INSERT INTO relief_tally_bag (campaign_id, ward_id, state, source, unfunded, n) SELECT NEW.campaign_id, COALESCE(NEW.ward_id, 0), NEW.state, NEW.source, NEW.unfunded, 1 WHERE TRUE ON CONFLICT (campaign_id, ward_id, state, source, unfunded) DO UPDATE SET n = relief_tally_bag.n + excluded.n; ELSE INSERT INTO relief_tally_bag (campaign_id, ward_id, state, source, unfunded, n) SELECT NEW.campaign_id, COALESCE(NEW.ward_id, 0), NEW.state, NEW.source, NEW.unfunded, 1 WHERE TRUE ON CONFLICT (campaign_id, ward_id, state, source, unfunded) DO UPDATE SET n = relief_tally_bag.n + excluded.n; UPDATE relief_tally_bag SET n = n - 1 WHERE (campaign_id, ward_id, state, source, unfunded) IN (SELECT OLD.campaign_id, COALESCE(OLD.ward_id, 0), OLD.state, OLD.source, OLD.unfunded WHERE TRUE); END IF;
  RETURN NEW;
END
$$""",
    """CREATE TRIGGER tally_bag_update AFTER UPDATE ON relief_bag FOR EACH ROW WHEN (OLD.campaign_id IS DISTINCT FROM NEW.campaign_id OR OLD.ward_id IS DISTINCT FROM NEW.ward_id OR OLD.state IS DISTINCT FROM NEW.state OR OLD.source IS DISTINCT FROM NEW.source OR OLD.unfunded IS DISTINCT FROM NEW.unfunded) EXECUTE FUNCTION tally_bag_update()""",
    """CREATE OR REPLACE FUNCTION tally_bag_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE relief_tally_bag SET n = n - 1 WHERE (campaign_id, ward_id, state, source, unfunded) IN (SELECT OLD.campaign_id, COALESCE(OLD.ward_id, 0), OLD.state, OLD.source, OLD.unfunded WHERE TRUE);
  RETURN OLD;
END
$$""",
    """CREATE TRIGGER tally_bag_delete AFTER DELETE ON relief_bag FOR EACH ROW EXECUTE FUNCTION tally_bag_delete()""",
    """CREATE OR REPLACE FUNCTION tally_household_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO relief_tally_household (ward_id, status, residence, n) SELECT NEW.ward_id, NEW.status, NEW.residence, 1 WHERE TRUE ON CONFLICT (ward_id, status, residence) DO UPDATE SET n = relief_tally_household.n + excluded.n;
  INSERT INTO relief_tally_category (ward_id, category_id, n) SELECT NEW.ward_id, k.category_id, 1 FROM (SELECT category_id FROM households_household_categories WHERE household_id = NEW.id UNION ALL SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM households_household_categories WHERE household_id = NEW.id)) AS k WHERE NEW.status = 'approved' ON CONFLICT (ward_id, category_id) DO UPDATE SET n = relief_tally_category.n + excluded.n;
  INSERT INTO relief_tally_served (campaign_id, ward_id, residence, n) SELECT c.campaign_id, NEW.ward_id, NEW.residence, 1 FROM (SELECT DISTINCT campaign_id FROM relief_distribution WHERE household_id = NEW.id AND cancelled_at IS NULL) AS c WHERE NEW.status = 'approved' ON CONFLICT (campaign_id, ward_id, residence) DO UPDATE SET n = relief_tally_served.n + excluded.n;
  INSERT INTO relief_tally_served_category (campaign_id, ward_id, category_id, n) SELECT c.campaign_id, NEW.ward_id, k.category_id, 1 FROM (SELECT DISTINCT campaign_id FROM relief_distribution WHERE household_id = NEW.id AND cancelled_at IS NULL) AS c, (SELECT category_id FROM households_household_categories WHERE household_id = NEW.id UNION ALL SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM households_household_categories WHERE household_id = NEW.id)) AS k WHERE NEW.status = 'approved' ON CONFLICT (campaign_id, ward_id, category_id) DO UPDATE SET n = relief_tally_served_category.n + excluded.n;
  RETURN NEW;
END
$$""",
    """CREATE TRIGGER tally_household_insert AFTER INSERT ON households_household FOR EACH ROW EXECUTE FUNCTION tally_household_insert()""",
    """CREATE OR REPLACE FUNCTION tally_household_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE relief_tally_household SET n = n - 1 WHERE (ward_id, status, residence) IN (SELECT OLD.ward_id, OLD.status, OLD.residence WHERE TRUE);
  UPDATE relief_tally_category SET n = n - 1 WHERE (ward_id, category_id) IN (SELECT OLD.ward_id, k.category_id FROM (SELECT category_id FROM households_household_categories WHERE household_id = OLD.id UNION ALL SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM households_household_categories WHERE household_id = OLD.id)) AS k WHERE OLD.status = 'approved');
  UPDATE relief_tally_served SET n = n - 1 WHERE (campaign_id, ward_id, residence) IN (SELECT c.campaign_id, OLD.ward_id, OLD.residence FROM (SELECT DISTINCT campaign_id FROM relief_distribution WHERE household_id = OLD.id AND cancelled_at IS NULL) AS c WHERE OLD.status = 'approved');
  UPDATE relief_tally_served_category SET n = n - 1 WHERE (campaign_id, ward_id, category_id) IN (SELECT c.campaign_id, OLD.ward_id, k.category_id FROM (SELECT DISTINCT campaign_id FROM relief_distribution WHERE household_id = OLD.id AND cancelled_at IS NULL) AS c, (SELECT category_id FROM households_household_categories WHERE household_id = OLD.id UNION ALL SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM households_household_categories WHERE household_id = OLD.id)) AS k WHERE OLD.status = 'approved');
  INSERT INTO relief_tally_household (ward_id, status, residence, n) SELECT NEW.ward_id, NEW.status, NEW.residence, 1 WHERE TRUE ON CONFLICT (ward_id, status, residence) DO UPDATE SET n = relief_tally_household.n + excluded.n;
  INSERT INTO relief_tally_category (ward_id, category_id, n) SELECT NEW.ward_id, k.category_id, 1 FROM (SELECT category_id FROM households_household_categories WHERE household_id = NEW.id UNION ALL SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM households_household_categories WHERE household_id = NEW.id)) AS k WHERE NEW.status = 'approved' ON CONFLICT (ward_id, category_id) DO UPDATE SET n = relief_tally_category.n + excluded.n;
  INSERT INTO relief_tally_served (campaign_id, ward_id, residence, n) SELECT c.campaign_id, NEW.ward_id, NEW.residence, 1 FROM (SELECT DISTINCT campaign_id FROM relief_distribution WHERE household_id = NEW.id AND cancelled_at IS NULL) AS c WHERE NEW.status = 'approved' ON CONFLICT (campaign_id, ward_id, residence) DO UPDATE SET n = relief_tally_served.n + excluded.n;
  INSERT INTO relief_tally_served_category (campaign_id, ward_id, category_id, n) SELECT c.campaign_id, NEW.ward_id, k.category_id, 1 FROM (SELECT DISTINCT campaign_id FROM relief_distribution WHERE household_id = NEW.id AND cancelled_at IS NULL) AS c, (SELECT category_id FROM households_household_categories WHERE household_id = NEW.id UNION ALL SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM households_household_categories WHERE household_id = NEW.id)) AS k WHERE NEW.status = 'approved' ON CONFLICT (campaign_id, ward_id, category_id) DO UPDATE SET n = relief_tally_served_category.n + excluded.n;
  RETURN NEW;
END
$$""",
    """CREATE TRIGGER tally_household_update AFTER UPDATE ON households_household FOR EACH ROW WHEN (OLD.ward_id IS DISTINCT FROM NEW.ward_id OR OLD.status IS DISTINCT FROM NEW.status OR OLD.residence IS DISTINCT FROM NEW.residence) EXECUTE FUNCTION tally_household_update()""",
    """CREATE OR REPLACE FUNCTION tally_household_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE relief_tally_household SET n = n - 1 WHERE (ward_id, status, residence) IN (SELECT OLD.ward_id, OLD.status, OLD.residence WHERE TRUE);
  UPDATE relief_tally_category SET n = n - 1 WHERE (ward_id, category_id) IN (SELECT OLD.ward_id, k.category_id FROM (SELECT category_id FROM households_household_categories WHERE household_id = OLD.id UNION ALL SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM households_household_categories WHERE household_id = OLD.id)) AS k WHERE OLD.status = 'approved');
  UPDATE relief_tally_served SET n = n - 1 WHERE (campaign_id, ward_id, residence) IN (SELECT c.campaign_id, OLD.ward_id, OLD.residence FROM (SELECT DISTINCT campaign_id FROM relief_distribution WHERE household_id = OLD.id AND cancelled_at IS NULL) AS c WHERE OLD.status = 'approved');
  UPDATE relief_tally_served_category SET n = n - 1 WHERE (campaign_id, ward_id, category_id) IN (SELECT c.campaign_id, OLD.ward_id, k.category_id FROM (SELECT DISTINCT campaign_id FROM relief_distribution WHERE household_id = OLD.id AND cancelled_at IS NULL) AS c, (SELECT category_id FROM households_household_categories WHERE household_id = OLD.id UNION ALL SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM households_household_categories WHERE household_id = OLD.id)) AS k WHERE OLD.status = 'approved');
  RETURN OLD;
END
$$""",
    """CREATE TRIGGER tally_household_delete AFTER DELETE ON households_household FOR EACH ROW EXECUTE FUNCTION tally_household_delete()""",
    """CREATE OR REPLACE FUNCTION tally_category_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM households_household WHERE id = NEW.household_id FOR UPDATE;
  INSERT INTO relief_tally_category (ward_id, category_id, n) SELECT h.ward_id, NEW.category_id, 1 FROM households_household h WHERE h.id = NEW.household_id AND h.status = 'approved' ON CONFLICT (ward_id, category_id) DO UPDATE SET n = relief_tally_category.n + excluded.n;
  UPDATE relief_tally_category SET n = n - 1 WHERE (ward_id, category_id) IN (SELECT h.ward_id, 0 FROM households_household h WHERE h.id = NEW.household_id AND h.status = 'approved' AND NOT EXISTS (SELECT 1 FROM households_household_categories o WHERE o.household_id = NEW.household_id AND o.id <> NEW.id));
  INSERT INTO relief_tally_served_category (campaign_id, ward_id, category_id, n) SELECT c.campaign_id, h.ward_id, NEW.category_id, 1 FROM households_household h, (SELECT DISTINCT campaign_id FROM relief_distribution WHERE household_id = NEW.household_id AND cancelled_at IS NULL) AS c WHERE h.id = NEW.household_id AND h.status = 'approved' ON CONFLICT (campaign_id, ward_id, category_id) DO UPDATE SET n = relief_tally_served_category.n + excluded.n;
  UPDATE relief_tally_served_category SET n = n - 1 WHERE (campaign_id, ward_id, category_id) IN (SELECT c.campaign_id, h.ward_id, 0 FROM households_household h, (SELECT DISTINCT campaign_id FROM relief_distribution WHERE household_id = NEW.household_id AND cancelled_at IS NULL) AS c WHERE h.id = NEW.household_id AND h.status = 'approved' AND NOT EXISTS (SELECT 1 FROM households_household_categories o WHERE o.household_id = NEW.household_id AND o.id <> NEW.id));
  RETURN NEW;
END
$$""",
    """CREATE TRIGGER tally_category_insert BEFORE INSERT ON households_household_categories FOR EACH ROW EXECUTE FUNCTION tally_category_insert()""",
    """CREATE OR REPLACE FUNCTION tally_category_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM 1 FROM households_household WHERE id = OLD.household_id FOR UPDATE;
  PERFORM 1 FROM households_household WHERE id = NEW.household_id FOR UPDATE;
  UPDATE relief_tally_category SET n = n - 1 WHERE (ward_id, category_id) IN (SELECT h.ward_id, OLD.category_id FROM households_household h WHERE h.id = OLD.household_id AND h.status = 'approved');
  INSERT INTO relief_tally_category (ward_id, category_id, n) SELECT h.ward_id, 0, 1 FROM households_household h WHERE h.id = OLD.household_id AND h.status = 'approved' AND NOT EXISTS (SELECT 1 FROM households_household_categories o WHERE o.household_id = OLD.household_id AND o.id <> OLD.id) ON CONFLICT (ward_id, category_id) DO UPDATE SET n = relief_tally_category.n + excluded.n;
  UPDATE relief_tally_served_category SET n = n - 1 WHERE (campaign_id, ward_id, category_id) IN (SELECT c.campaign_id, h.ward_id, OLD.category_id FROM households_household h, (SELECT DISTINCT campaign_id FROM relief_distribution WHERE household_id = OLD.household_id AND cancelled_at IS NULL) AS c WHERE h.id = OLD.household_id AND h.status = 'approved');
  INSERT INTO relief_tally_served_category (campaign_id, ward_id, category_id, n) SELECT c.campaign_id, h.ward_id, 0, 1 FROM households_household h, (SELECT DISTINCT campaign_id FROM relief_distribution WHERE household_id = OLD.household_id AND cancelled_at IS NULL) AS c WHERE h.id = OLD.household_id AND h.status = 'approved' AND NOT EXISTS (SELECT 1 FROM households_household_categories o WHERE o.household_id = OLD.household_id AND o.id <> OLD.id) ON CONFLICT (campaign_id, ward_id, category_id) DO UPDATE SET n = relief_tally_served_category.n + excluded.n;
  INSERT INTO relief_tally_category (ward_id, category_id, n) SELECT h.ward_id, NEW.category_id, 1 FROM households_household h WHERE h.id = NEW.household_id AND h.status = 'approved' ON CONFLICT (ward_id, category_id) DO UPDATE SET n = relief_tally_category.n + excluded.n;
  UPDATE relief_tally_category SET n = n - 1 WHERE (ward_id, category_id) IN (SELECT h.ward_id, 0 FROM households_household h WHERE h.id = NEW.household_id AND h.status = 'approved' AND NOT EXISTS (SELECT 1 FROM households_household_categories o WHERE o.household_id = NEW.household_id AND o.id <> NEW.id));
  INSERT INTO relief_tally_served_category (campaign_id, ward_id, category_id, n) SELECT c.campaign_id, h.ward_id, NEW.category_id, 1 FROM households_household h, (SELECT DISTINCT campaign_id FROM relief_distribution WHERE household_id = NEW.household_id AND cancelled_at IS NULL) AS c WHERE h.id = NEW.household_id AND h.status = 'approved' ON CONFLICT (campaign_id, ward_id, category_id) DO UPDATE SET n = relief_tally_served_category.n + excluded.n;
  UPDATE relief_tally_served_category SET n = n - 1 WHERE (campaign_id, ward_id, category_id) IN (SELECT c.campaign_id, h.ward_id, 0 FROM households_household h, (SELECT DISTINCT campaign_id FROM relief_distribution WHERE household_id = NEW.household_id AND cancelled_at IS NULL) AS c WHERE h.id = NEW.household_id AND h.status = 'approved' AND NOT EXISTS (SELECT 1 FROM households_household_categories o WHERE o.household_id = NEW.household_id AND o.id <> NEW.id));
  RETURN NEW;
END
$$""",
    """CREATE TRIGGER tally_category_update BEFORE UPDATE ON households_household_categories FOR EACH ROW WHEN (OLD.household_id IS DISTINCT FROM NEW.household_id OR OLD.category_id IS DISTINCT FROM NEW.category_id) EXECUTE FUNCTION tally_category_update()""",
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
    """CREATE TRIGGER tally_category_delete BEFORE DELETE ON households_household_categories FOR EACH ROW EXECUTE FUNCTION tally_category_delete()""",
    """CREATE OR REPLACE FUNCTION tally_hand_out_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM 1 FROM households_household WHERE id = NEW.household_id FOR UPDATE;
  INSERT INTO relief_tally_hand_out_day (campaign_id, ward_id, day, n) SELECT NEW.campaign_id, NEW.ward_id, ((NEW.handed_out_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date), 1 WHERE NEW.cancelled_at IS NULL ON CONFLICT (campaign_id, ward_id, day) DO UPDATE SET n = relief_tally_hand_out_day.n + excluded.n;
  INSERT INTO relief_tally_served (campaign_id, ward_id, residence, n) SELECT NEW.campaign_id, h.ward_id, h.residence, 1 FROM households_household h WHERE h.id = NEW.household_id AND h.status = 'approved' AND NEW.cancelled_at IS NULL AND NOT EXISTS (SELECT 1 FROM relief_distribution o WHERE o.household_id = NEW.household_id AND o.campaign_id = NEW.campaign_id AND o.cancelled_at IS NULL AND o.id <> NEW.id) ON CONFLICT (campaign_id, ward_id, residence) DO UPDATE SET n = relief_tally_served.n + excluded.n;
  INSERT INTO relief_tally_served_category (campaign_id, ward_id, category_id, n) SELECT NEW.campaign_id, h.ward_id, k.category_id, 1 FROM households_household h, (SELECT category_id FROM households_household_categories WHERE household_id = NEW.household_id UNION ALL SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM households_household_categories WHERE household_id = NEW.household_id)) AS k WHERE h.id = NEW.household_id AND h.status = 'approved' AND NEW.cancelled_at IS NULL AND NOT EXISTS (SELECT 1 FROM relief_distribution o WHERE o.household_id = NEW.household_id AND o.campaign_id = NEW.campaign_id AND o.cancelled_at IS NULL AND o.id <> NEW.id) ON CONFLICT (campaign_id, ward_id, category_id) DO UPDATE SET n = relief_tally_served_category.n + excluded.n;
  RETURN NEW;
END
$$""",
    """CREATE TRIGGER tally_hand_out_insert BEFORE INSERT ON relief_distribution FOR EACH ROW EXECUTE FUNCTION tally_hand_out_insert()""",
    """CREATE OR REPLACE FUNCTION tally_hand_out_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM 1 FROM households_household WHERE id = OLD.household_id FOR UPDATE;
  PERFORM 1 FROM households_household WHERE id = NEW.household_id FOR UPDATE;
  UPDATE relief_tally_hand_out_day SET n = n - 1 WHERE (campaign_id, ward_id, day) IN (SELECT OLD.campaign_id, OLD.ward_id, ((OLD.handed_out_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date) WHERE OLD.cancelled_at IS NULL);
  UPDATE relief_tally_served SET n = n - 1 WHERE (campaign_id, ward_id, residence) IN (SELECT OLD.campaign_id, h.ward_id, h.residence FROM households_household h WHERE h.id = OLD.household_id AND h.status = 'approved' AND OLD.cancelled_at IS NULL AND NOT EXISTS (SELECT 1 FROM relief_distribution o WHERE o.household_id = OLD.household_id AND o.campaign_id = OLD.campaign_id AND o.cancelled_at IS NULL AND o.id <> OLD.id));
  UPDATE relief_tally_served_category SET n = n - 1 WHERE (campaign_id, ward_id, category_id) IN (SELECT OLD.campaign_id, h.ward_id, k.category_id FROM households_household h, (SELECT category_id FROM households_household_categories WHERE household_id = OLD.household_id UNION ALL SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM households_household_categories WHERE household_id = OLD.household_id)) AS k WHERE h.id = OLD.household_id AND h.status = 'approved' AND OLD.cancelled_at IS NULL AND NOT EXISTS (SELECT 1 FROM relief_distribution o WHERE o.household_id = OLD.household_id AND o.campaign_id = OLD.campaign_id AND o.cancelled_at IS NULL AND o.id <> OLD.id));
  INSERT INTO relief_tally_hand_out_day (campaign_id, ward_id, day, n) SELECT NEW.campaign_id, NEW.ward_id, ((NEW.handed_out_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date), 1 WHERE NEW.cancelled_at IS NULL ON CONFLICT (campaign_id, ward_id, day) DO UPDATE SET n = relief_tally_hand_out_day.n + excluded.n;
  INSERT INTO relief_tally_served (campaign_id, ward_id, residence, n) SELECT NEW.campaign_id, h.ward_id, h.residence, 1 FROM households_household h WHERE h.id = NEW.household_id AND h.status = 'approved' AND NEW.cancelled_at IS NULL AND NOT EXISTS (SELECT 1 FROM relief_distribution o WHERE o.household_id = NEW.household_id AND o.campaign_id = NEW.campaign_id AND o.cancelled_at IS NULL AND o.id <> NEW.id) ON CONFLICT (campaign_id, ward_id, residence) DO UPDATE SET n = relief_tally_served.n + excluded.n;
  INSERT INTO relief_tally_served_category (campaign_id, ward_id, category_id, n) SELECT NEW.campaign_id, h.ward_id, k.category_id, 1 FROM households_household h, (SELECT category_id FROM households_household_categories WHERE household_id = NEW.household_id UNION ALL SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM households_household_categories WHERE household_id = NEW.household_id)) AS k WHERE h.id = NEW.household_id AND h.status = 'approved' AND NEW.cancelled_at IS NULL AND NOT EXISTS (SELECT 1 FROM relief_distribution o WHERE o.household_id = NEW.household_id AND o.campaign_id = NEW.campaign_id AND o.cancelled_at IS NULL AND o.id <> NEW.id) ON CONFLICT (campaign_id, ward_id, category_id) DO UPDATE SET n = relief_tally_served_category.n + excluded.n;
  RETURN NEW;
END
$$""",
    """CREATE TRIGGER tally_hand_out_update BEFORE UPDATE ON relief_distribution FOR EACH ROW WHEN (OLD.household_id IS DISTINCT FROM NEW.household_id OR OLD.campaign_id IS DISTINCT FROM NEW.campaign_id OR OLD.ward_id IS DISTINCT FROM NEW.ward_id OR OLD.handed_out_at IS DISTINCT FROM NEW.handed_out_at OR (OLD.cancelled_at IS NULL) <> (NEW.cancelled_at IS NULL)) EXECUTE FUNCTION tally_hand_out_update()""",
    """CREATE OR REPLACE FUNCTION tally_hand_out_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM 1 FROM households_household WHERE id = OLD.household_id FOR UPDATE;
  UPDATE relief_tally_hand_out_day SET n = n - 1 WHERE (campaign_id, ward_id, day) IN (SELECT OLD.campaign_id, OLD.ward_id, ((OLD.handed_out_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date) WHERE OLD.cancelled_at IS NULL);
  UPDATE relief_tally_served SET n = n - 1 WHERE (campaign_id, ward_id, residence) IN (SELECT OLD.campaign_id, h.ward_id, h.residence FROM households_household h WHERE h.id = OLD.household_id AND h.status = 'approved' AND OLD.cancelled_at IS NULL AND NOT EXISTS (SELECT 1 FROM relief_distribution o WHERE o.household_id = OLD.household_id AND o.campaign_id = OLD.campaign_id AND o.cancelled_at IS NULL AND o.id <> OLD.id));
  UPDATE relief_tally_served_category SET n = n - 1 WHERE (campaign_id, ward_id, category_id) IN (SELECT OLD.campaign_id, h.ward_id, k.category_id FROM households_household h, (SELECT category_id FROM households_household_categories WHERE household_id = OLD.household_id UNION ALL SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM households_household_categories WHERE household_id = OLD.household_id)) AS k WHERE h.id = OLD.household_id AND h.status = 'approved' AND OLD.cancelled_at IS NULL AND NOT EXISTS (SELECT 1 FROM relief_distribution o WHERE o.household_id = OLD.household_id AND o.campaign_id = OLD.campaign_id AND o.cancelled_at IS NULL AND o.id <> OLD.id));
  RETURN OLD;
END
$$""",
    """CREATE TRIGGER tally_hand_out_delete BEFORE DELETE ON relief_distribution FOR EACH ROW EXECUTE FUNCTION tally_hand_out_delete()""",
]

SQLITE_REFILL = [
    """DELETE FROM relief_tally_bag""",
    """DELETE FROM relief_tally_household""",
    """DELETE FROM relief_tally_category""",
    """DELETE FROM relief_tally_served""",
    """DELETE FROM relief_tally_served_category""",
    """DELETE FROM relief_tally_hand_out_day""",
    """INSERT INTO relief_tally_bag (campaign_id, ward_id, state, source, unfunded, n) SELECT campaign_id, COALESCE(ward_id, 0), state, source, unfunded, COUNT(*) FROM relief_bag GROUP BY campaign_id, COALESCE(ward_id, 0), state, source, unfunded""",
    """INSERT INTO relief_tally_household (ward_id, status, residence, n) SELECT ward_id, status, residence, COUNT(*) FROM households_household GROUP BY ward_id, status, residence""",
    """INSERT INTO relief_tally_category (ward_id, category_id, n) SELECT h.ward_id, COALESCE(k.category_id, 0), COUNT(*) FROM households_household h LEFT JOIN households_household_categories k ON k.household_id = h.id WHERE h.status = 'approved' GROUP BY h.ward_id, COALESCE(k.category_id, 0)""",
    """INSERT INTO relief_tally_served (campaign_id, ward_id, residence, n) SELECT s.campaign_id, h.ward_id, h.residence, COUNT(*) FROM (SELECT DISTINCT campaign_id, household_id FROM relief_distribution WHERE cancelled_at IS NULL) AS s JOIN households_household h ON h.id = s.household_id AND h.status = 'approved' GROUP BY s.campaign_id, h.ward_id, h.residence""",
    """INSERT INTO relief_tally_served_category (campaign_id, ward_id, category_id, n) SELECT s.campaign_id, h.ward_id, COALESCE(k.category_id, 0), COUNT(*) FROM (SELECT DISTINCT campaign_id, household_id FROM relief_distribution WHERE cancelled_at IS NULL) AS s JOIN households_household h ON h.id = s.household_id AND h.status = 'approved' LEFT JOIN households_household_categories k ON k.household_id = h.id GROUP BY s.campaign_id, h.ward_id, COALESCE(k.category_id, 0)""",
    """INSERT INTO relief_tally_hand_out_day (campaign_id, ward_id, day, n) SELECT d.campaign_id, d.ward_id, date(d.handed_out_at, '+7 hours'), COUNT(*) FROM relief_distribution d WHERE d.cancelled_at IS NULL GROUP BY d.campaign_id, d.ward_id, date(d.handed_out_at, '+7 hours')""",
]

POSTGRESQL_REFILL = [
    """DELETE FROM relief_tally_bag""",
    """DELETE FROM relief_tally_household""",
    """DELETE FROM relief_tally_category""",
    """DELETE FROM relief_tally_served""",
    """DELETE FROM relief_tally_served_category""",
    """DELETE FROM relief_tally_hand_out_day""",
    """INSERT INTO relief_tally_bag (campaign_id, ward_id, state, source, unfunded, n) SELECT campaign_id, COALESCE(ward_id, 0), state, source, unfunded, COUNT(*) FROM relief_bag GROUP BY campaign_id, COALESCE(ward_id, 0), state, source, unfunded""",
    """INSERT INTO relief_tally_household (ward_id, status, residence, n) SELECT ward_id, status, residence, COUNT(*) FROM households_household GROUP BY ward_id, status, residence""",
    """INSERT INTO relief_tally_category (ward_id, category_id, n) SELECT h.ward_id, COALESCE(k.category_id, 0), COUNT(*) FROM households_household h LEFT JOIN households_household_categories k ON k.household_id = h.id WHERE h.status = 'approved' GROUP BY h.ward_id, COALESCE(k.category_id, 0)""",
    """INSERT INTO relief_tally_served (campaign_id, ward_id, residence, n) SELECT s.campaign_id, h.ward_id, h.residence, COUNT(*) FROM (SELECT DISTINCT campaign_id, household_id FROM relief_distribution WHERE cancelled_at IS NULL) AS s JOIN households_household h ON h.id = s.household_id AND h.status = 'approved' GROUP BY s.campaign_id, h.ward_id, h.residence""",
    """INSERT INTO relief_tally_served_category (campaign_id, ward_id, category_id, n) SELECT s.campaign_id, h.ward_id, COALESCE(k.category_id, 0), COUNT(*) FROM (SELECT DISTINCT campaign_id, household_id FROM relief_distribution WHERE cancelled_at IS NULL) AS s JOIN households_household h ON h.id = s.household_id AND h.status = 'approved' LEFT JOIN households_household_categories k ON k.household_id = h.id GROUP BY s.campaign_id, h.ward_id, COALESCE(k.category_id, 0)""",
    """INSERT INTO relief_tally_hand_out_day (campaign_id, ward_id, day, n) SELECT d.campaign_id, d.ward_id, ((d.handed_out_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date), COUNT(*) FROM relief_distribution d WHERE d.cancelled_at IS NULL GROUP BY d.campaign_id, d.ward_id, ((d.handed_out_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date)""",
]

SQLITE_DROP = [
    """DROP TRIGGER IF EXISTS tally_bag_insert""",
    """DROP TRIGGER IF EXISTS tally_bag_update""",
    """DROP TRIGGER IF EXISTS tally_bag_delete""",
    """DROP TRIGGER IF EXISTS tally_household_insert""",
    """DROP TRIGGER IF EXISTS tally_household_update""",
    """DROP TRIGGER IF EXISTS tally_household_delete""",
    """DROP TRIGGER IF EXISTS tally_category_insert""",
    """DROP TRIGGER IF EXISTS tally_category_update""",
    """DROP TRIGGER IF EXISTS tally_category_delete""",
    """DROP TRIGGER IF EXISTS tally_hand_out_insert""",
    """DROP TRIGGER IF EXISTS tally_hand_out_update""",
    """DROP TRIGGER IF EXISTS tally_hand_out_delete""",
]

POSTGRESQL_DROP = [
    """DROP TRIGGER IF EXISTS tally_bag_insert ON relief_bag""",
    """DROP FUNCTION IF EXISTS tally_bag_insert()""",
    """DROP TRIGGER IF EXISTS tally_bag_update ON relief_bag""",
    """DROP FUNCTION IF EXISTS tally_bag_update()""",
    """DROP TRIGGER IF EXISTS tally_bag_delete ON relief_bag""",
    """DROP FUNCTION IF EXISTS tally_bag_delete()""",
    """DROP TRIGGER IF EXISTS tally_household_insert ON households_household""",
    """DROP FUNCTION IF EXISTS tally_household_insert()""",
    """DROP TRIGGER IF EXISTS tally_household_update ON households_household""",
    """DROP FUNCTION IF EXISTS tally_household_update()""",
    """DROP TRIGGER IF EXISTS tally_household_delete ON households_household""",
    """DROP FUNCTION IF EXISTS tally_household_delete()""",
    """DROP TRIGGER IF EXISTS tally_category_insert ON households_household_categories""",
    """DROP FUNCTION IF EXISTS tally_category_insert()""",
    """DROP TRIGGER IF EXISTS tally_category_update ON households_household_categories""",
    """DROP FUNCTION IF EXISTS tally_category_update()""",
    """DROP TRIGGER IF EXISTS tally_category_delete ON households_household_categories""",
    """DROP FUNCTION IF EXISTS tally_category_delete()""",
    """DROP TRIGGER IF EXISTS tally_hand_out_insert ON relief_distribution""",
    """DROP FUNCTION IF EXISTS tally_hand_out_insert()""",
    """DROP TRIGGER IF EXISTS tally_hand_out_update ON relief_distribution""",
    """DROP FUNCTION IF EXISTS tally_hand_out_update()""",
    """DROP TRIGGER IF EXISTS tally_hand_out_delete ON relief_distribution""",
    """DROP FUNCTION IF EXISTS tally_hand_out_delete()""",
]


SQL = {
    "sqlite": (SQLITE_TRIGGERS + SQLITE_REFILL, SQLITE_DROP),
    "postgresql": (POSTGRESQL_TRIGGERS + POSTGRESQL_REFILL, POSTGRESQL_DROP),
}


def create_triggers_and_fill(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(f"LOCK TABLE {COUNTED_TABLES} IN SHARE MODE")
    for statement in SQL[vendor][0]:
        schema_editor.execute(statement)
    if vendor == "postgresql":  # statistics for the planner, so it reads the small tallies by their keys
        schema_editor.execute(f"ANALYZE {TALLY_TABLES}")


def drop_triggers(apps, schema_editor):
    for statement in SQL[schema_editor.connection.vendor][1]:
        schema_editor.execute(statement)


class Migration(migrations.Migration):

    dependencies = [
        ('relief', '0004_money_and_hand_out_history_append_only'),
        ('households', '0004_personal_data_view'),
    ]

    operations = [
        migrations.CreateModel(
            name='BagTally',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('n', models.BigIntegerField(default=0, verbose_name='số lượng')),
                ('campaign_id', models.IntegerField()),
                ('ward_id', models.IntegerField()),
                ('state', models.CharField(max_length=12)),
                ('source', models.CharField(max_length=10)),
                ('unfunded', models.BooleanField()),
            ],
            options={
                'verbose_name': 'bộ đếm túi',
                'verbose_name_plural': 'bộ đếm túi',
                'db_table': 'relief_tally_bag',
                'constraints': [models.UniqueConstraint(fields=('campaign_id', 'ward_id', 'state', 'source', 'unfunded'), name='relief_tally_bag_key'), models.CheckConstraint(condition=models.Q(('n__gte', 0)), name='relief_tally_bag_not_negative')],
            },
        ),
        migrations.CreateModel(
            name='CategoryTally',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('n', models.BigIntegerField(default=0, verbose_name='số lượng')),
                ('ward_id', models.IntegerField()),
                ('category_id', models.IntegerField()),
            ],
            options={
                'verbose_name': 'bộ đếm hộ theo diện',
                'verbose_name_plural': 'bộ đếm hộ theo diện',
                'db_table': 'relief_tally_category',
                'constraints': [models.UniqueConstraint(fields=('ward_id', 'category_id'), name='relief_tally_category_key'), models.CheckConstraint(condition=models.Q(('n__gte', 0)), name='relief_tally_category_not_negative')],
            },
        ),
        migrations.CreateModel(
            name='HandOutDayTally',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('n', models.BigIntegerField(default=0, verbose_name='số lượng')),
                ('campaign_id', models.IntegerField()),
                ('ward_id', models.IntegerField()),
                ('day', models.DateField()),
            ],
            options={
                'verbose_name': 'bộ đếm lượt trao theo ngày',
                'verbose_name_plural': 'bộ đếm lượt trao theo ngày',
                'db_table': 'relief_tally_hand_out_day',
                'constraints': [models.UniqueConstraint(fields=('campaign_id', 'ward_id', 'day'), name='relief_tally_hand_out_day_key'), models.CheckConstraint(condition=models.Q(('n__gte', 0)), name='relief_tally_hand_out_day_not_negative')],
            },
        ),
        migrations.CreateModel(
            name='HouseholdTally',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('n', models.BigIntegerField(default=0, verbose_name='số lượng')),
                ('ward_id', models.IntegerField()),
                ('status', models.CharField(max_length=10)),
                ('residence', models.CharField(max_length=20)),
            ],
            options={
                'verbose_name': 'bộ đếm hộ',
                'verbose_name_plural': 'bộ đếm hộ',
                'db_table': 'relief_tally_household',
                'constraints': [models.UniqueConstraint(fields=('ward_id', 'status', 'residence'), name='relief_tally_household_key'), models.CheckConstraint(condition=models.Q(('n__gte', 0)), name='relief_tally_household_not_negative')],
            },
        ),
        migrations.CreateModel(
            name='ServedCategoryTally',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('n', models.BigIntegerField(default=0, verbose_name='số lượng')),
                ('campaign_id', models.IntegerField()),
                ('ward_id', models.IntegerField()),
                ('category_id', models.IntegerField()),
            ],
            options={
                'verbose_name': 'bộ đếm hộ đã nhận theo diện',
                'verbose_name_plural': 'bộ đếm hộ đã nhận theo diện',
                'db_table': 'relief_tally_served_category',
                'constraints': [models.UniqueConstraint(fields=('campaign_id', 'ward_id', 'category_id'), name='relief_tally_served_category_key'), models.CheckConstraint(condition=models.Q(('n__gte', 0)), name='relief_tally_served_category_not_negative')],
            },
        ),
        migrations.CreateModel(
            name='ServedTally',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('n', models.BigIntegerField(default=0, verbose_name='số lượng')),
                ('campaign_id', models.IntegerField()),
                ('ward_id', models.IntegerField()),
                ('residence', models.CharField(max_length=20)),
            ],
            options={
                'verbose_name': 'bộ đếm hộ đã nhận',
                'verbose_name_plural': 'bộ đếm hộ đã nhận',
                'db_table': 'relief_tally_served',
                'constraints': [models.UniqueConstraint(fields=('campaign_id', 'ward_id', 'residence'), name='relief_tally_served_key'), models.CheckConstraint(condition=models.Q(('n__gte', 0)), name='relief_tally_served_not_negative')],
            },
        ),
        migrations.RunPython(create_triggers_and_fill, drop_triggers),
    ]
