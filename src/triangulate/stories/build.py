"""Signals from stored articles, and clustering the store as articles arrive.

``cluster_stored`` places the articles that have no story yet. It loads only
the stories still open around their days (plus the newest undated ones), as
they were stored, so a run costs the new articles and a bounded neighbourhood,
never the archive. ``recluster`` forgets every story and rebuilds them from
all articles in date order with one refinement round.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta

import numpy as np

from ..embed import Embedder, embedder, encode_cached, text_key
from ..ingest.segment import headline_subject
from ..language.sentences import sentence_bounds
from ..model import Analysis, Article, Story, day_of_iso
from . import Params, Signal, StoryIndex, terms

BODY_SENTENCES = 12  # the embedding covers the headline and this many opening sentences
QUOTE_WORDS = 6  # quotes of at least this many words are matched across articles
UNDATED_STORIES = 500  # undated new articles are compared with this many newest stories


def day_of(article: Article) -> date | None:
    """The day an article was published (or its dateline's date)."""
    return day_of_iso(article.published) or day_of_iso(article.dateline.date)


def _opening(article: Article, analysis: Analysis | None) -> list[str]:
    if analysis is not None:
        sentences = [s.text for s in analysis.sentences[:BODY_SENTENCES]]
    else:
        sentences = [article.text[s:e] for s, e in sentence_bounds(article.text[:5000])[:BODY_SENTENCES]]
    return [article.title, *sentences] if article.title else sentences or [article.text[:500]]


def _quote_keys(article: Article, analysis: Analysis | None) -> frozenset[str]:
    if analysis is None:
        return frozenset()
    keys = set()
    for quote in analysis.quotes:
        words = re.findall(r"\w+", quote.text.lower())
        if len(words) >= QUOTE_WORDS:
            keys.add(" ".join(words[:QUOTE_WORDS]))
    return frozenset(keys)


def body_key(article: Article, model: Embedder) -> str:
    """The cache key of an article's story vector (its headline and opening, embedded by ``model``)."""
    return text_key(f"story-body\0{article.id}", model.model_id)


def body_vectors(articles: list[Article], analyses: list[Analysis | None], model: Embedder, store=None) -> list:
    """One unit vector per article: the mean embedding of its headline and opening sentences (cached, and the
    sentences' own vectors too)."""
    keys = [body_key(a, model) for a in articles]
    found = store.vectors(keys) if store is not None else {}
    missing = [i for i, key in enumerate(keys) if key not in found]
    if missing:
        texts, spans = [], []
        for i in missing:
            opening = _opening(articles[i], analyses[i])
            spans.append((len(texts), len(texts) + len(opening)))
            texts.extend(opening)
        # each sentence once, through the store's cache: wire copies share their headline and opening, and a
        # third of the claims that corroboration embeds later are these sentences
        encoded = encode_cached(store, model, texts)
        fresh = {}
        for i, (s, e) in zip(missing, spans, strict=True):
            mean = encoded[s:e].mean(axis=0)
            fresh[keys[i]] = (mean / (float(np.linalg.norm(mean)) or 1.0)).astype(np.float32)
        if store is not None:
            store.save_vectors(fresh)
        found = {**found, **fresh}
    return [found[key] for key in keys]


def signals(
    articles: list[Article],
    analyses: list[Analysis | None],
    model: Embedder | None = None,
    store=None,
    params: Params | None = None,
) -> list[Signal]:
    """What clustering needs of each article; embeddings come from ``store``'s cache when it has them."""
    bodies = body_vectors(articles, analyses, model, store) if model is not None else [None] * len(articles)
    made = []
    for article, analysis, body in zip(articles, analyses, bodies, strict=True):
        text = f"{article.title}\n{article.text}" if article.title else article.text
        entities = frozenset(m.entity_id for m in analysis.mentions if m.entity_id) if analysis else frozenset()
        made.append(
            Signal(
                article.id,
                article.title,
                terms(text, article.language, params),
                body,
                entities,
                _quote_keys(article, analysis),
                day_of(article),
                article.outlet,
                not article.title_derived,
                None if article.title_derived else headline_subject(article.title),
            )
        )
    return made


def _order(signal: Signal) -> tuple:
    return (signal.day or date.max, signal.article_id)


def cluster_stored(store, settings, on_progress: Callable[[int, int], None] | None = None) -> int:
    """Place every article that has no story yet; return how many were placed.

    It holds the store's clustering lock from reading the unplaced articles to
    writing the stories, so concurrent runs place each article once, one after
    the other, as a sequential run would.
    """
    with store.clustering():
        return _place_new(store, settings, on_progress)


def _place_new(store, settings, on_progress: Callable[[int, int], None] | None) -> int:
    new = store.unclustered()
    if not new:
        return 0
    params = Params()
    model = embedder(settings.embedding)
    index = StoryIndex(params)
    days = [d for d in (day_of(a) for a in new) if d]
    since = min(days) - timedelta(days=params.window_days) if days else None
    neighbours = store.stories_since(since, undated=UNDATED_STORIES if len(days) < len(new) else 0)
    for record in neighbours:
        members = [store.article(m) for m in record.article_ids]
        index.restore(record.id, signals(members, [store.analysis(m.id) for m in members], model, store, params))
    fresh = sorted(signals(new, [store.analysis(a.id) for a in new], model, store, params), key=_order)
    for done, signal in enumerate(fresh, 1):
        index.add(signal)
        if on_progress:
            on_progress(done, len(fresh))
    index.refine(params.rounds)
    changed, removed = index.take_changes()
    store.save_stories(changed, removed)
    return len(fresh)


def recluster(store, settings) -> list[Story]:
    """Forget every story and cluster all articles again, oldest first, then refine."""
    with store.clustering():
        return _rebuild(store, settings)


def _rebuild(store, settings) -> list[Story]:
    params = Params()
    model = embedder(settings.embedding)
    articles = store.articles()
    found = sorted(signals(articles, [store.analysis(a.id) for a in articles], model, store, params), key=_order)
    index = StoryIndex(params)
    index.assign(found)
    index.refine(params.rounds)
    records = index.records()
    store.replace_stories(records)
    return records


__all__ = ["body_vectors", "cluster_stored", "day_of", "recluster", "signals"]
