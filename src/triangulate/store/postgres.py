"""The PostgreSQL backend: the SQLite schema and API over psycopg 3, safe for many writers at once.

The tables are SQLite's migrations with ``TEXT`` in the "C" collation (so text
sorts byte-wise, as in SQLite, whatever the server's locale) and ``BLOB`` as
``BYTEA``; the applied version lives in ``triangulate_schema``. Concurrent
writers are safe by construction: an article's id is its primary key and is
inserted with ``ON CONFLICT DO NOTHING``; an entity's registry row is locked
(``FOR UPDATE``, in id order, so two writers never deadlock) while its aliases
merge; clustering holds a session advisory lock, which the server releases
when the process dies.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

import numpy as np

from ..errors import StoreError
from ..model import Analysis, Article, Entity, Story
from .sqlite import _COLUMNS, MIGRATIONS, _article

CLUSTERING_LOCK = 0x7472_6961_6E67  # pg_advisory_lock key of the clustering lock ("triang")
MIGRATION_LOCK = CLUSTERING_LOCK + 1  # held while a process migrates the schema
CONNECT_SECONDS = 10


def _translated(script: str) -> str:
    """An SQLite migration in PostgreSQL's dialect: byte-wise text, BYTEA for blobs."""
    return re.sub(r"\bBLOB\b", "BYTEA", re.sub(r"\bTEXT\b", 'TEXT COLLATE "C"', script))


class PostgresStore:
    """Articles in a PostgreSQL database, given by a ``postgresql://`` URL."""

    def __init__(self, url: str) -> None:
        try:
            import psycopg
            from psycopg.rows import dict_row
        except ImportError:
            raise StoreError(
                "the PostgreSQL driver is not installed; run pip install 'triangulate[postgres]'", item=_safe(url)
            ) from None
        self.url = url
        try:
            self.db = psycopg.connect(url, autocommit=True, row_factory=dict_row, connect_timeout=CONNECT_SECONDS)
        except psycopg.Error as exc:
            raise StoreError(
                f"cannot connect to PostgreSQL ({_first_line(exc)}); check the URL, that the server runs and that "
                "the database exists (createdb NAME)",
                item=_safe(url),
            ) from None
        self._migrate()

    def _migrate(self) -> None:
        with self.db.transaction():
            self.db.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
            self.db.execute("CREATE TABLE IF NOT EXISTS triangulate_schema (version INTEGER NOT NULL)")
            row = self.db.execute("SELECT version FROM triangulate_schema").fetchone()
            version = row["version"] if row else 0
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
                self.db.execute("UPDATE triangulate_schema SET version = %s", (number,))

    def add_article(self, article: Article) -> bool:
        row = {
            **{k: v for k, v in article.to_dict(with_text=True).items() if k in _COLUMNS},
            "title_derived": int(article.title_derived),
            "dateline_place": article.dateline.place,
            "dateline_date": article.dateline.date,
            "dateline_credit": article.dateline.credit,
            "dateline_raw": article.dateline.raw,
            "ingested_at": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        names = ", ".join(row)
        marks = ", ".join(f"%({k})s" for k in row)
        with self.db.transaction():
            cursor = self.db.execute(
                f"INSERT INTO articles ({names}) VALUES ({marks}) ON CONFLICT (id) DO NOTHING", row
            )
        return cursor.rowcount == 1

    def article(self, id_or_prefix: str) -> Article:
        return _article(self._by_prefix("articles", "article", id_or_prefix))

    def _by_prefix(self, table: str, noun: str, id_or_prefix: str) -> dict:
        """The row whose id is ``id_or_prefix`` or the one row whose id starts with it; KeyError naming the fix."""
        rows = self.db.execute(
            f"SELECT * FROM {table} WHERE id = %s OR id LIKE %s LIMIT 3",
            (id_or_prefix, id_or_prefix.replace("%", "").replace("_", "").replace("\\", "") + "%"),
        ).fetchall()
        exact = [r for r in rows if r["id"] == id_or_prefix]
        if exact or len(rows) == 1:
            return exact[0] if exact else rows[0]
        if not rows:
            raise KeyError(f"no {noun} with id {id_or_prefix!r}; list them with 'triangulate {table}'")
        raise KeyError(f"id prefix {id_or_prefix!r} matches several {table}; give more of the id")

    def articles(self, limit: int | None = None) -> list[Article]:
        sql = "SELECT * FROM articles ORDER BY published IS NULL, published DESC, page_id NULLS FIRST, segment"
        if limit is not None:
            return [_article(r) for r in self.db.execute(sql + " LIMIT %s", (limit,))]
        return [_article(r) for r in self.db.execute(sql)]

    def count(self) -> int:
        return self.db.execute("SELECT count(*) AS n FROM articles").fetchone()["n"]

    def save_analysis(self, analysis: Analysis) -> None:
        """Store an article's analysis and merge its entities into the registry, in one transaction."""
        counts: dict[str, int] = {}
        for mention in analysis.mentions:
            counts[mention.entity_id] = counts.get(mention.entity_id, 0) + 1
        with self.db.transaction():
            self.db.execute(
                "INSERT INTO analyses (article_id, version, data) VALUES (%s, %s, %s) "
                "ON CONFLICT (article_id) DO UPDATE SET version = excluded.version, data = excluded.data",
                (analysis.article_id, analysis.version, json.dumps(analysis.to_dict(), ensure_ascii=False)),
            )
            self.db.execute("DELETE FROM mentions WHERE article_id = %s", (analysis.article_id,))
            for entity in sorted(analysis.entities, key=lambda e: e.id):  # one lock order for every writer
                self.db.execute(
                    "INSERT INTO entities (id, label, name, aliases, roles) VALUES (%s, %s, %s, '[]', '[]') "
                    "ON CONFLICT (id) DO NOTHING",
                    (entity.id, entity.label, entity.name),
                )
                row = self.db.execute(
                    "SELECT aliases, roles FROM entities WHERE id = %s FOR UPDATE", (entity.id,)
                ).fetchone()
                aliases = sorted(set(json.loads(row["aliases"])) | set(entity.aliases))
                roles = list(dict.fromkeys([*json.loads(row["roles"]), *entity.roles]))
                self.db.execute(
                    "UPDATE entities SET aliases = %s, roles = %s WHERE id = %s",
                    (json.dumps(aliases), json.dumps(roles), entity.id),
                )
                if entity.id in counts:
                    self.db.execute(
                        "INSERT INTO mentions (entity_id, article_id, count) VALUES (%s, %s, %s) "
                        "ON CONFLICT (entity_id, article_id) DO UPDATE SET count = excluded.count",
                        (entity.id, analysis.article_id, counts[entity.id]),
                    )

    def analysis(self, article_id: str) -> Analysis | None:
        """The stored analysis of an article, or None when there is none."""
        row = self.db.execute("SELECT data FROM analyses WHERE article_id = %s", (article_id,)).fetchone()
        return Analysis.from_dict(json.loads(row["data"])) if row else None

    def entities(self) -> dict[str, Entity]:
        """The entity registry: every identity seen so far, by id."""
        return {
            r["id"]: Entity(
                r["id"], r["label"], r["name"], tuple(json.loads(r["aliases"])), tuple(json.loads(r["roles"]))
            )
            for r in self.db.execute("SELECT * FROM entities ORDER BY id")
        }

    def vectors(self, keys: list[str]) -> dict[str, np.ndarray]:
        """Cached embedding vectors by key (text hash and model id); missing keys are left out."""
        return {
            k: np.frombuffer(bytes(v), dtype=np.float32) for k, v in self._cached("vectors", "vector", keys).items()
        }

    def save_vectors(self, vectors: dict[str, np.ndarray]) -> None:
        """Add vectors to the cache in one transaction."""
        self._cache("vectors", "vector", {k: np.asarray(v, dtype=np.float32).tobytes() for k, v in vectors.items()})

    def recognised(self, keys: list[str]) -> dict[str, list]:
        """Cached named-entity spans by key (text hash and model); missing keys are left out."""
        return {
            k: [tuple(span) for span in json.loads(v)] for k, v in self._cached("recognised", "spans", keys).items()
        }

    def save_recognised(self, spans: dict[str, list]) -> None:
        """Add named-entity spans to the cache in one transaction."""
        self._cache("recognised", "spans", {k: json.dumps(v) for k, v in spans.items()})

    def _cached(self, table: str, column: str, keys: list[str]) -> dict[str, Any]:
        if not keys:
            return {}
        rows = self.db.execute(f"SELECT key, {column} FROM {table} WHERE key = ANY(%s)", (list(keys),))
        return {row["key"]: row[column] for row in rows}

    def _cache(self, table: str, column: str, values: dict[str, Any]) -> None:
        with self.db.transaction(), self.db.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {table} (key, {column}) VALUES (%s, %s) ON CONFLICT (key) DO NOTHING",
                sorted(values.items()),
            )

    def unanalysed(self, version: str) -> list[Article]:
        """Articles with no analysis, or one made by other rules than ``version``, that these rules did not fail on."""
        rows = self.db.execute(
            "SELECT a.* FROM articles a LEFT JOIN analyses n ON n.article_id = a.id "
            "LEFT JOIN failures f ON f.article_id = a.id AND f.version = %s "
            "WHERE (n.article_id IS NULL OR n.version != %s) AND f.article_id IS NULL "
            "ORDER BY a.published NULLS FIRST, a.page_id NULLS FIRST, a.segment, a.id",
            (version, version),
        )
        return [_article(r) for r in rows]

    def save_failure(self, article_id: str, version: str, error: str) -> None:
        """Record that ``version`` of the language rules failed on an article, so later runs skip it."""
        with self.db.transaction():
            self.db.execute(
                "INSERT INTO failures (article_id, version, error) VALUES (%s, %s, %s) "
                "ON CONFLICT (article_id) DO UPDATE SET version = excluded.version, error = excluded.error",
                (article_id, version, error),
            )

    def failures(self) -> dict[str, str]:
        """The articles the language rules failed on, with the error, by article id."""
        return {r["article_id"]: r["error"] for r in self.db.execute("SELECT article_id, error FROM failures")}

    @contextlib.contextmanager
    def clustering(self) -> Iterator[None]:
        """Hold the store's clustering lock: one process at a time reads, places and writes stories.

        A session advisory lock: every process clustering this database waits
        for it, and the server drops it when the holder's connection ends.
        """
        self.db.execute("SELECT pg_advisory_lock(%s)", (CLUSTERING_LOCK,))
        try:
            yield
        finally:
            self.db.execute("SELECT pg_advisory_unlock(%s)", (CLUSTERING_LOCK,))

    def unclustered(self) -> list[Article]:
        """Articles that belong to no story yet."""
        rows = self.db.execute(
            "SELECT a.* FROM articles a LEFT JOIN story_members m ON m.article_id = a.id "
            "WHERE m.article_id IS NULL ORDER BY a.published NULLS FIRST, a.page_id NULLS FIRST, a.segment, a.id"
        )
        return [_article(r) for r in rows]

    def stories(self, limit: int | None = None) -> list[Story]:
        """Stories, the most recently active first."""
        sql = "SELECT * FROM stories ORDER BY last IS NULL, last DESC, size DESC, id"
        with self._snapshot():
            rows = self.db.execute(sql + (" LIMIT %s" if limit else ""), (limit,) if limit else ()).fetchall()
            return [self._story(r) for r in rows]

    def story(self, id_or_prefix: str) -> Story:
        with self._snapshot():
            return self._story(self._by_prefix("stories", "story", id_or_prefix))

    @contextlib.contextmanager
    def _snapshot(self) -> Iterator[None]:
        """One repeatable-read transaction: the stories and their members as one writer left them."""
        if self.db.info.transaction_status != 0:  # already inside one (IDLE is 0)
            yield
            return
        with self.db.transaction():
            self.db.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            yield

    def story_of(self, article_id: str) -> str | None:
        row = self.db.execute("SELECT story_id FROM story_members WHERE article_id = %s", (article_id,)).fetchone()
        return row["story_id"] if row else None

    def stories_since(self, since: date | None, undated: int = 0) -> list[Story]:
        """Stories active on or after ``since`` (all dated ones when None), plus the ``undated`` newest undated."""
        with self._snapshot():
            if since is None:
                rows = self.db.execute("SELECT * FROM stories WHERE last IS NOT NULL").fetchall()
            else:
                rows = self.db.execute("SELECT * FROM stories WHERE last >= %s", (since.isoformat(),)).fetchall()
            if undated:
                rows += self.db.execute(
                    "SELECT * FROM stories WHERE last IS NULL ORDER BY updated_at DESC LIMIT %s", (undated,)
                ).fetchall()
            return [self._story(r) for r in rows]

    def _story(self, row: dict) -> Story:
        members = self.db.execute(
            "SELECT article_id FROM story_members WHERE story_id = %s ORDER BY position", (row["id"],)
        )
        first, last = (date.fromisoformat(row[k]) if row[k] else None for k in ("first", "last"))
        return Story(row["id"], row["title"], tuple(r["article_id"] for r in members), first, last)

    def save_stories(self, changed: list[Story], removed: set[str] = frozenset()) -> None:
        """Write changed stories and drop merged-away ones, all in one transaction."""
        with self.db.transaction():
            self._write_stories(changed, removed)

    def replace_stories(self, records: list[Story]) -> None:
        """Forget every story and store ``records`` instead, in one transaction."""
        with self.db.transaction():
            self.db.execute("DELETE FROM story_members")
            self.db.execute("DELETE FROM stories")
            self._write_stories(records, set())

    def _write_stories(self, changed: list[Story], removed: set[str]) -> None:
        now = datetime.now(UTC).isoformat(timespec="seconds")
        gone = sorted({*removed, *(r.id for r in changed)})
        with self.db.cursor() as cursor:
            cursor.execute("DELETE FROM story_members WHERE story_id = ANY(%s)", (gone,))
            cursor.execute("DELETE FROM stories WHERE id = ANY(%s)", (gone,))
            cursor.executemany(
                "INSERT INTO stories (id, title, first, last, size, updated_at) VALUES (%s, %s, %s, %s, %s, %s)",
                [
                    (
                        r.id,
                        r.title,
                        r.first_seen and r.first_seen.isoformat(),
                        r.last_seen and r.last_seen.isoformat(),
                        len(r.article_ids),
                        now,
                    )
                    for r in changed
                ],
            )
            cursor.executemany(
                "INSERT INTO story_members (article_id, story_id, position) VALUES (%s, %s, %s) "
                "ON CONFLICT (article_id) DO UPDATE SET story_id = excluded.story_id, position = excluded.position",
                [(m, r.id, i) for r in changed for i, m in enumerate(r.article_ids)],
            )

    def close(self) -> None:
        self.db.close()


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


def _safe(url: str) -> str:
    """The URL as an error may print it: any password replaced by ***."""
    return re.sub(r"(://[^:/@]*:)[^@/]*@", r"\1***@", url)
