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

import numpy as np

from ..embed import Embedder, encode_cached
from ..genre import genre
from ..language.sentences import sentence_bounds
from ..model import Analysis, Article, Claim, Quote
from ..words import WORD, bare, zipf
from .independence import IndependenceGroup, canonical_credit, independence_groups, upstream_credits
from .quantities import agree

CLAIM_MIN_WORDS = 4
QUOTE_MIN_WORDS = 3


@dataclass(frozen=True)
class Params:
    """One setting, fixed on the seeds and measured on ECB+ (``bench/alignment.py``)."""

    embedding: float = 0.6
    lexical: float = 0.4
    same_at: float = 0.5  # claims whose combined similarity clears this state the same proposition
    quantity_bonus: float = 0.2  # an agreeing quantity of the same thing is strong evidence
    conflict_words: float = 0.45  # a conflict needs this much of the same rare words (subject and predicate)
    quote_same_at: float = 0.5  # best sentence-pair cosine (average link) for quotes to be one utterance
    unknown_speaker: float = 0.2  # cosine taken off when either quote's speaker is unknown
    quote_conflict_at: float = 0.85  # the same words this close, credited to another named speaker


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


@dataclass
class ClaimGroup(_Group):
    """One proposition as several articles state it."""

    attributed: bool = False  # every member reports someone's words
    numbers: list = field(default_factory=list)  # the members' quantities

    @property
    def text(self) -> str:
        return self.members[0].text

    def to_dict(self) -> dict:
        return {**self._common(), "text": self.text, "members": [m.to_dict() for m in self.members]}


@dataclass
class QuoteGroup(_Group):
    """One utterance in its wordings (translations, trims) across articles."""

    speaker: str | None = None
    entity_id: str | None = None

    def to_dict(self) -> dict:
        return {
            **self._common(),
            "speaker": self.speaker,
            "entity_id": self.entity_id,
            "wordings": [m.to_dict() for m in self.members],
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


def _rare_words(text: str, language: str | None) -> dict[str, float]:
    """Content words weighted by rarity (numbers left out: quantities are compared on their own)."""
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
            if len(claim.text.split()) < CLAIM_MIN_WORDS:
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


def _quote_items(articles, analyses, groups) -> list[_Item]:
    items = []
    for article, analysis in zip(articles, analyses, strict=True):
        for quote, upstream in zip(analysis.quotes, _quote_upstreams(article, analysis), strict=True):
            if len(quote.text.split()) < QUOTE_MIN_WORDS:
                continue
            speaker = quote.speaker.name if quote.speaker else None
            wording = _wording(article, groups, quote.start, quote.end, quote.text, speaker, upstream)
            items.append(_Item(article, wording, None, quote, words=_rare_words(quote.text, article.language)))
    return items


# -- claims ---------------------------------------------------------------------------------------


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


def _similarities(items: list[_Item], vectors: np.ndarray, params: Params) -> np.ndarray:
    """Pairwise similarity of claims; −inf for pairs of one article and for incompatible pairs."""
    n = len(items)
    sim = params.embedding * (vectors @ vectors.T) + params.lexical * _overlaps(items)
    sim = sim.astype(np.float64)
    articles = np.array([item.article.id for item in items])
    negated = np.array([item.negated for item in items])
    sim[(articles[:, None] == articles[None, :]) | (negated[:, None] != negated[None, :])] = -math.inf
    counted = [i for i in range(n) if items[i].quantities]
    for x, i in enumerate(counted):
        for j in counted[x + 1 :]:
            relation = _quantity_relation(items[i], items[j])
            if relation is False:
                sim[i, j] = sim[j, i] = -math.inf  # incompatible: never one proposition
            elif relation and math.isfinite(sim[i, j]):
                sim[i, j] = sim[j, i] = sim[i, j] + params.quantity_bonus
    return sim


def _average_link(sim: np.ndarray, threshold: float, articles: Sequence[str]) -> list[list[int]]:
    """Average-link clusters over ``sim``.

    Pairs from one article neither count for nor against a merge; an
    incompatible pair (−inf across two articles) forbids the merge outright.
    """
    n = len(sim)
    if n == 0:
        return []
    same_article = np.array([[a == b for b in articles] for a in articles], dtype=bool)
    forbidden = np.isneginf(sim) & ~same_article
    counts = (~same_article).astype(np.float64)
    sums = np.where(same_article | forbidden, 0.0, sim)
    np.fill_diagonal(counts, 0)
    members = {i: [i] for i in range(n)}
    alive = np.ones(n, dtype=bool)
    while True:
        with np.errstate(invalid="ignore", divide="ignore"):
            average = np.where((counts > 0) & ~forbidden, sums / counts, -math.inf)
        average[~alive, :] = -math.inf
        average[:, ~alive] = -math.inf
        np.fill_diagonal(average, -math.inf)
        a, b = divmod(int(np.argmax(average)), n)
        if average[a, b] < threshold:
            return [members[k] for k in sorted(members)]
        sums[a] += sums[b]
        sums[:, a] = sums[a]
        counts[a] += counts[b]
        counts[:, a] = counts[a]
        forbidden[a] |= forbidden[b]
        forbidden[:, a] = forbidden[a]
        alive[b] = False
        members[a] += members.pop(b)


def align_claims(items: list[_Item], vectors: np.ndarray, params: Params) -> list[list[int]]:
    """Indexes of items grouped by proposition; every group spans two or more articles or is a singleton."""
    if not items:
        return []
    sim = _similarities(items, vectors, params)
    candidates = [
        i
        for i in range(len(items))
        if np.nanmax(np.where(np.isfinite(sim[i]), sim[i], np.nan), initial=-1.0) >= params.same_at
    ]
    articles = [items[i].article.id for i in candidates]
    chosen = _average_link(sim[np.ix_(candidates, candidates)], params.same_at, articles)
    grouped = {candidates[i] for cluster in chosen for i in cluster}
    clusters = [[candidates[i] for i in cluster] for cluster in chosen]
    clusters += [[i] for i in range(len(items)) if i not in grouped]
    return sorted(clusters, key=lambda c: (-len({items[i].article.id for i in c}), min(c)))


# -- quotes ---------------------------------------------------------------------------------------


def _pieces(text: str) -> list[str]:
    bounds = sentence_bounds(text)
    pieces = [text[s:e] for s, e in bounds if len(text[s:e].split()) >= QUOTE_MIN_WORDS]
    return pieces or [text]


def _quote_similarity(items: list[_Item], model: Embedder, store) -> np.ndarray:
    pieces, owner = [], []
    for i, item in enumerate(items):
        for piece in _pieces(item.wording.text):
            pieces.append(piece)
            owner.append(i)
    vectors = encode_cached(store, model, pieces) if pieces else np.zeros((0, model.dim))
    owner = np.array(owner)
    cosine = vectors @ vectors.T
    sim = np.full((len(items), len(items)), -1.0)
    for i in range(len(items)):
        rows = cosine[owner == i]
        for j in range(i + 1, len(items)):
            sim[i, j] = sim[j, i] = float(rows[:, owner == j].max())
    return sim


def _speaker_key(item: _Item) -> str | None:
    speaker = item.quote.speaker
    if speaker is None or speaker.kind in ("unknown",):
        return None
    return speaker.entity_id or speaker.name.lower()


def align_quotes(items: list[_Item], model: Embedder, store, params: Params) -> tuple[list[list[int]], list]:
    """Quote items grouped by utterance (average link), and the (item, item) pairs of one utterance credited to
    two different named speakers."""
    if not items:
        return [], []
    sim = _quote_similarity(items, model, store)
    speakers = [_speaker_key(item) for item in items]
    articles = [item.article.id for item in items]
    clashes = []
    for i in range(len(items)):
        for j in range(i + 1, len(items)):
            a, b = speakers[i], speakers[j]
            if articles[i] == articles[j]:
                continue
            if a and b and a != b:
                if sim[i, j] >= params.quote_conflict_at:
                    clashes.append((i, j))
                sim[i, j] = sim[j, i] = -math.inf
            elif not (a and b):
                sim[i, j] = sim[j, i] = sim[i, j] - params.unknown_speaker
    clusters = _average_link(sim, params.quote_same_at, articles)
    return sorted(clusters, key=lambda c: (-len({articles[i] for i in c}), min(c))), clashes


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
        group.explanation = (
            f"{_names(sources)} report this, but {_names(against)} report a conflicting "
            f"{'figure' if group.numbers else 'account'} for the same thing."
        )
    elif len(sources) >= 2:
        group.status = "statement" if group.attributed else "corroborated"
        who = f" as said by {group.members[0].speaker}" if group.attributed and group.members[0].speaker else ""
        group.explanation = f"Reported{who} by {len(sources)} independent sources: {_names(sources)}."
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
    vectors = encode_cached(store, model, [c.wording.text for c in claims]) if claims else np.zeros((0, model.dim))
    claim_groups = []
    for number, cluster in enumerate(align_claims(claims, vectors, params), 1):
        members = [claims[i] for i in cluster]
        group = ClaimGroup(
            f"c{number}",
            [m.wording for m in members],
            attributed=all(m.claim.speaker is not None for m in members),
            numbers=[q for m in members for q in m.quantities],
        )
        claim_groups.append((group, cluster))
    _mark_conflicts(claims, claim_groups, params)
    for group, _ in claim_groups:
        _claim_status(group)
    claim_groups += [(g, []) for g in unsupported_headlines(articles, analyses, by_article, len(claim_groups))]

    quotes = _quote_items(articles, analyses, by_article)
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
        quote_groups.append(group)
        for i in cluster:
            group_of[i] = group
    for i, j in clashes:
        group_of[i].opposing.append(quotes[j].wording)
        group_of[j].opposing.append(quotes[i].wording)
    for group in quote_groups:
        _quote_status(group)
    return Corroboration(independence, [g for g, _ in claim_groups], quote_groups)


STATUS_ORDER = ("contested", "corroborated", "statement", "single-source")


def load_story(store, story_id: str) -> tuple:
    """The stored story ``story_id`` (or a unique prefix), its articles and their analyses.

    Articles without a current analysis are analysed (and stored) first.
    """
    from ..language import VERSION, analyse_many

    story = store.story(story_id)
    articles = [store.article(i) for i in story.article_ids]
    analyses = {a.id: store.analysis(a.id) for a in articles}
    stale = [a for a in articles if analyses[a.id] is None or analyses[a.id].version != VERSION]
    for analysis in analyse_many(stale, store.entities(), store=store) if stale else []:
        store.save_analysis(analysis)
        analyses[analysis.article_id] = analysis
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
        for match in _HEADLINE_QUOTE.finditer(article.title):
            words = _plain(match.group(1))
            if not words or any(words in q for q in quoted):
                continue
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


def _mark_conflicts(items: list[_Item], groups: list[tuple[ClaimGroup, list[int]]], params: Params) -> None:
    """Two groups conflict when members share the subject and predicate but not the figure or the polarity."""
    owner = {i: g for g, cluster in groups for i in cluster}
    overlap = _overlaps(items) if items else np.zeros((0, 0))
    for i, j in np.argwhere(np.triu(overlap >= params.conflict_words, k=1)):
        a, b = items[i], items[j]
        if owner[i] is owner[j] or a.article.id == b.article.id:
            continue
        if _quantity_relation(a, b) is False or a.negated != b.negated:
            owner[i].opposing.append(b.wording)
            owner[j].opposing.append(a.wording)


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
    "load_story",
]
