"""Find a string anywhere in the database: every text, varchar and json column of every table."""

from django.db import connection

TEXT_TYPES = ("text", "character varying", "character", "json", "jsonb")


def text_columns() -> list[tuple[str, str]]:
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.table_name, c.column_name
            FROM information_schema.columns c
            JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
            WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE' AND c.data_type = ANY(%s)
            ORDER BY c.table_name, c.column_name
            """,
            [list(TEXT_TYPES)],
        )
        return cursor.fetchall()


def places_containing(needle: str) -> list[str]:
    """ "table.column" for every column where some row contains ``needle`` (case-insensitive)."""
    found = []
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table, column in text_columns():
            cursor.execute(
                f"SELECT 1 FROM {quote(table)} WHERE {quote(column)}::text ILIKE %s LIMIT 1",  # noqa: S608 - names from the catalogue
                [f"%{needle}%"],
            )
            if cursor.fetchone():
                found.append(f"{table}.{column}")
    return found
