"""Stories: articles grouped, one at a time, into the events they report.

Each article becomes a :class:`Signal`: its heaviest words weighted by rarity
(wordfreq's Zipf scale, so no corpus statistics need keeping), an embedding of
its headline, lead and opening sentences, its canonical entities, the quotes it
carries and its publication day. An incoming article is scored against the
stories an inverted index of their key words offers, among those whose days lie
within ``window_days`` of its own:

    score = lexical · mean word overlap with the story's members
          + body · mean cosine of the embeddings
          + entities · share of the article's entity weight the story mentions
          + quotes · (1 if the story carries one of its quotes)

It joins the best story when the score clears ``join_at`` and starts a new one
otherwise; when it clears ``merge_at`` with two stories, it connects them and
they merge (the older id survives). Beyond ``open_stories`` open stories, the
ones joined least recently leave the index, so the cost of an article does not
grow with the archive; the store reopens the stories around a late article's
day (``build.cluster_stored``). The weights and thresholds were set once
for ECB+ and AllSides together (``bench/stories.py``).
"""

from __future__ import annotations

import itertools
import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np

from ..model import Story
from ..words import WORD, bare, zipf


@dataclass(frozen=True)
class Params:
    """One setting for every corpus."""

    lexical: float = 1.0
    body: float = 0.2
    entities: float = 0.1
    quotes: float = 0.1
    novelty: float = 0.2  # score lost for the share of the article's salient words the story never uses
    salient: int = 5
    subject: float = 0.1  # score lost when the headline leads with a name the story never uses
    join_at: float = 0.3
    merge_at: float = 0.6
    rounds: int = 1  # refinement rounds after each batch: every open story's members reconsidered
    window_days: int = 2  # an article joins a story whose days are this close to its own
    span_days: int = 14  # and that would not span more days than this with it
    open_stories: int = 5000  # beyond this many, the stories idle longest leave the index
    terms: int = 80  # an article keeps its heaviest words only
    keys: int = 12  # of which these find candidate stories
    candidates: int = 40  # the stories sharing most key-word weight are compared
    recent: int = 20  # an undated article is compared with the stories joined most recently too
    compare_all: int = 200  # a dated article is compared with every story this near in time up to this many
    common_zipf: float = 6.0  # words at least this common carry nothing


@dataclass
class Signal:
    """What clustering needs of one article."""

    article_id: str
    title: str
    terms: dict[str, float]  # unit length
    body: np.ndarray | None = None  # unit length
    entities: frozenset[str] = frozenset()
    quotes: frozenset[str] = frozenset()
    day: date | None = None
    outlet: str | None = None
    titled: bool = True  # the title is the outlet's headline, not derived from the text
    subject: str | None = None  # the rare name the headline leads with

    @property
    def keys(self) -> list[str]:
        return list(self.terms)[: Params.keys]

    def salient(self, n: int) -> list[tuple[str, float]]:
        """The ``n`` heaviest words with their weights."""
        return list(itertools.islice(self.terms.items(), n))


def terms(text: str, language: str | None = None, params: Params | None = None) -> dict[str, float]:
    """The article's heaviest words, ``(1 + log count) · (8 − Zipf)``, scaled to unit length.

    Example:
        >>> t = terms("Putin warned in Vladivostok. Putin said the troops would be targets.")
        >>> list(t)[:2], "the" in t
        (['putin', 'vladivostok'], False)
    """
    params = params or Params()
    lang = (language or "en")[:2]
    counts = Counter(w for w in (bare(x) for x in WORD.findall(text)) if len(w) > 1)
    weights = {}
    for word, n in counts.items():
        z = zipf(word, lang)
        if z < params.common_zipf:
            weights[word] = (1 + math.log(n)) * max(8.0 - z, 0.5)
    top = sorted(weights.items(), key=lambda kv: (-kv[1], kv[0]))[: params.terms]
    norm = math.sqrt(sum(v * v for _, v in top)) or 1.0
    return {w: v / norm for w, v in top}


@dataclass
class OpenStory:
    id: str
    members: dict[str, Signal] = field(default_factory=dict)
    terms: defaultdict = field(default_factory=lambda: defaultdict(float))
    body: np.ndarray | None = None
    bodies: int = 0
    entities: Counter = field(default_factory=Counter)
    quotes: Counter = field(default_factory=Counter)
    days: Counter = field(default_factory=Counter)

    @property
    def first(self) -> date | None:
        return min(self.days) if self.days else None

    @property
    def last(self) -> date | None:
        return max(self.days) if self.days else None

    def add(self, signal: Signal, sign: int = 1) -> None:
        for word, weight in signal.terms.items():
            self.terms[word] += sign * weight
            if abs(self.terms[word]) < 1e-9:
                del self.terms[word]
        if signal.body is not None:
            self.body = signal.body * sign if self.body is None else self.body + sign * signal.body
            self.bodies += sign
        for counter, values in ((self.entities, signal.entities), (self.quotes, signal.quotes)):
            counter.update({v: sign for v in values})
            for v in values:
                if counter[v] <= 0:
                    del counter[v]
        if signal.day:
            self.days[signal.day] += sign
            if self.days[signal.day] <= 0:
                del self.days[signal.day]

    def lexical(self, signal: Signal) -> float:
        return sum(w * self.terms.get(t, 0.0) for t, w in signal.terms.items()) / len(self.members)

    def title(self) -> str:
        """The headline of the member closest to the story's words."""
        titled = [s for s in self.members.values() if s.titled] or list(self.members.values())
        return max(titled, key=lambda s: (self.lexical(s), s.article_id)).title


def record(story: OpenStory) -> Story:
    """The stored form of a story: members oldest first, title, time span."""
    order = sorted(story.members.values(), key=lambda s: (s.day or date.max, s.article_id))
    return Story(story.id, story.title(), tuple(s.article_id for s in order), story.first, story.last)


class StoryIndex:
    """Online clustering of signals into stories."""

    def __init__(self, params: Params | None = None) -> None:
        self.params = params or Params()
        self.stories: dict[str, OpenStory] = {}
        self.closed: dict[str, Story] = {}
        self.story_of: dict[str, str] = {}
        self.postings: dict[str, set[str]] = defaultdict(set)  # key word → open stories
        self.by_entity: dict[str, set[str]] = defaultdict(set)  # canonical entity → open stories
        self.by_day: dict[date, set[str]] = defaultdict(set)  # a day → open stories with an article on it
        self.df: Counter = Counter()
        self.documents = 0
        self.touched: dict[str, None] = {}  # open story ids, the one joined least recently first
        self.changed: set[str] = set()  # stories touched since the last ``take_changes``
        self.removed: set[str] = set()  # stories merged away since then

    # -- placing articles -------------------------------------------------------------------

    def add(self, signal: Signal) -> str:
        """Place one article; return its story id. Adding an article twice changes nothing."""
        if signal.article_id in self.story_of:
            return self.story_of[signal.article_id]
        self._count(signal)
        ranked = self._ranked(signal)
        if ranked and ranked[0][0] >= self.params.join_at:
            story = self.stories[ranked[0][1]]
        else:
            story = self._new_story(signal)
        self._join(story, signal)
        if len(ranked) > 1 and ranked[1][0] >= self.params.merge_at:
            story = self._merge(story, self.stories[ranked[1][1]])
        self._retire()
        return story.id

    def assign(self, items: Iterable[Signal]) -> dict[str, str]:
        """Add many signals in order; return article id → story id."""
        for signal in items:
            self.add(signal)
        return dict(self.story_of)

    def restore(self, story_id: str, members: list[Signal]) -> None:
        """Load a stored story as it was, without re-deciding its membership."""
        story = self.stories.get(story_id) or OpenStory(story_id)
        self.stories[story_id] = story
        for signal in members:
            if signal.article_id in self.story_of:
                continue
            self._count(signal)
            self._join(story, signal)
        self.changed.discard(story_id)

    def refine(self, rounds: int = 1) -> int:
        """Move each article of the open stories to the story that now fits it best; return the moves.

        This undoes part of what an unlucky arrival order did: an early article
        that joined a neighbouring story before its own existed.
        """
        moved = 0
        for _ in range(rounds):
            for story_id in list(self.stories):
                story = self.stories.get(story_id)
                for signal in list(story.members.values()) if story else []:
                    moved += self._reconsider(signal)
        return moved

    def _reconsider(self, signal: Signal) -> int:
        current = self.stories[self.story_of[signal.article_id]]
        alone = len(current.members) == 1
        self._leave(current, signal)
        ranked = self._ranked(signal)  # an emptied story of one is never a candidate
        target = current
        if ranked and ranked[0][0] >= self.params.join_at:
            target = self.stories[ranked[0][1]]
        if alone and target is not current:  # a story of one article that belongs elsewhere dissolves
            del self.stories[current.id]
            self.touched.pop(current.id, None)
            self.changed.discard(current.id)
            self.removed.add(current.id)
        self._join(target, signal)
        return int(target is not current)

    # -- scoring ----------------------------------------------------------------------------

    def idf(self, entity: str) -> float:
        return math.log((1 + self.documents) / (1 + self.df[entity])) + 1.0

    def score(self, signal: Signal, story: OpenStory, weights: dict[str, float] | None = None) -> float:
        """How well ``signal`` fits ``story`` (``weights``: the signal's entity weights, if already computed)."""
        p = self.params
        terms = story.terms
        words = signal.terms
        total = p.lexical * sum(words[t] * terms[t] for t in words.keys() & terms.keys()) / len(story.members)
        if signal.body is not None and story.body is not None and story.bodies:
            total += p.body * float(signal.body @ story.body) / story.bodies
        if signal.entities:
            weights = weights or self._entity_weights(signal)
            total += p.entities * sum(w for e, w in weights.items() if e in story.entities)
        if signal.quotes and not signal.quotes.isdisjoint(story.quotes):
            total += p.quotes
        if p.novelty:
            salient = signal.salient(p.salient)
            total -= p.novelty * sum(w for t, w in salient if t not in terms) / (sum(w for _, w in salient) or 1.0)
        if signal.subject and signal.subject not in terms:
            total -= p.subject
        return total

    def _entity_weights(self, signal: Signal) -> dict[str, float]:
        """Each entity's share of the signal's entity weight (rarer entities weigh more)."""
        weights = {e: self.idf(e) for e in signal.entities}
        total = sum(weights.values())
        return {e: w / total for e, w in weights.items()}

    def _ranked(self, signal: Signal) -> list[tuple[float, str]]:
        """Candidate stories with their scores, best first.

                A dated article is compared with the stories that have an article within
                ``window_days`` of it: all of them when they are few (a translation shares
                no words), else those among them that share the most key words or entities. An
                undated article is compared with the stories sharing a key word or entity
                and the ``recent`` ones. Either way, at most ``candidates`` stories are taken
        by shared key words and entities, those sharing the most key-word weight first.
        """
        hits: Counter = Counter()
        for key in signal.keys:
            for story in self.postings.get(key, ()):
                hits[story] += signal.terms[key]
        for entity in signal.entities:
            for story in self.by_entity.get(entity, ()):
                hits[story] += 0.1
        shared = {s for s, _ in hits.most_common(self.params.candidates)}
        if signal.day is None:
            found = shared | set(itertools.islice(reversed(self.touched), self.params.recent))
        else:
            found = set()
            for shift in range(-self.params.window_days, self.params.window_days + 1):
                found |= self.by_day.get(signal.day + timedelta(days=shift), set())
            if len(found) > self.params.compare_all:
                found &= shared
        weights = self._entity_weights(signal) if signal.entities else None
        scored = [
            (self.score(signal, self.stories[s], weights), s)
            for s in found
            if self.stories[s].members and self._in_window(self.stories[s], signal)
        ]
        return sorted(scored, key=lambda x: (-x[0], x[1]))

    def _in_window(self, story: OpenStory, signal: Signal) -> bool:
        if signal.day is None or not story.days:
            return True
        span = timedelta(days=self.params.span_days)
        near = any(abs((signal.day - day).days) <= self.params.window_days for day in story.days)
        return near and max(story.last, signal.day) - min(story.first, signal.day) <= span

    # -- bookkeeping ------------------------------------------------------------------------

    def _count(self, signal: Signal) -> None:
        self.documents += 1
        self.df.update(signal.entities)

    def _new_story(self, signal: Signal) -> OpenStory:
        name = story_id(signal.article_id)
        taken = 1
        while name in self.stories or name in self.closed:  # only ids sharing a 16-character prefix collide
            taken += 1
            name = f"{story_id(signal.article_id)}-{taken}"
        story = OpenStory(name)
        self.stories[story.id] = story
        return story

    def _join(self, story: OpenStory, signal: Signal) -> None:
        story.members[signal.article_id] = signal
        story.add(signal)
        self.story_of[signal.article_id] = story.id
        self._post(story, [signal])
        self.touched.pop(story.id, None)
        self.touched[story.id] = None
        self.changed.add(story.id)

    def _leave(self, story: OpenStory, signal: Signal) -> None:
        self._unpost(story)
        del story.members[signal.article_id]
        story.add(signal, sign=-1)
        del self.story_of[signal.article_id]
        self._post(story, story.members.values())

    def _indexes(self, members: Iterable[Signal]):
        """(index, keys) pairs under which a story with these members is found."""
        members = list(members)
        yield self.postings, {k for s in members for k in s.keys}
        yield self.by_entity, {e for s in members for e in s.entities}
        yield self.by_day, {s.day for s in members if s.day}

    def _post(self, story: OpenStory, members: Iterable[Signal]) -> None:
        for index, keys in self._indexes(members):
            for key in keys:
                index[key].add(story.id)

    def _unpost(self, story: OpenStory) -> None:
        for index, keys in self._indexes(story.members.values()):
            for key in keys:
                ids = index.get(key)
                if ids is not None:
                    ids.discard(story.id)
                    if not ids:
                        del index[key]

    def _merge(self, a: OpenStory, b: OpenStory) -> OpenStory:
        keep, drop = sorted((a, b), key=lambda s: (s.first or date.max, s.id))
        self._unpost(drop)
        del self.stories[drop.id]
        self.touched.pop(drop.id, None)
        for signal in drop.members.values():
            del self.story_of[signal.article_id]
            self._join(keep, signal)
        self.changed.discard(drop.id)
        self.removed.add(drop.id)
        return keep

    def _retire(self) -> None:
        """Close the stories idle longest once more than ``open_stories`` are open."""
        while len(self.stories) > self.params.open_stories:
            story = self.stories[next(iter(self.touched))]
            self._unpost(story)
            del self.stories[story.id]
            del self.touched[story.id]
            self.closed[story.id] = record(story)

    def records(self) -> list[Story]:
        """Every story, open and closed."""
        return [*self.closed.values(), *(record(s) for s in self.stories.values())]

    def take_changes(self) -> tuple[list[Story], set[str]]:
        """The stories changed since the last call (open or since closed), and the ids merged away."""
        changed = [
            record(self.stories[s]) if s in self.stories else self.closed[s]
            for s in sorted(self.changed)
            if s in self.stories or s in self.closed
        ]
        removed = self.removed - set(self.stories) - set(self.closed)
        self.changed, self.removed = set(), set()
        return changed, removed


def story_id(article_id: str) -> str:
    """A story is named after the article that founded it, so ids are stable across runs."""
    return f"s-{article_id[:16]}"


__all__ = ["OpenStory", "Params", "Signal", "StoryIndex", "record", "story_id", "terms"]
