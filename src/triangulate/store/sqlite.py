"""The SQLite backend: one file, WAL journal, numbered migrations, one transaction per article."""

from __future__ import annotations

import contextlib
import fcntl
import json
import sqlite3
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import numpy as np

from ..errors import StoreError
from ..model import Analysis, Article, Dateline, Entity, Story

MIGRATIONS = [
    """
    CREATE TABLE articles (
        id TEXT PRIMARY KEY,
        page_id TEXT,
        segment INTEGER NOT NULL DEFAULT 0,
        outlet TEXT,
        url TEXT,
        title TEXT NOT NULL,
        title_derived INTEGER NOT NULL DEFAULT 0,
        subtitle TEXT,
        byline TEXT,
        dateline_place TEXT,
        dateline_date TEXT,
        dateline_credit TEXT,
        dateline_raw TEXT,
        published TEXT,
        language TEXT,
        origin TEXT,
        source TEXT,
        text TEXT NOT NULL,
        ingested_at TEXT NOT NULL
    );
    CREATE INDEX articles_page ON articles (page_id, segment);
    CREATE INDEX articles_published ON articles (published);
    """,
    """
    CREATE TABLE analyses (
        article_id TEXT PRIMARY KEY REFERENCES articles (id),
        version TEXT NOT NULL,
        data TEXT NOT NULL
    );
    CREATE TABLE entities (
        id TEXT PRIMARY KEY,
        label TEXT NOT NULL,
        name TEXT NOT NULL,
        aliases TEXT NOT NULL,
        roles TEXT NOT NULL
    );
    CREATE TABLE mentions (
        entity_id TEXT NOT NULL,
        article_id TEXT NOT NULL REFERENCES articles (id),
        count INTEGER NOT NULL,
        PRIMARY KEY (entity_id, article_id)
    );
    CREATE INDEX mentions_article ON mentions (article_id);
    """,
    """
    CREATE TABLE vectors (
        key TEXT PRIMARY KEY,
        vector BLOB NOT NULL
    );
    """,
    """
    CREATE TABLE recognised (
        key TEXT PRIMARY KEY,
        spans TEXT NOT NULL
    );
    """,
    """
    CREATE TABLE stories (
        id TEXT PRIMARY KEY,
        title TEXT NOT NULL,
        first TEXT,
        last TEXT,
        size INTEGER NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE INDEX stories_last ON stories (last);
    CREATE TABLE story_members (
        article_id TEXT PRIMARY KEY REFERENCES articles (id),
        story_id TEXT NOT NULL REFERENCES stories (id),
        position INTEGER NOT NULL
    );
    CREATE INDEX story_members_story ON story_members (story_id, position);
    """,
    """
    CREATE TABLE failures (
        article_id TEXT PRIMARY KEY REFERENCES articles (id),
        version TEXT NOT NULL,
        error TEXT NOT NULL
    );
    """,
    """
    CREATE TABLE briefs (
        key TEXT PRIMARY KEY,
        story_id TEXT NOT NULL,
        data TEXT NOT NULL
    );
    CREATE INDEX briefs_story ON briefs (story_id);
    """,
]
BUSY_SECONDS = 60.0  # how long a writer waits for another process's transaction before it gives up
_COLUMNS = (
    "id", "page_id", "segment", "outlet", "url", "title", "title_derived", "subtitle", "byline",
    "dateline_place", "dateline_date", "dateline_credit", "dateline_raw", "published", "language",
    "origin", "source", "text",
)  # fmt: skip


class SQLiteStore:
    """Articles in an SQLite file (or ``:memory:``).

    ``read_only``: the file is opened read-only (it must exist, at the current schema) and nothing is ever
    written to it: what the caches would keep (vectors, recogniser spans, analyses, briefs) stays in memory,
    and adding articles or stories is refused.
    """

    def __init__(self, path: str, read_only: bool = False) -> None:
        self.path = path
        self.read_only = read_only and path != ":memory:"
        self._writes = 0  # this connection's analyses saved: the entity registry held in memory is stale after one
        self._registry: tuple | None = None
        try:
            if path != ":memory:" and not self.read_only:
                Path(path).parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(
                f"cannot create the folder {str(Path(path).parent)!r} for the database ({exc.strerror}); "
                "give a --db path in a folder you can write to",
                item=path,
            ) from None
        try:
            if self.read_only:
                if not Path(path).is_file():
                    raise StoreError(f"no database at {path!r} to serve read-only; ingest into it first", item=path)
                uri = f"{Path(path).resolve().as_uri()}?mode=ro"
                self.db = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False,
                                          timeout=BUSY_SECONDS)  # fmt: skip
                self.db.row_factory = sqlite3.Row
                self._check_schema()
                return
            self.db = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=BUSY_SECONDS)
            self.db.row_factory = sqlite3.Row
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.execute("PRAGMA foreign_keys=ON")
            self._migrate()
        except sqlite3.DatabaseError as exc:
            raise StoreError(_open_failure(path, exc), item=path) from None

    def _check_schema(self) -> None:
        """Opened read-only: the schema must be this version's, since migrating would write."""
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        if version != len(MIGRATIONS):
            raise StoreError(
                f"the database is at schema version {version}, this triangulate needs {len(MIGRATIONS)}, and a "
                "read-only store cannot be upgraded; run 'triangulate stories' on it once without --read-only"
                if version < len(MIGRATIONS)
                else f"the database is at schema version {version}, newer than this triangulate "
                f"({len(MIGRATIONS)}); upgrade triangulate",
                item=self.path,
            )

    def _refuse_writes(self, what: str) -> None:
        if self.read_only:
            raise StoreError(f"the store is open read-only; {what} with a store opened for writing", item=self.path)

    def _migrate(self) -> None:
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        if version > len(MIGRATIONS):
            raise StoreError(
                f"the database is at schema version {version}, newer than this triangulate "
                f"({len(MIGRATIONS)}); upgrade triangulate",
                item=self.path,
            )
        for number, script in enumerate(MIGRATIONS[version:], version + 1):
            self.db.execute("BEGIN IMMEDIATE")
            if self.db.execute("PRAGMA user_version").fetchone()[0] >= number:  # another connection got here first
                self.db.execute("COMMIT")
                continue
            try:
                for statement in filter(str.strip, script.split(";")):
                    self.db.execute(statement)
                self.db.execute(f"PRAGMA user_version = {number}")
                self.db.execute("COMMIT")
            except BaseException:
                self.db.execute("ROLLBACK")
                raise

    def add_article(self, article: Article) -> bool:
        self._refuse_writes("ingest")
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
        marks = ", ".join(f":{k}" for k in row)
        with self._transaction():
            cursor = self.db.execute(
                f"INSERT INTO articles ({names}) VALUES ({marks}) ON CONFLICT (id) DO NOTHING", row
            )
        return cursor.rowcount == 1

    def _transaction(self):
        return _Transaction(self.db)

    def article(self, id_or_prefix: str) -> Article:
        return _article(self._by_prefix("articles", "article", id_or_prefix))

    def _by_prefix(self, table: str, noun: str, id_or_prefix: str) -> sqlite3.Row:
        """The row whose id is ``id_or_prefix`` or the one row whose id starts with it; KeyError naming the fix."""
        exact = self.db.execute(f"SELECT * FROM {table} WHERE id = ?", (id_or_prefix,)).fetchone()
        if exact is not None:  # by the primary key; the prefix search below reads the whole table
            return exact
        rows = self.db.execute(
            f"SELECT * FROM {table} WHERE id = ? OR id LIKE ? LIMIT 3",
            (id_or_prefix, id_or_prefix.replace("%", "").replace("_", "") + "%"),
        ).fetchall()
        exact = [r for r in rows if r["id"] == id_or_prefix]
        if exact or len(rows) == 1:
            return exact[0] if exact else rows[0]
        if not rows:
            raise KeyError(f"no {noun} with id {id_or_prefix!r}; list them with 'triangulate {table}'")
        raise KeyError(f"id prefix {id_or_prefix!r} matches several {table}; give more of the id")

    def articles(self, limit: int | None = None) -> list[Article]:
        sql = "SELECT * FROM articles ORDER BY published IS NULL, published DESC, page_id, segment"
        params: tuple = ()
        if limit is not None:
            sql += " LIMIT ?"
            params = (limit,)
        return [_article(r) for r in self.db.execute(sql, params)]

    def count(self) -> int:
        return self.db.execute("SELECT count(*) FROM articles").fetchone()[0]

    def data_version(self) -> tuple[int, int]:
        """A marker for caches: the first number changes when another connection commits, the second on our own."""
        return self.db.execute("PRAGMA data_version").fetchone()[0], self.db.total_changes

    def save_analysis(self, analysis: Analysis) -> None:
        """Store an article's analysis and merge its entities into the registry, in one transaction."""
        if self.read_only:  # a cache of what the rules give: kept in memory by the caller, never written
            return
        counts: dict[str, int] = {}
        for mention in analysis.mentions:
            counts[mention.entity_id] = counts.get(mention.entity_id, 0) + 1
        self._writes += 1
        with self._transaction():
            self.db.execute(
                "INSERT INTO analyses (article_id, version, data) VALUES (?, ?, ?) "
                "ON CONFLICT (article_id) DO UPDATE SET version = excluded.version, data = excluded.data",
                (analysis.article_id, analysis.version, json.dumps(analysis.to_dict(), ensure_ascii=False)),
            )
            self.db.execute("DELETE FROM mentions WHERE article_id = ?", (analysis.article_id,))
            for entity in analysis.entities:
                row = self.db.execute("SELECT aliases, roles FROM entities WHERE id = ?", (entity.id,)).fetchone()
                aliases = sorted(set(json.loads(row["aliases"]) if row else []) | set(entity.aliases))
                roles = list(dict.fromkeys([*(json.loads(row["roles"]) if row else []), *entity.roles]))
                self.db.execute(
                    "INSERT INTO entities (id, label, name, aliases, roles) VALUES (?, ?, ?, ?, ?) "
                    "ON CONFLICT (id) DO UPDATE SET aliases = excluded.aliases, roles = excluded.roles",
                    (entity.id, entity.label, entity.name, json.dumps(aliases), json.dumps(roles)),
                )
                if entity.id in counts:
                    self.db.execute(
                        "INSERT INTO mentions (entity_id, article_id, count) VALUES (?, ?, ?)",
                        (entity.id, analysis.article_id, counts[entity.id]),
                    )

    def analysis(self, article_id: str) -> Analysis | None:
        """The stored analysis of an article, or None when there is none."""
        row = self.db.execute("SELECT data FROM analyses WHERE article_id = ?", (article_id,)).fetchone()
        return Analysis.from_dict(json.loads(row["data"])) if row else None

    def entities(self) -> dict[str, Entity]:
        """The entity registry: every identity seen so far, by id.

        Read from the file once and held until this store or another connection writes (SQLite's
        ``data_version`` tells), so briefing story after story does not load the registry each time.
        """
        version = (self._writes, self.db.execute("PRAGMA data_version").fetchone()[0])
        if self._registry is None or self._registry[0] != version:
            self._registry = (version, self._read_entities())
        return dict(self._registry[1])

    def _read_entities(self) -> dict[str, Entity]:
        return {
            r["id"]: Entity(
                r["id"], r["label"], r["name"], tuple(json.loads(r["aliases"])), tuple(json.loads(r["roles"]))
            )
            for r in self.db.execute("SELECT * FROM entities")
        }

    def vectors(self, keys: list[str]) -> dict[str, np.ndarray]:
        """Cached embedding vectors by key (text hash and model id); missing keys are left out."""
        return {k: np.frombuffer(v, dtype=np.float32) for k, v in self._cached("vectors", "vector", keys).items()}

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

    def _cached(self, table: str, column: str, keys: list[str]) -> dict[str, object]:
        """Rows of a key → value cache table for the given keys (queried 500 at a time)."""
        found = {}
        for i in range(0, len(keys), 500):
            chunk = keys[i : i + 500]
            marks = ", ".join("?" * len(chunk))
            for row in self.db.execute(f"SELECT key, {column} FROM {table} WHERE key IN ({marks})", chunk):
                found[row["key"]] = row[column]
        return found

    def brief(self, key: str) -> str | None:
        """A story's brief as stored under its content key (JSON), or None."""
        return self._cached("briefs", "data", [key]).get(key)

    def save_brief(self, key: str, story_id: str, data: str) -> None:
        """Keep a story's brief (JSON) under its content key, in place of the story's earlier briefs (made of
        fewer articles or by other code); a key already there keeps its brief."""
        if self.read_only:
            return
        with self._transaction():
            self.db.execute("DELETE FROM briefs WHERE story_id = ? AND key != ?", (story_id, key))
            self.db.execute(
                "INSERT INTO briefs (key, story_id, data) VALUES (?, ?, ?) ON CONFLICT (key) DO NOTHING",
                (key, story_id, data),
            )

    def _cache(self, table: str, column: str, values: dict[str, object]) -> None:
        if self.read_only:  # every cache table holds what can be made again: nothing is written
            return
        with self._transaction():
            self.db.executemany(
                f"INSERT INTO {table} (key, {column}) VALUES (?, ?) ON CONFLICT (key) DO NOTHING", list(values.items())
            )

    def unanalysed(self, version: str) -> list[Article]:
        """Articles with no analysis, or one made by other rules than ``version``, that these rules did not fail on."""
        rows = self.db.execute(
            "SELECT a.* FROM articles a LEFT JOIN analyses n ON n.article_id = a.id "
            "LEFT JOIN failures f ON f.article_id = a.id AND f.version = ? "
            "WHERE (n.article_id IS NULL OR n.version != ?) AND f.article_id IS NULL "
            "ORDER BY a.published, a.page_id, a.segment, a.id",
            (version, version),
        )
        return [_article(r) for r in rows]

    def save_failure(self, article_id: str, version: str, error: str) -> None:
        """Record that ``version`` of the language rules failed on an article, so later runs skip it."""
        if self.read_only:
            return
        with self._transaction():
            self.db.execute(
                "INSERT INTO failures (article_id, version, error) VALUES (?, ?, ?) "
                "ON CONFLICT (article_id) DO UPDATE SET version = excluded.version, error = excluded.error",
                (article_id, version, error),
            )

    def failures(self) -> dict[str, str]:
        """The articles the language rules failed on, with the error, by article id."""
        return {r["article_id"]: r["error"] for r in self.db.execute("SELECT article_id, error FROM failures")}

    @contextlib.contextmanager
    def clustering(self) -> Iterator[None]:
        """Hold the store's clustering lock: one process at a time reads, places and writes stories.

        A lock file beside the database (``flock``), released when the block
        ends or the process dies, so two ``ingest`` runs on one file cluster
        one after the other and never place the same article twice.
        """
        self._refuse_writes("cluster")
        if self.path == ":memory:":
            yield
            return
        with open(f"{self.path}.lock", "a+b") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def unclustered(self) -> list[Article]:
        """Articles that belong to no story yet."""
        rows = self.db.execute(
            "SELECT a.* FROM articles a LEFT JOIN story_members m ON m.article_id = a.id "
            "WHERE m.article_id IS NULL ORDER BY a.published, a.page_id, a.segment, a.id"
        )
        return [_article(r) for r in rows]

    def stories(self, limit: int | None = None) -> list[Story]:
        """Stories, the most recently active first."""
        sql = "SELECT * FROM stories ORDER BY last IS NULL, last DESC, size DESC, id"
        with self._snapshot():
            rows = self.db.execute(sql + (" LIMIT ?" if limit else ""), (limit,) if limit else ())
            return [self._story(r) for r in rows.fetchall()]

    def story(self, id_or_prefix: str) -> Story:
        with self._snapshot():
            return self._story(self._by_prefix("stories", "story", id_or_prefix))

    def _snapshot(self):
        """One read transaction: the stories and their members as one writer left them, never half-way."""
        return _Transaction(self.db, "BEGIN DEFERRED")

    def story_of(self, article_id: str) -> str | None:
        row = self.db.execute("SELECT story_id FROM story_members WHERE article_id = ?", (article_id,)).fetchone()
        return row[0] if row else None

    def stories_since(self, since: date | None, undated: int = 0) -> list[Story]:
        """Stories active on or after ``since`` (all dated ones when None), plus the ``undated`` newest undated."""
        # an index search on ``last`` (every ISO date sorts after "", and NULL matches nothing), then the order of
        # the table scan it replaced, which the clustering's results follow (an ORDER BY makes SQLite scan again)
        rows = sorted(
            self.db.execute("SELECT rowid, * FROM stories WHERE last >= ?", (since.isoformat() if since else "",)),
            key=lambda row: row[0],
        )
        if undated:
            rows += self.db.execute(
                "SELECT * FROM stories WHERE last IS NULL ORDER BY updated_at DESC LIMIT ?", (undated,)
            ).fetchall()
        return [self._story(r) for r in rows]

    def _story(self, row: sqlite3.Row) -> Story:
        members = self.db.execute(
            "SELECT article_id FROM story_members WHERE story_id = ? ORDER BY position", (row["id"],)
        )
        first, last = (date.fromisoformat(row[k]) if row[k] else None for k in ("first", "last"))
        return Story(row["id"], row["title"], tuple(r[0] for r in members), first, last)

    def save_stories(self, changed: list[Story], removed: set[str] = frozenset()) -> None:
        """Write changed stories and drop merged-away ones, all in one transaction."""
        self._refuse_writes("cluster")
        with self._transaction():
            self._write_stories(changed, removed)

    def replace_stories(self, records: list[Story]) -> None:
        """Forget every story and store ``records`` instead, in one transaction."""
        self._refuse_writes("recluster")
        with self._transaction():
            self.db.execute("DELETE FROM story_members")
            self.db.execute("DELETE FROM stories")
            self._write_stories(records, set())

    def _write_stories(self, changed: list[Story], removed: set[str]) -> None:
        now = datetime.now(UTC).isoformat(timespec="seconds")
        gone = [*removed, *(r.id for r in changed)]
        self.db.executemany("DELETE FROM story_members WHERE story_id = ?", [(i,) for i in gone])
        self.db.executemany("DELETE FROM stories WHERE id = ?", [(i,) for i in gone])
        self.db.executemany(
            "INSERT INTO stories (id, title, first, last, size, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
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
        self.db.executemany(
            "INSERT INTO story_members (article_id, story_id, position) VALUES (?, ?, ?) "
            "ON CONFLICT (article_id) DO UPDATE SET story_id = excluded.story_id, position = excluded.position",
            [(m, r.id, i) for r in changed for i, m in enumerate(r.article_ids)],
        )

    def close(self) -> None:
        self.db.close()


class _Transaction:
    """BEGIN … COMMIT, or ROLLBACK on any error: nothing is ever half-written."""

    def __init__(self, db: sqlite3.Connection, begin: str = "BEGIN IMMEDIATE") -> None:
        self.db = db
        self.begin = begin

    def __enter__(self) -> None:
        self.db.execute(self.begin)

    def __exit__(self, kind, value, traceback) -> None:
        self.db.execute("ROLLBACK" if kind else "COMMIT")


def _open_failure(path: str, exc: sqlite3.DatabaseError) -> str:
    """Why a database could not be opened, and what to do about it."""
    if isinstance(exc, sqlite3.OperationalError) and any(
        words in str(exc) for words in ("unable to open", "readonly", "read-only", "disk I/O")
    ):
        return (
            f"cannot create or write the database here ({exc}); the folder may be read-only: "
            "give a --db path in a folder you can write to"
        )
    return f"cannot open the database ({exc}); is it an SQLite file? Give another --db path"


def _article(row: sqlite3.Row) -> Article:
    return Article(
        id=row["id"],
        text=row["text"],
        title=row["title"],
        title_derived=bool(row["title_derived"]),
        subtitle=row["subtitle"],
        outlet=row["outlet"],
        url=row["url"],
        published=row["published"],
        byline=row["byline"],
        dateline=Dateline(row["dateline_place"], row["dateline_date"], row["dateline_credit"], row["dateline_raw"]),
        language=row["language"],
        page_id=row["page_id"],
        segment=row["segment"],
        origin=row["origin"],
        source=row["source"],
    )
