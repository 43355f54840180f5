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
from dataclasses import replace
from datetime import date

from ..deadline import ITEM_SECONDS, deadline
from ..errors import TooLarge, TriangulateError
from ..model import MAX_TEXT_CHARS, Analysis, Article, Entity, Sentence
from ..threads import blas
from ._nlp import recognise_cached, recognise_later
from .claims import find_claims
from .entities import Registry, resolve_entities
from .marks import quote_spans
from .quantities import find_quantities
from .quotes import find_quotes
from .sentences import sentence_bounds
from .speakers import reported_speech
from .times import anchor_date, find_times, resolve

VERSION = "language.v8"
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
    failed: dict[str, TriangulateError] | None = None,
    seconds: float | None = None,
    recognised: Mapping[str, tuple] | None = None,
) -> list[Analysis]:
    """Analyse a batch, running the recogniser over all texts in one pass (faster than one by one).

    ``known`` holds entities from other articles (for surnames and roles);
    ``fallback_date`` anchors relative times in articles that print no date of
    their own; ``timings``, when given, collects seconds spent per step;
    ``store``, when given, caches the recogniser's spans by text. Each
    article's rules run within ``seconds``; with ``failed`` given, an article
    that is too long or too slow is left out and its error kept there by
    article id, else the error is raised. ``recognised``, when given, holds
    the recogniser's records of some articles by id (parsed ahead by the
    caller, as :func:`analyse_stored` does).
    """
    articles = list(articles)
    clock = timings if timings is not None else {}
    errors: dict[str, TriangulateError] = {}

    def timed(step, fn, *args):
        started = time.perf_counter()
        result = fn(*args)
        clock[step] = clock.get(step, 0.0) + time.perf_counter() - started
        return result

    def each(items, work):
        """``work(item)`` for every article not failed yet, each within its deadline."""
        done = []
        for item in items:
            if item[0].id in errors:
                continue
            try:
                with deadline(seconds, _name(item[0]), "the language rules"):
                    done.append(work(*item))
            except TriangulateError as exc:
                if failed is None:
                    raise
                errors[item[0].id] = exc
        return done

    for article in articles:
        if len(article.text) > MAX_TEXT_CHARS:  # stored before the model's door refused such texts
            errors[article.id] = TooLarge(
                f"the text is {len(article.text):,} characters, over the {MAX_TEXT_CHARS:,} the language layer "
                "accepts; split it into its articles and ingest them again",
                item=_name(article),
            )
            if failed is None:
                raise errors[article.id]
    todo = [a for a in articles if a.id not in errors]
    ahead = recognised or {}
    rest = [a for a in todo if a.id not in ahead]
    parsed = dict(
        zip(
            (a.id for a in rest),
            timed("entities and parse (spaCy)", recognise_cached, [a.text for a in rest], store),
            strict=True,
        )
    )
    parsed = {a.id: ahead[a.id] if a.id in ahead else parsed[a.id] for a in todo}
    ner = {aid: entities for aid, (entities, _) in parsed.items()}
    bounds = dict(each([(a,) for a in todo], lambda a: (a.id, timed("sentences", sentence_bounds, a.text))))
    known = known if isinstance(known, Registry) else Registry(known or {})
    if len(todo) > 1:  # roles and full names seen anywhere in the batch help every member
        found = known.copy()  # with its surname index, not rebuilt from the whole registry
        pairs = [(a, ner[a.id], bounds[a.id]) for a in todo if a.id in bounds]
        for entities in each(
            pairs, lambda a, spans, b: timed("entities (rules)", resolve_entities, a, spans, b, known)[1]
        ):
            for entity in entities:
                found[entity.id] = _merged(found.get(entity.id), entity)
        known = found

    def rules(article: Article, spans, b) -> Analysis:
        sentences = [Sentence.of(article, s, e) for s, e in b]
        mentions, entities = timed("entities (rules)", resolve_entities, article, spans, b, known)
        marked = timed("quotes", quote_spans, article.text)
        tokens = parsed[article.id][1]
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
        return Analysis(
            article.id, VERSION, iso, source, sentences, mentions, entities, quotes, quantities, times, claims
        )

    results = each([(a, ner[a.id], bounds.get(a.id)) for a in todo], rules)
    if failed is not None:
        failed.update(errors)
    return results


def _name(article: Article) -> str:
    """How an error names an article: where it was read from, and its id."""
    return f"{article.source} (article {article.id})" if article.source else f"article {article.id}"


def _merged(old: Entity | None, new: Entity) -> Entity:
    if old is None:
        return new
    names = {old.name, new.name}
    longest = max(names, key=lambda n: (len(n.split()), n == old.name))
    aliases = tuple(sorted((set(old.aliases) | set(new.aliases) | names) - {longest}))
    return Entity(old.id, old.label, longest, aliases, tuple(dict.fromkeys([*old.roles, *new.roles])))


def batch_date(articles: Iterable[Article]) -> date | None:
    """The median own date of a batch of articles (a caller may pass it to :func:`analyse_many`)."""
    dated = sorted(d for d, _ in (anchor_date(a) for a in articles) if d is not None)
    return dated[len(dated) // 2] if dated else None


def analyse_stored(
    store, batch: int = 32, on_progress=None, on_error=None, seconds: float | None = ITEM_SECONDS
) -> int:
    """Analyse every stored article that lacks a current analysis; return how many were analysed.

    Articles go through the recogniser in batches. An article that prints no
    date of its own gets no anchor here, whatever else is pending, so a run
    resumed after a crash gives the same analyses as an uninterrupted one;
    its relative times are resolved later against its story
    (:func:`reanchored`). An article whose analysis fails (too long, past its
    deadline of ``seconds``) is recorded as failed for this version of the
    rules, so it costs no later run, and passed to ``on_error(article, error)``.
    """
    pending = store.unanalysed(VERSION)
    known = Registry(store.entities())  # read once; each batch's entities are merged in as it is saved
    done = 0
    chunks = [pending[i : i + batch] for i in range(0, len(pending), batch)]
    with blas():  # the language workers, forked in here, inherit the limit
        ahead = _recognise_ahead(chunks[0], store) if chunks else None
        for number, chunk in enumerate(chunks):
            recognised = ahead()
            # the workers parse the next batch while this process runs the rules on this one and stores it
            ahead = _recognise_ahead(chunks[number + 1], store) if number + 1 < len(chunks) else None
            failed: dict[str, TriangulateError] = {}
            analyses = analyse_many(chunk, known, store=store, failed=failed, seconds=seconds, recognised=recognised)
            for analysis in analyses:
                store.save_analysis(analysis)
                for entity in analysis.entities:
                    known[entity.id] = _merged(known.get(entity.id), entity)
                done += 1
                if on_progress:
                    on_progress(done, len(pending))
            for article in chunk:
                if article.id in failed:
                    store.save_failure(article.id, VERSION, str(failed[article.id]))
                    if on_error:
                        on_error(article, failed[article.id])
    return done


def _recognise_ahead(articles: list[Article], store):
    """Start the recogniser on the articles the language layer accepts; a function returning records by id."""
    fit = [a for a in articles if len(a.text) <= MAX_TEXT_CHARS]
    finish = recognise_later([a.text for a in fit], store)
    return lambda: dict(zip((a.id for a in fit), finish(), strict=True))


def reanchored(analysis: Analysis, anchor: date, source: str = "story") -> Analysis:
    """An undated article's analysis with its relative times resolved against ``anchor`` (its story's date).

    Example:
        >>> from triangulate.model import Article
        >>> undated = analyse(Article.build("Putin spoke on Friday.", title="t"))
        >>> undated.times[0].value, reanchored(undated, date(2025, 9, 6)).times[0].value
        ('', '2025-09-05')
    """
    if analysis.anchor:
        return analysis
    times = [replace(t, value=resolve(t.shift, anchor)) if t.shift else t for t in analysis.times]
    return replace(analysis, anchor=anchor.isoformat(), anchor_source=source, times=times)


__all__ = ["VERSION", "analyse", "analyse_many", "analyse_stored", "batch_date", "reanchored"]
