"""The language layer: sentences, entities, quotes, quantities, times and claims as spans.

``analyse(article)`` runs every step and returns an :class:`Analysis` whose
records all point into ``article.text``.

Example:
    >>> from triangulate.model import Article
    >>> a = Article.build('"We are ready," Vladimir Putin said on Friday.', title="t", published="2025-09-05")
    >>> result = analyse(a)
    >>> result.quotes[0].text, result.quotes[0].speaker.name, result.times[0].value
    ('We are ready,', 'Vladimir Putin', '2025-09-05')
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from datetime import date

from ..model import Analysis, Article, Entity, Sentence
from ._nlp import recognise_cached
from .claims import find_claims
from .entities import Registry, resolve_entities
from .marks import quote_spans
from .quantities import find_quantities
from .quotes import find_quotes
from .sentences import sentence_bounds
from .speakers import reported_speech
from .times import anchor_date, find_times

VERSION = "language.v6"
"""Bump when any rule changes, so stored analyses are recomputed."""


def analyse(
    article: Article, known: Mapping[str, Entity] | None = None, fallback_date: date | None = None, store=None
) -> Analysis:
    """Run the whole language layer over one article."""
    return analyse_many([article], known, fallback_date, store=store)[0]


def analyse_many(
    articles: Iterable[Article],
    known: Mapping[str, Entity] | None = None,
    fallback_date: date | None = None,
    timings: dict[str, float] | None = None,
    store=None,
) -> list[Analysis]:
    """Analyse a batch, running the recogniser over all texts in one pass (faster than one by one).

    ``known`` holds entities from other articles (for surnames and roles);
    ``fallback_date`` anchors relative times in articles that print no date of
    their own; ``timings``, when given, collects seconds spent per step;
    ``store``, when given, caches the recogniser's spans by text.
    """
    articles = list(articles)
    clock = timings if timings is not None else {}

    def timed(step, fn, *args):
        started = time.perf_counter()
        result = fn(*args)
        clock[step] = clock.get(step, 0.0) + time.perf_counter() - started
        return result

    parsed = timed("entities and parse (spaCy)", recognise_cached, [a.text for a in articles], store)
    ner = [entities for entities, _ in parsed]
    bounds = [timed("sentences", sentence_bounds, a.text) for a in articles]
    known = Registry(known or {})
    if len(articles) > 1:  # roles and full names seen anywhere in the batch help every member
        found = Registry(known)
        for article, spans, b in zip(articles, ner, bounds, strict=True):
            for entity in timed("entities (rules)", resolve_entities, article, spans, b, known)[1]:
                found[entity.id] = _merged(found.get(entity.id), entity)
        known = found
    results = []
    for article, spans, b, (_, tokens) in zip(articles, ner, bounds, parsed, strict=True):
        sentences = [Sentence.of(article, s, e) for s, e in b]
        mentions, entities = timed("entities (rules)", resolve_entities, article, spans, b, known)
        marked = timed("quotes", quote_spans, article.text)
        quotes = timed("quotes", find_quotes, article, b, mentions, entities, marked, tokens)
        quantities = timed("quantities", find_quantities, article)
        anchor, source = anchor_date(article, fallback_date)
        times = timed("times", find_times, article, anchor)
        reported = timed("claims", reported_speech, article, b, mentions, entities, marked, tokens)
        iso = anchor.isoformat() if anchor else None
        names = {e.id: e.name for e in entities}
        claims = timed(
            "claims", find_claims, article, sentences, mentions, quotes, quantities, times, reported, iso, names, tokens
        )
        results.append(
            Analysis(article.id, VERSION, iso, source, sentences, mentions, entities, quotes, quantities, times, claims)
        )
    return results


def _merged(old: Entity | None, new: Entity) -> Entity:
    if old is None:
        return new
    names = {old.name, new.name}
    longest = max(names, key=lambda n: (len(n.split()), n == old.name))
    aliases = tuple(sorted((set(old.aliases) | set(new.aliases) | names) - {longest}))
    return Entity(old.id, old.label, longest, aliases, tuple(dict.fromkeys([*old.roles, *new.roles])))


def batch_date(articles: Iterable[Article]) -> date | None:
    """The median own date of a batch of articles: the anchor for members that print no date."""
    dated = sorted(d for d, _ in (anchor_date(a) for a in articles) if d is not None)
    return dated[len(dated) // 2] if dated else None


def analyse_stored(store, batch: int = 32, on_progress=None) -> int:
    """Analyse every stored article that lacks a current analysis; return how many were analysed.

    Articles go through the recogniser in batches; each batch's median date
    anchors the relative times of members that print no date of their own.
    """
    pending = store.unanalysed(VERSION)
    fallback = batch_date(pending)
    known = store.entities()  # read once; each batch's entities are merged in as it is saved
    done = 0
    for i in range(0, len(pending), batch):
        chunk = pending[i : i + batch]
        for analysis in analyse_many(chunk, known, fallback, store=store):
            store.save_analysis(analysis)
            for entity in analysis.entities:
                known[entity.id] = _merged(known.get(entity.id), entity)
            done += 1
            if on_progress:
                on_progress(done, len(pending))
    return done


__all__ = ["VERSION", "analyse", "analyse_many", "analyse_stored", "batch_date"]
