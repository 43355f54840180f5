"""Composing the brief's sections from a story's corroboration: what goes where, in what order, within budget."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache

from ..corroborate import ClaimGroup, Corroboration, QuoteGroup, Wording
from ..corroborate.quantities import agree, thing
from ..corroborate.same import stems
from ..genre import OPINION, genre
from ..model import Analysis, Article, Claim, Entity, Story
from ..words import WORD, bare, zipf
from .headline import CHARGED_VERBS, headline, headline_verbs, loaded_words
from .lines import first_clause, junk, shortened, without_prefix, words
from .names import group_name, outlet_of, short_title, source_name
from .records import Brief, Citation, Line, Section, Source
from .when import dated, days_of, event_day, event_place, spoken_date, top

TAKEAWAYS = (5, 8)  # at least, at most
VOICE_TURNS = 2  # claims of one speaker or actor (with the lead) before the takeaways turn to other voices
FACTS = 8
STATEMENTS = 5
DISPUTED = 4
SINGLE = 10
CONTEXT = 4
TIMELINE = 6
CENTRAL = 5  # the central claims the coverage lines count
BUDGET = 560  # words of the sections before the sources (the seeds: about 850 words with headings and sources)
CHARGED_COST = 0.25  # centrality lost per word only one outlet's headline uses
POSITION = 0.5  # centrality of a claim in a lone report's first sentence (half that in the second, and so on)
LATE = 20
FIGURE = 0.25  # centrality a claim of several sources gains by giving a figure of something (readers want the numbers)
FRAMED = 10.0  # a single-source claim in words only its outlet's headline uses ranks after every other
REPEATS = 0.6  # a line sharing this much of its rare words with one already shown repeats it
LONGEST = 70  # words: a longer sentence is a run-on for a brief
SHARED = ("corroborated", "statement")
FILL_KINDS = ("event", "statement")  # single-source claims that may fill the takeaways up to their least
_CAUSE = re.compile(
    r"\b(?:because|caused|cause of|causes of|root causes?|began in|since (?:19|20)\d\d|years? of|"
    r"first time since|comes? (?:after|amid)|in response to|led to|triggered|stakes|risk of)\b",
    re.I,
)
_SUBJECT_PRONOUN = re.compile(r"^(He|She|They)\b")


class _Cites:
    """Numbers citations in order of first use; one number per exact span."""

    def __init__(self, sources: dict[str, int]) -> None:
        self.sources = sources
        self.found: dict[tuple[str, int, int, str], Citation] = {}

    def __call__(self, wordings: list[Wording]) -> tuple[int, ...]:
        numbers = []
        for k, w in enumerate(wordings):
            if w.article_id not in self.sources or any(_inside(w, o) for o in wordings[:k]):
                continue  # a clause of a sentence the line cites already
            key = (w.article_id, w.start, w.end, w.field)
            if key not in self.found:
                source = self.sources[w.article_id]
                self.found[key] = Citation(len(self.found) + 1, source, w.article_id, w.start, w.end, w.text, w.field)
            numbers.append(self.found[key].n)
        return tuple(dict.fromkeys(numbers))


def _stem(word: str) -> str:
    found = stems(word)
    return found[0] if found else word


def _inside(w: Wording, o: Wording) -> bool:
    """True when ``w`` lies within ``o`` (same article and field)."""
    return (w.article_id, w.field) == (o.article_id, o.field) and o.start <= w.start and w.end <= o.end


@lru_cache(maxsize=1 << 15)  # asked of every member's text: wire copies repeat their claims
def _words(text: str) -> frozenset[str]:
    return frozenset(bare(w) for w in WORD.findall(text) if zipf(bare(w)) < 5.5)


@dataclass
class _Story:
    """What the section builders share: the story's records, names, citations and what is already shown."""

    story: Story
    articles: list[Article]
    analyses: dict[str, Analysis]
    corroboration: Corroboration
    entities: dict[str, Entity]
    cite: _Cites
    names: dict[str, str]
    claim_at: dict[tuple[str, int, int], Claim]  # every claim of the story's analyses, by (article, start, end)
    title_words: set[str]
    loaded: frozenset[str]
    quote_sources: dict[str, list[tuple[int, int, int]]] = field(default_factory=dict)  # article → quote spans
    _readable: dict[str, tuple[str, Wording] | None] = field(default_factory=dict)
    _centrality: dict[str, float] = field(default_factory=dict)
    _top_sources: int = 0
    lines_so_far: list[Line] = field(default_factory=list)  # the lead, takeaways and facts, for the statements
    shown: list[set[str]] = field(default_factory=list)
    shown_figures: list = field(default_factory=list)  # the quantities of what a claim line states
    used: set[str] = field(default_factory=set)  # ids of the groups already stated
    opinion: frozenset[str] = frozenset()  # ids of the opinion pieces: labelled, never a source of a fact alone

    # -- the groups ------------------------------------------------------------------------------

    def kind(self, group: ClaimGroup) -> str:
        found = Counter(c.kind for m in group.members if (c := self.claim_at.get((m.article_id, m.start, m.end))))
        return top(found) or "event"

    def voice(self, group: ClaimGroup) -> str | None:
        """Who the claim is of: its speaker, else its subject (an entity id or a name), as most members give it."""
        found = Counter()
        for m in group.members:
            claim = self.claim_at.get((m.article_id, m.start, m.end))
            if claim is not None and (claim.speaker or claim.subject):
                found[(claim.speaker.entity_id or claim.speaker.name) if claim.speaker else claim.subject] += 1
        return top(found)

    def sources(self, group: ClaimGroup) -> int:
        """Independent sources of the claim, or of the utterance it reports when more outlets carry that."""
        quoted = [
            n
            for m in group.members
            for start, end, n in self.quote_sources.get(m.article_id, ())
            if start < m.end and m.start < end
        ]
        reporting = {m.source for m in group.members if m.article_id not in self.opinion}
        return max([len(reporting), *quoted])

    def opinion_only(self, group: ClaimGroup) -> bool:
        """True when only opinion pieces state the claim (a view, not a report)."""
        return all(m.article_id in self.opinion for m in group.members)

    def centrality(self, group: ClaimGroup) -> float:
        """How central a claim is: its sources (relative to the best-carried claim) and the headline words it states."""
        if group.id not in self._centrality:
            self._centrality[group.id] = self._central(group)
        return self._centrality[group.id]

    def _central(self, group: ClaimGroup) -> float:
        text = self.readable(group)
        wording = text[0] if text else group.text
        own = _words(wording)
        common = {_stem(w) for w in self.title_words - self.loaded}  # "escaped" states the headlines' "escapes"
        share = len({_stem(w) for w in own} & common) / len(common) if common else 0.0
        charged = len(own & self.loaded)
        framed = FRAMED if charged and len(group.sources) < 2 else 0.0  # one outlet's claim in its own framing
        early = min(
            (
                c.sentence
                for m in group.members
                if m.article_id not in self.opinion and (c := self.claim_at.get((m.article_id, m.start, m.end)))
            ),
            default=LATE,
        )
        # news is written top down: where no claim has two sources, a report's own order says what leads
        position = POSITION / (1 + min(early, LATE)) if self.top_sources < 2 else 0.0
        return self.sources(group) / max(self.top_sources, 1) + 2 * share + position - CHARGED_COST * charged - framed

    def news_value(self, group: ClaimGroup) -> float:
        """Centrality, and a figure of something that several sources carry (readers want the numbers)."""
        figure = len(group.sources) >= 2 and any(thing(q) for q in group.numbers)
        return self.centrality(group) + FIGURE * figure

    @property
    def top_sources(self) -> int:
        if not self._top_sources:
            self._top_sources = max((len(g.sources) for g in self.corroboration.claims), default=1)
        return self._top_sources

    def quoted(self, group: ClaimGroup) -> bool:
        """True when the claim's words are mostly a quotation (its utterance is under official statements)."""
        for member in group.members:
            quotes = self.analyses[member.article_id].quotes
            inside = sum(max(0, min(q.end, member.end) - max(q.start, member.start)) for q in quotes)
            if inside < 0.6 * (member.end - member.start):
                return False
        return True

    # -- lines -----------------------------------------------------------------------------------

    def readable(self, group: ClaimGroup | QuoteGroup) -> tuple[str, Wording] | None:
        """The line that states the group on its own, and the wording it cites; ``None`` when no member can."""
        if group.id not in self._readable:
            lonely = getattr(group, "unconfirmed", [])  # a figure only one source gives: not the group's wording
            members = sorted(
                _by_preference(group.members, self.loaded),
                key=lambda w: (any(u in w.text for u in lonely), not self.credits(w)),
            )
            found = (self.stand_alone(w) for w in members)
            self._readable[group.id] = next((f for f in found if f), None)
        return self._readable[group.id]

    def credits(self, wording: Wording) -> bool:
        """False when the wording reports someone's words without naming them ("The troops would not be
        deployed…" after "…, the French president said"): a member that names its speaker reads better."""
        claim = self.claim_at.get((wording.article_id, wording.start, wording.end))
        speaker = claim.speaker if claim else None
        return speaker is None or speaker.start is None or wording.start <= speaker.start < wording.end

    def stand_alone(self, wording: Wording) -> tuple[str, Wording] | None:
        """A wording as a stand-alone line: itself, its whole sentence, or with its leading pronoun named."""
        if wording.field != "text":
            return None
        candidates = [wording]
        sentence = self.sentence_of(wording)
        if sentence is not None and (sentence.start, sentence.end) != (wording.start, wording.end):
            candidates.append(replace(wording, start=sentence.start, end=sentence.end, text=sentence.text))
        for candidate in candidates:
            text = shortened(candidate.text)
            if len(words(text)) > LONGEST:
                continue
            if junk(text) is None:
                return text, candidate
            if sentence is not None and junk(text) == "fragment: no closing punctuation":
                closed = first_clause(text, sentence.text[candidate.end - sentence.start :])
                if closed and junk(closed) is None:
                    return closed, candidate
            if junk(text) == "pronoun without its referent":
                named = self.named(candidate, text)
                if named and junk(named) is None:
                    return named, candidate
        return None

    def sentence_of(self, wording: Wording):
        for sentence in self.analyses[wording.article_id].sentences:
            if sentence.start <= wording.start < sentence.end:
                return sentence if wording.end <= sentence.end else None
        return None

    def named(self, wording: Wording, text: str) -> str | None:
        """ "He added…" → "[Vladimir Putin] added…" when the language layer resolved the pronoun."""
        match = _SUBJECT_PRONOUN.match(text)
        if not match:
            return None
        offset = wording.start + (len(wording.text) - len(text))
        analysis = self.analyses[wording.article_id]
        names = {e.id: e.name for e in analysis.entities}
        for mention in analysis.mentions:
            if mention.start == offset and mention.kind == "pronoun" and mention.entity_id in names:
                return f"[{names[mention.entity_id]}]{text[match.end() :]}"
        return None

    def repeats(self, text: str) -> bool:
        """True when most of the line's rare words are already shown, or it restates a shown line whole (a
        sentence after its own first clause)."""
        own = _words(text)
        return any(
            own and len(own & seen) / (min(len(own), len(seen)) if len(seen) >= 4 else len(own)) >= REPEATS
            for seen in self.shown
        )

    def restates_figure(self, group: ClaimGroup) -> bool:
        """True when the group counts the same thing as a claim line shown already, with an agreeing figure
        ("Twenty-six countries have pledged…" after "26 countries pledged…"): the brief states a figure once."""
        return any(thing(q) and agree(q, seen) for q in group.numbers for seen in self.shown_figures)

    def show(self, group: ClaimGroup, text: str) -> None:
        self.used.add(group.id)
        self.shown.append(_words(text))
        self.shown_figures += [q for q in group.numbers if thing(q)]

    def line(self, group: ClaimGroup, note: str | None = None) -> Line | None:
        """The group's line, unless no member reads on its own or it repeats a line already shown."""
        found = self.readable(group)
        if found is None or group.id in self.used or self.repeats(found[0]) or self.restates_figure(group):
            return None
        text, wording = found
        self.show(group, text)
        return Line(text, self.cite([wording, *group.members]), group.status, note)

    def carrier(self, group: ClaimGroup | QuoteGroup) -> str:
        return ", ".join(dict.fromkeys(self.names[m.article_id] for m in group.members))


def _by_preference(members: list[Wording], loaded: frozenset[str]) -> list[Wording]:
    """Members to quote first: no leading pronoun, fewest loaded words, moderate length, then a fixed order."""
    return sorted(
        members,
        key=lambda w: (
            junk(shortened(w.text)) is not None,
            len(_words(w.text) & loaded),
            abs(len(w.text.split()) - 28),
            w.article_id,
            w.start,
        ),
    )


# -- the sections -----------------------------------------------------------------------------------


def _sources(articles: list[Article], corroboration: Corroboration, analyses: dict[str, Analysis]) -> list[Source]:
    by_id = {a.id: a for a in articles}
    group_of = {}
    for g in corroboration.independence:  # one name per group, however many copies it holds
        name = group_name(g.label, [by_id[i] for i in g.article_ids if i in by_id])
        group_of.update(dict.fromkeys(g.article_ids, name))
    supported: Counter = Counter()
    for group in corroboration.claims:
        for article_id in sorted({m.article_id for m in group.members}):
            supported[article_id] += 1
    days = {a.id: dated(a, analyses.get(a.id)) for a in articles}
    ordered = sorted(articles, key=lambda a: (not genre(a).counts, days[a.id][0] or "9999", a.id))
    made = []
    for n, a in enumerate(ordered, 1):
        kind = genre(a)
        made.append(
            Source(
                n, a.id, outlet_of(a), source_name(a), a.title, *days[a.id], a.url, group_of.get(a.id),
                supported[a.id], kind.kind, kind.why, kind.counts and a.id in group_of,
            )
        )  # fmt: skip
    return made


def _lead(s: _Story, claims: list[ClaimGroup]) -> tuple[ClaimGroup | None, Line | None]:
    """The best-corroborated central claim of the story's main event (never background or opinion), with its
    day and city; a single-source event only when nothing is carried by two sources."""
    eligible = [
        g for g in claims if s.kind(g) not in ("background", "opinion") and not s.opinion_only(g) and s.readable(g)
    ]
    shared = [g for g in eligible if g.status in SHARED or s.sources(g) >= 2]
    ranked = sorted(shared or eligible, key=lambda g: (-s.centrality(g), g.id))
    if not ranked:
        return None, None
    lead = ranked[0]
    text, wording = s.readable(lead)
    day = event_day(s, lead.members)
    city = event_place(s, lead.members)
    where = f"On {spoken_date(day)}" + (f" in {city}" if city else "") if day else (f"In {city}" if city else "")
    s.show(lead, text)
    return lead, Line((f"{where}: " if where else "") + text, s.cite([wording, *lead.members]), lead.status)


def _takeaway_lines(s: _Story, groups: list[ClaimGroup], limit: int, lead: ClaimGroup | None) -> list[Line]:
    """Lines for groups in order, up to ``limit``, but a voice's third line after every other voice's first two:
    the takeaways give each speaker or actor their say before anyone says a third thing."""
    said = Counter([s.voice(lead)] if lead else [])
    lines, later = [], []
    for group in groups:
        if len(lines) >= limit:
            break
        voice = s.voice(group)
        if voice and said[voice] >= VOICE_TURNS:
            later.append(group)
            continue
        line = s.line(group)
        if line:
            lines.append(line)
            said[voice] += 1
    return lines + _claim_lines(s, later, limit - len(lines))[0]


def _claim_lines(s: _Story, groups: list[ClaimGroup], limit: int, note=None) -> tuple[list[Line], list[ClaimGroup]]:
    """Lines for groups in order, up to ``limit``; the groups left over (for the appendix)."""
    lines, rest = [], []
    for group in groups:
        if len(lines) >= limit:
            rest.append(group)
            continue
        line = s.line(group, note(group) if note else None)
        if line:
            lines.append(line)
    return lines, rest


def _statement_line(s: _Story, group: QuoteGroup, wording: Wording) -> Line:
    entity = s.entities.get(group.entity_id or "")
    role = f", {entity.roles[0]}," if entity and entity.roles else ""
    days = days_of(s, group.members)
    city = event_place(s, group.members, window=0)
    when = f" on {spoken_date(date.fromisoformat(top(days)))}" if days else ""
    where = f" in {city}" if city else ""
    n = len(group.sources)
    how = f"{n} independent sources" if n > 1 else f"only {s.carrier(group)}"
    quote = wording.text.strip(" ,")
    said = f"{group.speaker}{role}{where}{when}".rstrip(",")
    return Line(f"{said}: “{quote}”", s.cite([wording]), group.status, how)


def _statements(s: _Story) -> tuple[list[Line], list[Line], list[Line]]:
    """One line per utterance (speaker, role, place, day, best verbatim wording, how many sources); the
    utterances beyond ``STATEMENTS`` and the other wordings, for the appendix."""
    groups = [q for q in s.corroboration.quotes if q.speaker and len(words(q.members[0].text)) >= 6]
    groups.sort(key=lambda q: (q.status not in ("contested", "statement"), -len(q.sources), q.id))
    main, more, variants = [], [], []
    shown = " ".join(line.text for line in s.lines_so_far)
    for group in groups:
        ordered = sorted(
            group.members,
            key=lambda w: (
                w.text.strip(" ,") in shown,  # a wording a line above quotes already: another one, if any
                not w.text.rstrip(' ,”"').endswith((".", "!", "?")),
                abs(len(w.text.split()) - 25),
                w.article_id,
                w.start,
            ),
        )
        best = ordered[0]
        line = _statement_line(s, group, best)
        whole = best.text.lstrip("\"“‘'")[:1].isupper() and best.text.strip(" ,") not in shown
        (main if len(main) < STATEMENTS and whole else more).append(line)
        for other in ordered[1:]:
            if other.text != best.text:
                variants.append(
                    Line(f"{group.speaker}, as {s.names[other.article_id]} words it: “{other.text.strip(' ,')}”",
                         s.cite([other]), group.status)
                )  # fmt: skip
    return main, more, variants


def _disputed(s: _Story, claims: list[ClaimGroup], headlines: list[ClaimGroup]) -> list[Line]:
    """Each conflict with both sides, in their own words."""
    lines = []
    for group in claims:
        if group.status != "contested" or not group.opposing:
            continue
        readable = [(w, s.stand_alone(w)) for w in group.opposing]
        opposing, against = next(((w, a) for w, a in readable if a), (None, None))
        ours = s.readable(group)
        if not ours or not against:
            continue
        who, other = s.carrier(group), s.names[opposing.article_id]
        text = f"{who}: {ours[0]} {other}: {against[0]}"
        s.used.add(group.id)
        lines.append(Line(text, s.cite([ours[1], against[1], *group.members, *group.opposing]), group.status))
    for group in headlines:
        lines.append(Line(group.explanation, s.cite(group.members), group.status))
    return lines[:DISPUTED]


def _context(s: _Story, claims: list[ClaimGroup]) -> list[ClaimGroup]:
    """Background the sources give: background claims, events dated before the story, causes and stakes."""
    first = s.story.first_seen.isoformat() if s.story.first_seen else None

    def earlier(group: ClaimGroup) -> bool:
        days = days_of(s, group.members)
        return bool(first and days and max(days) < first)

    found = [
        g
        for g in claims
        if g.status != "contested" and (s.kind(g) == "background" or earlier(g) or _CAUSE.search(g.text))
    ]
    return sorted(found, key=lambda g: (-s.centrality(g), g.id))


def _coverage(s: _Story, central: list[ClaimGroup], loaded: list[str], counted: list[Article]) -> list[Line]:
    """Which outlet reports which central claim, what each leaves out, each headline's verb."""
    lines = []
    for article in sorted(counted, key=lambda a: (s.names[a.id], a.id)):
        reported = [g for g in central if any(m.article_id == article.id for m in g.members)]
        members = [m for g in reported for m in g.members if m.article_id == article.id]
        if not members:
            continue
        verbs = headline_verbs(article.title) if not article.title_derived else []
        verb = f"; its headline verb is “{verbs[0]}”" if verbs else ""
        charged = [v for v in verbs if v in loaded]
        tone = f" (loaded: {', '.join(charged)})" if charged else ""
        left_out = [g for g in central if g not in reported]
        text = f"{s.names[article.id]} reports {len(reported)} of the {len(central)} central claims{verb}{tone}"
        if left_out:
            text += f"; it leaves out {'; '.join(dict.fromkeys(_gist(s, g) for g in left_out))}"
        lines.append(Line(text + ".", s.cite(members[:3])))
    return lines


def _gist(s: _Story, group: ClaimGroup) -> str:
    found = s.readable(group)
    return f"“{short_title(found[0] if found else group.text, 8, 60)}”"


def _timeline(s: _Story, claims: list[ClaimGroup], shown: set[str]) -> list[Line]:
    """Dated events with their actor, one line per day: the best-carried claim its sentences date, in a
    wording no line above uses (so the timeline never repeats a line)."""
    by_day: dict[str, list[ClaimGroup]] = {}
    for group in claims:
        if group.status == "contested":
            continue
        for day in sorted(set(days_of(s, group.members))):  # each day a member's own words date it to
            by_day.setdefault(day, []).append(group)
    lines, dated, shown = [], set(), {without_prefix(text) for text in shown}
    for day in sorted(by_day):
        line = None
        for group in sorted(by_day[day], key=lambda g: (-s.sources(g), -s.centrality(g), g.id)):
            if group.id in dated:
                continue
            dating = [m for m in _by_preference(group.members, s.loaded) if day in days_of(s, [m])]
            found = (s.stand_alone(m) for m in dating)
            fresh = next((f for f in found if f and f[0] not in shown and _actor(s, f[1])), None)
            if fresh:
                text, wording = fresh
                line = Line(f"{spoken_date(date.fromisoformat(day))}: {text}", s.cite([wording]), group.status)
                dated.add(group.id)
                shown.add(text)
                break
        if line:
            lines.append(line)
    return lines


def _actor(s: _Story, wording: Wording) -> bool:
    """Whether the sentence names who acted (a person, organisation or place as the actor)."""
    analysis = s.analyses[wording.article_id]
    return any(
        wording.start <= m.start < wording.end and m.label in ("PERSON", "ORG", "GPE", "NORP")
        for m in analysis.mentions
    )


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _bottom_line(s: _Story, sections: list[Section], single_total: int, digests: int, lead: ClaimGroup) -> Line:
    """What the brief states, counted from its own sections, so the numbers always agree with them."""

    def count(keys: tuple[str, ...], status: str) -> int:
        return sum(line.status == status for sec in sections if sec.key in keys for line in sec.lines)

    claims = ("lead", "takeaways", "facts")
    sources = len(s.corroboration.independence)
    covering = "1 independent source covers" if sources == 1 else f"{sources} independent sources cover"
    left_out = f" ({_count(digests, 'digest is', 'digests are')} listed but not counted)" if digests else ""
    statements = sum(len(sec.lines) for sec in sections if sec.key == "statements")
    text = (
        f"{covering} this story{left_out}. The brief states "
        f"{_count(count(claims, 'corroborated'), 'corroborated claim', 'corroborated claims')}, "
        f"{_count(count(claims, 'statement'), 'claim', 'claims')} attributed to a speaker by several sources, "
        f"{_count(statements, 'official statement', 'official statements')}, "
        f"{_count(count(('disputed',), 'contested'), 'disputed point', 'disputed points')} and "
        f"{count((*claims, 'single', 'context'), 'single-source')} of the "
        f"{_count(single_total, 'claim', 'claims')} "
        "resting on a single source."
    )
    return Line(text, s.cite(lead.members[:2]), None)


def build_brief(
    story: Story,
    articles: list[Article],
    analyses: list[Analysis],
    corroboration: Corroboration,
    entities: dict[str, Entity] | None = None,
) -> Brief:
    """The brief of one story from its corroboration (deterministic, no network)."""
    analysed = {a.article_id: a for a in analyses}
    counted = [a for a in articles if genre(a).counts]
    opinion = {a.id for a in articles if genre(a).kind == OPINION}
    reports = [a for a in counted if a.id not in opinion] or counted  # a blog's or a column's title frames no news
    sources = _sources(articles, corroboration, analysed)
    titled = [a.title for a in reports if not a.title_derived]
    s = _Story(
        story, articles, analysed, corroboration, entities or {},
        _Cites({src.article_id: src.n for src in sources}), {src.article_id: src.name for src in sources},
        {(a.article_id, c.start, c.end): c for a in analyses for c in a.claims},
        _words(" ".join(titled)), loaded_words(titled),
    )  # fmt: skip
    for quote in corroboration.quotes:
        for m in quote.members if quote.speaker else []:
            s.quote_sources.setdefault(m.article_id, []).append((m.start, m.end, len(quote.sources)))
    headlines = [g for g in corroboration.claims if g.members[0].field == "title"]  # unsupported headline quotes
    s.opinion = frozenset(opinion)
    claims = [_as_reported(g, opinion) for g in corroboration.claims if g.members[0].field == "text"]
    by_centre = sorted(claims, key=lambda g: (-s.centrality(g), g.id))

    lead, lead_line = _lead(s, claims)
    contested = {m.article_id for g in headlines for m in g.members}
    headline_text = headline(reports, lead_line.text if lead_line else None, contested)
    sections = [Section("lead", "Lead", [lead_line] if lead_line else [])]

    shared = [g for g in by_centre if g.status in SHARED and s.kind(g) != "opinion"]
    events = [
        g
        for g in by_centre
        if g.status == "single-source" and s.kind(g) in FILL_KINDS and not s.quoted(g) and not s.opinion_only(g)
    ]
    ranked = sorted(shared, key=lambda g: (-s.news_value(g), g.id))
    takeaways = _takeaway_lines(s, ranked, TAKEAWAYS[1], lead)
    if len(takeaways) < TAKEAWAYS[0]:
        more, _ = _claim_lines(s, events, TAKEAWAYS[0] - len(takeaways))
        takeaways += more
    sections.append(Section("takeaways", "Key takeaways", takeaways))
    facts, more_facts = _claim_lines(s, [g for g in shared if g.id not in s.used], FACTS)
    sections.append(Section("facts", "Established facts", facts))

    s.lines_so_far = [*sections[0].lines, *takeaways, *facts]
    statements, more_statements, variants = _statements(s)
    sections.append(Section("statements", "Official statements", statements))
    sections.append(Section("disputed", "Disputed", _disputed(s, claims, headlines)))

    single_groups = [
        g
        for g in by_centre
        if g.status == "single-source"
        and s.kind(g) in ("event", "statement")
        and not s.quoted(g)
        and not s.opinion_only(g)
    ]
    single, more_single = _claim_lines(s, single_groups, SINGLE, note=s.carrier)
    sections.append(Section("single", "Notable single-source claims", single))
    context, more_context = _claim_lines(s, _context(s, claims), CONTEXT, note=_note(s))
    sections.append(Section("context", "Context & impact", context))
    central = [g for g in by_centre if g.status in SHARED][:CENTRAL]
    charged = sorted({v for a in counted if not a.title_derived for v in headline_verbs(a.title)} & set(CHARGED_VERBS))
    sections.append(Section("coverage", "Coverage", _coverage(s, central, charged, counted)))
    timeline = _timeline(s, claims, {line.text for sec in sections for line in sec.lines})
    sections.append(Section("timeline", "Timeline", timeline[:TIMELINE]))
    taken = _within_budget(sections)

    appendix = [
        Section("more_facts", "More established facts", taken.get("facts", []) + _appendix_lines(s, more_facts)),
        Section("more_takeaways", "More takeaways", taken.get("takeaways", [])),
        Section("more_statements", "More statements", taken.get("statements", []) + more_statements),
        Section("wordings", "Other wordings of the statements", variants),
        Section("more_single", "More single-source claims",
                taken.get("single", []) + _appendix_lines(s, more_single, s.carrier)),
        Section("more_context", "More context", taken.get("context", []) + _appendix_lines(s, more_context, _note(s))),
        Section("more_timeline", "More dates", taken.get("timeline", []) + timeline[TIMELINE:]),
        Section("more_coverage", "More coverage", taken.get("coverage", [])),
    ]  # fmt: skip
    for section in appendix:
        section.appendix = True
    single_total = sum(g.status == "single-source" for g in claims)
    digests = sum(not src.counted for src in sources)
    if lead is not None:
        sections.append(Section("bottom_line", "Bottom line", [_bottom_line(s, sections, single_total, digests, lead)]))
    ordered, citations = _renumbered(sections + appendix, list(s.cite.found.values()))
    return Brief(story.id, headline_text, ordered, sources, citations)


def _as_reported(group: ClaimGroup, opinion: set[str]) -> ClaimGroup:
    """A corroborated claim that stands on an opinion piece: single-source unless two other sources report it.

    An opinion piece is labelled and never corroborates a fact on its own.
    """
    if group.status != "corroborated" or not any(m.article_id in opinion for m in group.members):
        return group
    reporting = list(dict.fromkeys(m.source for m in group.members if m.article_id not in opinion))
    if len(reporting) >= 2:
        return group
    return replace(
        group,
        status="single-source",
        explanation=f"Only {', '.join(reporting) or 'an opinion piece'} reports this as fact; an opinion piece "
        "does not corroborate it.",
    )


def _note(s: _Story):
    return lambda g: s.carrier(g) if g.status == "single-source" else None


def _appendix_lines(s: _Story, groups: list[ClaimGroup], note=None) -> list[Line]:
    lines, _ = _claim_lines(s, groups, len(groups), note)
    return lines


def _within_budget(sections: list[Section]) -> dict[str, list[Line]]:
    """Trims the sections that give way first (single-source, timeline, context, coverage, facts, then
    statements and takeaways down to their minimum) until the words fit; returns the lines taken out, by
    section, for the appendix."""

    def total() -> int:
        return sum(len(words(line.text)) for sec in sections for line in sec.lines)

    taken: dict[str, list[Line]] = {}
    floors = {"single": 3, "facts": 3, "statements": 3, "takeaways": TAKEAWAYS[0]}
    for key in ("single", "timeline", "context", "coverage", "facts", "statements", "takeaways"):
        section = next(sec for sec in sections if sec.key == key)
        floor = floors.get(key, 1)
        while total() > BUDGET and len(section.lines) > floor:
            taken.setdefault(key, []).insert(0, section.lines.pop())
    return taken


def _renumbered(sections: list[Section], found: list[Citation]) -> tuple[list[Section], list[Citation]]:
    """Citations numbered in reading order (the main sections first), unused ones dropped."""
    old = {c.n: c for c in found}
    new: dict[int, int] = {}
    for section in sections:
        for line in section.lines:
            for n in line.citations:
                new.setdefault(n, len(new) + 1)
    sections = [
        replace(sec, lines=[replace(line, citations=tuple(new[n] for n in line.citations)) for line in sec.lines])
        for sec in sections
    ]
    return sections, sorted((replace(old[n], n=m) for n, m in new.items()), key=lambda c: c.n)


__all__ = ["build_brief", "spoken_date"]
