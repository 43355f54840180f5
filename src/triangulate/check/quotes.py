"""Is a quotation of the checked text printed by a source, and in which words?

- **verbatim**: the quotation's words run unbroken in a source (case, punctuation, quotation marks, dashes and
  apostrophes aside);
- **stitched**: two or more quotations that a source prints apart are joined into one;
- **paraphrase**: a source quotes the same words closely but not as given (the words that differ are listed);
- **not found**: no source quotes anything close.

And for every match, whether the source credits the words to the same speaker.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from ..model import Analysis, Article, Quote

MIN_WORDS = 3  # a shorter quotation is a term or a scare quote, not someone's words
FRAGMENT_SHARE = 0.6  # a source quotation is a fragment of ours when this share of its words is in ours
PARAPHRASE_SHARE = 0.5  # of the words of ours and of theirs (the smaller share) for a paraphrase
_WORD = re.compile(r"\w+")
_FOLD = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'"})


def words(text: str) -> list[tuple[str, int, int]]:
    """The text's words, folded (lower case, accents and apostrophes unified), with their character offsets."""
    found = []
    for match in _WORD.finditer(text.translate(_FOLD)):
        word = unicodedata.normalize("NFKD", match.group()).encode("ascii", "ignore").decode() or match.group()
        found.append((word.lower(), match.start(), match.end()))
    return found


@dataclass(frozen=True)
class QuoteMatch:
    """A source's words for (part of) a checked quotation."""

    article_id: str
    outlet: str | None
    source: str
    field: str
    start: int
    end: int
    text: str
    speaker: str | None  # who the source credits them to
    same_speaker: bool | None  # None when either side names no one
    differs: tuple[tuple[str, ...], tuple[str, ...]] = ((), ())  # (our words not in theirs, theirs not in ours)

    def to_dict(self) -> dict:
        return {
            "article_id": self.article_id, "outlet": self.outlet, "source": self.source, "field": self.field,
            "start": self.start, "end": self.end, "text": self.text, "speaker": self.speaker,
            "same_speaker": self.same_speaker, "ours_only": list(self.differs[0]), "theirs_only": list(self.differs[1]),
        }  # fmt: skip


@dataclass
class QuoteCheck:
    """One quotation of the checked text and the verdict on it."""

    start: int
    end: int
    text: str
    speaker: str | None
    verdict: str  # "verbatim", "stitched", "paraphrase" or "not found"
    matches: list[QuoteMatch] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        """A misquote: anything but verbatim, or verbatim words credited to someone else."""
        if self.verdict != "verbatim":
            return True
        return all(m.same_speaker is False for m in self.matches)

    def to_dict(self) -> dict:
        return {
            "start": self.start, "end": self.end, "text": self.text, "speaker": self.speaker, "verdict": self.verdict,
            "misquote": self.failed, "matches": [m.to_dict() for m in self.matches],
        }  # fmt: skip


def _surname(name: str | None) -> str | None:
    if not name:
        return None
    parts = re.sub(r"\s*\(.*\)$", "", name).split()
    return parts[-1].lower() if parts else None


def _same(ours: str | None, theirs: str | None) -> bool | None:
    a, b = _surname(ours), _surname(theirs)
    return None if a is None or b is None else a == b


def _speaker(quote: Quote) -> str | None:
    return quote.speaker.name if quote.speaker and quote.speaker.kind != "unknown" else None


@dataclass
class _Page:
    """A source article's folded words (headline, then text), and its quotations."""

    article: Article
    analysis: Analysis
    source: str
    fields: list[tuple[str, str, list[tuple[str, int, int]]]]

    def speaker_at(self, field_name: str, start: int) -> str | None:
        if field_name != "text":
            return None
        for quote in self.analysis.quotes:
            if quote.start <= start < quote.end:
                return _speaker(quote)
        return None


def _find_run(needle: list[str], haystack: list[tuple[str, int, int]]) -> int:
    """The index in ``haystack`` where the word run ``needle`` starts, or -1."""
    n = len(needle)
    first = needle[0]
    for i in range(len(haystack) - n + 1):
        if haystack[i][0] == first and all(haystack[i + k][0] == needle[k] for k in range(1, n)):
            return i
    return -1


def _match(page: _Page, field_name: str, text: str, start: int, end: int, speaker: str | None, ours, theirs):
    found = page.speaker_at(field_name, start)
    return QuoteMatch(
        page.article.id, page.article.outlet, page.source, field_name, start, end, text[start:end], found,
        _same(speaker, found), _differs(ours, theirs),
    )  # fmt: skip


def _differs(ours: list, theirs: list) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The words of each side whose stem the other lacks (``ours``/``theirs`` as (stem, word) pairs)."""
    a, b = {s for s, _ in ours}, {s for s, _ in theirs}
    return (tuple(dict.fromkeys(w for s, w in ours if s not in b)),
            tuple(dict.fromkeys(w for s, w in theirs if s not in a)))  # fmt: skip


def _verbatim(quote_words: list[str], pages: list[_Page], speaker: str | None) -> list[QuoteMatch]:
    found = []
    for page in pages:
        for field_name, text, page_words in page.fields:
            i = _find_run(quote_words, page_words)
            if i >= 0:
                start, end = page_words[i][1], page_words[i + len(quote_words) - 1][2]
                found.append(_match(page, field_name, text, start, end, speaker, [], []))
                break
    return found


def _share(part: list[str], whole: set[str]) -> float:
    return sum(w in whole for w in part) / len(part) if part else 0.0


def _stems(text: str, language: str | None) -> list[tuple[str, str]]:
    """(stem, word) of each word, so "meetings" meets "meeting" and the words that differ print as written."""
    from ..corroborate.same import _stem

    lang = (language or "en")[:2]
    return [(_stem(w, lang), text[a:b]) for w, a, b in words(text)]


def _source_quotes(page: _Page) -> list[tuple[Quote, list[tuple[str, str]]]]:
    return [(q, _stems(q.text, page.article.language)) for q in page.analysis.quotes if len(q.text.split()) >= 2]


def check_quotes(
    article: Article, analysis: Analysis, sources: list[Article], analyses: list[Analysis], labels: dict[str, str]
) -> list[QuoteCheck]:
    """The verdict on every quotation of ``article`` (the checked text) against the source articles."""
    pages = [
        _Page(a, an, labels[a.id], [("title", a.title, words(a.title)), ("text", a.text, words(a.text))])
        for a, an in zip(sources, analyses, strict=True)
    ]
    results = []
    for quote in analysis.quotes:
        quote_words = [w for w, _, _ in words(quote.text)]
        if len(quote_words) < MIN_WORDS or (quote.partial and quote.speaker is None):
            continue
        speaker = _speaker(quote)
        result = QuoteCheck(quote.start, quote.end, quote.text, speaker, "not found")
        verbatim = _verbatim(quote_words, pages, speaker)
        if verbatim:
            result.verdict, result.matches = "verbatim", verbatim
        else:
            result.verdict, result.matches = _closest(_stems(quote.text, article.language), pages, speaker)
        results.append(result)
    return results


def _closest(quote_words: list[tuple[str, str]], pages: list[_Page], speaker: str | None) -> tuple[str, list]:
    """Stitched, paraphrase or not found, with the source quotations that come closest."""
    ours = {s for s, _ in quote_words}
    stitched: list[QuoteMatch] = []
    paraphrases: list[tuple[float, QuoteMatch]] = []
    for page in pages:
        fragments = []
        for quote, theirs in _source_quotes(page):
            share = _share([s for s, _ in theirs], ours)
            back = _share([s for s, _ in quote_words], {s for s, _ in theirs})
            match = _match(page, "text", page.article.text, quote.start, quote.end, speaker, quote_words, theirs)
            if min(share, back) >= PARAPHRASE_SHARE:
                paraphrases.append((min(share, back), match))
            elif share >= FRAGMENT_SHARE and len(theirs) >= MIN_WORDS - 1:
                fragments.append((quote, {s for s, _ in theirs} & ours, match))
        kept = _apart(fragments)
        if len(kept) >= 2 and not stitched:
            stitched = kept
    if paraphrases:
        paraphrases.sort(key=lambda x: (-x[0], x[1].article_id))
        return "paraphrase", _one_per_article([m for _, m in paraphrases])
    if stitched:
        return "stitched", stitched
    return "not found", []


def _apart(fragments: list) -> list[QuoteMatch]:
    """The source quotations that each give our quotation words the others do not, in the source's order."""
    kept, covered = [], set()
    for quote, shared, match in sorted(fragments, key=lambda f: (-len(f[1]), f[0].start)):
        if len(shared - covered) >= 2:
            kept.append((quote.start, match))
            covered |= shared
    return [m for _, m in sorted(kept, key=lambda k: k[0])]


def _one_per_article(matches: list[QuoteMatch]) -> list[QuoteMatch]:
    seen, kept = set(), []
    for match in matches:
        if match.article_id not in seen:
            seen.add(match.article_id)
            kept.append(match)
    return kept
