"""Moving a whole store between backends (SQLite ⇄ PostgreSQL) without loss, and proving it.

``copy_store(src, dst)`` copies every table of the schema, row by row, into an
empty destination in one transaction, then counts and checksums every table on
both sides before it commits: a difference rolls the whole copy back, so the
destination is either a verified copy or untouched.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import StoreError
from . import is_postgres, open_store
from .sqlite import MIGRATIONS

TABLES = [name for script in MIGRATIONS for name in re.findall(r"CREATE TABLE (\w+)", script)]
"""Every table, in the order the migrations create them: a table's parents come before it."""
KEYS = {"mentions": "entity_id, article_id", "analyses": "article_id", "story_members": "article_id"}
KEYS |= {"failures": "article_id", "vectors": "key", "recognised": "key", "briefs": "key"}
CHUNK = 1000


@dataclass(frozen=True, slots=True)
class TableCheck:
    """One table's row counts on both sides and the checksum of its rows."""

    table: str
    source_rows: int
    copied_rows: int
    source_sum: str
    copied_sum: str

    @property
    def same(self) -> bool:
        return self.source_rows == self.copied_rows and self.source_sum == self.copied_sum

    def to_dict(self) -> dict:
        return {
            "table": self.table,
            "source_rows": self.source_rows,
            "copied_rows": self.copied_rows,
            "source_checksum": self.source_sum,
            "copied_checksum": self.copied_sum,
            "same": self.same,
        }


def copy_store(source: str, target: str) -> list[TableCheck]:
    """Copy the store at ``source`` into the empty store at ``target``; return each table's check.

    Raises ``StoreError`` (and leaves ``target`` as it was) when the target
    holds data, a row cannot be written there, or a table's count or checksum
    differs after the copy.

    Example:
        >>> checks = copy_store(":memory:", ":memory:")
        >>> [c.table for c in checks][:3], all(c.same for c in checks)
        (['articles', 'analyses', 'entities'], True)
    """
    if source == target and source != ":memory:":
        raise StoreError("the source and the destination are the same store; give another DST", item=target)
    if not is_postgres(source) and source != ":memory:" and not Path(source.removeprefix("sqlite:///")).is_file():
        raise StoreError("no SQLite store at this path; check SRC (a file path or a postgresql:// URL)", item=source)
    src, dst = open_store(source), open_store(target)
    try:
        filled = {t: n for t in TABLES if (n := _count(dst, t))}
        if filled:
            held = ", ".join(f"{n} {t}" for t, n in filled.items())
            raise StoreError(f"the destination already holds data ({held}); copy into a new, empty store", item=target)
        with dst._transaction():
            for table in TABLES:
                _copy_table(src, dst, table, target)
            checks = [TableCheck(t, _count(src, t), _count(dst, t), checksum(src, t), checksum(dst, t)) for t in TABLES]
            wrong = [c.table for c in checks if not c.same]
            if wrong:
                raise StoreError(
                    f"the copy differs from the source in {', '.join(wrong)}; nothing was written. Please report "
                    "this as a bug",
                    item=target,
                )
        return checks
    finally:
        src.close()
        dst.close()


def _copy_table(src, dst, table: str, target: str) -> None:
    columns, rows = _rows(src, table)
    if not columns:
        return
    insert = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(['?'] * len(columns))})"
    chunk: list[tuple] = []
    for row in [*rows, None]:
        if row is not None:
            chunk.append(row)
        if chunk and (row is None or len(chunk) >= CHUNK):
            try:
                dst.db.executemany(insert, chunk)
            except Exception as exc:
                raise StoreError(
                    f"cannot write a row of {table} (key {chunk[0][0]!r} or one of the {len(chunk) - 1} after it): "
                    f"{str(exc).splitlines()[0]}; nothing was written. Fix that row in the source and copy again",
                    item=target,
                ) from None
            chunk = []


def checksum(store, table: str) -> str:
    """SHA-256 of a table's rows, independent of their order and of the backend's types."""
    digests = sorted(hashlib.sha256(_canonical(row).encode()).digest() for row in _rows(store, table)[1])
    return hashlib.sha256(b"".join(digests)).hexdigest()


def _canonical(row: tuple) -> str:
    return json.dumps([f"bytes:{bytes(v).hex()}" if isinstance(v, bytes | memoryview) else v for v in row])


def _count(store, table: str) -> int:
    return store.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def _rows(store, table: str) -> tuple[list[str], Iterator[tuple]]:
    """A table's column names and its rows as plain tuples, by primary key (both backends speak this SQL)."""
    cursor = store.db.execute(f"SELECT * FROM {table} ORDER BY {KEYS.get(table, 'id')}")
    columns = [d[0] for d in cursor.description or []]

    def rows() -> Iterator[tuple]:
        while batch := cursor.fetchmany(CHUNK):
            yield from (tuple(r) for r in batch)

    return columns, rows()


__all__ = ["TABLES", "TableCheck", "checksum", "copy_store"]
