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
from ..ingest.places import place
from ..model import Article, Entity, Mention, Speaker
from ..words import zipf
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

    def __init__(self, article: Article, sentences, mentions: list[Mention], entities: list[Entity], raws, tokens=()):
        self.text = article.text
        self.tokens = list(tokens or ())
        self.token_starts = [t[0] for t in self.tokens]
        self.children: dict[int, list[int]] = {}
        for i, token in enumerate(self.tokens):
            if token[4] != i:
                self.children.setdefault(token[4], []).append(i)
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
        """The person a pronoun at ``before`` refers to: the nearest person who is a subject in this sentence or
        the one before (the parser says which), else the nearest person named."""
        i = bisect.bisect_left(self.mention_starts, before) - 1
        nearest = None
        horizon = self.sentence(self.sentence(before)[0] - 1)[0] if self.tokens else before
        while i >= 0:
            m = self.mentions[i]
            if m.label == "PERSON" and not self.quoted(m.start):
                if not self.tokens:
                    return m
                nearest = nearest or m
                if m.start < horizon:
                    return nearest
                if self.is_subject(m.start, m.end):
                    return m
            i -= 1
        return nearest

    # -- what the parser says (every answer is permissive when there is no parse) --

    def token_at(self, offset: int) -> int | None:
        i = bisect.bisect_right(self.token_starts, offset) - 1
        return i if i >= 0 and self.tokens[i][0] <= offset < self.tokens[i][1] else None

    def is_verb(self, offset: int) -> bool:
        """False only when the parser tags the word at ``offset`` as something else than a verb ("jobless claims")."""
        i = self.token_at(offset)
        return i is None or self.tokens[i][2].startswith(("VB", "MD"))

    def is_subject(self, start: int, end: int) -> bool:
        return any(self.tokens[i][3] in _SUBJECT for i in self._tokens_in(start, end))

    def _tokens_in(self, start: int, end: int) -> range:
        return range(bisect.bisect_left(self.token_starts, start), bisect.bisect_left(self.token_starts, end))

    def subject(self, offset: int) -> tuple[int, int] | None:
        """The span of the subject of the verb at ``offset``, or of the verb it is coordinated with
        ("Peskov said … but rejected …"); None when the parser finds none."""
        i = self.token_at(offset)
        seen = set()
        while i is not None and i not in seen:
            seen.add(i)
            subjects = [k for k in self.children.get(i, []) if self.tokens[k][3] in _SUBJECT]
            if subjects:
                span = self._subtree(subjects[0])
                return span[0], span[1]
            if self.tokens[i][3] not in ("conj", "xcomp"):
                return None
            i = self.tokens[i][4]
        return None

    def _subtree(self, i: int) -> tuple[int, int]:
        start, end, todo = self.tokens[i][0], self.tokens[i][1], [i]
        while todo:
            k = todo.pop()
            start, end = min(start, self.tokens[k][0]), max(end, self.tokens[k][1])
            todo.extend(self.children.get(k, []))
        return start, end


_SUBJECT = ("nsubj", "nsubjpass")
_AUXILIARY = r"(?!(?:have|has|had|are|is|was|were|will|would|could|can|did|does|do|not|nor|and|or|also|said|says)\b)"
_COORDINATED = re.compile(r"\b(?:and|or|nor|but)\s+(?:also\s+|then\s+|later\s+)?$")
_POSSESSIVE = re.compile(rf"(?:’s|'s|’|')\s+{_AUXILIARY}[a-z][\w-]*(?:\s+{_AUXILIARY}[a-z][\w-]*)?")
_RELATIVE = re.compile(r"\b(?:which|who|that)\s+(?:[a-z]+\s+){0,2}$")
_DEFINITE_NP = re.compile(r"\b(?:[Tt]he|[Aa]n?|[Hh]is|[Hh]er|[Tt]heir|[Ii]ts)\s+(?:[\w’'-]+\s+){0,3}?[a-z][\w-]*\s*$")
_NAME_RUN = re.compile(r"(?:[A-Z][\w’'-]*\.?\s+){0,3}[A-Z][\w’'-]+")


def _speaker_at(ctx: _Context, start: int, end: int, prefer: str = "first", subject: bool = False) -> Speaker | None:
    """The speaker named by the words in text[start:end] (a stretch next to a cue).

    ``prefer`` is ``first`` after a cue (``said Caddell, who …``) and ``last``
    before one (``… state Sen. Jason Holsman said``): the mention nearest the cue.
    A place speaks only as the subject of the cue (``subject``), and then as its
    government ("Beijing said"); a pronoun that names nobody is an unknown speaker.
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
        if m.label in {"PERSON", "ORG", "NORP"} or m.kind == "role" or (m.label == "GPE" and subject):
            kind = "relayed" if m.label == "ORG" and _is_outlet(m.text) else ("role" if m.kind == "role" else "named")
            name, entity_id = (entity.name if entity else m.text), m.entity_id or None
            person = _known_person(ctx, m.text) if m.label == "GPE" else None
            if person:  # "Hastings said": the article's Lt. Gregg Hastings, not the town
                name, kind, entity_id = person.name, "named", person.id
            elif m.label == "GPE" and m.kind != "role":
                name, kind = f"{name} (government)", "role"
            candidates.append((m.start, m.end, Speaker(name, kind, entity_id, m.start, m.end)))
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
            candidates.append((s, e, Speaker(match.group(), "unknown", None, s, e)))
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
        names = [n for n in _NAME_RUN.finditer(piece) if not _common_words(n.group())]
        if names and place(names[0].group()) is not None:  # a place the recogniser missed: its government speaks
            first = names.pop(0)
            if subject:
                s, e = start + first.start(), start + first.end()
                candidates.append((s, e, Speaker(f"{text[s:e]} (government)", "role", None, s, e)))
        if subject and not names and len(piece.split()) <= 6 and piece.strip():  # "The executive order (pdf) states"
            s, e = start + len(piece) - len(piece.lstrip()), start + len(piece.rstrip())
            candidates.append((s, e, Speaker(text[s:e], "role", None, s, e)))
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
    if subject and not (best[2].entity_id or "per:").startswith("per:"):  # "Kremlin spokesman Dmitry Peskov"
        best = next((c for c in candidates if (c[2].entity_id or "").startswith("per:")), best)
    if best[2].entity_id and best[2].entity_id.startswith("grp:"):  # "Russian President Vladimir Putin"
        best = next((c for c in candidates[1:] if c[0] - best[1] <= 25 and c[2].kind == "named"), best)
    for c in candidates[1:]:
        appositive = text[best[1] : c[0]].strip() == "," and subject
        person = c[2].kind == "named" and not (c[2].entity_id or "").startswith(("org:", "loc:", "grp:"))
        if (c[0] < best[1] or appositive) and best[2].kind in {"anonymous", "role"} and person:
            best = c  # "the Kremlin spokesman Dmitry Peskov", "a Russian analyst, Sergey Poletaev": the name
            break
    return best[2]


def _appositives(ctx: _Context, start: int, end: int) -> bool:
    """True when text[start:end] is a chain of noun phrases and commas (no verb but auxiliaries), as between a
    quote and its late cue: ', a Russian analyst, Sergey Poletaev, editor of the Vatfor project, has'."""
    if not ctx.tokens or len(ctx.text[start:end].split()) > 20:
        return False
    tokens = [ctx.tokens[i] for i in ctx._tokens_in(start, end)]
    return bool(tokens) and all(not t[2].startswith("VB") or t[3] in ("aux", "auxpass") for t in tokens)


def _common_words(name: str) -> bool:
    """True when every word of a capitalised run is a common word ("The", "It", "Continuing"): not a name."""
    return all(zipf(w.lower().strip(".’'"), "en") >= 4.5 for w in name.split())


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
    cue = next((c for c in CUE.finditer(window) if ctx.is_verb(start + c.start())), None)
    said_by = ctx.subject(start + cue.start()) if cue else None
    if said_by and start <= said_by[0] and said_by[1] <= start + len(window):
        return cue, _speaker_at(ctx, *said_by, "first", subject=True), start
    if not cue or cue.start() > 80:
        cue = _ADJACENT.match(window) or _ADJACENT_INVERTED.match(window)
        if not cue:
            return None, None, start
        cue_at = start + cue.start("verb")
        if cue.re is _ADJACENT_INVERTED:
            return cue, _speaker_at(ctx, start + cue.end("verb"), start + cue.end()), start
        return cue, _speaker_at(ctx, start, cue_at, "last"), start
    before = window[: cue.start()]
    if len(before.split()) > 6 and not _appositives(ctx, start, start + cue.start()):
        return None, None, start  # the cue belongs to another clause
    if len(before.split()) > 6:  # '…," a Russian analyst, Sergey Poletaev, editor of …, has stated'
        return cue, _speaker_at(ctx, start, start + cue.start(), "first", subject=True), start
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
    cues = [c for c in CUE.finditer(window) if ctx.is_verb(sentence_start + c.start())]
    if not cues:
        return None, None, sentence_start
    cue = cues[-1]
    said_by = ctx.subject(sentence_start + cue.start())
    if said_by and sentence_start <= said_by[0] and said_by[1] <= q.mark_open:
        return cue, _speaker_at(ctx, *said_by, "first", subject=True), sentence_start
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
    article: Article,
    sentences,
    mentions: list[Mention],
    entities: list[Entity],
    raws: list[_Raw] | None = None,
    tokens=(),
) -> dict[int, tuple[Speaker, str, int, int]]:
    """Sentences that report speech without quoting it: index → (speaker, cue, cue start, cue end).

    ``Peskov said Friday that talks can be organized`` and ``Talks can be
    organized, Peskov said`` are both Peskov's statement, not the outlet's.
    """
    ctx = _Context(article, sentences, mentions, entities, quote_spans(article.text) if raws is None else raws, tokens)
    found = {}
    for index, (start, end) in enumerate(sentences):
        window = ctx.masked(start, end)
        for cue in itertools.islice(CUE.finditer(window), CUES_PER_SENTENCE):
            word = cue.group().split()[0]
            before = window[: cue.start()]
            if _RELATIVE.search(before) or not ctx.is_verb(start + cue.start()):
                continue  # "26 nations which have declared …": a relative clause, not the sentence's claim
            said_by = ctx.subject(start + cue.start())
            if said_by and start <= said_by[0] and said_by[1] <= end:
                speaker = _speaker_at(ctx, *said_by, "first", subject=True)
            elif _COORDINATED.search(before):  # "China has never denounced … nor called for …"
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
