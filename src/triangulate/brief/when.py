"""When and where, for the brief: the day a claim's sentences date, the city its sources name, spoken dates.

``s`` is the composer's view of the story (its articles, analyses, first day and
``sentence_of``). Every choice breaks ties by the key itself, never by hash order.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date

from ..corroborate import Wording
from ..ingest.places import place
from ..model import Analysis, Article

RECENT = 7  # days before the story's first day that still date its event
MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def spoken_date(value: date) -> str:
    """ "5 September 2025"."""
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def top(counts: Counter):
    """The most common key, ties broken by the key itself (never by insertion or hash order)."""
    return min(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0] if counts else None


def _outside_quotes(analysis: Analysis, start: int, end: int) -> bool:
    return not any(q.start <= start and end <= q.end for q in analysis.quotes)


def days_of(s, members: list[Wording]) -> Counter:
    """The days the members' sentences resolve their times to, outside quotation marks (a speaker's "today"
    is not the article's)."""
    days: Counter = Counter()
    for member in members:
        analysis = s.analyses.get(member.article_id)
        sentence = s.sentence_of(member) if member.field == "text" else None
        if analysis is None or sentence is None:
            continue
        for time in analysis.times:
            inside = sentence.start <= time.start < sentence.end
            if inside and len(time.value) == 10 and _outside_quotes(analysis, time.start, time.end):
                days[time.value] += 1
    return days


def event_day(s, members: list[Wording]) -> date | None:
    """The day the members' sentences date (the story's days or the week before them: an earlier date is a
    reference to the past, a later one a deadline or a plan: "a freeze that remains in effect through Oct. 3"),
    else the story's first day."""
    first = s.story.first_seen
    last = s.story.last_seen or first
    days = days_of(s, members)
    if first is not None:
        reported = {d for d in days if (first - date.fromisoformat(d)).days <= RECENT}
        days = Counter({d: days[d] for d in reported if (date.fromisoformat(d) - last).days <= 1})
    return date.fromisoformat(top(days)) if days else first


def event_place(s, members: list[Wording], window: int = 1) -> str | None:
    """The city the articles name in the members' sentences (weighing most) and a sentence either side.

    Two articles must name it around a claim (``window`` > 0), where the story has two. Only places the
    recogniser marked (GPE, LOC, FAC) and the gazetteer knows as cities count, never countries; each article
    counts once per city; ties go to the name.
    With ``window=0`` only the members' own sentences count, and only when they name one city, outside the
    quotation and after "in" or "at", and no remote link ("by video", "in a call").
    """
    counts: Counter = Counter()
    naming: Counter = Counter()  # articles naming the city
    for article in s.articles:
        if article.id not in s.analyses:
            continue
        analysis = s.analyses[article.id]
        spans = [(m.start, m.end) for m in members if m.article_id == article.id and m.field == "text"]
        sentences = analysis.sentences
        own = [
            k for k, sentence in enumerate(sentences) if any(sentence.start < e and b < sentence.end for b, e in spans)
        ]
        people = {w.casefold() for e in analysis.entities if e.label == "PERSON" for w in e.name.split()}
        cities = [
            (m.start, _city(m.text))
            for m in analysis.mentions
            if m.label in ("GPE", "LOC", "FAC")
            and m.text.casefold() not in people  # "Bush" is Cori Bush
            and _LOCATIVE.search(article.text[max(0, m.start - 16) : m.start])  # never "the Delta variant"
        ]
        inside = {c for at, c in cities if c and any(sentences[k].start <= at < sentences[k].end for k in own)}
        if window == 0:  # "…, Putin said in Vladivostok": a place the attribution puts the speaker in
            located = {c for at, c in cities if c in inside and _outside_quotes(analysis, at, at)}
            remote = any(_REMOTE.search(sentences[k].text) for k in own)
            if len(inside) == 1 and located == inside and not remote:
                counts.update(inside)
                naming.update(inside)
            continue
        windows = [
            (sentences[max(k - window, 0)].start, sentences[min(k + window, len(sentences) - 1)].end) for k in own
        ]
        near = {c for at, c in cities if c and any(a <= at < b for a, b in windows)}
        for city in sorted(near | inside):
            counts[city] += 3 if city in inside else 1
            naming[city] += 1
    needed = min(2 if window else 1, len([a for a in s.articles if a.id in s.analyses]))  # two, around a claim
    return top(Counter({c: n for c, n in counts.items() if naming[c] >= needed}))


_LOCATIVE = re.compile(r"\b(?:in|at)\s+(?:the\s+)?$|\bcity of\s+$")
_REMOTE = re.compile(r"\b(?:video|call|phone|virtual(?:ly)?|online|remotely|letter|statement)\b", re.I)


def _city(name: str) -> str | None:
    known = place(name)
    return known.name if known and known.population < 10**9 else None  # countries are filed as huge


def dated(article: Article, analysis: Analysis | None) -> tuple[str | None, str | None]:
    if article.published:
        return article.published, "published"
    if article.dateline.date:
        return article.dateline.date, "dateline"
    if analysis is not None and analysis.anchor:
        return analysis.anchor, analysis.anchor_source
    return None, None


__all__ = ["MONTHS", "RECENT", "dated", "days_of", "event_day", "event_place", "spoken_date", "top"]
