"""The PostgreSQL backend: the SQLite store's schema, SQL and API over psycopg 3, safe for many writers at once.

The SQL the two backends share is written once, in ``sqlite.py``, in the
dialect both speak (``INSERT … ON CONFLICT``, ``LIKE``); this module runs it
through a connection that turns SQLite's ``?`` and ``:name`` parameters into
psycopg's, and overrides only what differs: how NULLs sort, transactions and
locks. The tables are SQLite's migrations with ``TEXT`` in the "C" collation
(text sorts byte-wise, as in SQLite, whatever the server's locale) and
``BLOB`` as ``BYTEA``; the applied version lives in ``triangulate_schema``.

Concurrent writers are safe: an article's id is its primary key and is
inserted with ``ON CONFLICT DO NOTHING``; merging entities into the registry
holds a transaction-scoped advisory lock (the registry is read, merged and
written as SQLite's single writer does it); clustering holds a session
advisory lock, which the server drops when the holder's connection ends.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from datetime import date
from typing import Any

from ..errors import StoreError
from ..model import Analysis, Article, Entity, Story
from .sqlite import MIGRATIONS, SQLiteStore, _article

CLUSTERING_LOCK = 0x7472_6961_6E67  # pg_advisory_lock keys ("triang" + n): one process places articles at a time
MIGRATION_LOCK = CLUSTERING_LOCK + 1  # one process migrates the schema
REGISTRY_LOCK = CLUSTERING_LOCK + 2  # one transaction merges entities into the registry at a time
CONNECT_SECONDS = 10


def _translated(script: str) -> str:
    """An SQLite migration in PostgreSQL's dialect: byte-wise text, BYTEA for blobs."""
    return re.sub(r"\bBLOB\b", "BYTEA", re.sub(r"\bTEXT\b", 'TEXT COLLATE "C"', script))


class PostgresStore(SQLiteStore):
    """Articles in a PostgreSQL database, given by a ``postgresql://`` URL."""

    def __init__(self, url: str, read_only: bool = False) -> None:  # SQLite's opening does not apply
        try:
            import psycopg
        except ImportError:
            raise StoreError(
                "the PostgreSQL driver is not installed; run pip install 'triangulate[postgres]'", item=_safe(url)
            ) from None
        self.url = self.path = url
        self._writes, self._registry = 0, None  # what SQLiteStore's opening sets and its methods count on
        self.read_only = read_only  # the caches are not written, ingest and clustering refused (SQLiteStore's)
        try:
            self.db = _Connection(psycopg.connect(url, autocommit=True, connect_timeout=CONNECT_SECONDS))
        except psycopg.Error as exc:
            raise StoreError(
                f"cannot connect to PostgreSQL ({_first_line(exc)}); check the URL, that the server runs and that "
                "the database exists (createdb NAME)",
                item=_safe(url),
            ) from None
        if read_only:
            self.db.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
        else:
            self._migrate()

    data_version = None  # no cheap marker of another connection's writes: callers treat the store as changed

    def entities(self) -> dict[str, Entity]:
        """The entity registry, read each time (SQLite's ``data_version``, which lets it hold the registry, has no
        equivalent here)."""
        return self._read_entities()

    def _migrate(self) -> None:
        with self._transaction():
            self.db.execute("SELECT pg_advisory_xact_lock(?)", (MIGRATION_LOCK,))
            self.db.execute("CREATE TABLE IF NOT EXISTS triangulate_schema (version INTEGER NOT NULL)")
            row = self.db.execute("SELECT version FROM triangulate_schema").fetchone()
            version = row[0] if row else 0
            if row is None:
                self.db.execute("INSERT INTO triangulate_schema (version) VALUES (0)")
            if version > len(MIGRATIONS):
                raise StoreError(
                    f"the database is at schema version {version}, newer than this triangulate "
                    f"({len(MIGRATIONS)}); upgrade triangulate",
                    item=_safe(self.url),
                )
            for number, script in enumerate(MIGRATIONS[version:], version + 1):
                for statement in filter(str.strip, _translated(script).split(";")):
                    self.db.execute(statement)
                self.db.execute("UPDATE triangulate_schema SET version = ?", (number,))

    def _transaction(self):
        """One transaction (a savepoint inside another): COMMIT at the end, ROLLBACK on any error."""
        return self.db.raw.transaction()

    @contextlib.contextmanager
    def _snapshot(self) -> Iterator[None]:
        """One repeatable-read transaction: the stories and their members as one writer left them."""
        if self.db.raw.info.transaction_status != 0:  # already inside one (0 is IDLE)
            yield
            return
        with self._transaction():
            self.db.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            yield

    def articles(self, limit: int | None = None) -> list[Article]:
        sql = "SELECT * FROM articles ORDER BY published IS NULL, published DESC, page_id NULLS FIRST, segment"
        return [_article(r) for r in self.db.execute(sql + (" LIMIT ?" if limit else ""), (limit,) if limit else ())]

    def save_analysis(self, analysis: Analysis) -> None:
        """Store an article's analysis and merge its entities into the registry, one writer at a time."""
        if self.read_only:
            return
        with self._transaction():
            self.db.execute("SELECT pg_advisory_xact_lock(?)", (REGISTRY_LOCK,))
            super().save_analysis(analysis)

    def unanalysed(self, version: str) -> list[Article]:
        """Articles with no analysis, or one made by other rules than ``version``, that these rules did not fail on."""
        rows = self.db.execute(
            "SELECT a.* FROM articles a LEFT JOIN analyses n ON n.article_id = a.id "
            "LEFT JOIN failures f ON f.article_id = a.id AND f.version = ? "
            "WHERE (n.article_id IS NULL OR n.version != ?) AND f.article_id IS NULL "
            f"ORDER BY {_OLDEST_FIRST}",
            (version, version),
        )
        return [_article(r) for r in rows]

    def unclustered(self) -> list[Article]:
        """Articles that belong to no story yet."""
        rows = self.db.execute(
            "SELECT a.* FROM articles a LEFT JOIN story_members m ON m.article_id = a.id "
            f"WHERE m.article_id IS NULL ORDER BY {_OLDEST_FIRST}"
        )
        return [_article(r) for r in rows]

    def stories_since(self, since: date | None, undated: int = 0) -> list[Story]:
        """Stories active on or after ``since`` (all dated ones when None), plus the ``undated`` newest undated."""
        with self._snapshot():
            rows = self.db.execute(
                "SELECT * FROM stories WHERE last >= ?", (since.isoformat() if since else "",)
            ).fetchall()
            if undated:
                rows += self.db.execute(
                    "SELECT * FROM stories WHERE last IS NULL ORDER BY updated_at DESC LIMIT ?", (undated,)
                ).fetchall()
            return [self._story(r) for r in rows]

    @contextlib.contextmanager
    def clustering(self) -> Iterator[None]:
        """Hold the store's clustering lock: one process at a time reads, places and writes stories.

        A session advisory lock: every process clustering this database waits
        for it, and the server drops it when the holder's connection ends.
        """
        self.db.execute("SELECT pg_advisory_lock(?)", (CLUSTERING_LOCK,))
        try:
            yield
        finally:
            self.db.execute("SELECT pg_advisory_unlock(?)", (CLUSTERING_LOCK,))


_OLDEST_FIRST = "a.published NULLS FIRST, a.page_id NULLS FIRST, a.segment, a.id"  # SQLite sorts NULL lowest
_PARAMETER = re.compile(r"\?|(?<![:\w]):(\w+)")


class _Connection:
    """A psycopg connection speaking the SQLite store's SQL: ``?`` and ``:name`` parameters, rows by index or name."""

    def __init__(self, raw) -> None:
        raw.row_factory = _rows
        self.raw = raw

    def execute(self, sql: str, params: Any = ()):
        return self.raw.execute(_psycopg_sql(sql), params or None)

    def executemany(self, sql: str, params: list) -> None:
        with self.raw.cursor() as cursor:
            cursor.executemany(_psycopg_sql(sql), params)

    def cursor(self):
        return self.raw.cursor()

    def close(self) -> None:
        self.raw.close()


def _psycopg_sql(sql: str) -> str:
    """``?`` → ``%s`` and ``:name`` → ``%(name)s`` (the store's SQL holds no literal ``%``, ``?`` or ``:``)."""
    return _PARAMETER.sub(lambda m: f"%({m.group(1)})s" if m.group(1) else "%s", sql)


class _Row(tuple):
    """A row readable by position or by column name, as ``sqlite3.Row`` is."""

    names: dict[str, int]

    def __getitem__(self, key):
        return super().__getitem__(self.names[key] if isinstance(key, str) else key)

    def keys(self) -> list[str]:
        return list(self.names)


def _rows(cursor) -> type[_Row]:
    """psycopg's row factory: a row class that knows this result's column names."""
    return type("Row", (_Row,), {"names": {column.name: i for i, column in enumerate(cursor.description or [])}})


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


def _safe(url: str) -> str:
    """The URL as an error may print it: any password replaced by ***."""
    return re.sub(r"(://[^:/@]*:)[^@/]*@", r"\1***@", url)
