"""Corroboration: the same claim and the same quote lined up across a story's articles, each with a status.

For one story:

1. :func:`independence.independence_groups` says which articles count as one
   source (copies, shared upstream credits, same outlet or owner).
2. Claims are aligned into :class:`ClaimGroup` s: claims of different articles
   whose embeddings and rare words say the same thing, whose quantities agree
   within their precision and whose polarity matches. Quotes are aligned into
   :class:`QuoteGroup` s: the same speaker and the same words, or a
   translation of them (the best-matching sentences of the two quotes).
3. Every group gets a status with a one-sentence explanation and the spans
   for and against it:

   - *contested*: a claim of the same subject and predicate with a conflicting
     quantity or the opposite polarity, or the same words credited to another
     speaker;
   - *corroborated*: stated in the outlets' own voice by two or more independent
     sources;
   - *statement*: attributed speech reported by two or more independent sources
     (what is corroborated is that it was said);
   - *single-source*: everything else, with the upstream it credits, if any.

A claim a sentence credits upstream ("…, Reuters reported") counts as that
upstream's, so two outlets relaying one wire story are one source.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

import numpy as np

from ..embed import Embedder, encode_cached
from ..genre import genre
from ..language.entities import fold
from ..language.sentences import sentence_bounds
from ..language.speakers import CUE
from ..model import Analysis, Article, Claim, Quote
from ..threads import blas
from ..words import WORD, bare, zipf
from . import same
from .independence import IndependenceGroup, canonical_credit, independence_groups, upstream_credits
from .quantities import agree

CLAIM_MIN_WORDS = 4
QUOTE_MIN_WORDS = 3


@dataclass(frozen=True)
class Params:
    """The alignment's settings. Claims use the fitted "same proposition" model (:mod:`.same`), whose
    threshold ships with its weights; quotes are measured on the seeds and PolNeAR."""

    same_at: float | None = None  # a pair of claims this likely to state one proposition is linked (None: fitted)
    model: tuple | None = None  # (coefficients, intercept) to use instead of the shipped weights
    conflict_words: float = 0.45  # a conflict needs this much of the same rare words (subject and predicate)
    conflict_same: float = 0.2  # and, for conflicting figures, this likelihood of one proposition
    framing_words: float = 0.12  # a report and the quotation it renders share this much of their rare words
    denial_same: float = 0.5  # for one claim denying the other (the model reads polarity too)
    quote_same_at: float = 0.5  # best sentence-pair cosine (average link) for quotes to be one utterance
    unknown_speaker: float = 0.2  # cosine taken off when either quote's speaker is unknown
    quote_conflict_at: float = 0.85  # the same words this close, credited to another named speaker
    same_speaker_floor: float = 0.2  # one speaker's mutually closest quotes in two articles are one utterance above


@dataclass(frozen=True)
class Wording:
    """One article's words for a claim or quote: a span of its text (or of its headline, ``field="title"``)."""

    article_id: str
    outlet: str | None
    start: int
    end: int
    text: str
    source: str  # the independent source it counts for
    speaker: str | None = None
    upstream: tuple[str, ...] = ()
    field: str = "text"

    def to_dict(self) -> dict:
        return {
            "article_id": self.article_id,
            "outlet": self.outlet,
            "field": self.field,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "source": self.source,
            "speaker": self.speaker,
            "upstream": list(self.upstream),
        }


@dataclass
class _Group:
    """Wordings of one claim or utterance in several articles, with a status and its reason."""

    id: str
    members: list[Wording]
    status: str = "single-source"
    explanation: str = ""
    opposing: list[Wording] = field(default_factory=list)

    @property
    def sources(self) -> list[str]:
        """The independent sources reporting it, first seen first."""
        return list(dict.fromkeys(m.source for m in self.members))

    def _common(self) -> dict:
        return {
            "id": self.id,
            "status": self.status,
            "explanation": self.explanation,
            "sources": self.sources,
            "opposing": [m.to_dict() for m in self.opposing],
        }


@dataclass(frozen=True)
class Conflict:
    """Why two wordings cannot both hold: ``kind`` (figure, denial or framing), ``severity`` (hard, or soft
    when rounding, a bound or a reading could reconcile them) and the two values as printed."""

    kind: str
    severity: str
    ours: str
    theirs: str

    def to_dict(self) -> dict:
        return {"kind": self.kind, "severity": self.severity, "ours": self.ours, "theirs": self.theirs}


@dataclass
class ClaimGroup(_Group):
    """One proposition as several articles state it."""

    attributed: bool = False  # every member reports someone's words
    numbers: list = field(default_factory=list)  # the members' quantities
    conflicts: list[Conflict] = field(default_factory=list)  # one per opposing wording, in the same order
    unconfirmed: list[str] = field(default_factory=list)  # figures in a member that no other source gives

    @property
    def text(self) -> str:
        return self.members[0].text

    def to_dict(self) -> dict:
        return {
            **self._common(),
            "text": self.text,
            "members": [m.to_dict() for m in self.members],
            "conflicts": [c.to_dict() for c in self.conflicts],
            "unconfirmed": self.unconfirmed,
        }


@dataclass
class QuoteGroup(_Group):
    """One utterance in its wordings (translations, trims) across articles."""

    speaker: str | None = None
    entity_id: str | None = None
    stitched: list[Wording] = field(default_factory=list)  # one quotation where other sources print fragments

    def to_dict(self) -> dict:
        return {
            **self._common(),
            "speaker": self.speaker,
            "entity_id": self.entity_id,
            "wordings": [m.to_dict() for m in self.members],
            "stitched": [m.to_dict() for m in self.stitched],
        }


@dataclass
class Corroboration:
    independence: list[IndependenceGroup]
    claims: list[ClaimGroup]
    quotes: list[QuoteGroup]


# -- the items to align ---------------------------------------------------------------------------


@dataclass
class _Item:
    article: Article
    wording: Wording
    claim: Claim | None = None
    quote: Quote | None = None
    quantities: list = field(default_factory=list)
    words: dict[str, float] = field(default_factory=dict)
    negated: bool = False


@lru_cache(maxsize=1 << 16)
def _rare_words(text: str, language: str | None) -> dict[str, float]:
    """Content words weighted by rarity (numbers left out: quantities are compared on their own).

    Remembered per text (wire copies repeat their claims); callers only read the result.
    """
    lang = (language or "en")[:2]
    weights = {}
    for word in sorted({bare(w) for w in WORD.findall(text)}):  # one order whatever the hash seed
        z = zipf(word, lang)
        if z < 6.0 and not word.isdigit():
            weights[word] = 8.0 - z
    return weights


def _sentence_of(analysis: Analysis, start: int) -> str:
    for sentence in analysis.sentences:
        if sentence.start <= start < sentence.end:
            return sentence.text
    return ""


def _quote_upstreams(article: Article, analysis: Analysis) -> list[tuple[str, ...]]:
    """Each quote's upstream credits: its sentence's, its relaying source, and those of the quote it continues."""
    found: list[tuple[str, ...]] = []
    for quote in analysis.quotes:
        credits = tuple(upstream_credits(_sentence_of(analysis, quote.start), article.outlet))
        if quote.speaker and quote.speaker.relayed_by:
            credits = (*credits, canonical_credit(quote.speaker.relayed_by))
        if quote.part_of is not None and quote.part_of < len(found):
            credits = tuple(dict.fromkeys((*found[quote.part_of], *credits)))
        found.append(credits)
    return found


def _wording(article, groups, start, end, text, speaker, upstream) -> Wording:
    source = upstream[-1] if upstream else groups[article.id].label  # the relay the outlet relied on
    return Wording(article.id, article.outlet, start, end, text, source, speaker, upstream)


def _claim_items(articles, analyses, groups) -> list[_Item]:
    items = []
    for article, analysis in zip(articles, analyses, strict=True):
        quoted = _quote_upstreams(article, analysis)
        for claim in analysis.claims:
            if not _alignable_claim(claim):
                continue
            upstream = tuple(upstream_credits(_sentence_of(analysis, claim.start) or claim.text, article.outlet))
            for index in claim.quotes:
                if index < len(quoted):
                    upstream = tuple(dict.fromkeys((*upstream, *quoted[index])))
            speaker = claim.speaker.name if claim.speaker else None
            wording = _wording(article, groups, claim.start, claim.end, claim.text, speaker, upstream)
            quantities = [analysis.quantities[i] for i in claim.quantities if i < len(analysis.quantities)]
            words = _rare_words(claim.text, article.language)
            items.append(_Item(article, wording, claim, None, quantities, words, claim.negated))
    return items


def _alignable_claim(claim: Claim) -> bool:
    return len(claim.text.split()) >= CLAIM_MIN_WORDS


def _alignable_quote(quote: Quote) -> bool:
    """Long enough to align, and not a scare quote (a term, not someone's words)."""
    return len(quote.text.split()) >= QUOTE_MIN_WORDS and not (quote.partial and quote.speaker is None)


def _quote_items(articles, analyses, groups) -> list[_Item]:
    items = []
    for article, analysis in zip(articles, analyses, strict=True):
        for quote, upstream in zip(analysis.quotes, _quote_upstreams(article, analysis), strict=True):
            if not _alignable_quote(quote):
                continue
            speaker = quote.speaker.name if quote.speaker else None
            wording = _wording(article, groups, quote.start, quote.end, quote.text, speaker, upstream)
            items.append(_Item(article, wording, None, quote, words=_rare_words(quote.text, article.language)))
    return items


# -- claims ---------------------------------------------------------------------------------------


ROLE_WORDS = 1  # content words either side of a figure that say what it measures ("killing hundreds of people")


_WHEN = frozenset(  # "in February, killing hundreds" and "in February, a town of 15,000": a date is no role
    same.stems(
        "january february march april may june july august september october november december monday tuesday "
        "wednesday thursday friday saturday sunday today yesterday week month year"
    )
)


def _role(item: _Item, q) -> frozenset[str]:
    """The stems next to a figure inside its claim, less what it counts: what the figure is the figure of."""
    text, claim = item.article.text, item.claim
    if claim is None or not (claim.start <= q.start < claim.end):
        return frozenset()
    own = set(same.stems(" ".join(filter(None, (q.text, q.counted, q.unit))), item.article.language)) | _WHEN
    language = item.article.language
    before = [w for w in same.stems(text[max(claim.start, q.start - 60) : q.start], language) if w not in own]
    after = [w for w in same.stems(text[q.end : min(claim.end, q.end + 60)], language) if w not in own]
    return frozenset(before[-ROLE_WORDS:] + after[:ROLE_WORDS])


def _clash(a: _Item, b: _Item) -> tuple | None:
    """The first two figures of one thing in the same role that cannot both hold ("6.1-magnitude quake" and "the
    quake's magnitude at 5.9"), or None: "killing hundreds of people" and "a town of 15,000 people" do not clash."""
    for qa in a.quantities:
        for qb in b.quantities:
            if agree(qa, qb) is False:
                ra, rb = _role(a, qa), _role(b, qb)
                if not ra or not rb or ra & rb:
                    return qa, qb
    return None


def _quantity_relation(a: _Item, b: _Item) -> bool | None:
    """True if the two share an agreeing quantity, False if any pair of the same thing conflicts, else None."""
    found = None
    for qa in a.quantities:
        for qb in b.quantities:
            verdict = agree(qa, qb)
            if verdict is False:
                return False
            if verdict:
                found = True
    return found


def _overlaps(items: list[_Item]) -> np.ndarray:
    """Weighted Jaccard of the rare words of every pair of items (a word weighs the same in every item)."""
    vocabulary: dict[str, int] = {}
    for item in items:
        for word in item.words:
            vocabulary.setdefault(word, len(vocabulary))
    present = np.zeros((len(items), max(len(vocabulary), 1)), dtype=np.float32)
    weights = np.zeros(present.shape[1], dtype=np.float32)
    for row, item in enumerate(items):
        for word, weight in item.words.items():
            present[row, vocabulary[word]] = 1.0
            weights[vocabulary[word]] = weight
    shared = (present * weights) @ present.T
    totals = present @ weights
    union = totals[:, None] + totals[None, :] - shared
    return np.divide(shared, union, out=np.zeros_like(shared), where=union > 0)


def _unit(item: _Item) -> same.Unit:
    claim = item.claim or item.quote
    speaker = claim.speaker
    key = (speaker.entity_id or speaker.name.lower()) if speaker and speaker.kind != "unknown" else None
    return same.Unit(
        item.article.id, item.wording.text, item.article.language, item.negated, key,
        frozenset(getattr(claim, "entities", ())), item.quantities,
    )  # fmt: skip


def _unit_key(unit: same.Unit) -> tuple:
    """What the "same proposition" signals read of a claim: two claims with one key get the same signals."""
    figures = tuple((q.value, q.unit, q.counted, q.approximate, q.low, q.high) for q in unit.quantities)
    return unit.text, unit.language, unit.negated, unit.speaker, tuple(sorted(unit.entities)), figures


def _distinct_units(items: list[_Item]) -> tuple[list[same.Unit], list[int], np.ndarray]:
    """The distinct units of ``items`` (first seen first), how many items each stands for, and each item's unit."""
    index: dict[tuple, int] = {}
    units, counts, of = [], [], []
    for item in items:
        unit = _unit(item)
        key = _unit_key(unit)
        if key not in index:
            index[key] = len(units)
            units.append(unit)
            counts.append(0)
        counts[index[key]] += 1
        of.append(index[key])
    return units, counts, np.array(of, dtype=np.intp)


def unit_signals(units: list[same.Unit], counts: list[int], model: Embedder, store=None) -> np.ndarray:
    """The "same proposition" signals of every pair of units (:func:`same.signals`), their texts and pieces
    embedded through the store's cache; ``counts`` says how many copies each unit stands for."""
    texts = [unit.text for unit in units]
    vectors = encode_cached(store, model, texts)
    cut = [same.pieces(t) for t in texts]
    flat = encode_cached(store, model, [p for c in cut for p in c])
    bounds = np.cumsum([0] + [len(c) for c in cut])
    piece_vectors = [flat[bounds[i] : bounds[i + 1]] for i in range(len(units))]
    return same.signals(units, vectors, piece_vectors, counts)


def claim_signals(items: list[_Item], model: Embedder, store=None) -> np.ndarray:
    """The "same proposition" signals of every pair of claims (:func:`same.signals`)."""
    units, counts, of = _distinct_units(items)
    return unit_signals(units, counts, model, store)[np.ix_(of, of)]


def _pair_probabilities(items: list[_Item], model: Embedder, store, coefficients, intercept) -> np.ndarray:
    """The model's probability for every pair of items, scored once per pair of distinct units."""
    units, counts, of = _distinct_units(items)
    with blas():
        probability = same.probabilities(unit_signals(units, counts, model, store), coefficients, intercept)
    return probability[np.ix_(of, of)]


def claim_probabilities(items: list[_Item], model: Embedder, store=None, params: Params | None = None) -> np.ndarray:
    """The fitted model's probability that each pair of claims states one proposition (0 within an article).

    Identical claims (a wire story's copies) are scored once: the signals of the distinct claims, with the
    story's word frequencies counting every copy, then spread to every pair.
    """
    params = params or Params()
    if not items:
        return np.zeros((0, 0))
    probability = _pair_probabilities(items, model, store, *(params.model or same.weights()[:2]))
    articles = np.array([item.article.id for item in items])
    probability[articles[:, None] == articles[None, :]] = 0.0
    return probability


def best_links(probability: np.ndarray, articles: Sequence[str], threshold: float) -> dict[tuple[int, int], float]:
    """Pairs linked as one proposition: above ``threshold`` and, for one of the two, its best match in the other's
    article (an article that states a thing twice lends only its closest wording to each claim)."""
    first, second, strength = _link_arrays(probability, articles, threshold)
    pairs = zip(first.tolist(), second.tolist(), strict=True)
    return dict(zip(pairs, strength.tolist(), strict=True))


def _link_arrays(probability: np.ndarray, articles: Sequence[str], threshold: float) -> tuple:
    """:func:`best_links` as three arrays (first, second, strength), first < second, in row order."""
    n = len(articles)
    if n == 0:
        empty = np.zeros(0, dtype=np.intp)
        return empty, empty, np.zeros(0)
    names = sorted(set(articles))
    place = {name: k for k, name in enumerate(names)}
    column = np.array([place[a] for a in articles])
    best = np.full((n, len(names)), -1)
    for k in range(len(names)):
        members = np.flatnonzero(column == k)
        if members[-1] - members[0] + 1 == len(members):  # side by side (an article's claims come together)
            best[:, k] = members[0] + np.argmax(probability[:, members[0] : members[-1] + 1], axis=1)
        else:
            best[:, k] = members[np.argmax(probability[:, members], axis=1)]
    first, second = np.nonzero(probability >= threshold)
    upper = first < second
    first, second = first[upper], second[upper]
    kept = (best[first, column[second]] == second) | (best[second, column[first]] == first)
    first, second = first[kept], second[kept]
    return first, second, probability[first, second].astype(np.float64)


def cliques(links: dict[tuple[int, int], float]) -> list[list[int]]:
    """Groups in which every two members are linked (no chaining), strongest links first; a claim that states
    two propositions may sit in two groups, but a group sharing two members with an earlier one restates it
    and is dropped.

    Example:
        >>> cliques({(0, 1): 0.9, (1, 2): 0.8, (0, 2): 0.7, (2, 3): 0.6})
        [[0, 1, 2], [2, 3]]
    """
    first = np.fromiter((i for i, _ in links), dtype=np.intp, count=len(links))
    second = np.fromiter((j for _, j in links), dtype=np.intp, count=len(links))
    return _cliques(first, second, np.fromiter(links.values(), dtype=np.float64, count=len(links)))


def _cliques(first: np.ndarray, second: np.ndarray, strength: np.ndarray) -> list[list[int]]:
    """:func:`cliques` of the links ``first[k]``–``second[k]`` (first < second) of ``strength[k]``.

    The links are visited strongest first (then by index), each skipped once a group covers it; the
    matrices hold only the linked claims, so the work follows the links, not the story's every pair.
    """
    if not len(first):
        return []
    nodes = np.unique(np.concatenate([first, second]))  # sorted: ties between candidates go to the lowest index
    a_of, b_of = np.searchsorted(nodes, first), np.searchsorted(nodes, second)
    size = len(nodes)
    near = np.zeros((size, size), dtype=bool)
    weights = np.zeros((size, size))
    near[a_of, b_of] = near[b_of, a_of] = True
    weights[a_of, b_of] = weights[b_of, a_of] = strength
    order = np.lexsort((second, first, -strength))  # strongest first, then by index
    a_of, b_of = a_of[order], b_of[order]
    covered = np.zeros((size, size), dtype=bool)
    alive = np.ones(len(order), dtype=bool)  # links no group covers yet
    groups, kept = [], []
    at = 0
    while at < len(order):
        at += int(np.argmax(alive[at:]))
        if not alive[at]:
            break
        a, b = int(a_of[at]), int(b_of[at])
        at += 1
        group = [a, b]
        candidates = near[a] & near[b]
        score = weights[a] + weights[b]  # each candidate's links to the group, summed in the order they join
        while candidates.any():
            k = int(np.argmax(np.where(candidates, score, -np.inf)))  # ties: the lowest index
            group.append(k)
            candidates &= near[k]
            candidates[k] = False
            score += weights[k]
        if len(group) > 2:  # a pair covers only its own link, which is behind us
            group.sort()
            covered[np.ix_(group, group)] = True
            alive[at:] &= ~covered[a_of[at:], b_of[at:]]
        members = {int(nodes[g]) for g in group}
        if all(len(members & other) < 2 for other in kept):  # else it restates a group already made
            groups.append(sorted(members))
            kept.append(members)
    return groups


def _conflicting_figures_matrix(items: list[_Item]) -> np.ndarray:
    """Which pairs of items give figures of one thing that cannot both hold (judged once per distinct pair)."""
    units, _, of = _distinct_units(items)
    first = {}
    for i, u in enumerate(of):
        first.setdefault(int(u), items[i])
    counted = [u for u in range(len(units)) if first[u].quantities]
    clash = np.zeros((len(units), len(units)), dtype=bool)
    for x, u in enumerate(counted):
        for v in counted[x + 1 :]:
            if _quantity_relation(first[u], first[v]) is False:
                clash[u, v] = clash[v, u] = True
    return clash[np.ix_(of, of)]


def align_claims(items: list[_Item], probability: np.ndarray, params: Params) -> list[list[int]]:
    """Indexes of items grouped by proposition: cliques of linked claims; a claim left out whose own article is in a
    group and that clears the threshold with every other member joins it (a repeat); every other claim alone."""
    threshold = params.same_at if params.same_at is not None else same.weights()[2]
    articles = [item.article.id for item in items]
    linkable = probability.copy()
    linkable[_conflicting_figures_matrix(items)] = 0.0  # figures of one thing that cannot both hold: a dispute
    groups = _cliques(*_link_arrays(linkable, articles, threshold))
    grouped = {i for g in groups for i in g}
    codes = np.unique(np.asarray(articles, dtype=object).astype(str), return_inverse=True)[1] if items else []
    member_rows = [np.array(group, dtype=np.intp) for group in groups]
    in_groups: dict[int, list[int]] = {}  # article → the groups that hold a wording of it
    for k, group in enumerate(groups):
        for article in sorted({int(codes[m]) for m in group}):
            in_groups.setdefault(article, []).append(k)
    for i in range(len(items)):  # an article that states a thing twice: the repeat joins its first wording's group
        if i in grouped:
            continue
        fits = []
        for k in in_groups.get(int(codes[i]), ()):
            across = linkable[i, member_rows[k][codes[member_rows[k]] != codes[i]]]
            if len(across) and across.min() >= threshold:
                fits.append((float(np.mean(across)), k))
        if fits:
            k = max(fits)[1]
            groups[k].append(i)
            member_rows[k] = np.append(member_rows[k], i)  # a later repeat is measured against this one too
            grouped.add(i)
    groups += [[i] for i in range(len(items)) if i not in grouped]
    return sorted(groups, key=lambda c: (-len({items[i].article.id for i in c}), min(c)))


def _average_link(sim: np.ndarray, threshold: float, articles: Sequence[str]) -> list[list[int]]:
    """Average-link clusters over ``sim``.

    Pairs from one article neither count for nor against a merge; an
    incompatible pair (−inf across two articles) forbids the merge outright.
    The averages are updated after each merge only in the merged row and
    column, and each row's best is kept, so a merge costs a row, not the whole
    matrix (the closest pair, ties to the lowest indexes, as a full scan finds).

    Example:
        >>> sim = np.array([[0, 0.9, 0.2], [0.9, 0, 0.6], [0.2, 0.6, 0]])
        >>> _average_link(sim, 0.5, ["a", "b", "c"]), _average_link(sim, 0.3, ["a", "b", "c"])
        ([[0, 1], [2]], [[0, 1, 2]])
    """
    n = len(sim)
    if n == 0:
        return []
    codes = np.unique(np.asarray(articles, dtype=object).astype(str), return_inverse=True)[1]
    same_article = codes[:, None] == codes[None, :]
    forbidden = np.isneginf(sim) & ~same_article
    counts = (~same_article).astype(np.float64)
    sums = np.where(same_article | forbidden, 0.0, sim)
    np.fill_diagonal(counts, 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        average = np.where((counts > 0) & ~forbidden, sums / counts, -math.inf)
    np.fill_diagonal(average, -math.inf)
    best = average.max(axis=1)
    members = {i: [i] for i in range(n)}
    alive = np.ones(n, dtype=bool)
    while True:
        a = int(np.argmax(best))
        b = int(np.argmax(average[a]))
        if not average[a, b] >= threshold:
            return [members[k] for k in sorted(members)]
        sums[a] += sums[b]
        sums[:, a] = sums[a]
        counts[a] += counts[b]
        counts[:, a] = counts[a]
        forbidden[a] |= forbidden[b]
        forbidden[:, a] = forbidden[a]
        alive[b] = False
        members[a] += members.pop(b)
        old = average[:, [a, b]].max(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            row = np.where((counts[a] > 0) & ~forbidden[a], sums[a] / counts[a], -math.inf)
        row[~alive] = -math.inf
        row[a] = -math.inf
        average[a] = row
        average[:, a] = row
        average[b] = -math.inf
        average[:, b] = -math.inf
        stale = np.flatnonzero(alive & (old >= best))  # rows whose best was the merged pair: scan again
        best = np.maximum(best, row)
        best[stale] = average[stale].max(axis=1)
        best[a] = row.max()
        best[b] = -math.inf


# -- quotes ---------------------------------------------------------------------------------------


def _pieces(text: str) -> list[str]:
    bounds = sentence_bounds(text)
    pieces = [text[s:e] for s, e in bounds if len(text[s:e].split()) >= QUOTE_MIN_WORDS]
    return pieces or [text]


def _quote_similarity(items: list[_Item], model: Embedder, store) -> np.ndarray:
    cut = [_pieces(item.wording.text) for item in items]
    flat = encode_cached(store, model, [p for c in cut for p in c])
    bounds = np.cumsum([0] + [len(c) for c in cut])
    sim = same.best_match([flat[bounds[i] : bounds[i + 1]] for i in range(len(items))]).astype(np.float64)
    np.fill_diagonal(sim, -1.0)
    # the same-proposition model sees what a cosine misses: a fragment inside a longer quotation
    likely = _pair_probabilities(items, model, store, *same.weights()[:2])
    return np.maximum(sim, likely)


def _speaker_key(item: _Item) -> str | None:
    speaker = item.quote.speaker
    if speaker is None or speaker.kind in ("unknown",):
        return None
    return speaker.entity_id or speaker.name.lower()


def _same_speakers(items: list[_Item]) -> np.ndarray:
    """:func:`_same_speaker` of every two items, judged once per pair of distinct (key, surname)."""
    signature = [(_speaker_key(item), _surname(item)) for item in items]
    distinct = list(dict.fromkeys(signature))
    index = {sig: k for k, sig in enumerate(distinct)}
    same = np.array([[a[0] == b[0] or (bool(a[1]) and a[1] == b[1]) for b in distinct] for a in distinct])
    of = np.array([index[sig] for sig in signature], dtype=np.intp)
    return same[np.ix_(of, of)]


def _surname(item: _Item) -> str:
    speaker = item.quote.speaker
    return fold(speaker.name.split()[-1]) if speaker and speaker.name.split() else ""


def _same_speaker(a: _Item, b: _Item) -> bool:
    """One person under two names ("Warren Jeffs" / "Jeffs") is one speaker: the same key, or the same surname."""
    if _speaker_key(a) == _speaker_key(b):
        return True
    surname = _surname(a)
    return bool(surname) and surname == _surname(b)


def align_quotes(items: list[_Item], model: Embedder, store, params: Params) -> tuple[list[list[int]], list]:
    """Quote items grouped by utterance (average link), and the (item, item) pairs of one utterance credited to
    two different named speakers."""
    if not items:
        return [], []
    sim = _quote_similarity(items, model, store)
    speakers = [_speaker_key(item) for item in items]
    articles = [item.article.id for item in items]
    # every pair of quotes of two articles at once: two named speakers who are not one person cannot have said
    # one utterance (a clash when the words are this close); an unknown speaker costs ``unknown_speaker``
    known = np.array([bool(k) for k in speakers])
    named = np.array([item.quote.speaker is None or item.quote.speaker.kind == "named" for item in items])
    codes = np.unique(np.asarray(articles, dtype=object).astype(str), return_inverse=True)[1]
    upper = np.triu(codes[:, None] != codes[None, :], k=1)
    both = known[:, None] & known[None, :]
    apart = upper & both & (named[:, None] & named[None, :]) & ~_same_speakers(items)
    first, second = np.nonzero(apart)
    close = sim[first, second] >= params.quote_conflict_at
    clashes = list(zip(first[close].tolist(), second[close].tolist(), strict=True))
    sim[first, second] = sim[second, first] = -math.inf
    first, second = np.nonzero(upper & ~both)
    lowered = sim[first, second] - params.unknown_speaker
    sim[first, second] = sim[second, first] = lowered
    _mutual_best(items, sim, speakers, articles, params)
    clusters = _average_link(sim, params.quote_same_at, articles)
    return sorted(clusters, key=lambda c: (-len({articles[i] for i in c}), min(c))), clashes


def _mutual_best(items, sim: np.ndarray, speakers, articles, params: Params) -> None:
    """Two quotes of one named speaker in two articles that are each other's closest among that speaker's quotes
    there are one utterance in two translations ("no sense in such a presence" / "no point in their presence"),
    unless they share almost nothing (``params.same_speaker_floor``)."""
    said: dict[tuple, list[int]] = {}  # one speaker's quotes in one article
    for k in range(len(items)):
        if speakers[k]:
            said.setdefault((articles[k], speakers[k]), []).append(k)
    for i, j in zip(*np.nonzero(np.triu(sim >= params.same_speaker_floor, k=1)), strict=True):
        if articles[i] == articles[j] or not speakers[i] or not speakers[j] or not _same_speaker(items[i], items[j]):
            continue
        rivals_i = [k for k in said[articles[j], speakers[j]] if k != j]
        rivals_j = [k for k in said[articles[i], speakers[i]] if k != i]
        if all(sim[i, k] < sim[i, j] for k in rivals_i) and all(sim[k, j] < sim[i, j] for k in rivals_j):
            sim[i, j] = sim[j, i] = max(sim[i, j], params.quote_same_at)


# -- statuses -------------------------------------------------------------------------------------


def _names(sources: list[str]) -> str:
    return ", ".join(sources[:-1]) + (" and " if len(sources) > 1 else "") + sources[-1]


def _single_source_reason(members: list[Wording], said: str = "") -> str:
    reporters = list(dict.fromkeys(m.outlet or m.source for m in members))
    upstream = list(dict.fromkeys(u for m in members for u in m.upstream))
    credited = f", crediting {_names(upstream)}" if upstream else ""
    return f"{said}Only {_names(reporters)} reports this{credited}."


def _claim_status(group: ClaimGroup) -> None:
    sources = group.sources
    if group.opposing:
        against = list(dict.fromkeys(m.source for m in group.opposing))
        group.status = "contested"
        first = group.conflicts[0] if group.conflicts else None
        if first and first.kind == "framing":
            group.explanation = (
                f"{_names(sources)} report{'s' if len(sources) == 1 else ''} it “{first.ours}”, but the quoted words "
                f"({_names(against)}) say no such thing: “{first.theirs[:160]}” ({first.severity} conflict)."
            )
        elif first and first.kind == "figure":
            group.explanation = (
                f"{_names(sources)} give “{first.ours}”, but {_names(against)} give “{first.theirs}” for the same "
                f"thing ({first.severity} conflict)."
            )
        else:
            opposite = f"{_names(against)} report the opposite (hard conflict)"
            group.explanation = f"{_names(sources)} report this, but {opposite}."
    elif len(sources) >= 2:
        group.status = "statement" if group.attributed else "corroborated"
        who = f" as said by {group.members[0].speaker}" if group.attributed and group.members[0].speaker else ""
        group.explanation = f"Reported{who} by {len(sources)} independent sources: {_names(sources)}."
        if group.unconfirmed:
            group.explanation += f" Only one source gives {_names([f'“{u}”' for u in group.unconfirmed])}."
    else:
        group.status = "single-source"
        group.explanation = _single_source_reason(group.members)


def corroborate(
    articles: list[Article], analyses: list[Analysis], model: Embedder, store=None, params: Params | None = None
) -> Corroboration:
    """Align a story's claims and quotes across its articles and give each group a status.

    A digest (``genre``) is left out: it reports nothing of its own, so it is never a source.
    """
    params = params or Params()
    kept = [i for i, article in enumerate(articles) if genre(article).counts]
    articles, analyses = [articles[i] for i in kept], [analyses[i] for i in kept]
    independence = independence_groups(articles)
    by_article = {aid: g for g in independence for aid in g.article_ids}

    claims = _claim_items(articles, analyses, by_article)
    probability = claim_probabilities(claims, model, store, params)
    claim_groups = []
    for number, cluster in enumerate(align_claims(claims, probability, params), 1):
        members = [claims[i] for i in cluster]
        group = ClaimGroup(
            f"c{number}",
            [m.wording for m in members],
            attributed=all(m.claim.speaker is not None for m in members),
            numbers=[q for m in members for q in m.quantities],
        )
        claim_groups.append((group, cluster))
    _mark_conflicts(claims, claim_groups, probability, params)
    quotes = _quote_items(articles, analyses, by_article)
    _framing_conflicts(claims, claim_groups, quotes, params)
    claim_groups = [(g, c) for g, c in claim_groups if g.members]
    for group, cluster in claim_groups:
        group.unconfirmed = _unconfirmed([claims[i] for i in cluster])
        _claim_status(group)
    claim_groups += [(g, []) for g in unsupported_headlines(articles, analyses, by_article, len(claim_groups))]

    clusters, clashes = align_quotes(quotes, model, store, params)
    quote_groups = []
    group_of = {}
    for number, cluster in enumerate(clusters, 1):
        first = quotes[cluster[0]]
        named = next((quotes[i] for i in cluster if _speaker_key(quotes[i])), first)
        speaker = named.quote.speaker
        group = QuoteGroup(
            f"q{number}",
            [quotes[i].wording for i in cluster],
            speaker=speaker.name if speaker else None,
            entity_id=speaker.entity_id if speaker else None,
        )
        group.stitched = _stitched([quotes[i] for i in cluster])
        quote_groups.append(group)
        for i in cluster:
            group_of[i] = group
    for i, j in clashes:
        group_of[i].opposing.append(quotes[j].wording)
        group_of[j].opposing.append(quotes[i].wording)
    for group in quote_groups:
        _quote_status(group)
    return Corroboration(independence, [g for g, _ in claim_groups], quote_groups)


def embedded_texts(article: Article, analysis: Analysis) -> list[str]:
    """Every text :func:`corroborate` embeds for one article: its claims and quotes whole and cut into pieces
    (:func:`same.pieces`; a quote's sentences too), each once, first seen first. None for a digest."""
    if not genre(article).counts:
        return []
    texts = []
    for claim in analysis.claims:
        if _alignable_claim(claim):
            texts += [claim.text, *same.pieces(claim.text)]
    for quote in analysis.quotes:
        if _alignable_quote(quote):
            texts += [quote.text, *same.pieces(quote.text), *_pieces(quote.text)]
    return list(dict.fromkeys(texts))


def embed_ahead(store, model: Embedder, articles: list[Article], analyses: list[Analysis]) -> int:
    """Embed what corroboration will embed for these articles into the store's vector cache, as soon as they
    are analysed, so the first brief of their story finds every vector cached; return how many texts.

    Example:
        >>> from triangulate.embed import embedder
        >>> from triangulate.language import analyse
        >>> from triangulate.store import open_store
        >>> article = Article.build('"We are ready for talks," Vladimir Putin said on Friday.', title="t")
        >>> store = open_store(":memory:")
        >>> embed_ahead(store, embedder(), [article], [analyse(article)]) > 0
        True
    """
    texts = list(dict.fromkeys(t for a, b in zip(articles, analyses, strict=True) for t in embedded_texts(a, b)))
    encode_cached(store, model, texts)
    return len(texts)


def embed_new_members(store, model: Embedder, new_ids) -> int:
    """After clustering: :func:`embed_ahead` the new articles that are in a story of two or more, and the one
    article such a story held before; return how many texts.

    So the first brief of every story with something to line up finds its vectors cached. An article alone in
    its story waits for its first brief (most never get a second article, and one article's texts embed fast).
    """
    from ..language import VERSION

    new = set(new_ids)
    wanted: list[str] = []
    seen: set[str] = set()
    for article_id in sorted(new):
        story_id = store.story_of(article_id)
        if story_id is None or story_id in seen:
            continue
        seen.add(story_id)
        members = store.story(story_id).article_ids
        if len(members) < 2:
            continue
        older = [i for i in members if i not in new]
        wanted += [i for i in members if i in new] + (older if len(older) == 1 else [])
    pairs = [(store.article(i), store.analysis(i)) for i in wanted]
    pairs = [(a, b) for a, b in pairs if b is not None and b.version == VERSION]
    return embed_ahead(store, model, [a for a, _ in pairs], [b for _, b in pairs])


STATUS_ORDER = ("contested", "corroborated", "statement", "single-source")


def load_story(store, story_id: str) -> tuple:
    """The stored story ``story_id`` (or a unique prefix), its articles and their analyses.

    Articles without a current analysis are analysed (and stored) first. An
    article that prints no date of its own has its relative times resolved
    against the median own date of the story's other articles.
    """
    from ..deadline import ITEM_SECONDS
    from ..language import VERSION, analyse_many, reanchored

    story = store.story(story_id)
    articles = [store.article(i) for i in story.article_ids]
    analyses = {a.id: store.analysis(a.id) for a in articles}
    stale = [a for a in articles if analyses[a.id] is None or analyses[a.id].version != VERSION]
    failed: dict = {}
    known = store.entities() if stale else {}
    for analysis in analyse_many(stale, known, store=store, failed=failed, seconds=ITEM_SECONDS):
        store.save_analysis(analysis)
        analyses[analysis.article_id] = analysis
    articles = [a for a in articles if a.id not in failed]  # the rules failed on it: nothing to line up
    analyses = {a.id: analyses[a.id] for a in articles}
    own = sorted(a.anchor for a in analyses.values() if a.anchor)
    if own:
        middle = date.fromisoformat(own[len(own) // 2])
        analyses = {k: reanchored(a, middle) for k, a in analyses.items()}
    return story, articles, [analyses[a.id] for a in articles]


def corroborate_story(store, story_id: str, settings) -> tuple:
    """The stored story ``story_id`` (or a unique prefix), its articles, and their corroboration."""
    from ..embed import embedder

    story, articles, analyses = load_story(store, story_id)
    return story, articles, corroborate(articles, analyses, embedder(settings.embedding), store)


_HEADLINE_QUOTE = re.compile(r"(?:^|(?<=[\s:(]))[\"“‘']([^\"”’]{3,}?)[\"”’'](?=[\s:;,.!?)]|$)")


def _plain(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


def unsupported_headlines(articles, analyses, groups, numbered: int = 0) -> list[ClaimGroup]:
    """Headlines that put words in quotation marks no article of the story quotes: contested, with the reason.

    The quoted words must appear (case and punctuation aside) inside some quote
    of some article of the story, or in the article's own text.
    """
    quoted = [_plain(q.text) for analysis in analyses for q in analysis.quotes]
    made = []
    for article in articles:
        if article.title_derived:
            continue
        said = CUE.search(article.title) or ":" in article.title  # words put in someone's mouth
        for match in _HEADLINE_QUOTE.finditer(article.title):
            words = _plain(match.group(1))
            if len(words.split()) < 2 or not said or any(words in q for q in quoted) or words in _plain(article.text):
                continue  # a term in quotes (the article uses it: "the '15 Most Wanted' list"), not a quotation
            wording = Wording(
                article.id, article.outlet, match.start(1), match.end(1), match.group(1),
                groups[article.id].label, field="title",
            )  # fmt: skip
            who = article.outlet or groups[article.id].label
            group = ClaimGroup(
                f"c{numbered + len(made) + 1}",
                [wording],
                status="contested",
                explanation=f"{who}'s headline quotes “{match.group(1)}”, but no article of the story quotes them.",
            )
            made.append(group)
    return made


def _mark_conflicts(
    items: list[_Item], groups: list[tuple[ClaimGroup, list[int]]], probability: np.ndarray, params: Params
) -> None:
    """Two claims conflict when they are about one thing (the same-proposition model and their rare words say so)
    but give figures of the same thing that cannot both hold, or one denies what the other states."""
    owners: dict[int, list[ClaimGroup]] = {}
    for group, cluster in groups:
        for i in cluster:
            owners.setdefault(i, []).append(group)
    for i, j in _conflict_candidates(items, params):
        a, b = items[i], items[j]
        if a.article.id == b.article.id or set(map(id, owners[i])) & set(map(id, owners[j])):
            continue
        figures = _clash(a, b) is not None and probability[i, j] >= params.conflict_same
        denial = a.negated != b.negated and probability[i, j] >= params.denial_same
        if figures:
            ours, theirs, severity = _conflicting_figures(a, b)
            _oppose(owners[i], b.wording, Conflict("figure", severity, ours, theirs))
            _oppose(owners[j], a.wording, Conflict("figure", severity, theirs, ours))
        elif denial:
            _oppose(owners[i], b.wording, Conflict("denial", "hard", a.wording.text, b.wording.text))
            _oppose(owners[j], a.wording, Conflict("denial", "hard", b.wording.text, a.wording.text))


def _conflict_candidates(items: list[_Item], params: Params) -> list[tuple[int, int]]:
    """Pairs of items (i < j, in order) about one thing that could conflict: enough of the same rare words, and
    figures that clash or opposite polarity. Judged once per pair of distinct claims: identical copies never
    conflict, so a wire story's thousands of copy pairs cost nothing."""
    if not items:
        return []
    units, _, of = _distinct_units(items)
    first: dict[int, int] = {}
    for i, u in enumerate(of):
        first.setdefault(int(u), i)
    members: dict[int, list[int]] = {}
    for i, u in enumerate(of):
        members.setdefault(int(u), []).append(i)
    lead = [items[first[u]] for u in range(len(units))]
    overlap = _overlaps(lead)
    pairs = []
    for u, v in np.argwhere(np.triu(overlap >= params.conflict_words, k=1)):
        a, b = lead[u], lead[v]
        if a.negated == b.negated and _clash(a, b) is None:
            continue
        pairs += [(min(i, j), max(i, j)) for i in members[int(u)] for j in members[int(v)]]
    return sorted(pairs)


def _unconfirmed(members: list[_Item]) -> list[str]:
    """Figures that one source of a group gives and no other source's wording agrees with."""
    if len({m.wording.source for m in members}) < 2:
        return []
    lonely = []
    for m in members:
        for q in m.quantities:
            others = [o for o in members if o.wording.source != m.wording.source]
            if not any(agree(q, p) for o in others for p in o.quantities):
                lonely.append(q.text)
    return list(dict.fromkeys(lonely))


def _oppose(groups: list[ClaimGroup], wording: Wording, conflict: Conflict) -> None:
    for group in groups:
        if wording not in group.opposing:
            group.opposing.append(wording)
            group.conflicts.append(conflict)


SOFT = 0.25  # figures of one thing this close (relative gap) may be rounding or a bound: a soft conflict


def _conflicting_figures(a: _Item, b: _Item) -> tuple[str, str, str]:
    """The first pair of conflicting quantities of two claims, and how hard the conflict is."""
    found = _clash(a, b)
    if found is None:
        return a.wording.text, b.wording.text, "hard"
    qa, qb = found
    gap = abs(qa.value - qb.value) / max(abs(qa.value), abs(qb.value), 1e-9)
    bounded = any(q.low is not None or q.high is not None or q.approximate for q in (qa, qb))
    return qa.text, qb.text, "soft" if gap <= SOFT or bounded else "hard"


_SCOPE = re.compile(r"\beven\s+(?:if|in|when|after|during|with|as|though|once|under|before)\b[^,.;:]*", re.I)


def _framing_conflicts(claims: list[_Item], groups, quotes: list[_Item], params: Params) -> None:
    """An outlet's report of what someone said that widens it with "even if …", "even in the scenario of …",
    while no wording of that speaker's quoted words carries it: the report contradicts the words it reports
    (a soft conflict, cited to both). The report leaves the groups of the plain proposition and stands as its
    own contested group."""
    for i, item in enumerate(claims):
        speaker = item.claim.speaker
        scope = _SCOPE.search(_outside_quotes(item.wording.text))
        if not scope or speaker is None or speaker.kind == "unknown":
            continue
        key = speaker.entity_id or speaker.name.lower()
        said = [q for q in quotes if _speaker_key(q) == key and not q.quote.partial]
        best: dict[str, tuple[float, _Item]] = {}  # per article, the quotation the report renders
        for q in said:
            overlap = float(_overlaps([item, q])[0, 1])
            if overlap >= params.framing_words and overlap > best.get(q.article.id, (0.0, None))[0]:
                best[q.article.id] = (overlap, q)
        related = [q for _, q in sorted(best.values(), key=lambda b: -b[0])]
        scope_words = set(_rare_words(scope.group(), item.article.language)) - {"even"}
        if related and not any(scope_words & set(q.words) for q in related):
            for group, cluster in groups:  # the report no longer stands for the plain proposition
                if i in cluster:
                    cluster.remove(i)
                    group.members.remove(item.wording)
            framed = ClaimGroup(f"c{len(groups) + 1}", [item.wording], attributed=True)
            for q in related:
                _oppose([framed], q.wording, Conflict("framing", "soft", scope.group(), q.wording.text))
            groups.append((framed, [i]))


def _outside_quotes(text: str) -> str:
    return re.sub(r"[“\"‘][^”\"’]*[”\"’]", " ", text)


def _stitched(members: list[_Item]) -> list[Wording]:
    """Full quotations whose words another source prints only as separate fragments (two or more partial quotes
    and no full one): what the first presents as one utterance, the source it rests on never printed whole."""
    fragments: dict[str, int] = {}
    whole: set[str] = set()
    for m in members:
        if m.quote.partial:
            fragments[m.article.id] = fragments.get(m.article.id, 0) + 1
        else:
            whole.add(m.article.id)
    split = [a for a, count in fragments.items() if count >= 2 and a not in whole]
    return [m.wording for m in members if not m.quote.partial and split and m.article.id not in split]


def _quote_status(group: QuoteGroup) -> None:
    sources = group.sources
    who = group.speaker or "an unnamed speaker"
    if group.opposing:
        others = list(dict.fromkeys(m.speaker or "someone else" for m in group.opposing))
        group.status = "contested"
        group.explanation = f"Credited to {who} by {_names(sources)}, but to {_names(others)} elsewhere."
    elif len(sources) >= 2:
        group.status = "statement"
        group.explanation = f"{who} said this, as reported by {len(sources)} independent sources: {_names(sources)}."
    else:
        group.status = "single-source"
        group.explanation = _single_source_reason(group.members, f"{who} said this. ")
    if group.stitched:
        printed = _names(list(dict.fromkeys(m.outlet or m.source for m in group.stitched)))
        group.explanation += (
            f" Not verbatim: {printed} prints as one quotation words that the other sources give only as "
            "separate fragments."
        )


__all__ = [
    "STATUS_ORDER",
    "ClaimGroup",
    "Corroboration",
    "Params",
    "QuoteGroup",
    "Wording",
    "align_claims",
    "corroborate",
    "corroborate_story",
    "embed_ahead",
    "embed_new_members",
    "embedded_texts",
    "load_story",
]
