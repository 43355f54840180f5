"""Storage: an SQLite file by default; the URL's scheme picks the backend.

``open_store("triangulate.db")`` or ``open_store("sqlite:///path.db")`` opens
SQLite; ``open_store("postgresql://user@host/db")`` opens PostgreSQL (the
``postgres`` extra). Callers use only the ``Store`` protocol.
"""

from __future__ import annotations

from typing import Any, Protocol

from ..model import Analysis, Article, Entity


class Store(Protocol):
    """What every backend offers."""

    def add_article(self, article: Article) -> bool:
        """Store one article in its own transaction; False if it was there already."""

    def article(self, id_or_prefix: str) -> Article:
        """One article by id or unique id prefix; raises ``KeyError`` naming the fix."""

    def articles(self, limit: int | None = None) -> list[Article]:
        """Articles, newest published first."""

    def count(self) -> int: ...

    def save_analysis(self, analysis: Analysis) -> None:
        """Store an article's language analysis and merge its entities into the registry."""

    def analysis(self, article_id: str) -> Analysis | None:
        """The stored analysis of an article, if any."""

    def entities(self) -> dict[str, Entity]:
        """Every canonical entity seen so far, by id."""

    def unanalysed(self, version: str) -> list[Article]:
        """Articles lacking an analysis made by ``version`` of the language rules."""

    def vectors(self, keys: list[str]) -> dict[str, Any]:
        """Cached embedding vectors (numpy rows) by key; missing keys are left out."""

    def save_vectors(self, vectors: dict[str, Any]) -> None:
        """Add embedding vectors to the cache."""

    def recognised(self, keys: list[str]) -> dict[str, list]:
        """Cached named-entity spans by key; missing keys are left out."""

    def save_recognised(self, spans: dict[str, list]) -> None:
        """Add named-entity spans to the cache."""

    def save_failure(self, article_id: str, version: str, error: str) -> None:
        """Record that ``version`` of the language rules failed on an article; later runs skip it."""

    def failures(self) -> dict[str, str]:
        """The articles the language rules failed on, with the error, by article id."""

    def clustering(self) -> Any:
        """A context manager holding the store's clustering lock (one process places articles at a time)."""

    def brief(self, key: str) -> str | None:
        """A story's brief (JSON) kept under its content key, or None."""

    def save_brief(self, key: str, story_id: str, data: str) -> None:
        """Keep a story's brief (JSON) under its content key, in place of the story's earlier ones."""

    def close(self) -> None: ...


def open_store(url: str, read_only: bool = False) -> Store:
    """Open (creating and migrating if needed) the store at ``url``; ``read_only``: open it as it is and never
    write to it (what the caches would keep stays in memory; ingest and clustering are refused).

    Example:
        >>> store = open_store(":memory:")
        >>> store.count()
        0
    """
    if is_postgres(url):
        from .postgres import PostgresStore

        return PostgresStore(url, read_only)
    from .sqlite import SQLiteStore

    return SQLiteStore(url.removeprefix("sqlite:///").removeprefix("sqlite://"), read_only)


def is_postgres(url: str) -> bool:
    """Whether a store URL names a PostgreSQL database."""
    return url.startswith(("postgres://", "postgresql://"))


__all__ = ["Store", "is_postgres", "open_store"]
