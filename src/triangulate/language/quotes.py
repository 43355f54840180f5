"""Quotations, their cue verbs and their speakers.

Finding the quoted words is a matter of pairing marks: curly, straight,
guillemets, doubled apostrophes (``''``) and single quotes used as the outer
mark, each line scanned on its own, with a quote left open at the end of a
paragraph carried into the next paragraph when that one opens with a mark (the
newspaper convention for long quotes).

The speaker comes from the attribution around the quote, searched in this order:

1. after the quote in its sentence: ``"…," said Caddell`` / ``"…," he said``;
2. before it: ``Zelensky hailed the move: "…"`` / ``Putin described that "…"``;
3. ``according to X`` anywhere in the sentence: X relayed the words. When a
   speaker is also named, the speaker stays and X is kept as ``relayed_by``;
4. no cue in the sentence: the speaker of the other part of a quote split by
   its attribution, of a quote continued from the previous paragraph, of an
   introducing line that ends in a colon, of a credit line under a block quote
   ("Vladimir Putin, Russian President"), or of the nearest attribution in the
   two sentences before.

A pronoun speaker keeps the pronoun as its span and takes the identity of the
most recent person named before it; a role noun takes the identity of the
person who holds that role in the article; an indefinite source ("a senior
White House official", "sources") is anonymous; an outlet, agency or "state
media" is a relaying source.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from ..ingest.outlets import registry
from ..model import Article, Entity, Mention, Quote, Speaker
from .entities import ROLE_NOUNS

_REGULAR = [
    "accus",
    "acknowledg",
    "admit",
    "advis",
    "alleg",
    "announc",
    "answer",
    "argu",
    "ask",
    "assert",
    "assur",
    "boast",
    "caution",
    "claim",
    "comment",
    "complain",
    "conced",
    "conclud",
    "confirm",
    "continu",
    "counter",
    "declar",
    "demand",
    "describ",
    "emphasiz",
    "emphasis",
    "estimat",
    "explain",
    "hail",
    "insist",
    "jok",
    "lament",
    "maintain",
    "mention",
    "not",
    "observ",
    "predict",
    "promis",
    "quipp?",
    "recall",
    "recount",
    "remark",
    "report",
    "respond",
    "reiterat",
    "reveal",
    "shout",
    "stress",
    "suggest",
    "tweet",
    "post",
    "urg",
    "vow",
    "warn",
    "whisper",
    "yell",
    "call",
    "mus",
    "scoff",
    "retort",
    "wonder",
    "agre",
    "charg",
    "contend",
    "proclaim",
    "recommend",
    "indicat",
    "chant",
    "scream",
    "cheer",
    "plead",
    "mutter",
    "sigh",
    "insist",
]
_CUE_WORDS = (
    r"(?:said|says|say|saying|told|tell|tells|telling|wrote|writes|write|writing|written|sang|sings|sing|singing"
    r"|spoke|speaks|den(?:y|ies|ied|ying)|repl(?:y|ies|ied|ying)|testif(?:y|ies|ied|ying)|put\s+it|went\s+on"
    r"|goes\s+on|added|adds|adding|asks?|asked|asking|stated|states|stating|shot\s+back|fired\s+back|"
    + "|".join(rf"{stem}(?:e|es|ed|d|s|ing)" for stem in _REGULAR)
    + r")"
)
CUE = re.compile(
    rf"(?<!so-)\b{_CUE_WORDS}\b(?:\s+(?:that|of|to|in|about|on|him|her|them|reporters|journalists))?", re.I
)
ACCORDING = re.compile(r"\baccording\s+to\s+", re.I)
PRONOUN = re.compile(r"\b(?:he|she|they|I|we|it|He|She|They|We|It)\b")
_ANON = re.compile(
    rf"\b(?:(?i:a|an|one|two|three|four|several|some|many|other|senior|former|the)\s+)+(?:[\w’'-]+\s+){{0,4}}?"
    rf"(?:{ROLE_NOUNS}|officials?|sources?|people|persons?|members?|witness(?:es)?|residents?|analysts?|"
    rf"experts?|observers?|critics?|supporters?|insiders?|aides?|diplomats?|lawmakers?|spokes(?:man|woman|person))s?\b"
)
_RELAY_WORDS = re.compile(
    r"\b(?:media|news|agency|newspaper|paper|outlet|television|tv|radio|broadcaster|translation|report|reports|"
    r"statement|transcript|wire|press|journal|times|post|tass|ria|interfax|reuters|afp|ap|bloomberg|cnn|bbc|xinhua)\b",
    re.I,
)
_CREDIT_LINE = re.compile(r"^[—–-]?\s*([A-Z][\w’'-]+(?:\.?\s+[A-Z][\w’'-]+){0,3})\.?\s*(?:,|\(|$)")
_FILLER = re.compile(
    r"^[\s,]*(?:(?:also|later|then|again|previously|once|flatly|repeatedly|publicly|separately|simply|"
    r"has|had|have|would|will|had|was|is|once again|on \w+|in an? [\w ]{1,30}?|this \w+|last \w+|"
    r"earlier|today|yesterday|recently|further|in a statement)[\s,]*)*$",
    re.I,
)

# "…," Toomey fumed. / "…," she quipped: any past-tense verb right after the quote and its speaker
_ADJACENT = re.compile(
    r"[,.!?…—–-]*\s*(?:[A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*){0,3}|he|she|they|[Tt]he\s+[a-z]+)\s+(?P<verb>[a-z]+ed)\b"
)
_ADJACENT_INVERTED = re.compile(r"[,.!?…—–-]*\s*(?P<verb>[a-z]+ed)\s+(?:[A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*){0,3})")

_DOUBLE = {
    "“": "open",
    "„": "open",
    "«": "open",
    "”": "close",
    "»": "close",
    '"': "toggle",
    "''": "toggle",
    "``": "open",
}
_MARK = re.compile(r"''|``|[“”„«»\"‘’']")


@dataclass
class _Raw:
    start: int
    end: int
    mark_open: int
    mark_close: int | None  # None when the quote runs on into the next paragraph
    continued: bool = False  # carries on from an unclosed quote in the paragraph before


def quote_spans(text: str) -> list[_Raw]:
    """Pair quotation marks line by line; return the spans of the quoted words.

    Example:
        >>> t = 'He said "we are ready" and ‘soon’ at don’t-stop.'
        >>> [t[q.start:q.end] for q in quote_spans(t)]
        ['we are ready', 'soon']
    """
    found: list[_Raw] = []
    carried = False
    for line in re.finditer(r"[^\n]+", text):
        open_at: tuple[int, int] | None = None  # (position of the mark, its length)
        single_at: int | None = None
        for mark in _MARK.finditer(text, line.start(), line.end()):
            m, p = mark.group(), mark.start()
            prev = text[p - 1] if p > line.start() else " "
            nxt = text[mark.end()] if mark.end() < line.end() else " "
            if m in _DOUBLE:
                role = _DOUBLE[m]
                if role == "toggle":  # a straight mark: its neighbours say which it is, else it toggles
                    opens = (prev.isspace() or prev in "([{—–-/" or p == line.start()) and not nxt.isspace()
                    closes = not prev.isspace() and p != line.start() and (nxt.isspace() or not nxt.isalnum())
                    undecided = "open" if open_at is None else "close"
                    role = ("open" if opens else "close") if opens != closes else undecided
                elif role == "open" and open_at is not None and not prev.isspace() and not nxt.isalnum():
                    role = "close"  # a mistyped closing mark
                elif role == "close" and open_at is None and (prev.isspace() or p == line.start()) and nxt.isalnum():
                    role = "open"
                if role == "open" and open_at is None:
                    open_at, single_at = (p, len(m)), None
                elif role == "close" and open_at is not None:
                    _add(
                        found,
                        text,
                        open_at[0] + open_at[1],
                        p,
                        open_at[0],
                        p,
                        carried and not _found_in_line(found, line),
                    )
                    open_at, carried = None, False
                continue
            if open_at is not None:
                continue  # single marks inside a double quote are nested quotes or apostrophes
            opens = m in "‘'" and (prev.isspace() or prev in "([—–-:" or p == line.start()) and nxt.isalnum()
            closes = m in "’'" and single_at is not None and not nxt.isalnum() and not prev.isspace()
            if closes:
                if p - single_at > 2:  # not rock 'n' roll
                    _add(found, text, single_at + 1, p, single_at, p, False)
                single_at = None
            elif opens and single_at is None:
                single_at = p
        if open_at is not None:  # runs to the end of the paragraph
            following = text[line.end() :].lstrip()
            _add(found, text, open_at[0] + open_at[1], line.end(), open_at[0], None, carried)
            carried = following[:1] in "“\"«'‘" and bool(following)
            if found and found[-1].mark_open == open_at[0]:
                found[-1].mark_close = None if carried else line.end()
        else:
            carried = False
    return found


def _found_in_line(found: list[_Raw], line: re.Match) -> bool:
    return bool(found) and found[-1].start >= line.start()


def _add(found: list[_Raw], text: str, start: int, end: int, mark_open: int, mark_close, continued: bool) -> None:
    while start < end and (text[start].isspace() or text[start] in "…"):
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if Quote.fits(text, start, end) and any(c.isalpha() for c in text[start:end]):
        found.append(_Raw(start, end, mark_open, mark_close, continued))


class _Context:
    """Lookups over the article shared by every quote: sentences, mentions, quote masks."""

    def __init__(self, article: Article, sentences, mentions: list[Mention], entities: list[Entity], raws):
        self.text = article.text
        self.sentences = sentences
        self.starts = [s for s, _ in sentences]
        self.mentions = mentions
        self.mention_starts = [m.start for m in mentions]
        self.entities = {e.id: e for e in entities}
        self.inside = [(r.mark_open, (r.mark_close if r.mark_close is not None else r.end) + 1) for r in raws]

    def sentence(self, offset: int) -> tuple[int, int]:
        i = max(bisect.bisect_right(self.starts, offset) - 1, 0)
        return self.sentences[i] if self.sentences else (0, len(self.text))

    def quoted(self, offset: int) -> bool:
        return any(s <= offset < e for s, e in self.inside)

    def masked(self, start: int, end: int) -> str:
        """The text with quoted stretches blanked out, so cues inside quotes are not taken."""
        chars = list(self.text[start:end])
        for s, e in self.inside:
            for i in range(max(s, start), min(e, end)):
                chars[i - start] = "\x00" if self.text[i] not in "\n" else "\n"
        return "".join(chars)

    def mentions_between(self, start: int, end: int) -> list[Mention]:
        i = bisect.bisect_left(self.mention_starts, start)
        out = []
        while i < len(self.mentions) and self.mentions[i].start < end:
            if self.mentions[i].end <= end and not self.quoted(self.mentions[i].start):
                out.append(self.mentions[i])
            i += 1
        return out

    def last_person(self, before: int) -> Mention | None:
        i = bisect.bisect_left(self.mention_starts, before) - 1
        while i >= 0:
            m = self.mentions[i]
            if m.label == "PERSON" and not self.quoted(m.start):
                return m
            i -= 1
        return None


_AUXILIARY = r"(?!(?:have|has|had|are|is|was|were|will|would|could|can|did|does|do|not|also|said|says)\b)"
_POSSESSIVE = re.compile(rf"(?:’s|'s|’|')\s+{_AUXILIARY}[a-z][\w-]*(?:\s+{_AUXILIARY}[a-z][\w-]*)?")
_RELATIVE = re.compile(r"\b(?:which|who|that)\s+(?:[a-z]+\s+){0,2}$")
_DEFINITE_NP = re.compile(r"\b(?:[Tt]he|[Aa]n?|[Hh]is|[Hh]er|[Tt]heir|[Ii]ts)\s+(?:[\w’'-]+\s+){0,3}?[a-z][\w-]*\s*$")
_NAME_RUN = re.compile(r"(?:[A-Z][\w’'-]*\.?\s+){0,3}[A-Z][\w’'-]+")


def _speaker_at(ctx: _Context, start: int, end: int, prefer: str = "first") -> Speaker | None:
    """The speaker named by the words in text[start:end] (a stretch next to a cue).

    ``prefer`` is ``first`` after a cue (``said Caddell, who …``) and ``last``
    before one (``… state Sen. Jason Holsman said``): the mention nearest the cue.
    """
    text = ctx.text
    piece = ctx.masked(start, end)
    if "\x00" in piece:
        if prefer == "last":
            cut = piece.rindex("\x00") + 1
            start, piece = start + cut, piece[cut:]
        else:
            piece = piece[: piece.index("\x00")]
            end = start + len(piece)
    candidates: list[tuple[int, int, Speaker]] = []
    for m in ctx.mentions_between(start, end):
        entity = ctx.entities.get(m.entity_id)
        owner = _POSSESSIVE.match(text, m.end, end)
        if owner and m.label != "PERSON":  # "Ukraine's allies" speak, not Ukraine
            s, e = m.start, owner.end()
            candidates.append((s, e, Speaker(text[s:e], "role", None, s, e)))
            continue
        if m.label in {"PERSON", "ORG", "GPE", "NORP"} or m.kind == "role":
            kind = "relayed" if m.label == "ORG" and _is_outlet(m.text) else ("role" if m.kind == "role" else "named")
            name = entity.name if entity else m.text
            candidates.append((m.start, m.end, Speaker(name, kind, m.entity_id or None, m.start, m.end)))
    for match in _ANON.finditer(piece):
        s, e = start + match.start(), start + match.end()
        words = match.group()
        kind = (
            "anonymous"
            if re.match(r"(?i)(?:a|an|one|two|three|four|several|some|many|other|senior|former)\b", words)
            else "role"
        )
        if re.search(r"(?i)\b(?:media|agency|news)\b", words):
            kind = "relayed"
        candidates.append((s, e, Speaker(text[s:e], kind, None, s, e)))
    for match in PRONOUN.finditer(piece):
        s, e = start + match.start(), start + match.end()
        word = match.group().lower()
        antecedent = ctx.last_person(s) if word in {"he", "she"} else None
        if antecedent:
            entity = ctx.entities.get(antecedent.entity_id)
            name = entity.name if entity else antecedent.text
            candidates.append((s, e, Speaker(name, "pronoun", antecedent.entity_id, s, e)))
        else:
            candidates.append((s, e, Speaker(match.group(), "pronoun", None, s, e)))
    relay = re.search(
        r"(?i)\b(?:state|official|local|russian|chinese|iranian|western)?\s*(?:media|news agency|television|tv)\b",
        piece,
    )
    if relay:
        s, e = start + relay.start(), start + relay.end()
        while text[s].isspace():
            s += 1
        candidates.append((s, e, Speaker(text[s:e], "relayed", None, s, e)))
    if not candidates:
        edge = _DEFINITE_NP.search(piece) if prefer == "last" else None
        if edge:
            s, e = start + edge.start(), start + len(piece.rstrip())
            kind = "anonymous" if edge.group()[:1].lower() == "a" else "role"
            candidates.append((s, e, Speaker(text[s:e], kind, None, s, e)))
        names = list(_NAME_RUN.finditer(piece))
        if names:  # a name the recogniser missed ("Ban recalled")
            name = names[-1] if prefer == "last" else names[0]
            s, e = start + name.start(), start + name.end()
            if Mention.fits(text, s, e):
                candidates.append((s, e, Speaker(text[s:e], "named", None, s, e)))
    if not candidates:
        return None
    candidates.sort(key=lambda c: (c[0], -(c[1] - c[0])))
    if prefer == "last":
        last_end = max(c[1] for c in candidates)
        near = [c for c in candidates if c[1] >= last_end - 1 or c[0] <= last_end <= c[1]]
        best = min(near, key=lambda c: c[0])
        named = [c for c in near if c[2].kind == "named" and c is not best and best[0] <= c[0]]
        return (named[0] if best[2].kind in {"anonymous", "role"} and named else best)[2]
    best = candidates[0]
    if best[2].entity_id and best[2].entity_id.startswith("grp:"):  # "Russian President Vladimir Putin"
        best = next((c for c in candidates[1:] if c[0] - best[1] <= 25 and c[2].kind == "named"), best)
    for c in candidates[1:]:
        if c[0] < best[1] and best[2].kind in {"anonymous", "role"} and c[2].kind == "named":
            best = c  # "the Kremlin spokesman Dmitry Peskov": the name inside the role phrase
    return best[2]


def _is_outlet(name: str) -> bool:
    return bool(_RELAY_WORDS.search(name)) or registry().lookup(name) is not None


def _after(ctx: _Context, q: _Raw, sentence_end: int) -> tuple[re.Match | None, Speaker | None, int]:
    """``"…," said X`` or ``"…," X said`` right after the quote."""
    close = q.mark_close if q.mark_close is not None else q.end
    start = close + 1
    window = ctx.masked(start, sentence_end)
    if "\x00" in window:
        window = window[: window.index("\x00")]
    cue = CUE.search(window)
    if not cue or cue.start() > 80:
        cue = _ADJACENT.match(window) or _ADJACENT_INVERTED.match(window)
        if not cue:
            return None, None, start
        cue_at = start + cue.start("verb")
        if cue.re is _ADJACENT_INVERTED:
            return cue, _speaker_at(ctx, start + cue.end("verb"), start + cue.end()), start
        return cue, _speaker_at(ctx, start, cue_at, "last"), start
    before = window[: cue.start()]
    if len(before.split()) > 6:
        return None, None, start  # the cue belongs to another clause
    if cue.group().split()[0].lower().endswith("ing") and before.rstrip().endswith(","):
        sentence_start = ctx.sentence(q.mark_open)[0]  # ", warning that …": the sentence's subject speaks
        return cue, _speaker_at(ctx, sentence_start, q.mark_open, "first"), start
    speaker = _speaker_at(ctx, start, start + cue.start(), "last") if before.strip(" ,.—–-") else None
    if speaker is None:
        tail = window[cue.end() :]
        stop = re.search(r"[;:!?,]", tail)  # the window already ends with the sentence
        speaker = _speaker_at(ctx, start + cue.end(), start + cue.end() + (stop.start() if stop else len(tail)))
    return cue, speaker, start


def _before(ctx: _Context, q: _Raw, sentence_start: int) -> tuple[re.Match | None, Speaker | None, int]:
    """``X said: "…"`` or ``X said that "…"``: the last cue before the quote."""
    window = ctx.masked(sentence_start, q.mark_open)
    cues = [c for c in CUE.finditer(window)]
    if not cues:
        return None, None, sentence_start
    cue = cues[-1]
    participle = cue.group().split()[0].lower().endswith("ing") and window[: cue.start()].rstrip().endswith(",")
    speaker = _speaker_at(ctx, sentence_start, sentence_start + cue.start(), "first" if participle else "last")
    if speaker is None:
        tail = window[cue.end() :]
        stop = re.search(r"[.;:!?]", tail)
        speaker = _speaker_at(
            ctx, sentence_start + cue.end(), sentence_start + cue.end() + (stop.start() if stop else len(tail))
        )
    return cue, speaker, sentence_start


def _according(ctx: _Context, start: int, end: int) -> Speaker | None:
    window = ctx.masked(start, end)
    match = ACCORDING.search(window)
    if not match:
        return None
    s = start + match.end()
    stop = re.search(r"[.;:!?\x00]|,", window[match.end() :])
    e = s + (stop.start() if stop else len(window) - match.end())
    while e > s and ctx.text[e - 1].isspace():
        e -= 1
    if e <= s:
        return None
    found = _speaker_at(ctx, s, e)
    name = ctx.text[s:e]
    if found and found.kind == "named" and not _is_outlet(found.name):
        return found
    return Speaker(name, "relayed", found.entity_id if found else None, s, e)


def find_quotes(article: Article, sentences, mentions: list[Mention], entities: list[Entity]) -> list[Quote]:
    """Every quotation in the article with its cue and speaker."""
    text = article.text
    raws = quote_spans(text)
    ctx = _Context(article, sentences, mentions, entities, raws)
    quotes: list[Quote] = []
    for i, q in enumerate(raws):
        s_start, _ = ctx.sentence(q.mark_open)
        close = q.mark_close if q.mark_close is not None else q.end
        _, s_end = ctx.sentence(min(close, len(text) - 1))
        partial_shape = _is_partial(text, q, s_start, s_end)
        first, second = (_before, _after) if partial_shape else (_after, _before)
        cue, speaker, base = first(ctx, q, s_start if partial_shape else s_end)
        if speaker is None:
            cue, speaker, base = second(ctx, q, s_end if partial_shape else s_start)
        relay = _according(ctx, s_start, s_end)
        part_of = None
        if speaker is None and not (partial_shape and len(text[q.start : q.end].split()) <= 4):
            speaker, part_of = _inherited(ctx, raws, quotes, i)  # a scare quote inherits no speaker
            cue, base = None, 0
        if relay and speaker is None:
            speaker = relay
        elif relay and relay.kind == "relayed" and speaker.kind != "relayed":
            speaker = Speaker(speaker.name, speaker.kind, speaker.entity_id, speaker.start, speaker.end, relay.name)
        if (
            part_of is None
            and i
            and cue is not None
            and _splits(ctx, raws[i - 1], q, quotes[i - 1], base + _cue_word(cue)[1])
        ):
            speaker, part_of = (
                quotes[i - 1].speaker,
                quotes[i - 1].part_of if quotes[i - 1].part_of is not None else i - 1,
            )
        partial = _is_partial(text, q, s_start, s_end) if part_of is None else quotes[part_of].partial
        fields = {"speaker": speaker, "partial": partial, "part_of": part_of}
        if cue is not None:
            word, at = _cue_word(cue)
            fields.update(cue=word, cue_start=base + at, cue_end=base + at + len(word))
        quotes.append(Quote.of(article, q.start, q.end, **fields))
    return _join_runs(ctx, raws, quotes)


def _join_runs(ctx: _Context, raws: list[_Raw], quotes: list[Quote]) -> list[Quote]:
    """Quotes by one speaker in a row within a paragraph are parts of one quotation."""
    from dataclasses import replace

    for i in range(1, len(quotes)):
        q, previous = quotes[i], quotes[i - 1]
        if q.part_of is not None or q.partial or previous.partial or not (q.speaker and previous.speaker):
            continue
        same = (q.speaker.entity_id or q.speaker.name) == (previous.speaker.entity_id or previous.speaker.name)
        gap = ctx.text[previous.end : raws[i].mark_open]
        if same and "\n" not in gap and len(gap.split()) <= 25:
            root = previous.part_of if previous.part_of is not None else i - 1
            quotes[i] = replace(q, part_of=root, speaker=quotes[root].speaker)
    return quotes


def _splits(ctx: _Context, before: _Raw, q: _Raw, previous: Quote, cue_at: int) -> bool:
    """``"…," Mr. Autor said, "and …"``: the attribution between two parts of one quote in one paragraph."""
    if previous.partial or before.mark_close is None or "\n" in ctx.text[before.end : q.mark_open]:
        return False
    if previous.cue_start is None or previous.cue_start != cue_at or not before.end <= cue_at < q.mark_open:
        return False
    gap = ctx.masked(before.mark_close + 1, q.mark_open)
    return before.end <= cue_at < q.mark_open and len(gap.split()) <= 15


def _cue_word(cue: re.Match) -> tuple[str, int]:
    """The cue verb of a match and where it starts in the searched window."""
    if "verb" in cue.re.groupindex:
        return cue.group("verb"), cue.start("verb")
    return cue.group().split()[0], cue.start()


def _inherited(ctx: _Context, raws: list[_Raw], quotes: list[Quote], i: int) -> tuple[Speaker | None, int | None]:
    text = ctx.text
    q = raws[i]
    line_start = text.rfind("\n", 0, q.mark_open) + 1
    # the other part of a quote split by its attribution, or a quote carried over
    if i and quotes[i - 1].speaker:
        root = quotes[i - 1].part_of if quotes[i - 1].part_of is not None else i - 1
        if q.continued:
            return quotes[i - 1].speaker, root
        if raws[i - 1].mark_open >= line_start and len(ctx.masked(raws[i - 1].end, q.mark_open).split()) <= 12:
            return quotes[i - 1].speaker, root
        if raws[i - 1].mark_open >= text.rfind("\n", 0, line_start - 1):
            return quotes[i - 1].speaker, None  # the next paragraph goes on quoting the same speaker
    # a line that introduces the quote with a colon
    previous = text[:line_start].rstrip()
    if previous.endswith(":") and q.mark_open - line_start < 3:
        intro_start = previous.rfind("\n") + 1
        cue = list(CUE.finditer(ctx.masked(intro_start, len(previous))))
        if cue:
            found = _speaker_at(ctx, intro_start, intro_start + cue[-1].start(), "last")
            if found:
                return found, None
    # a credit line under a block quote
    line_end = text.find("\n", q.end)
    if line_end != -1 and q.mark_open - line_start < 3:
        nxt = text[line_end:].lstrip("\n")
        credit = _CREDIT_LINE.match(nxt)
        if credit:
            offset = len(text) - len(nxt) + credit.start(1)
            found = _speaker_at(ctx, offset, offset + len(credit.group(1)))
            if found and found.kind == "named":
                return found, None
    # the nearest attribution in the two sentences before
    s_index = max(bisect.bisect_right(ctx.starts, q.mark_open) - 1, 0)
    for j in range(s_index - 1, max(s_index - 3, -1), -1):
        s, e = ctx.sentences[j]
        for earlier in reversed(quotes):
            if s <= earlier.start < e and earlier.speaker:
                return earlier.speaker, None
        window = ctx.masked(s, e)
        cues = list(CUE.finditer(window))
        if cues:
            found = _speaker_at(ctx, s, s + cues[0].start(), "last")
            if found:
                return found, None
    return None, None


def _is_partial(text: str, q: _Raw, sentence_start: int, sentence_end: int) -> bool:
    """A fragment quoted inside the writer's own sentence ("thousands" of soldiers, said that "…").

    A quote that opens its sentence, or follows a colon, a comma or a bare cue
    verb (``Trump said "Europe must …"``), is a direct quote.
    """
    if text[q.start : q.start + 1].islower():
        return True
    lead = text[sentence_start : q.mark_open].rstrip()
    words = text[q.start : q.end].split()
    if len(words) >= 8:
        return False  # a whole sentence quoted, however it is introduced
    if lead and len(words) <= 4 and all(w[:1].isupper() or not w[:1].isalpha() for w in words):
        return True  # a title or a name in quotes: “Game of Thrones”
    if not lead or lead.endswith((":", ",", "—", "–")):
        return False
    last = re.search(r"[\w’']+$", lead)
    return not (last and CUE.fullmatch(last.group()))


def reported_speech(
    article: Article, sentences, mentions: list[Mention], entities: list[Entity]
) -> dict[int, tuple[Speaker, str, int, int]]:
    """Sentences that report speech without quoting it: index → (speaker, cue, cue start, cue end).

    ``Peskov said Friday that talks can be organized`` and ``Talks can be
    organized, Peskov said`` are both Peskov's statement, not the outlet's.
    """
    ctx = _Context(article, sentences, mentions, entities, quote_spans(article.text))
    found = {}
    for index, (start, end) in enumerate(sentences):
        window = ctx.masked(start, end)
        for cue in CUE.finditer(window):
            word = cue.group().split()[0]
            before = window[: cue.start()]
            if _RELATIVE.search(before):
                continue  # "26 nations which have declared …": a relative clause, not the sentence's claim
            if cue.start() < 0.6 * len(window):  # "Peskov said Friday that …"
                speaker = _speaker_at(ctx, start, start + cue.start(), "last")
            else:  # "…, the French president said." / "…, said Peskov."
                clause = before.rfind(",") + 1
                if before[clause:].strip():
                    speaker = _speaker_at(ctx, start + clause, start + cue.start(), "last")
                else:
                    tail = window[cue.end() :]
                    stop = re.search(r"[.;:!?,]", tail)
                    speaker = _speaker_at(
                        ctx, start + cue.end(), start + cue.end() + (stop.start() if stop else len(tail))
                    )
            if speaker is not None:
                found[index] = (speaker, word, start + cue.start(), start + cue.start() + len(word))
                break
        else:
            relay = _according(ctx, start, end)
            if relay is not None:
                found[index] = (relay, "according to", *_according_cue(window, start))
    return found


def _according_cue(window: str, start: int) -> tuple[int, int]:
    match = ACCORDING.search(window)
    return start + match.start(), start + match.start() + len("according")
