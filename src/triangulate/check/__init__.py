"""Check a text against its sources: which source states each sentence, in which words, and is each quote verbatim.

The text is analysed like an article; its claims are the propositions to check. Each is scored against every
claim and headline of the sources by the same "same proposition" model that aligns a story
(``corroborate.same``), and a candidate only supports it when the details that make a fact checkable agree:

- its figures (a quantity of the same thing that conflicts is a contradiction, one the source lacks a gap);
- its dates (a different day, month or year in the source is a contradiction);
- the people, organisations and places it names (present in the source's sentence, the one before or the
  headline);
- its polarity (the source says the opposite: a contradiction).

Quotations are found word for word (case, punctuation and typography aside); otherwise the closest quotations
in the sources tell a paraphrase presented as a quote, a quote stitched from separate fragments, or words no
source prints.

Example:
    >>> from triangulate import Article
    >>> source = Article.build("Officials said 26 countries pledged troops on Thursday.", title="Pledge", outlet="A")
    >>> report = check("Officials said 31 countries pledged troops on Thursday.", [source])
    >>> report.sentences[0].verdict
    'contradicted'
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date
from difflib import SequenceMatcher
from functools import cache, cached_property
from importlib import resources

import numpy as np

from ..config import Settings
from ..corroborate import same
from ..corroborate.independence import independence_groups
from ..corroborate.quantities import agree
from ..embed import embedder
from ..errors import EmptyInput, TooLarge
from ..genre import genre
from ..model import Analysis, Article, Claim, Quantity
from .quotes import QuoteCheck, check_quotes

MAX_TEXT_BYTES = 1_000_000  # about 150,000 words: a newsletter or a long report, not a book
MIN_WORDS = 4  # a shorter line is a heading or a label, not a proposition
SUPPORT_AT = 0.5  # the same-proposition probability from which a candidate is about the same thing
LINK_AT = 0.5  # the same-proposition probability at which a story's claims line up (``corroborate.same``)
LINKED_SUPPORT_AT = 0.1  # the support probability a unit lined up with a supporting one still needs
VERDICTS = ("supported", "partly supported", "contradicted", "unsupported")
_DATE_WORDS = re.compile(
    r"\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february|march|april|may|june|july|"
    r"august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec|(?:19|20)\d\d)\b",
    re.I,
)
_WEEKDAYS = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}
_NAME_LABELS = {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT"}


@dataclass(frozen=True)
class Evidence:
    """Where a source says it: an article's span (of its text, or of its headline with ``field="title"``)."""

    article_id: str
    outlet: str | None
    source: str  # the independent source it counts for
    field: str
    start: int
    end: int
    text: str
    probability: float = 0.0

    def to_dict(self) -> dict:
        return {
            "article_id": self.article_id, "outlet": self.outlet, "source": self.source, "field": self.field,
            "start": self.start, "end": self.end, "text": self.text, "probability": round(self.probability, 3),
        }  # fmt: skip


@dataclass(frozen=True)
class Difference:
    """A detail of the checked proposition that a source gives otherwise (``theirs``) or not at all (``""``)."""

    kind: str  # "figure", "date", "name" or "negation"
    ours: str
    theirs: str = ""

    def to_dict(self) -> dict:
        return {"kind": self.kind, "ours": self.ours, "theirs": self.theirs}


@dataclass
class PropositionCheck:
    """One proposition of the checked text and what the sources say of it."""

    start: int
    end: int
    text: str
    verdict: str = "unsupported"
    support: list[Evidence] = field(default_factory=list)  # one span per supporting article
    sources: list[str] = field(default_factory=list)  # the independent sources among them
    contradictions: list[tuple[Evidence, list[Difference]]] = field(default_factory=list)
    closest: tuple[Evidence, list[Difference]] | None = None  # for an unsupported one: the nearest and what differs
    adds: list[str] = field(default_factory=list)  # its words no supporting span or its context holds

    def to_dict(self) -> dict:
        return {
            "start": self.start, "end": self.end, "text": self.text, "verdict": self.verdict,
            "sources": self.sources,
            "support": [e.to_dict() for e in self.support],
            "contradictions": [
                {"evidence": e.to_dict(), "differences": [d.to_dict() for d in ds]} for e, ds in self.contradictions
            ],
            "closest": None if self.closest is None else {
                "evidence": self.closest[0].to_dict(), "differences": [d.to_dict() for d in self.closest[1]]
            },
            "adds": self.adds,
        }  # fmt: skip


@dataclass
class SentenceCheck:
    """One sentence of the checked text: its propositions, quotes and overall verdict."""

    start: int
    end: int
    text: str
    verdict: str  # one of VERDICTS, or "not checked" for a heading or a label
    propositions: list[PropositionCheck] = field(default_factory=list)
    quotes: list[QuoteCheck] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return self.verdict in ("contradicted", "unsupported") or any(q.failed for q in self.quotes)

    def to_dict(self) -> dict:
        return {
            "start": self.start, "end": self.end, "text": self.text, "verdict": self.verdict,
            "propositions": [p.to_dict() for p in self.propositions],
            "quotes": [q.to_dict() for q in self.quotes],
        }  # fmt: skip


@dataclass
class Source:
    """One article checked against, and what it was taken as."""

    article_id: str
    outlet: str | None
    title: str
    source: str
    kind: str  # its genre; a digest is listed but never supports anything

    def to_dict(self) -> dict:
        return {"article_id": self.article_id, "outlet": self.outlet, "title": self.title, "source": self.source,
                "kind": self.kind}  # fmt: skip


@dataclass
class CheckReport:
    """The checked text, sentence by sentence, and the sources it was checked against."""

    text: str
    sentences: list[SentenceCheck]
    sources: list[Source]

    @property
    def quotes(self) -> list[QuoteCheck]:
        return [q for s in self.sentences for q in s.quotes]

    @property
    def failed(self) -> bool:
        """True when anything is contradicted, unsupported or misquoted (the command then exits with 1)."""
        return any(s.failed for s in self.sentences)

    def counts(self) -> dict[str, int]:
        found = {v: 0 for v in (*VERDICTS, "not checked")}
        for sentence in self.sentences:
            found[sentence.verdict] += 1
        quotes = {}
        for quote in self.quotes:
            quotes[quote.verdict] = quotes.get(quote.verdict, 0) + 1
        return {**found, **{f"quotes {k}": v for k, v in sorted(quotes.items())}}

    def to_dict(self) -> dict:
        return {
            "schema": "triangulate.check/1",
            "failed": self.failed,
            "counts": self.counts(),
            "sources": [s.to_dict() for s in self.sources],
            "sentences": [s.to_dict() for s in self.sentences],
        }


# -- the units compared ---------------------------------------------------------------------------


@dataclass
class _Unit:
    """A proposition of the checked text, or a claim or headline of a source, with what its check reads."""

    article: Article
    field: str
    start: int
    end: int
    text: str
    context: str  # the words around it that may carry its names and dates (sentence before, headline)
    negated: bool = False
    speaker: str | None = None
    entities: frozenset[str] = frozenset()
    quantities: list[Quantity] = field(default_factory=list)
    dates: frozenset[str] = frozenset()  # resolved ISO dates (day grain) of its time expressions
    names: list[tuple[str, str]] = field(default_factory=list)  # (words, entity id) it names (checked text only)
    context_ids: frozenset[str] = frozenset()  # the entities its sentence mentions (sources only)
    who: str = ""  # where its names must be: its sentence, and the one before when it refers back by a pronoun
    source: str = ""

    @cached_property
    def who_words(self) -> frozenset[str]:
        return frozenset(w.lower() for w in re.findall(r"\w+", self.who))

    @cached_property
    def initials(self) -> frozenset[str]:
        return frozenset("".join(re.findall(r"\w", m)).lower() for m in re.findall(r"\b(?:\w\.?){1,4}", self.who))

    @cached_property
    def date_words(self) -> frozenset[str]:
        return frozenset(w.lower() for w in _DATE_WORDS.findall(self.context))

    @cached_property
    def negations(self) -> int:
        return _negations(self.text)

    @cached_property
    def context_stems(self) -> frozenset[str]:
        return frozenset(same.stems(self.context, self.article.language))

    @cached_property
    def text_stems(self) -> frozenset[str]:
        return frozenset(same.stems(self.text, self.article.language))

    def same_unit(self) -> same.Unit:
        return same.Unit(self.article.id, self.text, self.article.language, self.negated, self.speaker,
                         self.entities, self.quantities)  # fmt: skip


def _speaker_key(claim: Claim) -> str | None:
    speaker = claim.speaker
    if speaker is None or speaker.kind == "unknown":
        return None
    return speaker.entity_id or speaker.name.lower()


def _sentence_index(analysis: Analysis, start: int) -> int:
    for i, sentence in enumerate(analysis.sentences):
        if sentence.start <= start < sentence.end:
            return i
    return -1


_PRONOUN = re.compile(r"\b(?:he|she|they|it|his|her|their|its|him|them)\b", re.I)


def _who(article: Article, analysis: Analysis, i: int) -> tuple[int, int]:
    """Where the names of sentence ``i`` must be: the sentence, and the one before when it refers back by a pronoun."""
    sentence = analysis.sentences[i]
    begin = analysis.sentences[i - 1].start if i > 0 and _PRONOUN.search(sentence.text) else sentence.start
    return begin, sentence.end


def _before(analysis: Analysis, i: int, start: int) -> int:
    """Where the context of a span in sentence ``i`` begins: the sentence before, if any, else the span."""
    return analysis.sentences[i - 1].start if i > 0 else start


def _context(article: Article, analysis: Analysis, start: int, end: int) -> str:
    i = _sentence_index(analysis, start)
    begin = _before(analysis, i, start)
    last = analysis.sentences[i].end if i >= 0 else end
    return f"{article.title}\n{article.text[begin : max(last, end)]}"


def _dates(analysis: Analysis, start: int, end: int) -> frozenset[str]:
    return frozenset(t.value for t in analysis.times if start <= t.start < end and t.value)


def _claim_unit(article: Article, analysis: Analysis, claim: Claim, label: str) -> _Unit:
    i = _sentence_index(analysis, claim.start)
    who = _who(article, analysis, i) if i >= 0 else (claim.start, claim.end)
    return _Unit(
        article, "text", claim.start, claim.end, claim.text, _context(article, analysis, claim.start, claim.end),
        claim.negated, _speaker_key(claim), frozenset(claim.entities),
        [analysis.quantities[i] for i in claim.quantities if i < len(analysis.quantities)],
        _dates(analysis, claim.start, claim.end), source=label,
        context_ids=_entity_ids(analysis, *who), who=article.text[who[0] : who[1]],
    )  # fmt: skip


def _sentence_unit(article: Article, analysis: Analysis, i: int, label: str) -> _Unit:
    """A whole sentence of a source, with what its claims say of speaker, polarity and entities."""
    from ..language.claims import NEGATION, _outside_quotes

    sentence = analysis.sentences[i]
    claims = [c for c in analysis.claims if sentence.start <= c.start < sentence.end]
    speaker = next((_speaker_key(c) for c in claims if _speaker_key(c)), None)
    begin, who = _before(analysis, i, sentence.start), _who(article, analysis, i)
    return _Unit(
        article, "text", sentence.start, sentence.end, sentence.text,
        f"{article.title}\n{article.text[begin:sentence.end]}",
        bool(NEGATION.search(_outside_quotes(sentence.text))), speaker,
        frozenset(e for c in claims for e in c.entities),
        [q for q in analysis.quantities if sentence.start <= q.start < sentence.end],
        _dates(analysis, sentence.start, sentence.end), source=label,
        context_ids=_entity_ids(analysis, *who), who=article.text[who[0] : who[1]],
    )  # fmt: skip


def source_units(articles: list[Article], analyses: list[Analysis], labels: dict[str, str]) -> list[_Unit]:
    """What of the sources could support a proposition: each headline, each sentence, and each claim of a
    sentence that holds several (so a short proposition meets the clause that states it)."""
    units = []
    for article, analysis in zip(articles, analyses, strict=True):
        label = labels[article.id]
        if article.title and not article.title_derived and len(article.title.split()) >= 3:
            first = analysis.sentences[0].text if analysis.sentences else ""
            units.append(_Unit(article, "title", 0, len(article.title), article.title, f"{article.title}\n{first}",
                               source=label, who=article.title))  # fmt: skip
        by_sentence: dict[int, list[Claim]] = {}
        for claim in analysis.claims:
            by_sentence.setdefault(_sentence_index(analysis, claim.start), []).append(claim)
        for i, sentence in enumerate(analysis.sentences):
            if len(sentence.text.split()) >= 3:
                units.append(_sentence_unit(article, analysis, i, label))
            claims = by_sentence.get(i, [])
            if len(claims) > 1:
                units += [_claim_unit(article, analysis, c, label) for c in claims if len(c.text.split()) >= 3]
    return units


def _names(text: str, analysis: Analysis, start: int, end: int) -> list[tuple[str, str]]:
    """The names mentioned in [start, end) as (words to look for, entity id): people by surname, each once; a
    country that only qualifies the name after it ("the U.S. Capitol", "the U.S. House") is left to that name."""
    found: dict[str, tuple[str, str]] = {}
    for mention in analysis.mentions:
        if mention.label == "GPE" and _QUALIFIES.match(text, mention.end):
            continue
        if start <= mention.start < end and mention.kind == "name" and mention.label in _NAME_LABELS:
            words = mention.text.split()
            key = re.sub(r"['’]s$", "", words[-1] if mention.label == "PERSON" else mention.text)
            if key:
                found.setdefault(mention.entity_id or key.lower(), (key, mention.entity_id))
    return list(found.values())


_QUALIFIES = re.compile(r" (?!(?:Is|Was|Has|Says|Said|And|Or|But|On|In|At)\b)[A-Z][a-z]")


def _entity_ids(analysis: Analysis, start: int, end: int) -> frozenset[str]:
    return frozenset(m.entity_id for m in analysis.mentions if start <= m.start < end and m.entity_id)


def text_units(article: Article, analysis: Analysis) -> dict[int, list[_Unit]]:
    """The checked text's propositions by sentence: its claims, else the sentence itself when long enough."""
    by_sentence: dict[int, list[_Unit]] = {i: [] for i in range(len(analysis.sentences))}
    for claim in analysis.claims:
        i = _sentence_index(analysis, claim.start)
        if i >= 0 and len(re.findall(r"[^\W\d_]+", claim.text)) >= MIN_WORDS:
            unit = _claim_unit(article, analysis, claim, "")
            unit.names = _names(article.text, analysis, claim.start, claim.end)
            by_sentence[i].append(unit)
    for i, sentence in enumerate(analysis.sentences):
        if not by_sentence[i] and len(re.findall(r"[^\W\d_]+", sentence.text)) >= MIN_WORDS:
            unit = _Unit(article, "text", sentence.start, sentence.end, sentence.text, sentence.text,
                         quantities=[q for q in analysis.quantities if sentence.start <= q.start < sentence.end],
                         dates=_dates(analysis, sentence.start, sentence.end))  # fmt: skip
            unit.names = _names(article.text, analysis, sentence.start, sentence.end)
            by_sentence[i].append(unit)
    return by_sentence


# -- the judgement --------------------------------------------------------------------------------


@cache
def _similar(a: str, b: str) -> bool:
    """Two spellings of one name word: equal, one a stem of the other ("Russia", "Russian"), or a transliteration
    a letter or two apart ("Zelenskiy", "Zelensky")."""
    if a == b:
        return True
    shorter = min(len(a), len(b))
    if shorter >= 5 and (a.startswith(b[:shorter]) or b.startswith(a[:shorter])) and abs(len(a) - len(b)) <= 2:
        return True
    return shorter >= 6 and SequenceMatcher(None, a, b).ratio() >= 0.85


def named(name: tuple[str, str], unit: _Unit) -> bool:
    """True when the unit's context names the entity: the same entity, or the same words spelt alike."""
    words, entity_id = name
    if entity_id and entity_id in unit.context_ids:
        return True
    long = [w.lower() for w in re.findall(r"\w+", words) if len(w) > 2]
    if not long:  # initials ("U.S.", "EU"): the letters themselves, in order
        return "".join(re.findall(r"\w", words)).lower() in unit.initials
    return all(w in unit.who_words or any(_similar(w, t) for t in unit.who_words if t[:1] == w[:1]) for w in long)


def differences(ours: _Unit, theirs: _Unit, quantities: list[Quantity], dates: frozenset[str]) -> list[Difference]:
    """What ``theirs`` (with the quantities and dates of its context) does not say as ``ours`` does."""
    found = []
    for q in ours.quantities:
        verdicts = [(agree(q, other), other) for other in quantities]
        if any(v for v, _ in verdicts):
            continue
        conflict = next((other for v, other in verdicts if v is False), None)
        if conflict is not None:
            found.append(Difference("figure", q.text, conflict.text))
        elif not _digits_in(q.text, theirs.context):
            found.append(Difference("figure", q.text))
    found += _date_differences(ours, theirs, dates)
    for name in ours.names:
        if not named(name, theirs):
            found.append(Difference("name", name[0]))
    if ours.negations > theirs.negations:  # a source's extra "not" may sit in another clause
        found.append(Difference("negation", _polarity(ours), _polarity(theirs)))
    return found


def _digits_in(figure: str, context: str) -> bool:
    """True when every number written in digits in ``figure`` is in ``context`` (a figure in words: never)."""
    wanted = [d.replace(",", "") for d in re.findall(r"\d[\d,.]*", figure)]
    present = {d.replace(",", "").rstrip(".") for d in re.findall(r"\d[\d,.]*", context)}
    return bool(wanted) and all(w.rstrip(".") in present for w in wanted)


def _negations(text: str) -> int:
    from ..language.claims import NEGATION, _outside_quotes

    return len(NEGATION.findall(_outside_quotes(text)))


def _polarity(unit: _Unit) -> str:
    return "says it is not so" if unit.negated else "says it is so"


def _date_differences(ours: _Unit, theirs: _Unit, dates: frozenset[str]) -> list[Difference]:
    if ours.dates and ours.dates & dates:
        return []
    found = []
    words = {w.lower() for w in _DATE_WORDS.findall(ours.text)}
    their_words = theirs.date_words
    for word in sorted(words - their_words):
        rival = sorted(w for w in their_words if _same_kind(word, w))
        if ours.dates and dates and not rival:
            rival = sorted(dates - ours.dates)[:1]
        found.append(Difference("date", word, rival[0] if rival else ""))
    return found


def _same_kind(a: str, b: str) -> bool:
    if a in _WEEKDAYS or b in _WEEKDAYS:
        return a in _WEEKDAYS and b in _WEEKDAYS
    return a.isdigit() == b.isdigit()


def _evidence(unit: _Unit, probability: float) -> Evidence:
    return Evidence(unit.article.id, unit.article.outlet, unit.source, unit.field, unit.start, unit.end, unit.text,
                    probability)  # fmt: skip


def _context_facts(unit: _Unit, analyses: dict[str, Analysis]) -> tuple[list[Quantity], frozenset[str]]:
    """The quantities and resolved dates of a source unit's context (its sentence and the one before)."""
    analysis = analyses[unit.article.id]
    if unit.field == "title":
        return list(unit.quantities), unit.dates
    begin = _before(analysis, _sentence_index(analysis, unit.start), unit.start)
    quantities = [q for q in analysis.quantities if begin <= q.start < unit.end]
    return quantities, _dates(analysis, begin, unit.end)


def _adds(unit: _Unit, support: list[_Unit]) -> list[str]:
    """The checked proposition's rare words that no supporting span's context holds."""
    said = " ".join(s.context for s in support)
    said_stems = set(same.stems(said, unit.article.language))
    found = []
    for word in re.findall(r"[^\W\d_][\w'’-]*", unit.text):
        stem = same.stems(word, unit.article.language)
        if stem and stem[0] not in said_stems and word.lower() not in found:
            found.append(word.lower())
    return found


def judge(
    ours: list[_Unit], theirs: list[_Unit], support, topic, diffs, links, threshold: float
) -> list[PropositionCheck]:
    """Each checked proposition's verdict from its scores against every source unit (:func:`score`).

    An article supports a proposition when one of its units reaches ``threshold`` in support probability and every
    name, figure and date of the proposition is in that unit's sentence (or its context), none conflicting, with
    the polarity the same. A unit contradicts when it is about the same thing (topic probability
    at least ``SUPPORT_AT``, every name of the proposition present) and a figure, date or polarity differs.
    """
    results = []
    for i, unit in enumerate(ours):
        result = PropositionCheck(unit.start, unit.end, unit.text)
        supporting: dict[str, tuple[float, int]] = {}
        contradicting: dict[str, tuple[float, int, list[Difference]]] = {}
        for j in np.argsort(-support[i], kind="stable"):
            p, other = float(support[i, j]), theirs[j]
            if p < threshold:
                break
            if not diffs[i][j]:
                supporting.setdefault(other.article.id, (p, j))
        _corroborating(i, supporting, theirs, support, diffs, links)
        for j in np.argsort(-topic[i], kind="stable"):
            about, found = float(topic[i, j]), diffs[i][j]
            if about < SUPPORT_AT:
                break
            if found and all(d.theirs for d in found):
                contradicting.setdefault(theirs[j].article.id, (about, j, found))
        ranked = sorted(supporting.values(), key=lambda x: -x[0])
        result.support = [_evidence(theirs[j], p) for p, j in ranked]
        result.sources = sorted({theirs[j].source for _, j in ranked})
        result.contradictions = [
            (_evidence(theirs[j], p), found)
            for aid, (p, j, found) in sorted(contradicting.items(), key=lambda x: -x[1][0])
            if aid not in supporting
        ]
        if ranked:
            result.verdict = "supported"
            result.adds = _adds(unit, [theirs[j] for _, j in ranked])
        elif result.contradictions:
            result.verdict = "contradicted"
        elif len(theirs):
            j = int(np.argmax(support[i]))
            result.closest = (_evidence(theirs[j], float(support[i, j])), diffs[i][j])
        results.append(result)
    return results


def _corroborating(i: int, supporting: dict, theirs: list[_Unit], support, diffs, links) -> None:
    """Add the articles that state what a supporting unit states (the story's own alignment links them) and carry
    every detail of proposition ``i``: a paraphrase too loose to match the checked words may match another
    outlet's wording of the same fact."""
    anchors = [j for _, j in supporting.values()]
    if not anchors:
        return
    linked = links[anchors].max(axis=0)
    for k in np.argsort(-linked, kind="stable"):
        if linked[k] < LINK_AT:
            break
        other = theirs[k]
        if other.article.id not in supporting and not diffs[i][k] and support[i, k] >= LINKED_SUPPORT_AT:
            supporting[other.article.id] = (float(support[i, k]), int(k))


def sentence_verdict(propositions: list[PropositionCheck]) -> str:
    """A sentence's verdict from its propositions': all supported, some, any contradicted, else unsupported."""
    verdicts = {p.verdict for p in propositions}
    if not verdicts:
        return "not checked"
    if verdicts == {"supported"}:
        return "supported"
    if "supported" in verdicts:
        return "partly supported"
    return "contradicted" if "contradicted" in verdicts else "unsupported"


# -- the whole check -------------------------------------------------------------------------------


def _as_article(text: str) -> Article:
    if len(text.encode("utf-8", "replace")) > MAX_TEXT_BYTES:
        raise TooLarge(
            f"the text is over {MAX_TEXT_BYTES // 1_000_000} MB; check it in parts (a section at a time)",
            item="checked text",
        )
    if not text.strip():
        raise EmptyInput("there is no text to check; give a file, '-' for standard input, or the text itself",
                         item="checked text")  # fmt: skip
    from ..ingest.text import detect_language

    return Article.build(text.strip(), title="(checked text)", outlet=None, language=detect_language(text))


def _analyse(articles: list[Article], analyses: list[Analysis | None] | None, store, anchor: date | None):
    from ..language import analyse_many

    analyses = list(analyses) if analyses is not None else [None] * len(articles)
    todo = [a for a, found in zip(articles, analyses, strict=True) if found is None]
    made = {a.article_id: a for a in analyse_many(todo, fallback_date=anchor, store=store)} if todo else {}
    return [found or made[article.id] for article, found in zip(articles, analyses, strict=True)]


def _anchor(articles: list[Article]) -> date | None:
    days = sorted(a.published[:10] for a in articles if a.published)
    return date.fromisoformat(days[-1]) if days else None


def check(
    text: str,
    articles: list[Article],
    analyses: list[Analysis | None] | None = None,
    *,
    store=None,
    settings: Settings | None = None,
) -> CheckReport:
    """Check ``text`` against ``articles`` (their analyses are made when not given): every sentence supported,
    partly supported, contradicted or unsupported, and every quotation verbatim, a paraphrase, stitched or not found.
    """
    settings = settings or Settings()
    checked = _as_article(text)
    all_analyses = _analyse([checked, *articles], [None, *(analyses or [None] * len(articles))], store,
                            _anchor(articles))  # fmt: skip
    mine, theirs_analyses = all_analyses[0], all_analyses[1:]
    groups = independence_groups(articles)
    labels = {aid: g.label for g in groups for aid in g.article_ids}
    kinds = {a.id: genre(a) for a in articles}
    sources = [Source(a.id, a.outlet, a.title, labels[a.id], kinds[a.id].kind) for a in articles]
    counted = [(a, an) for a, an in zip(articles, theirs_analyses, strict=True) if kinds[a.id].counts]
    by_id = {a.id: an for a, an in counted}

    by_sentence = text_units(checked, mine)
    ours = [u for units in by_sentence.values() for u in units]
    theirs = source_units([a for a, _ in counted], [an for _, an in counted], labels)
    support, topic, diffs, links = score(ours, theirs, by_id, embedder(settings.embedding), store)
    verdicts = iter(judge(ours, theirs, support, topic, diffs, links, support_model()[2]))
    quotes = check_quotes(checked, mine, [a for a, _ in counted], [an for _, an in counted], labels)

    sentences = []
    for i, sentence in enumerate(mine.sentences):
        propositions = [next(verdicts) for _ in by_sentence[i]]
        found = [q for q in quotes if sentence.start <= q.start < sentence.end]
        sentences.append(SentenceCheck(sentence.start, sentence.end, sentence.text, sentence_verdict(propositions),
                                       propositions, found))  # fmt: skip
    return CheckReport(checked.text, sentences, sources)


_CONFLICT_SIGNALS = [same.FEATURES.index(name) for name in ("other_numbers", "quantity_conflicts", "polarity_differs")]
SUPPORT_FEATURES = (
    *(f"same:{name}" for name in same.FEATURES),
    "name_missing",
    "figure_missing",
    "figure_conflicts",
    "date_missing",
    "date_conflicts",
    "polarity_differs",
    "covered_by_context",
    "covered_by_span",
)


def same_signals(ours: list[_Unit], theirs: list[_Unit], model, store) -> np.ndarray:
    """The "same proposition" signals of every pair of units, checked propositions first then the sources':
    (n + m, n + m, len(FEATURES))."""
    if not ours or not theirs:
        return np.zeros((len(ours) + len(theirs),) * 2 + (len(same.FEATURES),))
    from ..corroborate import unit_signals

    units = [u.same_unit() for u in ours + theirs]
    return unit_signals(units, [1] * len(units), model, store)


def support_signals(ours: list[_Unit], theirs: list[_Unit], signals: np.ndarray, facts: list) -> tuple:
    """The support model's signals of every pair (``SUPPORT_FEATURES``), and every pair's differing details."""
    n, m = len(ours), len(theirs)
    extra = np.zeros((n, m, len(SUPPORT_FEATURES) - len(same.FEATURES)))
    diffs: list[list[list[Difference]]] = []
    for i, unit in enumerate(ours):
        stems = set(same.stems(unit.text, unit.article.language))
        row = []
        for j, other in enumerate(theirs):
            found = differences(unit, other, *facts[j])
            row.append(found)
            kinds = [(d.kind, bool(d.theirs)) for d in found]
            extra[i, j] = (
                min(kinds.count(("name", False)), 2) / 2,
                kinds.count(("figure", False)) > 0,
                kinds.count(("figure", True)) > 0,
                kinds.count(("date", False)) > 0,
                kinds.count(("date", True)) > 0,
                any(k == "negation" for k, _ in kinds),
                len(stems & other.context_stems) / len(stems) if stems else 1.0,
                len(stems & other.text_stems) / len(stems) if stems else 1.0,
            )
        diffs.append(row)
    return np.concatenate([signals, extra], axis=-1), diffs


@cache
def support_model() -> tuple[np.ndarray, float, float]:
    """The fitted support model (``tools/fit_check.py``): coefficients, intercept and the support threshold."""
    data = json.loads(resources.files("triangulate").joinpath("data/check_support.json").read_text("utf-8"))
    if tuple(data["features"]) != SUPPORT_FEATURES:
        raise ValueError("data/check_support.json was fitted on other features; run tools/fit_check.py")
    return np.array(data["coefficients"]), float(data["intercept"]), float(data["threshold"])


def score(ours: list[_Unit], theirs: list[_Unit], analyses: dict[str, Analysis], model, store):
    """What the judgement reads of every (checked proposition, source unit) pair, and of every two source units:
    (support probability, topic probability, differences, links).

    The topic probability is the same-proposition model's with the signals of conflict left out: whether the two
    are about one thing at all. ``links`` is the same-proposition probability of two source units of different
    articles: how a story's articles line up with one another.
    """
    n = len(ours)
    every = same_signals(ours, theirs, model, store)
    signals = every[:n, n:]
    facts = [_context_facts(t, analyses) for t in theirs]
    features, diffs = support_signals(ours, theirs, signals, facts)
    coefficients, intercept, _ = support_model()
    neutral = signals.copy()
    neutral[..., _CONFLICT_SIGNALS] = 0.0
    links = same.probabilities(every[n:, n:])
    articles = np.array([t.article.id for t in theirs])
    links[articles[:, None] == articles[None, :]] = 0.0
    return same.probabilities(features, coefficients, intercept), same.probabilities(neutral), diffs, links


__all__ = [
    "CheckReport", "Difference", "Evidence", "PropositionCheck", "SentenceCheck", "Source", "check", "sentence_verdict",
]  # fmt: skip
