"""The household and category INSERT triggers of the tallies stand aside while a transaction has set
``ansinh.tallies_deferred`` (PostgreSQL): an import then counts its new households set-based
(``households.tallies.households_counted_together`` and ``add_households``). The functions are replaced in place;
going back restores them as 0005 made them."""

from django.db import migrations

DEFERRABLE_FUNCTIONS = [
    """CREATE OR REPLACE FUNCTION tally_household_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('ansinh.tallies_deferred', true) = 'on' THEN RETURN NEW; END IF;
  INSERT INTO relief_tally_household (ward_id, status, residence, n) SELECT NEW.ward_id, NEW.status, NEW.residence, 1 WHERE TRUE ON CONFLICT (ward_id, status, residence) DO UPDATE SET n = relief_tally_household.n + excluded.n;
  INSERT INTO relief_tally_category (ward_id, category_id, n) SELECT NEW.ward_id, k.category_id, 1 FROM (SELECT category_id FROM households_household_categories WHERE household_id = NEW.id UNION ALL SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM households_household_categories WHERE household_id = NEW.id)) AS k WHERE NEW.status = 'approved' ON CONFLICT (ward_id, category_id) DO UPDATE SET n = relief_tally_category.n + excluded.n;
  INSERT INTO relief_tally_served (campaign_id, ward_id, residence, n) SELECT c.campaign_id, NEW.ward_id, NEW.residence, 1 FROM (SELECT DISTINCT campaign_id FROM relief_distribution WHERE household_id = NEW.id AND cancelled_at IS NULL) AS c WHERE NEW.status = 'approved' ON CONFLICT (campaign_id, ward_id, residence) DO UPDATE SET n = relief_tally_served.n + excluded.n;
  INSERT INTO relief_tally_served_category (campaign_id, ward_id, category_id, n) SELECT c.campaign_id, NEW.ward_id, k.category_id, 1 FROM (SELECT DISTINCT campaign_id FROM relief_distribution WHERE household_id = NEW.id AND cancelled_at IS NULL) AS c, (SELECT category_id FROM households_household_categories WHERE household_id = NEW.id UNION ALL SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM households_household_categories WHERE household_id = NEW.id)) AS k WHERE NEW.status = 'approved' ON CONFLICT (campaign_id, ward_id, category_id) DO UPDATE SET n = relief_tally_served_category.n + excluded.n;
  RETURN NEW;
END
$$""",
    """CREATE OR REPLACE FUNCTION tally_category_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('ansinh.tallies_deferred', true) = 'on' THEN RETURN NEW; END IF;
  PERFORM 1 FROM households_household WHERE id = NEW.household_id FOR UPDATE;
  INSERT INTO relief_tally_category (ward_id, category_id, n) SELECT h.ward_id, NEW.category_id, 1 FROM households_household h WHERE h.id = NEW.household_id AND h.status = 'approved' ON CONFLICT (ward_id, category_id) DO UPDATE SET n = relief_tally_category.n + excluded.n;
  UPDATE relief_tally_category SET n = n - 1 WHERE (ward_id, category_id) IN (SELECT h.ward_id, 0 FROM households_household h WHERE h.id = NEW.household_id AND h.status = 'approved' AND NOT EXISTS (SELECT 1 FROM households_household_categories o WHERE o.household_id = NEW.household_id AND o.id <> NEW.id));
  INSERT INTO relief_tally_served_category (campaign_id, ward_id, category_id, n) SELECT c.campaign_id, h.ward_id, NEW.category_id, 1 FROM households_household h, (SELECT DISTINCT campaign_id FROM relief_distribution WHERE household_id = NEW.household_id AND cancelled_at IS NULL) AS c WHERE h.id = NEW.household_id AND h.status = 'approved' ON CONFLICT (campaign_id, ward_id, category_id) DO UPDATE SET n = relief_tally_served_category.n + excluded.n;
  UPDATE relief_tally_served_category SET n = n - 1 WHERE (campaign_id, ward_id, category_id) IN (SELECT c.campaign_id, h.ward_id, 0 FROM households_household h, (SELECT DISTINCT campaign_id FROM relief_distribution WHERE household_id = NEW.household_id AND cancelled_at IS NULL) AS c WHERE h.id = NEW.household_id AND h.status = 'approved' AND NOT EXISTS (SELECT 1 FROM households_household_categories o WHERE o.household_id = NEW.household_id AND o.id <> NEW.id));
  RETURN NEW;
END
$$""",
]

FUNCTIONS_BEFORE = [
    """CREATE OR REPLACE FUNCTION tally_household_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO relief_tally_household (ward_id, status, residence, n) SELECT NEW.ward_id, NEW.status, NEW.residence, 1 WHERE TRUE ON CONFLICT (ward_id, status, residence) DO UPDATE SET n = relief_tally_household.n + excluded.n;
  INSERT INTO relief_tally_category (ward_id, category_id, n) SELECT NEW.ward_id, k.category_id, 1 FROM (SELECT category_id FROM households_household_categories WHERE household_id = NEW.id UNION ALL SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM households_household_categories WHERE household_id = NEW.id)) AS k WHERE NEW.status = 'approved' ON CONFLICT (ward_id, category_id) DO UPDATE SET n = relief_tally_category.n + excluded.n;
  INSERT INTO relief_tally_served (campaign_id, ward_id, residence, n) SELECT c.campaign_id, NEW.ward_id, NEW.residence, 1 FROM (SELECT DISTINCT campaign_id FROM relief_distribution WHERE household_id = NEW.id AND cancelled_at IS NULL) AS c WHERE NEW.status = 'approved' ON CONFLICT (campaign_id, ward_id, residence) DO UPDATE SET n = relief_tally_served.n + excluded.n;
  INSERT INTO relief_tally_served_category (campaign_id, ward_id, category_id, n) SELECT c.campaign_id, NEW.ward_id, k.category_id, 1 FROM (SELECT DISTINCT campaign_id FROM relief_distribution WHERE household_id = NEW.id AND cancelled_at IS NULL) AS c, (SELECT category_id FROM households_household_categories WHERE household_id = NEW.id UNION ALL SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM households_household_categories WHERE household_id = NEW.id)) AS k WHERE NEW.status = 'approved' ON CONFLICT (campaign_id, ward_id, category_id) DO UPDATE SET n = relief_tally_served_category.n + excluded.n;
  RETURN NEW;
END
$$""",
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
]


def replace(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in DEFERRABLE_FUNCTIONS:
            schema_editor.execute(statement)


def restore(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in FUNCTIONS_BEFORE:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("relief", "0006_drop_household_trigram_indexes")]

    operations = [migrations.RunPython(replace, restore)]
