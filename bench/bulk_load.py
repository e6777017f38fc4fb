"""What the benches share for their bulk loads."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def drop_indexes(connection: Any, tables: Sequence[str]) -> list[str]:
    """Drop these tables' secondary indexes for a bulk load; returns the SQL that makes them
    again (the unique keys and constraints stay)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            slots = ", ".join("%s" for _ in tables)
            sql = (
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "  # noqa: S608
                f"AND tbl_name IN ({slots})"
            )
            cursor.execute(sql, list(tables))
        else:
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s) "
                "AND indexname NOT IN (SELECT conname FROM pg_constraint)",
                [list(tables)],
            )
        found = cursor.fetchall()
        for name, _ in found:
            cursor.execute(f'DROP INDEX "{name}"')
    return [sql for _, sql in found]
