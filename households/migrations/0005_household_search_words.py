"""Household search as an index lookup on PostgreSQL, however common the name (SQLite migrates past it unchanged).

Search matches the typed text, folded, at the start of a word of a household's folded name or address
(``HouseholdQuerySet.search``). The trigram indexes of ``relief`` 0002 answered ``LIKE '%nguyen van an%'`` by
reading the posting lists of a dozen of the city's most common trigrams (~30 ms per column, twice per page).
Here every word suffix of the name and the address ("nguyen van an", "van an", "an", "12 tran hung dao", …) is a
lexeme of the ``tsvector`` column ``search_words``, and a GIN index holds them; a search is the prefix query
``'nguyen van an':*``, which reads only the lexemes that start with the typed text: 606 households of a million,
not the 370,000 called Nguyễn.

The column is generated and stored by PostgreSQL (``household_search_words``, IMMUTABLE: it reads nothing but its
arguments), so every insert and update keeps it right without Python, and the model does not declare it: Django
never reads it, only ``WordStartMatch`` names it. Stored rather than computed in the index alone because a common
word ("nguyen", "an") is cheaper to check row by row along the name order than to gather from the index, and the
planner only walks that way when the check is cheap and ANALYZE has statistics of the column.

Adding the column rewrites the table under an exclusive lock (about a minute for a million households); the
index is then built CONCURRENTLY (hence ``atomic = False``). A later change of ``name_key`` or ``address_key``'s
type must drop the column first: PostgreSQL refuses to alter a column a generated column reads.
"""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION household_search_words(name_key text, address_key text) RETURNS tsvector
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
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
        "ALTER TABLE households_household ADD COLUMN IF NOT EXISTS search_words tsvector "
        "GENERATED ALWAYS AS (household_search_words(name_key, address_key)) STORED"
    )
    schema_editor.execute(f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {INDEX} ON households_household USING gin (search_words)")
    schema_editor.execute("ANALYZE households_household")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {INDEX}")
    schema_editor.execute("ALTER TABLE households_household DROP COLUMN IF EXISTS search_words")
    schema_editor.execute("DROP FUNCTION IF EXISTS household_search_words(text, text)")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("households", "0004_personal_data_view")]

    operations = [migrations.RunPython(create, drop)]
