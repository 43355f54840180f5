"""One facade over the store and the stages: ingest, analyse, cluster, corroborate, brief, check.

The CLI and the web app only parse input and render output; whatever they do to
articles and stories goes through a :class:`Workspace`, in the manner of
sqlite-utils' ``Database`` (a library first, the command line a thin wrapper).
Every call returns plain records.

A Workspace holds one store connection and is not shared between threads: the
web app opens one per worker thread, all sharing one :class:`Cache`, whose
entries are keyed by the content they were made from (a story's articles and the
rules' versions), so a cached brief is never stale.

Example:
    >>> ws = Workspace(":memory:")
    >>> report = ws.ingest(["examples/vladivostok"])
    >>> len(report.added), report.failed
    (7, [])
    >>> [row.size for row in ws.stories()]
    [5, 1, 1]
    >>> ws.brief(ws.stories()[0].id).headline[:5]
    'Putin'
    >>> ws.close()
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any, BinaryIO

from .config import Settings, load_settings
from .errors import InputError, TriangulateError
from .ingest.sources import display, is_url, read_document, read_sources
from .model import Analysis, Article, Story
from .store import Store, open_store

Progress = Callable[[str, int, int | None], None]  # (stage, done, total) for "ingesting", "analysing", "clustering"
ErrorSink = Callable[[str, str], None]  # (item, message), called as soon as an item fails


@dataclass(frozen=True)
class Document:
    """Bytes to ingest that come from no path: a pasted text or an uploaded file.

    ``name`` names the item in results and errors, and its extension picks the
    reader (``.html``, ``.jsonl``, ``.xml`` …) as a file's would; it is never
    opened as a path.
    """

    name: str
    data: bytes


@dataclass
class ItemResult:
    """What became of one item: the ids of its articles (new ones also in ``added``), or its error."""

    item: str
    articles: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    error: str | None = None

    @property
    def unchanged(self) -> list[str]:
        return [i for i in self.articles if i not in self.added]

    def to_dict(self) -> dict[str, Any]:
        return {"item": self.item, "added": self.added, "unchanged": self.unchanged, "error": self.error}


@dataclass
class IngestReport:
    """Per-item results of one ingest, in order; the analysis failures come last, one item each."""

    items: list[ItemResult] = field(default_factory=list)

    @property
    def added(self) -> list[str]:
        return [i for item in self.items for i in item.added]

    @property
    def unchanged(self) -> list[str]:
        return [i for item in self.items for i in item.unchanged]

    @property
    def articles(self) -> list[str]:
        """Every article id the items gave, new or not, in order."""
        return [i for item in self.items for i in item.articles]

    @property
    def failed(self) -> list[dict[str, str]]:
        return [{"item": item.item, "error": item.error} for item in self.items if item.error is not None]

    def to_dict(self) -> dict[str, Any]:
        return {
            "added": self.added,
            "unchanged": self.unchanged,
            "failed": self.failed,
            "items": [item.to_dict() for item in self.items],
        }


@dataclass(frozen=True)
class StoryRow:
    """One line of the story list: the story, its outlets and its articles' titles (for search)."""

    story: Story
    outlets: tuple[str, ...]
    titles: tuple[str, ...] = ()

    id = property(lambda self: self.story.id)
    title = property(lambda self: self.story.title)
    article_ids = property(lambda self: self.story.article_ids)
    first_seen = property(lambda self: self.story.first_seen)
    last_seen = property(lambda self: self.story.last_seen)

    @property
    def size(self) -> int:
        return len(self.story.article_ids)

    def to_dict(self) -> dict[str, Any]:
        return {**self.story.to_dict(), "outlets": list(self.outlets)}


@dataclass(frozen=True)
class StoryView:
    """One story with its articles (text included) and outlets."""

    story: Story
    articles: list[Article]
    outlets: list[str]

    def to_dict(self) -> dict[str, Any]:
        return {**self.story.to_dict(), "outlets": self.outlets, "articles": [a.to_dict() for a in self.articles]}


class Cache:
    """A small thread-safe LRU map shared by the workspaces of one process (the web app's threads)."""

    def __init__(self, size: int = 512) -> None:
        self.size = size
        self._items: OrderedDict[Any, Any] = OrderedDict()
        self._lock = threading.Lock()
        self.headings: dict[str, tuple[str | None, str]] = {}  # article id → (outlet, title); ids never go stale
        self.corroborated = 0  # how many corroborations were cached: claim counts shown with a list may change

    def get(self, key: Any) -> Any:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        return None

    def put(self, key: Any, value: Any) -> Any:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self.headings.clear()


class Workspace:
    """The store and the stages behind one set of plain calls.

    Args:
        db: an SQLite path or store URL, or an open :class:`~triangulate.store.Store` (then it is the caller's
            to close).
        settings: defaults, ``triangulate.toml`` and ``TRIANGULATE_*`` when not given.
        cache: share one between the workspaces of one process.
        read_only: open the store read-only and never write to it (``serve --read-only``): briefs and vectors
            made here stay in memory.
    """

    def __init__(
        self,
        db: str | Store | None = None,
        settings: Settings | None = None,
        cache: Cache | None = None,
        read_only: bool = False,
    ):
        settings = settings or load_settings()
        if db is None or isinstance(db, str):
            settings = settings.but(db=db)
            self.store: Store = open_store(settings.db, read_only=read_only)
            self._owns_store = True
        else:
            self.store = db
            self._owns_store = False
        self.settings = settings
        self.cache = cache if cache is not None else Cache()

    def close(self) -> None:
        if self._owns_store:
            self.store.close()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- ingest and the stages -------------------------------------------------------------------

    def ingest(
        self,
        sources: Iterable[str | Document],
        *,
        analyse: bool = True,
        paths: bool = True,
        stdin: BinaryIO | None = None,
        on_error: ErrorSink | None = None,
        on_progress: Progress | None = None,
    ) -> IngestReport:
        """Read sources into the store, each article in its own transaction; then analyse and cluster what is new.

        A bad item is one :class:`ItemResult` with its error and never stops the
        batch. With ``paths=False`` (the web app) a string must be an http(s)
        URL: local paths and ``-`` are refused, item by item.
        """
        report = IngestReport()

        def failed(item: str, message: str) -> None:
            report.items.append(ItemResult(item, error=message))
            if on_error:
                on_error(item, message)

        done = 0
        for item, articles, error in self._outcomes(list(sources), paths, stdin):
            done += 1
            if on_progress:
                on_progress("ingesting", done, None)
            if error is not None:
                failed(item, str(error))
                continue
            result = ItemResult(item)
            for article in articles or []:
                result.articles.append(article.id)
                if self.store.add_article(article):
                    result.added.append(article.id)
            report.items.append(result)
        if analyse:
            for article, error in self.analyse(on_progress=on_progress):
                failed(article.source or article.id, str(error))
            self.cluster(on_progress=on_progress)
        return report

    def _outcomes(self, sources: list[str | Document], paths: bool, stdin: BinaryIO | None) -> Iterable[tuple]:
        run: list[str] = []  # consecutive strings are read in one call, as the command line gives them
        for source in [*sources, None]:
            if isinstance(source, str) and (paths or is_url(source)):
                run.append(source)
                continue
            if run:
                yield from read_sources(run, self.settings, stdin=stdin)
                run = []
            if isinstance(source, Document):
                yield from read_document(source.data, source.name, self.settings)
            elif isinstance(source, str):
                name = display(source)[:200]
                yield name, None, InputError("only http(s) URLs can be submitted here; give a full URL", item=name)

    def analyse(self, on_progress: Progress | None = None) -> list[tuple[Article, TriangulateError]]:
        """Run the language layer over stored articles lacking a current analysis; return the ones it failed on."""
        from .language import analyse_stored

        failed: list[tuple[Article, TriangulateError]] = []
        analyse_stored(
            self.store,
            on_progress=(lambda done, total: on_progress("analysing", done, total)) if on_progress else None,
            on_error=lambda article, error: failed.append((article, error)),
            seconds=self.settings.item_seconds,
        )
        return failed

    def pending(self) -> int:
        """How many stored articles lack a current analysis (and did not fail)."""
        from .language import VERSION

        return len(self.store.unanalysed(VERSION))

    def cluster(self, on_progress: Progress | None = None) -> int:
        """Place the articles that have no story yet; return how many were placed.

        The new members of stories of two or more articles then have their claims and quotes embedded, so the
        first brief of such a story finds every vector cached (:func:`~triangulate.corroborate.embed_new_members`).
        """
        from .corroborate import embed_new_members
        from .embed import embedder
        from .stories.build import cluster_stored

        new = [a.id for a in self.store.unclustered()]
        placed = cluster_stored(
            self.store,
            self.settings,
            on_progress=(lambda done, total: on_progress("clustering", done, total)) if on_progress else None,
        )
        if new:
            embed_new_members(self.store, embedder(self.settings.embedding), new)
        return placed

    def catch_up(self, on_progress: Progress | None = None) -> None:
        """Analyse and cluster what an ``--no-analysis`` ingest left, if anything."""
        if self.store.unclustered() and self.store.count():
            self.analyse(on_progress)
            self.cluster(on_progress)

    def recluster(self, on_progress: Progress | None = None) -> list[Story]:
        """Analyse what is pending, forget every story and cluster all articles again, oldest first."""
        from .stories.build import recluster

        self.analyse(on_progress)
        return recluster(self.store, self.settings)

    # -- reading ---------------------------------------------------------------------------------

    def articles(self, limit: int | None = None) -> list[Article]:
        """Stored articles, newest published first."""
        return self.store.articles(limit)

    def article(self, article_id: str, analysed: bool = True) -> tuple[Article, Analysis | None]:
        """One article (id or unique prefix) and its analysis, made and stored on first use when ``analysed``."""
        from .language import VERSION, analyse

        found = self.store.article(article_id)
        if not analysed:
            return found, None
        analysis = self.store.analysis(found.id)
        if analysis is None or analysis.version != VERSION:
            analysis = analyse(found, self.store.entities(), store=self.store)
            self.store.save_analysis(analysis)
        return found, analysis

    def version(self) -> Any:
        """A marker that changes when anything is written to the store, by any process (None: unknown)."""
        marker = getattr(self.store, "data_version", None)
        return marker() if marker else None

    def stories(
        self,
        *,
        query: str | None = None,
        outlet: str | None = None,
        since: date | None = None,
        until: date | None = None,
        min_articles: int = 1,
        cached_only: bool = False,
    ) -> list[StoryRow] | None:
        """Stories, the most recently active first, filtered.

        ``query`` matches words of the story's or any of its articles' titles
        (case-insensitive, every word); ``outlet`` one of its outlets; ``since``
        and ``until`` keep the stories whose days overlap them. With
        ``cached_only``, None unless the list is cached and current (a quick answer or none).
        """
        rows = self._story_rows(cached_only)
        if rows is None:
            return None
        if not (query or outlet or since or until) and min_articles <= 1:
            return rows
        words = (query or "").lower().split()
        wanted = (outlet or "").strip().lower()
        chosen = []
        for row in rows:
            if row.size < min_articles:
                continue
            if wanted and wanted not in (o.lower() for o in row.outlets):
                continue
            if since and (row.last_seen is None or row.last_seen < since):
                continue
            if until and (row.first_seen is None or row.first_seen > until):
                continue
            if words:
                haystack = " ".join((row.title, *row.titles)).lower()
                if not all(w in haystack for w in words):
                    continue
            chosen.append(row)
        return chosen

    def outlets(self) -> list[str]:
        """Every outlet of a clustered article, sorted."""
        return sorted({o for row in self._story_rows() for o in row.outlets})

    def _story_rows(self, cached_only: bool = False) -> list[StoryRow] | None:
        """Every story's row, made again only when the store has changed since (a write by anyone).

        The marker is this connection's, so the rows are kept per connection; the articles' headings they are
        made of are shared.
        """
        version = self.version()
        key = ("story-rows", id(self.store))
        held = self.cache.get(key)
        if held and version is not None and held[0] == version:
            return held[1]
        if cached_only:
            return None
        stories = self.store.stories()
        if sum(1 for s in stories for i in s.article_ids if i not in self.cache.headings) > 100:
            for article in self.store.articles():  # one read beats one look-up per article
                self.cache.headings[article.id] = (article.outlet, article.title)
        rows = [self._row(story) for story in stories]
        self.cache.put(key, (version, rows))
        return rows

    def adopt_story_rows(self, source: Workspace, since: Any) -> None:
        """Keep for this connection the story rows ``source`` (another connection to the same store) made, when
        this connection's marker is still ``since``, read before ``source`` made them: nothing was written in
        between, so they are this connection's rows too, and a pool of threads need not make them once each."""
        if since is None or self.version() != since:
            return
        held = source.cache.get(("story-rows", id(source.store)))
        if held is not None:
            self.cache.put(("story-rows", id(self.store)), (since, held[1]))

    def _row(self, story: Story) -> StoryRow:
        members = [self._heading(i) for i in story.article_ids]
        outlets = tuple(sorted({outlet for outlet, _ in members if outlet}))
        return StoryRow(story, outlets, tuple(title for _, title in members))

    def _heading(self, article_id: str) -> tuple[str | None, str]:
        """An article's outlet and title, cached by id (an id is a hash of the content, so it never goes stale)."""
        found = self.cache.headings.get(article_id)
        if found is None:
            article = self.store.article(article_id)
            found = self.cache.headings[article_id] = (article.outlet, article.title)
        return found

    def story(self, story_id: str) -> StoryView:
        """One story (id or unique prefix) with its articles and outlets."""
        story = self.store.story(story_id)
        members = [self.store.article(i) for i in story.article_ids]
        return StoryView(story, members, sorted({a.outlet for a in members if a.outlet}))

    def content_key(self, story: Story) -> str:
        """What a story's corroboration and brief are made from: its articles, the rules' versions and the code
        itself (a stored brief outlives the process, so any change to the package makes a new key)."""
        from .language import VERSION

        made_of = "\0".join([story.id, *story.article_ids, VERSION, self.settings.embedding, code_version()])
        return hashlib.sha1(made_of.encode()).hexdigest()[:16]

    def _loaded(self, story_id: str) -> tuple:
        """The story, its articles, their analyses and their corroboration, cached by the story's content."""
        from .corroborate import corroborate, load_story
        from .embed import embedder

        story = self.store.story(story_id)
        key = ("story", self.content_key(story))
        found = self.cache.get(key)
        if found is None:
            story, articles, analyses = load_story(self.store, story.id)
            corroboration = corroborate(articles, analyses, embedder(self.settings.embedding), self.store)
            found = self.cache.put(key, (story, articles, analyses, corroboration))
            self.cache.corroborated += 1
        return found

    def corroboration(self, story_id: str) -> tuple:
        """The story, its articles and their :class:`~triangulate.corroborate.Corroboration` (cached)."""
        story, articles, _, corroboration = self._loaded(story_id)
        return story, articles, corroboration

    def cached_counts(self, story: StoryRow | Story) -> dict[str, int] | None:
        """Claim groups by status when the story's corroboration or brief is cached already, else None (never
        computes)."""
        key = self.content_key(story)
        found = self.cache.get(("story", key))
        if found is None:
            return self.cache.get(("counts", key))
        return _counts(found[3])

    def claims(self, story_id: str, status: str | None = None) -> list:
        """The story's claim groups (``status``: only those), each with its members, opposition and reason."""
        return [g for g in self.corroboration(story_id)[2].claims if status in (None, g.status)]

    def quotes(self, story_id: str) -> list:
        """The story's quote groups: each utterance with its wordings in every outlet."""
        return self.corroboration(story_id)[2].quotes

    def brief(self, story_id: str) -> Any:
        """The story's :class:`~triangulate.brief.Brief` (extractive, deterministic; cached)."""
        from .brief import build_brief

        story = self.store.story(story_id)
        content = self.content_key(story)
        found = self.cache.get(("brief", content))
        if found is None:
            found = self._stored_brief(content)
        if found is None:
            story, articles, analyses, corroboration = self._loaded(story.id)
            found = build_brief(story, articles, analyses, corroboration, self.store.entities())
            counts = _counts(corroboration)
            kept = json.dumps({"brief": found.to_dict(), "counts": counts}, sort_keys=True)
            self.store.save_brief(content, story.id, kept)
        return self.cache.put(("brief", content), found)

    def _stored_brief(self, content: str) -> Any:
        """The brief kept in the store under its content key (another process made it), its counts cached too."""
        from .brief import Brief

        data = self.store.brief(content)
        if data is None:
            return None
        held = json.loads(data)
        self.cache.put(("counts", content), held["counts"])
        self.cache.corroborated += 1  # counts shown with a story list may change
        return Brief.from_dict(held["brief"])

    def rewrite(self, brief: Any) -> Any:
        """The brief rewritten by the model writer (``writer_url``), each sentence checked against its sources."""
        from .brief.writer import rewrite
        from .embed import embedder

        return rewrite(brief, self.settings, embedder(self.settings.embedding))

    def check(
        self,
        text: str,
        stories: Iterable[str] = (),
        sources: Iterable[str | Document] = (),
        *,
        paths: bool = True,
        stdin: BinaryIO | None = None,
        on_error: ErrorSink | None = None,
    ) -> Any:
        """Check ``text`` against stored stories' articles and documents read on the fly (never stored).

        Returns the :class:`~triangulate.check.CheckReport`: every sentence supported, partly supported,
        contradicted or unsupported, every quotation verbatim, stitched, a paraphrase or not found.
        """
        from .check import check
        from .corroborate import load_story

        articles: list[Article] = []
        analyses: list[Analysis | None] = []
        for item, found, error in self._outcomes(list(sources), paths, stdin):
            if error is not None:
                if on_error:
                    on_error(item, str(error))
                continue
            articles += found or []
            analyses += [None] * len(found or [])
        for story_id in stories:
            story = self.store.story(story_id)
            held = self.cache.get(("story", self.content_key(story)))
            _, members, made = held[:3] if held else load_story(self.store, story.id)
            articles += members
            analyses += made
        if not articles:
            raise InputError("no source article could be read; give a stored STORY id or readable files/URLs")
        return check(text, articles, analyses, store=self.store, settings=self.settings)

    def brief_stories(self, report: IngestReport) -> list[str]:
        """The stories the articles of an ingest belong to, in the order the articles came."""
        return list(dict.fromkeys(s for s in (self.store.story_of(i) for i in report.articles) if s))


def _counts(corroboration: Any) -> dict[str, int]:
    """Claim groups by status."""
    counts: dict[str, int] = {}
    for group in corroboration.claims:
        counts[group.status] = counts.get(group.status, 0) + 1
    return counts


@cache
def code_version() -> str:
    """A fingerprint of the package's code and data files, read once per process: a brief kept in the store
    by another version of triangulate is never served."""
    root = Path(__file__).resolve().parent
    digest = hashlib.sha1()
    for path in sorted(p for p in root.rglob("*") if p.suffix in (".py", ".json") and p.is_file()):
        digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


__all__ = ["Cache", "Document", "IngestReport", "ItemResult", "StoryRow", "StoryView", "Workspace"]
