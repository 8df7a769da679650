from django.db import migrations

# What a search reads on PostgreSQL, kept small.
#
# The vector in the row: PostgreSQL moves a row's largest values out to its TOAST table
# when the row passes about 2 kB, and the search vector was the one it chose, so a search
# fetched it back for each of its candidates, once to match and again to rank. STORAGE
# MAIN keeps the vector in the row unless the row can't fit a page, and sends the plain
# text of the body (read only for the snippets of a page of results) out instead.
#
# No pending list: by default a GIN index gathers new entries in an unsorted list, up to
# 4 MB, that every search reads through until a vacuum merges it. An article's save now
# writes its words into the index itself, which costs it under a millisecond.
#
# SQLite has neither: its FTS5 table is untouched.

REWRITE = (
    # A concatenated vector is a new value, stored as the column now says; an unchanged
    # one would keep its place in the TOAST table.
    "UPDATE articles_article SET search_vector = search_vector || ''::tsvector "
    "WHERE search_vector IS NOT NULL"
)


def read_less(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "ALTER TABLE articles_article ALTER COLUMN search_vector SET STORAGE MAIN"
        )
        schema_editor.execute(REWRITE)
        schema_editor.execute("ALTER INDEX article_search_idx SET (fastupdate = off)")
        schema_editor.execute("SELECT gin_clean_pending_list('article_search_idx')")


def read_as_before(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER INDEX article_search_idx RESET (fastupdate)")
        schema_editor.execute(
            "ALTER TABLE articles_article ALTER COLUMN search_vector SET STORAGE EXTENDED"
        )
        schema_editor.execute(REWRITE)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0012_unsaved_changes"),
    ]

    operations = [
        migrations.RunPython(read_less, read_as_before),
    ]
