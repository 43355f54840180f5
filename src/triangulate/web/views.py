"""What the pages show, as plain records: citations in their context, highlighted article text, outlets side by side.

Nothing here writes HTML; the templates escape every string these return.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from ..brief import Brief, headline_verbs, loaded_words
from ..corroborate import Corroboration
from ..language.sentences import sentence_bounds
from ..model import Analysis, Article
from ..words import WORD, bare

CONTEXT_CHARS = 280  # at most this much text on either side of a cited span


@dataclass(frozen=True)
class Cited:
    """A citation ``[n]`` with the words around it in its article, for the hover card."""

    n: int
    source: int
    article_id: str
    name: str  # the source's name (outlet, else a short title)
    title: str
    before: str
    text: str
    after: str
    start: int
    end: int
    field: str


def _around(text: str, start: int, end: int) -> tuple[str, str]:
    """The rest of the sentences the span sits in, and the one before and after, cut at CONTEXT_CHARS."""
    bounds = sentence_bounds(text)
    first = next((i for i, (s, e) in enumerate(bounds) if e > start), 0)
    last = next((i for i, (s, e) in enumerate(bounds) if e >= end), len(bounds) - 1)
    lo = bounds[max(first - 1, 0)][0] if bounds else 0
    hi = bounds[min(last + 1, len(bounds) - 1)][1] if bounds else len(text)
    lo, hi = max(lo, start - CONTEXT_CHARS), min(hi, end + CONTEXT_CHARS)
    before, after = text[lo:start], text[end:hi]
    return ("… " if lo > 0 else "") + before.lstrip(), after.rstrip() + (" …" if hi < len(text) else "")


def citations(brief: Brief, articles: dict[str, Article]) -> list[Cited]:
    """Every citation of the brief with its source sentence in context."""
    sources = {s.n: s for s in brief.sources}
    made = []
    for c in brief.citations:
        article = articles.get(c.article_id)
        source = sources[c.source]
        if article is None or c.field == "title":
            before, after = "", ""
        else:
            before, after = _around(article.text, c.start, c.end)
        made.append(
            Cited(c.n, c.source, c.article_id, source.name, source.title, before, c.text, after, c.start, c.end,
                  c.field)
        )  # fmt: skip
    return made


@dataclass(frozen=True)
class Piece:
    """A run of article text and the layers over it (``quote``, ``speaker``, ``claim``, ``ent-person`` …)."""

    text: str
    layers: tuple[str, ...]
    start: int

    @property
    def classes(self) -> str:
        return " ".join(self.layers)


_ENTITY_CLASS = {"PERSON": "ent-person", "ORG": "ent-org", "GPE": "ent-place", "LOC": "ent-place"}


def pieces(text: str, analysis: Analysis | None, marked: tuple[int, int] | None = None) -> list[Piece]:
    """The article text cut where any highlighted span starts or ends, each piece with the layers covering it."""
    spans: list[tuple[int, int, str]] = []
    if analysis is not None:
        spans += [(c.start, c.end, "claim") for c in analysis.claims]
        spans += [(m.start, m.end, _ENTITY_CLASS.get(m.label, "ent-other")) for m in analysis.mentions]
        for q in analysis.quotes:
            spans.append((q.start, q.end, "quote"))
            if q.speaker and q.speaker.start is not None and q.speaker.end is not None:
                spans.append((q.speaker.start, q.speaker.end, "speaker"))
    if marked:
        spans.append((marked[0], marked[1], "cited"))
    spans = [(max(0, s), min(len(text), e), k) for s, e, k in spans if s < e]
    opening: dict[int, list[str]] = {}
    closing: dict[int, list[str]] = {}
    for s, e, k in spans:
        opening.setdefault(s, []).append(k)
        closing.setdefault(e, []).append(k)
    cuts = sorted({0, len(text), *opening, *closing})
    active: dict[str, int] = {}  # layer → how many of its spans cover the current piece
    made = []
    for a, b in itertools.pairwise(cuts):
        for k in closing.get(a, []):
            active[k] -= 1
        for k in opening.get(a, []):
            active[k] = active.get(k, 0) + 1
        made.append(Piece(text[a:b], tuple(sorted(k for k, n in active.items() if n > 0)), a))
    return made


@dataclass
class Column:
    """One source in the side-by-side view: what it reports, what it leaves out, its headline's framing."""

    n: int
    name: str
    article_id: str
    title: str
    kind: str
    counted: bool
    verbs: list[str] = field(default_factory=list)
    own_words: list[str] = field(default_factory=list)  # headline words no other source's headline uses
    reports: list = field(default_factory=list)  # (status, text) of the claim groups it carries
    leaves_out: list = field(default_factory=list)  # shared claim groups it does not carry
    quotes: int = 0


SHOWN = 12  # claim groups listed per column and list


def columns(brief: Brief, corroboration: Corroboration) -> list[Column]:
    """Each source of the brief side by side, in the brief's order."""
    counted = [s for s in brief.sources if s.counted]
    loaded = loaded_words([s.title for s in counted])
    shared = [g for g in corroboration.claims if g.status in ("corroborated", "statement")]
    made = []
    for s in brief.sources:
        carried = [g for g in corroboration.claims if any(m.article_id == s.article_id for m in g.members)]
        order = {"contested": 0, "corroborated": 1, "statement": 2, "single-source": 3}
        carried.sort(key=lambda g: (order.get(g.status, 4), -len(g.sources)))
        mine = next((m for g in carried for m in g.members if m.article_id == s.article_id), None)
        missing = [g for g in shared if g not in carried and (mine is None or mine.source not in g.sources)]
        made.append(
            Column(
                s.n, s.name, s.article_id, s.title, s.kind, s.counted,
                headline_verbs(s.title),
                sorted(loaded & {bare(w) for w in WORD.findall(s.title)}),
                [(g.status, _member_text(g, s.article_id)) for g in carried[:SHOWN]],
                [(g.status, g.text) for g in missing[:SHOWN]],
                sum(1 for q in corroboration.quotes if any(m.article_id == s.article_id for m in q.members)),
            )
        )  # fmt: skip
    return made


def _member_text(group, article_id: str) -> str:
    return next((m.text for m in group.members if m.article_id == article_id), group.text)


__all__ = ["Cited", "Column", "Piece", "citations", "columns", "pieces"]
