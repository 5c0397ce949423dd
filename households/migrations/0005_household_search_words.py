"""Household search as an index lookup on PostgreSQL, however common the name (SQLite migrates past it unchanged).

Search matches the typed text, folded, at the start of a word of a household's folded name or address
(``HouseholdQuerySet.search``). The trigram indexes of ``relief`` 0002 answered ``LIKE '%nguyen van an%'`` by
reading the posting lists of a dozen of the city's most common trigrams (~30 ms per column, twice per page).
Here every word suffix of the name and the address ("nguyen van an", "van an", "an", "12 tran hung dao", …) is a
lexeme of a ``tsvector`` and a GIN index holds them; a search is the prefix query ``'nguyen van an':*``, which reads
only the lexemes that start with the typed text: 606 households of a million, not the 370,000 called Nguyễn.

``household_search_words`` is IMMUTABLE (it reads nothing but its arguments), as an index expression must be, and
costed high so the planner prefers the index to calling it row by row. Built CONCURRENTLY (hence ``atomic =
False``), so a live database keeps registering households while it builds (about 25 s for a million).
"""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION household_search_words(name_key text, address_key text) RETURNS tsvector
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE COST 1000 AS $$
  SELECT coalesce(array_to_tsvector(array_agg(array_to_string(t.words[i:], ' '))), ''::tsvector)
  FROM (VALUES (string_to_array(name_key, ' ')), (string_to_array(address_key, ' '))) AS t(words)
  CROSS JOIN LATERAL generate_subscripts(t.words, 1) AS i
  WHERE t.words[i] <> ''
$$
"""
INDEX = "household_search_words_gin"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION)
    schema_editor.execute(
        f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {INDEX} ON households_household "
        "USING gin (household_search_words(name_key, address_key))"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {INDEX}")
    schema_editor.execute("DROP FUNCTION IF EXISTS household_search_words(text, text)")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("households", "0004_personal_data_view")]

    operations = [migrations.RunPython(create, drop)]
