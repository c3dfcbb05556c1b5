"""The analysed words of each indexed page, in the form each database searches fast."""

from django.db import migrations

SQLITE = [
    # Positions are not kept (detail=column): queries match words, not phrases, and the index stays small.
    """CREATE VIRTUAL TABLE search_text USING fts5(
        title, body, document, tokenize="unicode61 remove_diacritics 0", detail=column)""",
]
SQLITE_REVERSE = ["DROP TABLE IF EXISTS search_text"]

POSTGRESQL = [
    # terms: every word of the page, for matching; head_terms: its title and body; title_terms: its title.
    # Plain lexemes, no positions: queries match words, and the vectors stay small.
    """ALTER TABLE search_indexentry
        ADD COLUMN terms tsvector NOT NULL DEFAULT '',
        ADD COLUMN head_terms tsvector NOT NULL DEFAULT '',
        ADD COLUMN title_terms tsvector NOT NULL DEFAULT ''""",
    "CREATE INDEX search_indexentry_terms ON search_indexentry USING gin (terms)",
    "CREATE INDEX search_indexentry_head_terms ON search_indexentry USING gin (head_terms)",
    "CREATE INDEX search_indexentry_title_terms ON search_indexentry USING gin (title_terms)",
    # Vectors and texts move out of the row: the rows a search reads stay narrow.
    "ALTER TABLE search_indexentry SET (toast_tuple_target = 128)",
]
POSTGRESQL_REVERSE = [
    "ALTER TABLE search_indexentry DROP COLUMN terms, DROP COLUMN head_terms, DROP COLUMN title_terms",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRESQL}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE}),
        ),
    ]
