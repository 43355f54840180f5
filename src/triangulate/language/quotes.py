"""Quotations, their cue verbs and their speakers.

The quoted stretches come from :mod:`.marks`, the words next to them are read
by :mod:`.speakers`; this module decides, per quote, which attribution holds.

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

from ..model import Article, Entity, Mention, Quote, Speaker
from .marks import _Raw, quote_spans
from .speakers import (
    _CREDIT_LINE,
    CUE,
    _according,
    _after,
    _before,
    _Context,
    _speaker_at,
)


def find_quotes(
    article: Article,
    sentences,
    mentions: list[Mention],
    entities: list[Entity],
    raws: list[_Raw] | None = None,
    tokens=(),
) -> list[Quote]:
    """Every quotation in the article with its cue and speaker (``tokens``: the parse, where there is one)."""
    text = article.text
    raws = quote_spans(text) if raws is None else raws
    ctx = _Context(article, sentences, mentions, entities, raws, tokens)
    quotes: list[Quote] = []
    for i, q in enumerate(raws):
        s_start, _ = ctx.sentence(q.mark_open)
        close = q.mark_close if q.mark_close is not None else q.end
        _, s_end = ctx.sentence(min(close, len(text) - 1))
        partial_shape = _is_partial(text, q, s_start, s_end)
        if partial_shape and _is_scare(text, q, s_start):
            quotes.append(Quote.of(article, q.start, q.end, partial=True))  # a scare quote has no speaker
            continue
        first, second = (_before, _after) if partial_shape else (_after, _before)
        cue, speaker, base = first(ctx, q, s_start if partial_shape else s_end)
        if speaker is None:
            cue, speaker, base = second(ctx, q, s_end if partial_shape else s_start)
        elif not partial_shape:
            # 'Trump said "…", a senior official told AFP': Trump speaks, the official relays
            said, sayer, at = _before(ctx, q, s_start)
            if said is not None and sayer is not None and _INTRODUCES.fullmatch(text[at + said.end() : q.mark_open]):
                speaker = Speaker(sayer.name, sayer.kind, sayer.entity_id, sayer.start, sayer.end, speaker.name)
                cue, base = said, at
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


_INTRODUCES = re.compile(r"\s*[:,]?\s*")


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


_DETERMINER = re.compile(r"(?i)\b(?:the|a|an|so-called|its|his|her|their|our|these|those)\s+(?:[a-z][\w-]*\s+)?$")


def _is_scare(text: str, q: _Raw, sentence_start: int) -> bool:
    """A short quoted term after a determiner (and perhaps one word), with no cue verb just before it: a
    multinational "reassurance force", the so-called "coalition of the willing" (but: he calls the "root causes")."""
    if len(text[q.start : q.end].split()) > 5:
        return False
    lead = text[sentence_start : q.mark_open]
    determiner = _DETERMINER.search(lead)
    if not determiner:
        return False
    return not any(CUE.fullmatch(w) for w in lead[: determiner.start()].split()[-3:])


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
    last = re.search(r"[\w’'-]+$", lead)  # "so-called" is no cue
    return not (last and CUE.fullmatch(last.group()))
