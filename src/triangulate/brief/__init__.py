"""The brief: a story's corroborated account, every sentence cited to the exact words of its sources.

The writer is extractive and deterministic. Every line is either an outlet's
own sentence (a claim or quote, verbatim; a leading connective may go, and a
leading pronoun may be named in brackets) or a short sentence made from the
corroboration's counts and names (coverage, bottom line). Each carries
citations ``[n]`` that resolve to a source article and the exact span of its
text, and each passes the stand-alone rules of :mod:`.lines`.

By default the brief reads in two minutes: the lead (the best-corroborated
central proposition), 5–8 key takeaways, established facts, official
statements (one line per utterance), disputed points, at most ten notable
single-source claims, context & impact, coverage, a timeline and a bottom line
whose counts are the sections'. Everything else is in the appendix sections
(``Section.appendix``). A digest (:mod:`triangulate.genre`) is listed among
the sources but never counted, and never supplies the headline, the lead or a
quote's wording.
"""

from __future__ import annotations

from .compose import build_brief, spoken_date
from .headline import headline_verbs, loaded_words
from .lines import junk, shortened
from .records import Brief, Citation, Line, Section, Source


def brief_story(store, story_id: str, settings) -> Brief:
    """Corroborate a stored story and write its brief."""
    from ..corroborate import corroborate, load_story
    from ..embed import embedder

    story, articles, analyses = load_story(store, story_id)
    corroboration = corroborate(articles, analyses, embedder(settings.embedding), store)
    return build_brief(story, articles, analyses, corroboration, store.entities())


__all__ = [
    "Brief",
    "Citation",
    "Line",
    "Section",
    "Source",
    "brief_story",
    "build_brief",
    "headline_verbs",
    "junk",
    "loaded_words",
    "shortened",
    "spoken_date",
]
