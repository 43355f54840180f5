"""Claims: each sentence cut into propositions, with who asserts them and how firmly.

A sentence is cut at semicolons and at clause-joining ", but", ", while",
", whereas" and ", and" + a new subject. Each piece keeps its sentence's
attribution: the speaker of a quote it lies in, the reporter of reported
speech ("Peskov said that …"), or none (the outlet's own voice). Hedges
("reportedly", "could", "expected to") and negation are read from the words;
``kind`` is ``statement`` when someone is credited, ``opinion`` for the
outlet's own judgements ("should", "must", a question), ``background`` when
everything it dates lies well before the article's date, else ``event``.
"""

from __future__ import annotations

import bisect
import re

from ..model import Article, Claim, Mention, Quantity, Quote, Sentence, TimeExpr
from .speakers import CUE

HEDGES = re.compile(
    r"\b(?:reportedly|allegedly|purportedly|apparently|possibly|probably|likely|unlikely|perhaps|"
    r"could|might|may|expected\s+to|appears?\s+to|appeared\s+to|seems?\s+to|seemed\s+to|believed\s+to|"
    r"said\s+to\s+be|reported\s+to|is\s+thought\s+to|potentially|unconfirmed|suspected|rumou?red)\b",
    re.I,
)
NEGATION = re.compile(r"\b(?:not|no|never|none|neither|nor|nobody|nothing|cannot)\b|n[’']t\b", re.I)
OPINION = re.compile(
    r"\b(?:should|must|ought\s+to|need\s+to|i\s+think|we\s+believe|clearly|arguably|in\s+(?:my|our)\s+view|"
    r"unfortunately|fortunately|disgraceful|shameful|outrageous)\b|\?\s*$",
    re.I,
)
_CUT = re.compile(r";\s+|,\s+(?:but|while|whereas|although|though)\s+|,\s+and\s+(?=(?:he|she|they|it|we|the|[A-Z])\b)")


def find_claims(
    article: Article,
    sentences: list[Sentence],
    mentions: list[Mention],
    quotes: list[Quote],
    quantities: list[Quantity],
    times: list[TimeExpr],
    reported: dict | None = None,
    anchor: str | None = None,
    names: dict[str, str] | None = None,
    tokens=(),
) -> list[Claim]:
    """Every claim in the article, in text order (``tokens``: the parse, where there is one)."""
    text = article.text
    tokens = list(tokens or ())
    starts = [t[0] for t in tokens]
    reported = reported or {}
    claims = []
    quote_ends = _Index(quotes)
    mention_starts = [m.start for m in mentions]
    quantity_starts = [q.start for q in quantities]
    time_starts = [t.start for t in times]
    for index, sentence in enumerate(sentences):
        sentence_quotes = quote_ends.overlapping(sentence.start, sentence.end)
        quoted = [(quotes[i].start, quotes[i].end) for i in sentence_quotes]
        pieces = _pieces(text, sentence.start, sentence.end, quoted, _conjoined(tokens, starts, sentence))
        for start, end in pieces:
            inside = [i for i in sentence_quotes if quotes[i].start < end and start < quotes[i].end]
            speaker, cue = None, None
            quoted = [i for i in inside if quotes[i].speaker and not quotes[i].partial]
            if quoted:
                speaker, cue = quotes[quoted[0]].speaker, quotes[quoted[0]].cue
            elif index in reported:
                speaker, cue = reported[index][0], reported[index][1]
            else:  # a quoted fragment counts only with its cue verb in the same claim
                cued = [i for i in inside if quotes[i].speaker and quotes[i].cue_start is not None]
                cued = [i for i in cued if start <= quotes[i].cue_start < end]
                if cued:
                    speaker, cue = quotes[cued[0]].speaker, quotes[cued[0]].cue
            piece = text[start:end]
            own = [mentions[i] for i in _starting(mention_starts, start, end)]
            claims.append(
                Claim.of(
                    article,
                    start,
                    end,
                    sentence=index,
                    subject=_subject(own, start, names or {}),
                    predicate=_predicate(text, tokens, starts, start, end),
                    speaker=speaker,
                    cue=cue,
                    hedges=tuple(dict.fromkeys(h.group().lower() for h in HEDGES.finditer(piece))),
                    negated=bool(NEGATION.search(_outside_quotes(piece))),
                    kind=_kind(piece, speaker, [times[i] for i in _within(times, time_starts, start, end)], anchor),
                    quantities=tuple(_within(quantities, quantity_starts, start, end)),
                    times=tuple(_within(times, time_starts, start, end)),
                    quotes=tuple(inside),
                    entities=tuple(dict.fromkeys(m.entity_id for m in own if m.entity_id)),
                )
            )
    return claims


def _conjoined(tokens, starts: list[int], sentence: Sentence) -> list[tuple[int, int]]:
    """Where the parser sees a second verb phrase coordinated with the first ("… would not be deployed at the
    front lines and was not intended to …", "said that … but rejected …"): (where the conjunction starts, where
    the second phrase starts)."""
    first, last = bisect.bisect_left(starts, sentence.start), bisect.bisect_left(starts, sentence.end)
    children: dict[int, list[int]] = {}
    for i in range(first, last):
        if tokens[i][4] != i:
            children.setdefault(tokens[i][4], []).append(i)
    cuts = []
    for i in range(first, last):
        head = tokens[i][4]
        if tokens[i][3] != "conj" or not tokens[i][2].startswith("VB") or not tokens[head][2].startswith("VB"):
            continue
        leftmost, todo = i, [i]
        while todo:
            k = todo.pop()
            leftmost = min(leftmost, k)
            todo.extend(children.get(k, []))
        joins = [k for k in children.get(head, []) if tokens[k][3] == "cc" and head < k < leftmost]
        if joins and leftmost > head:
            cuts.append((tokens[joins[-1]][0], tokens[leftmost][0]))
    return cuts


def _pieces(
    text: str, start: int, end: int, quoted: list[tuple[int, int]], conjoined: list[tuple[int, int]] = ()
) -> list[tuple[int, int]]:
    """Cut a sentence into clauses, never inside a quotation (it may have opened in an earlier sentence)."""
    cuts = [start]
    marks = sorted([(m.start(), m.end()) for m in _CUT.finditer(text, start, end)] + list(conjoined))
    for cut_start, cut_end in marks:
        if cut_start < cuts[-1]:
            continue
        left = text[cuts[-1] : cut_start]
        right = text[cut_end:end]
        inside = any(s <= cut_start < e for s, e in quoted) or _inside_quote(text, start, cut_start)
        if len(left.split()) >= 4 and len(right.split()) >= 3 and not inside:
            cuts.append(cut_start)
            cuts.append(cut_end)
    cuts.append(end)
    spans = []
    for s, e in zip(cuts[::2], cuts[1::2], strict=True):
        while s < e and not text[s].isalnum() and text[s] not in "\"“‘'$€£(":
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if Claim.fits(text, s, e):
            spans.append((s, e))
    return spans


def _inside_quote(text: str, start: int, at: int) -> bool:
    """True when ``at`` lies inside an open quotation (an odd count of marks before it)."""
    piece = text[start:at]
    return (piece.count("“") > piece.count("”")) or piece.count('"') % 2 == 1


def _outside_quotes(piece: str) -> str:
    """The piece with each quotation (an opening mark to the next closing one) replaced by a space.

    A scan rather than a regular expression: with many marks left open, the
    expression tried every opening mark to the end of the text (quadratic).
    """
    out, at = [], 0
    while True:
        opening = min((i for i in (piece.find("“", at), piece.find('"', at)) if i != -1), default=-1)
        if opening == -1:
            break
        closing = min((i for i in (piece.find("”", opening + 1), piece.find('"', opening + 1)) if i != -1), default=-1)
        if closing == -1:
            break
        out += [piece[at:opening], " "]
        at = closing + 1
    return "".join(out) + piece[at:]


def _starting(starts: list[int], start: int, end: int) -> range:
    """Indexes of the records (sorted by start) that start in [start, end)."""
    return range(bisect.bisect_left(starts, start), bisect.bisect_left(starts, end))


def _within(records, starts: list[int], start: int, end: int) -> list[int]:
    return [i for i in _starting(starts, start, end) if records[i].end <= end]


class _Index:
    """Quotes (in text order; nested ones may overlap) that overlap a stretch, found by bisection and the
    running furthest end, so an article costs linear time however many quotes it has."""

    def __init__(self, quotes: list[Quote]) -> None:
        self.quotes = quotes
        self.starts = [q.start for q in quotes]
        self.reach, furthest = [], -1
        for q in quotes:
            furthest = max(furthest, q.end)
            self.reach.append(furthest)

    def overlapping(self, start: int, end: int) -> list[int]:
        i = bisect.bisect_left(self.starts, end) - 1
        found = []
        while i >= 0 and self.reach[i] > start:
            if self.quotes[i].end > start:
                found.append(i)
            i -= 1
        return found[::-1]


def _subject(own: list[Mention], start: int, names: dict[str, str]) -> str | None:
    """The canonical name of the first entity named near the start ("Russian President Vladimir Putin": Putin)."""
    leading = [m for m in own if m.start - start <= 40 and m.kind != "pronoun"]
    for i, m in enumerate(leading):
        nxt = leading[i + 1] if i + 1 < len(leading) else None
        if m.label == "NORP" and nxt and nxt.start - m.end <= 25:
            continue
        return names.get(m.entity_id, m.text)
    return None


def _predicate(text: str, tokens, starts: list[int], start: int, end: int) -> str | None:
    """The claim's main verb: of the verbs in the span, the one nearest the root of the parse that is not a
    verb of saying ("Peskov said that talks can be organized": organized)."""
    first, last = bisect.bisect_left(starts, start), bisect.bisect_left(starts, end)
    best = None
    for i in range(first, last):
        if tokens[i][2].startswith("VB") and tokens[i][3] not in ("aux", "auxpass", "amod"):
            depth, k = 0, i
            while tokens[k][4] != k and depth < 50:
                k, depth = tokens[k][4], depth + 1
            word = text[tokens[i][0] : tokens[i][1]].lower()
            if not CUE.fullmatch(word) and (best is None or depth < best[0]):
                best = (depth, word)
    return best[1] if best else None


def _kind(piece: str, speaker, times: list[TimeExpr], anchor: str | None) -> str:
    if speaker is not None:
        return "statement"
    if OPINION.search(_outside_quotes(piece)):
        return "opinion"
    resolved = [t.value for t in times if t.value]
    if anchor and resolved and all(_earlier(value, anchor) for value in resolved):
        return "background"
    return "event"


def _earlier(value: str, anchor: str) -> bool:
    """True when the time ``value`` lies more than about a month before ``anchor``."""
    if "W" in value:
        return False
    return value[:7] < _month_before(anchor) if len(value) >= 7 else value[:4] < anchor[:4]


def _month_before(anchor: str) -> str:
    year, month = int(anchor[:4]), int(anchor[5:7])
    return f"{year - (month == 1):04d}-{(month - 2) % 12 + 1:02d}"
