"""Cue verbs and speakers: who said the words next to a quote or a reporting verb.

The speaker is the mention nearest the cue: a named entity, a role noun ("the
Kremlin spokesman"), a pronoun (resolved to the most recent person named
before it), an indefinite source ("a senior White House official", anonymous),
a possessive phrase ("Ukraine's allies"), or an outlet, agency or "state media"
(a relaying source). ``according to X`` names a relaying source.
"""

from __future__ import annotations

import bisect
import itertools
import re

from ..ingest.outlets import registry
from ..model import Article, Entity, Mention, Speaker
from .entities import ROLE_NOUNS, fold
from .marks import _Raw, quote_spans

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

# "…," Toomey fumed. / "…," she quipped: any past-tense verb right after the quote and its speaker
_ADJACENT = re.compile(
    r"[,.!?…—–-]*\s*(?:[A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*){0,3}|he|she|they|[Tt]he\s+[a-z]+)\s+(?P<verb>[a-z]+ed)\b"
)
_ADJACENT_INVERTED = re.compile(r"[,.!?…—–-]*\s*(?P<verb>[a-z]+ed)\s+(?:[A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*){0,3})")


CUES_PER_SENTENCE = 8  # a sentence's first cues are tried; each try reads the sentence, so more would be quadratic


class _Context:
    """Lookups over the article shared by every quote: sentences, mentions, quote masks."""

    def __init__(self, article: Article, sentences, mentions: list[Mention], entities: list[Entity], raws):
        self.text = article.text
        self.sentences = sentences
        self.starts = [s for s, _ in sentences]
        self.mentions = mentions
        self.mention_starts = [m.start for m in mentions]
        self.entities = {e.id: e for e in entities}
        self.inside = sorted((r.mark_open, (r.mark_close if r.mark_close is not None else r.end) + 1) for r in raws)
        self.inside_ends = list(itertools.accumulate((e for _, e in self.inside), max))

    def sentence(self, offset: int) -> tuple[int, int]:
        i = max(bisect.bisect_right(self.starts, offset) - 1, 0)
        return self.sentences[i] if self.sentences else (0, len(self.text))

    def _overlapping(self, start: int, end: int) -> list[tuple[int, int]]:
        """The quoted stretches that overlap text[start:end], found by bisection (linear work overall)."""
        first = bisect.bisect_right(self.inside_ends, start)
        last = bisect.bisect_left(self.inside, (end, -1))
        return [(s, e) for s, e in self.inside[first:last] if s < end and start < e]

    def quoted(self, offset: int) -> bool:
        return bool(self._overlapping(offset, offset + 1))

    def masked(self, start: int, end: int) -> str:
        """The text with quoted stretches blanked out, so cues inside quotes are not taken."""
        chars = list(self.text[start:end])
        for s, e in self._overlapping(start, end):
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


_AUXILIARY = r"(?!(?:have|has|had|are|is|was|were|will|would|could|can|did|does|do|not|nor|and|or|also|said|says)\b)"
_COORDINATED = re.compile(r"\b(?:and|or|nor|but)\s+(?:also\s+|then\s+|later\s+)?$")
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
                entity = _known_person(ctx, text[s:e])
                named = entity.name if entity else text[s:e]
                candidates.append((s, e, Speaker(named, "named", entity.id if entity else None, s, e)))
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


def _coordinated_subject(ctx: _Context, start: int, before: str) -> Speaker | None:
    """The subject of the first of two coordinated verbs: the first mention of the clause before "and"."""
    joint = _COORDINATED.search(before)
    head = before[: joint.start()].rstrip(" ,")
    clause = head.rfind(",") + 1
    return _speaker_at(ctx, start + clause, start + len(head), "first")


def _known_person(ctx: _Context, name: str) -> Entity | None:
    """The article's person a name the recogniser missed belongs to ("Volodymyr Zelenskiy" → Zelensky)."""
    tokens = [fold(t) for t in name.split() if fold(t)]
    if not tokens:
        return None
    people = [e for e in ctx.entities.values() if e.label == "PERSON"]
    exact = [e for e in people if [fold(t) for t in e.name.split()] == tokens]
    by_surname = [e for e in people if fold(e.name.split()[-1]) == tokens[-1]]
    found = exact or (by_surname if len(by_surname) == 1 else [])
    return found[0] if found else None


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
    if _COORDINATED.search(window[: cue.start()]):  # "…, Trump urged them …, and also said "…""
        return cue, _coordinated_subject(ctx, sentence_start, window[: cue.start()]), sentence_start
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


def reported_speech(
    article: Article, sentences, mentions: list[Mention], entities: list[Entity], raws: list[_Raw] | None = None
) -> dict[int, tuple[Speaker, str, int, int]]:
    """Sentences that report speech without quoting it: index → (speaker, cue, cue start, cue end).

    ``Peskov said Friday that talks can be organized`` and ``Talks can be
    organized, Peskov said`` are both Peskov's statement, not the outlet's.
    """
    ctx = _Context(article, sentences, mentions, entities, quote_spans(article.text) if raws is None else raws)
    found = {}
    for index, (start, end) in enumerate(sentences):
        window = ctx.masked(start, end)
        for cue in itertools.islice(CUE.finditer(window), CUES_PER_SENTENCE):
            word = cue.group().split()[0]
            before = window[: cue.start()]
            if _RELATIVE.search(before):
                continue  # "26 nations which have declared …": a relative clause, not the sentence's claim
            if _COORDINATED.search(before):  # "China has never denounced … nor called for …"
                speaker = _coordinated_subject(ctx, start, before)
            elif cue.start() < 0.6 * len(window):  # "Peskov said Friday that …"
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
