"""Ingest on a Dask cluster: per-article work on the workers, the order-sensitive steps in one writer.

``ingest_on_dask(sources, settings, store, "local")`` (a LocalCluster with a
worker process per core; ``local:N`` for N) or ``"tcp://HOST:8786"`` (a
running scheduler whose workers see the same paths) splits an ingest in two:

- **workers** read and clean the items (files in batches, URLs), then run the
  costly, order-free part of each article: spaCy's recogniser and parser
  (three quarters of the language layer) and the sentence embedding that
  story clustering compares. Models load once per worker process (the
  loaders are cached per process), never per task.
- **one writer** (this process) stores the articles in the order a plain run
  would, runs the language rules over the recogniser's output in the plain
  run's batches (the entity registry grows batch by batch, so batches must
  not change), and places articles into stories under the store's
  clustering lock.

The workers' output enters the writer only through the store's caches, which
a plain run reads the same way, so the stories, claim groups and statuses are
the plain run's. The writer asks for a batch's spans when it reaches it and
waits only if the workers are behind.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from .config import Settings
from .errors import FetchError, InputError, TriangulateError
from .ingest.sources import folder_files, is_url, read_sources
from .model import Article, Outcome, Sentence

READ_BATCH = 16  # files read per task
ANALYSIS_BATCH = 32  # articles per recogniser task: the batch of analyse_stored, which the writer keeps
CONNECT_SECONDS = 30


@dataclass
class Report:
    """What a distributed ingest did, and where its time went."""

    added: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: list[dict[str, str]] = field(default_factory=list)
    workers: int = 0
    seconds: dict[str, float] = field(default_factory=dict)  # "total"; "writer", "writer_cpu": the writer's own work


def ingest_on_dask(
    sources: list[str],
    settings: Settings,
    store,
    address: Any,
    *,
    analyse: bool = True,
    stdin=None,
    on_error: Callable[[str], None] | None = None,
) -> Report:
    """Ingest ``sources`` into ``store`` with the per-article work on Dask; ``address`` may be a ``Client``.

    Example:
        >>> from triangulate.store import open_store
        >>> report = ingest_on_dask(["no/such/file.txt"], Settings(), open_store(":memory:"), "local:1")
        >>> report.failed[0]["item"], report.workers
        ('no/such/file.txt', 1)
    """
    from .language import VERSION, analyse_stored
    from .stories.build import cluster_stored

    report = Report()
    started, cpu = time.perf_counter(), time.process_time()
    writer = 0.0

    def failed(item: str, error: BaseException) -> None:
        report.failed.append({"item": item, "error": str(error)})
        if on_error:
            on_error(str(error))

    with _client(address) as client:
        report.workers = len(client.scheduler_info(n_workers=-1)["workers"])
        for item, articles, error in _read(client, sources, settings, stdin):
            if error is not None:
                failed(item, error)
                continue
            mark = time.perf_counter()
            for article in articles or []:
                (report.added if store.add_article(article) else report.unchanged).append(article.id)
            writer += time.perf_counter() - mark
        if analyse:
            pending = store.unanalysed(VERSION)
            batches = [pending[i : i + ANALYSIS_BATCH] for i in range(0, len(pending), ANALYSIS_BATCH)]
            prepared = _Prepared(store, [client.submit(prepare, b, settings.embedding, pure=False) for b in batches])
            analyse_stored(
                prepared,
                batch=ANALYSIS_BATCH,
                on_error=lambda article, error: failed(article.source or article.id, error),
                seconds=settings.item_seconds,
            )
            prepared.save_vectors_of_analysed()
            mark = time.perf_counter()
            cluster_stored(store, settings)
            writer += prepared.writing + time.perf_counter() - mark
    # the writer's CPU seconds: this process never runs the recogniser or the encoder, so this is its own work
    # (and Dask's client), a figure a shared machine's load does not inflate as it does the wall clock
    report.seconds = {"total": time.perf_counter() - started, "writer": writer, "writer_cpu": time.process_time() - cpu}
    return report


@contextlib.contextmanager
def _client(address: Any) -> Iterator[Any]:
    """A Dask client: the one given, a LocalCluster for ``local``/``local:N``, or one connected to a scheduler."""
    if not isinstance(address, str):
        yield address
        return
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:
        raise TriangulateError("Dask is not installed; run pip install 'triangulate[dask]'", item="--dask") from None
    if address == "local" or address.startswith("local:"):
        count = address.partition(":")[2]
        if count and not (count.isdigit() and int(count) > 0):
            raise InputError(
                f"{address!r} is not local, local:N (N worker processes) or a scheduler address tcp://HOST:8786",
                item="--dask",
            )
        workers = int(count) if count else os.cpu_count() or 1
        with (
            LocalCluster(
                n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=40
            ) as cluster,
            Client(cluster) as client,
        ):
            yield client
        return
    try:
        client = Client(address, timeout=CONNECT_SECONDS)
    except (OSError, TimeoutError) as exc:
        raise FetchError(
            f"cannot reach the Dask scheduler ({exc}); start one with `dask scheduler` and workers with "
            "`dask worker ADDRESS`, or use --dask local",
            item=address,
        ) from None
    with client:
        yield client


def _read(client, sources: list[str], settings: Settings, stdin) -> Iterator[Outcome]:
    """Every item's outcome in the order a plain ingest gives them; files and URLs are read on the workers."""
    slots: list[Any] = []  # per source, in order: outcomes already known, or the futures reading its items
    for source in sources:
        if source == "-" or not (is_url(source) or Path(source).exists()):
            slots.append(list(read_sources([source], settings, stdin=stdin)))  # stdin, or a missing path's error
            continue
        if Path(source).is_dir():
            files, unlisted = folder_files(Path(source))
            slots.append(unlisted)
            units = [str(f) for f in files]
        else:
            units = [source]
        chunks = [units[i : i + READ_BATCH] for i in range(0, len(units), READ_BATCH)]
        slots += [client.submit(read, chunk, settings, pure=False) for chunk in chunks]
    for slot in slots:
        yield from slot if isinstance(slot, list) else slot.result()


def read(items: list[str], settings: Settings) -> list[Outcome]:
    """On a worker: read and clean files or URLs into articles (each item's error kept as its outcome)."""
    return list(read_sources(items, settings))


def prepare(articles: list[Article], embedding: str) -> tuple[dict[str, list], list[tuple[str, str, list, Any]]]:
    """On a worker: the recogniser's spans and parse of each text, and each article's story embedding.

    Returns the spans by cache key, and (article id, vector key, opening
    sentences, vector) per article: the writer stores a vector only when the
    article's analysis has those opening sentences, as a plain run would.
    """
    from .embed import embedder
    from .language._nlp import recognise_cached
    from .language.sentences import sentence_bounds
    from .stories.build import BODY_SENTENCES, body_key, body_vectors

    os.environ["TRIANGULATE_PROCESSES"] = "1"  # a Dask worker is the unit of parallelism; it may not fork spaCy's
    spans = _Cache()
    recognise_cached([a.text for a in articles], spans)
    openings = [
        SimpleNamespace(sentences=[Sentence.of(a, s, e) for s, e in sentence_bounds(a.text)[:BODY_SENTENCES]])
        for a in articles
    ]
    vectors, model = _Cache(), embedder(embedding)
    body_vectors(articles, openings, model, vectors)
    keys = [body_key(a, model) for a in articles]  # the cache also holds each opening sentence's own vector
    return spans.saved, [
        (a.id, key, [s.text for s in o.sentences], vectors.saved[key])
        for a, o, key in zip(articles, openings, keys, strict=True)
    ]


def model_loads() -> dict[str, int]:
    """On a worker: how many times this process has loaded each model (1 each once it has worked)."""
    from .embed import embedder
    from .language._nlp import pipeline

    return {"spacy": pipeline.cache_info().misses, "embedder": embedder.cache_info().misses, "pid": os.getpid()}


class _Cache:
    """A store's cache methods over a dict: what a worker computes, collected to send to the writer."""

    def __init__(self) -> None:
        self.saved: dict[str, Any] = {}

    def recognised(self, keys: list[str]) -> dict:
        return {}

    def save_recognised(self, spans: dict[str, list]) -> None:
        self.saved.update(spans)

    def vectors(self, keys: list[str]) -> dict:
        return {}

    def save_vectors(self, vectors: dict[str, Any]) -> None:
        self.saved.update(vectors)


class _Prepared:
    """The store, whose recogniser cache is filled from the workers' results as the writer reaches them."""

    def __init__(self, store, futures: list) -> None:
        self._store = store
        self._futures = list(futures)
        self._vectors: list[tuple[str, str, list, Any]] = []
        self.writing = 0.0  # the writer's own seconds in the store and the language rules (not waiting)
        self._mark = time.perf_counter()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)

    def recognised(self, keys: list[str]) -> dict[str, list]:
        found = self._store.recognised(keys)
        self.writing += time.perf_counter() - self._mark  # the rules of the batch before this one
        while self._futures and len(found) < len(set(keys)):
            spans, vectors = self._futures.pop(0).result()
            self._store.save_recognised(spans)
            self._vectors += vectors
            found = self._store.recognised(keys)
        self._mark = time.perf_counter()
        return found

    def save_vectors_of_analysed(self) -> None:
        """Store the workers' embeddings of the articles whose analysis opens with the sentences they embedded."""
        from .stories.build import BODY_SENTENCES

        self.writing += time.perf_counter() - self._mark
        mark = time.perf_counter()
        for future in self._futures:  # batches the writer never reached (every article in them failed)
            self._vectors += future.result()[1]
        kept = {}
        for article_id, key, opening, vector in self._vectors:
            analysis = self._store.analysis(article_id)
            if analysis is not None and [s.text for s in analysis.sentences[:BODY_SENTENCES]] == opening:
                kept[key] = vector
        self._store.save_vectors(kept)
        self.writing += time.perf_counter() - mark
