"""The brief: a story's corroborated account, every sentence cited to the exact words of its sources.

The writer is extractive and deterministic. Every sentence of a section is
either an outlet's own sentence (a claim or quote, verbatim) or a short
sentence made from the corroboration's counts and names (coverage, bottom
line), and each carries citations ``[n]`` that resolve to a source article and
the exact span of its text. Quotes are verbatim only.

Sections follow ``../shared/SPEC.md``: headline, lead, key takeaways, verified
facts, context & impact, official statements, disputed, unconfirmed, coverage,
timeline, bottom line, sources.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import date

from ..corroborate import ClaimGroup, Corroboration, QuoteGroup, Wording
from ..ingest.places import place
from ..language.speakers import CUE
from ..model import Analysis, Article, Entity, Story
from ..words import WORD, bare, zipf

KEY_TAKEAWAYS = 5
NEUTRAL_VERBS = ("says", "said", "tells", "told", "states", "stated", "announces", "announced", "reports")
# headline verbs that take a side: what an outlet's verb choice adds to the words it reports
CHARGED_VERBS = (
    "threatens", "threatened", "slams", "slammed", "blasts", "blasted", "vows", "vowed", "rips", "lashes", "brands",
    "mocks", "attacks", "admits", "admitted", "claims", "claimed", "insists", "boasts",
)  # fmt: skip
STATEMENTS = 8  # quote groups shown under official statements
REPEATS = 0.6  # a takeaway sharing this much of its rare words with one already chosen repeats it
_HEADLINE_VERB = re.compile(rf"\b(?:{'|'.join(CHARGED_VERBS)})\b", re.I)
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


@dataclass(frozen=True)
class Citation:
    """``[n]``: the exact words ``text`` at ``start``–``end`` of source ``source``'s article text (or headline)."""

    n: int
    source: int
    article_id: str
    start: int
    end: int
    text: str
    field: str = "text"  # or "title": the span is in the article's headline


@dataclass(frozen=True)
class Line:
    """One sentence of the brief and the citations that support it."""

    text: str
    citations: tuple[int, ...]
    status: str | None = None  # the corroboration status of the claim or quote it states


@dataclass
class Section:
    key: str
    title: str
    lines: list[Line] = field(default_factory=list)


@dataclass(frozen=True)
class Source:
    n: int
    article_id: str
    outlet: str | None
    title: str
    published: str | None
    date_source: str | None  # published, dateline, text (a date it prints) or story (its story's median)
    url: str | None
    group: str  # the independence group's label
    claims: int  # how many claim groups it supports


@dataclass
class Brief:
    story_id: str
    headline: str
    sections: list[Section]
    sources: list[Source]
    citations: list[Citation]

    def section(self, key: str) -> Section:
        return next(s for s in self.sections if s.key == key)

    def to_dict(self) -> dict:
        return {
            "story_id": self.story_id,
            "headline": self.headline,
            "sections": [
                {"key": s.key, "title": s.title, "lines": [_line_dict(line) for line in s.lines]} for s in self.sections
            ],
            "sources": [asdict(s) for s in self.sources],
            "citations": [asdict(c) for c in self.citations],
        }


def _line_dict(line: Line) -> dict:
    return {"text": line.text, "citations": list(line.citations), "status": line.status}


class _Cites:
    """Numbers citations in order of first use; one number per exact span."""

    def __init__(self, sources: dict[str, int]) -> None:
        self.sources = sources
        self.found: dict[tuple[str, int, int], Citation] = {}

    def __call__(self, wordings: list[Wording]) -> tuple[int, ...]:
        numbers = []
        for w in wordings:
            key = (w.article_id, w.start, w.end, w.field)
            if key not in self.found:
                source = self.sources[w.article_id]
                self.found[key] = Citation(len(self.found) + 1, source, w.article_id, w.start, w.end, w.text, w.field)
            numbers.append(self.found[key].n)
        return tuple(dict.fromkeys(numbers))


def spoken_date(value: date) -> str:
    """ "5 September 2025"."""
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def _event_day(groups: list[ClaimGroup], analyses: dict[str, Analysis], story: Story) -> date | None:
    """The day the central claims resolve their times to, else the story's first day."""
    days: Counter = Counter()
    for group in groups:
        for member in group.members:
            analysis = analyses[member.article_id]
            for time in analysis.times:
                if member.start <= time.start < member.end and len(time.value) == 10:
                    days[time.value] += 1
    if days:
        return date.fromisoformat(days.most_common(1)[0][0])
    return story.first_seen


def _event_place(articles: list[Article], lead: ClaimGroup, analyses: dict[str, Analysis]) -> str | None:
    """The city the articles name around the lead's sentences (a sentence either side), else anywhere.

    Only places the recogniser marked (GPE, LOC, FAC) and the gazetteer knows as
    cities count, never countries; each article counts once per city.
    """
    near: Counter = Counter()
    anywhere: Counter = Counter()
    for article in articles:
        analysis = analyses[article.id]
        spans = [(m.start, m.end) for m in lead.members if m.article_id == article.id]
        sentences = analysis.sentences
        windows = [
            (sentences[max(k - 1, 0)].start, sentences[min(k + 1, len(sentences) - 1)].end)
            for k, s in enumerate(sentences)
            if any(s.start < end and start < s.end for start, end in spans)
        ]
        cities = [(m.start, _city(m.text)) for m in analysis.mentions if m.label in ("GPE", "LOC", "FAC")]
        near.update({c for at, c in cities if c and any(a <= at < b for a, b in windows)})
        anywhere.update({c for _, c in cities if c})
    counts = near or anywhere
    return counts.most_common(1)[0][0] if counts else None


def _city(name: str) -> str | None:
    known = place(name)
    return known.name if known and known.population < 10**9 else None  # countries are filed as huge


def _words(text: str) -> set[str]:
    return {bare(w) for w in WORD.findall(text) if zipf(bare(w)) < 5.5}


def _share(words: set[str], text: str) -> float:
    """Share of ``words`` found in ``text``."""
    return len(words & _words(text)) / len(words) if words else 0.0


def _headline(articles: list[Article], lead: ClaimGroup | None) -> tuple[str, list[str]]:
    """The member headline with the fewest words no other headline uses, its charged verb made neutral.

    Words only one outlet's headline uses are where outlets disagree on framing;
    the headline that needs fewest of them is the common ground. Returns it and
    the charged verbs outlets used.
    """
    verbs = {a.id: headline_verbs(a.title) for a in articles}
    loaded = sorted({v for vs in verbs.values() for v in vs if v not in NEUTRAL_VERBS})
    titled = [a for a in articles if not a.title_derived]
    if not titled:
        return (shortened(_best_wording(lead).text) if lead else articles[0].title), loaded
    words = {a.id: _words(a.title) for a in titled}

    def own_words(article: Article) -> int:
        others = set().union(*(w for i, w in words.items() if i != article.id)) if len(titled) > 1 else set()
        return len(words[article.id] - others)

    def cost(article: Article) -> tuple:
        charged = sum(v not in NEUTRAL_VERBS for v in verbs[article.id])
        return (own_words(article) + 2 * charged, len(article.title), article.id)

    chosen = min(titled, key=cost)
    if len(titled) == 1:  # one headline: no other outlet's framing to weigh it against
        return chosen.title, loaded
    return _neutralise(chosen.title, verbs[chosen.id]), loaded


def headline_verbs(title: str) -> list[str]:
    """The attribution and charged verbs of a headline, in order: "Putin threatens Europe" → ["threatens"]."""
    found = [(m.start(), m.group(0).split()[0].lower()) for m in CUE.finditer(title)]
    found += [(m.start(), m.group(0).lower()) for m in _HEADLINE_VERB.finditer(title)]
    return list(dict.fromkeys(v for _, v in sorted(found)))


def _neutralise(title: str, verbs: list[str]) -> str:
    for verb in verbs:
        if verb not in NEUTRAL_VERBS:
            title = re.sub(rf"\b{re.escape(verb)}\b", "says", title, count=1, flags=re.I)
    return title


def _best_wording(group: ClaimGroup | QuoteGroup, loaded: frozenset[str] = frozenset()) -> Wording:
    """The member to quote: no leading pronoun, fewest loaded words, moderate length."""
    members = sorted(
        group.members,
        key=lambda w: (
            bool(_PRONOUN_START.match(w.text)),
            len(_words(w.text) & loaded),
            abs(len(w.text.split()) - 28),
            w.article_id,
            w.start,
        ),
    )
    return members[0]


def loaded_words(titles: list[str]) -> frozenset[str]:
    """Words that only one outlet's headline uses: where the outlets' framings part.

    Example:
        >>> sorted(loaded_words(["Putin threatens Europe", "Putin warns Western troops", "Putin says troops"]))
        ['europe', 'says', 'threatens', 'warns', 'western']
    """
    words = [_words(t) for t in titles]
    found: set[str] = set()
    for i, own in enumerate(words):
        found |= own - set().union(*(w for j, w in enumerate(words) if j != i))
    return frozenset(found) if len(titles) > 1 else frozenset()


_PRONOUN_START = re.compile(r"^[\"“]?(?:He|She|They|It|This|That|These|Those|His|Her|Their)\b")


def _dated(article: Article, analysis: Analysis | None) -> tuple[str | None, str | None]:
    if article.published:
        return article.published, "published"
    if article.dateline.date:
        return article.dateline.date, "dateline"
    if analysis is not None and analysis.anchor:
        return analysis.anchor, analysis.anchor_source
    return None, None


def _sources(articles: list[Article], corroboration: Corroboration, analyses: dict[str, Analysis]) -> list[Source]:
    group_of = {aid: g.label for g in corroboration.independence for aid in g.article_ids}
    supported: Counter = Counter()
    for group in corroboration.claims:
        for article_id in {m.article_id for m in group.members}:
            supported[article_id] += 1
    dated = {a.id: _dated(a, analyses.get(a.id)) for a in articles}
    ordered = sorted(articles, key=lambda a: (dated[a.id][0] or "9999", a.id))
    return [
        Source(n, a.id, a.outlet, a.title, *dated[a.id], a.url, group_of[a.id], supported[a.id])
        for n, a in enumerate(ordered, 1)
    ]


def build_brief(
    story: Story,
    articles: list[Article],
    analyses: list[Analysis],
    corroboration: Corroboration,
    entities: dict[str, Entity] | None = None,
) -> Brief:
    """The brief of one story from its corroboration (deterministic, no network)."""
    entities = entities or {}
    analysed = {a.article_id: a for a in analyses}
    kinds = {(a.article_id, c.start, c.end): c.kind for a in analyses for c in a.claims}
    sources = _sources(articles, corroboration, analysed)
    cite = _Cites({s.article_id: s.n for s in sources})
    headlines = [g for g in corroboration.claims if g.members[0].field == "title"]  # unsupported headline quotes
    claims = [g for g in corroboration.claims if g.members[0].field == "text"]
    titles = _words(" ".join(a.title for a in articles if not a.title_derived))
    loaded_by_titles = loaded_words([a.title for a in articles if not a.title_derived])

    def central(group: ClaimGroup) -> tuple:
        wording = _best_wording(group, loaded_by_titles)
        charged = len(_words(wording.text) & loaded_by_titles)
        score = len(group.sources) + 2 * _share(titles - loaded_by_titles, group.text) - 0.5 * charged
        return (-score, group.id)

    ranked = sorted((g for g in claims if g.status in ("corroborated", "statement")), key=central)
    candidates = [  # the outlets' own central sentences, for stories with little corroboration
        g
        for g in sorted(claims, key=central)
        if g.status == "single-source"
        and _kind(g, kinds) == "event"
        and not _quoted(g, analysed)
        and not _PRONOUN_START.match(_best_wording(g).text)
    ]
    lead = ranked[0] if ranked else (candidates[0] if candidates else (claims[0] if claims else None))
    headline, loaded = _headline(articles, lead)
    sections = []

    lead_lines = []
    if lead is not None:
        day = _event_day([lead], analysed, story)
        city = _event_place(articles, lead, analysed)
        where = " in ".join(filter(None, [f"On {spoken_date(day)}" if day else None, city]))
        wording = _best_wording(lead, loaded_by_titles)
        prefix = f"{where}: " if where else ""
        lead_lines.append(Line(prefix + shortened(wording.text), cite([wording, *lead.members]), lead.status))
    sections.append(Section("lead", "Lead", lead_lines))

    takeaways = _distinct(
        [g for g in ranked + candidates if g is not lead and not _PRONOUN_START.match(_best_wording(g).text)],
        [lead] if lead else [],
        KEY_TAKEAWAYS,
    )
    sections.append(Section("takeaways", "Key takeaways", [_claim_line(g, cite, loaded_by_titles) for g in takeaways]))
    facts = [g for g in claims if g.status == "corroborated"]
    sections.append(Section("facts", "Verified facts", [_claim_line(g, cite) for g in facts]))

    context = [g for g in claims if g.status != "contested" and _kind(g, kinds) == "background" and len(g.members) >= 1]
    sections.append(Section("context", "Context & impact", [_claim_line(g, cite) for g in context[:8]]))

    statements = [q for q in corroboration.quotes if q.speaker and len(q.members[0].text.split()) >= 6]
    statements = sorted(statements, key=lambda q: (q.status != "contested", -len(q.sources), q.id))[:STATEMENTS]
    sections.append(Section("statements", "Official statements", _statement_lines(statements, entities, cite)))

    disputed = [_disputed_line(g, cite) for g in claims if g.status == "contested"]
    disputed += [Line(g.explanation, cite(g.members), g.status) for g in headlines]
    sections.append(Section("disputed", "Disputed", disputed))
    unconfirmed = [
        g
        for g in claims
        if g.status == "single-source" and _kind(g, kinds) in ("event", "statement") and not _quoted(g, analysed)
    ]
    sections.append(Section("unconfirmed", "Unconfirmed (single source)", [_claim_line(g, cite) for g in unconfirmed]))

    sections.append(Section("coverage", "Coverage", _coverage(articles, ranked[: KEY_TAKEAWAYS + 1], loaded, cite)))
    sections.append(Section("timeline", "Timeline", _timeline(claims, analysed, cite)))
    sections.append(Section("bottom_line", "Bottom line", _bottom_line(corroboration, lead, cite)))
    return Brief(story.id, headline, sections, sources, sorted(cite.found.values(), key=lambda c: c.n))


def _kind(group: ClaimGroup, kinds: dict[tuple[str, int, int], str]) -> str:
    """The kind most members' claims have (event, statement, background, opinion); ``kinds`` by claim span."""
    found = Counter(kinds[key] for m in group.members if (key := (m.article_id, m.start, m.end)) in kinds)
    return found.most_common(1)[0][0] if found else "event"


def _distinct(groups: list[ClaimGroup], chosen: list[ClaimGroup], limit: int) -> list[ClaimGroup]:
    """Up to ``limit`` groups in order, skipping any that mostly repeats the rare words of one already chosen."""
    taken: list[set[str]] = [_words(g.text) for g in chosen]
    kept = []
    for group in groups:
        words = _words(group.text)
        if any(words and len(words & t) / len(words) >= REPEATS for t in taken):
            continue
        kept.append(group)
        taken.append(words)
        if len(kept) == limit:
            break
    return kept


def _quoted(group: ClaimGroup, analyses: dict[str, Analysis]) -> bool:
    """True when the claim's words are mostly a quotation (shown under official statements instead)."""
    for member in group.members:
        inside = sum(
            max(0, min(q.end, member.end) - max(q.start, member.start)) for q in analyses[member.article_id].quotes
        )
        if inside < 0.6 * (member.end - member.start):
            return False
    return True


def _claim_line(group: ClaimGroup, cite, loaded: frozenset[str] = frozenset()) -> Line:
    wording = _best_wording(group, loaded)
    return Line(shortened(wording.text), cite([wording, *group.members]), group.status)


_CONNECTIVE = re.compile(r"^(?:However|Meanwhile|But|And|Also|Moreover|Still|Yet|Indeed|Separately),\s+(?=[A-Z“\"])")


def shortened(sentence: str) -> str:
    """A sentence without what a brief does not need and whose loss keeps its meaning: a leading connective.

    Names, numbers, negations and quoted words are never touched.

    Example:
        >>> shortened("However, Russian President Vladimir Putin has reiterated that troops would be targets.")
        'Russian President Vladimir Putin has reiterated that troops would be targets.'
    """
    return _CONNECTIVE.sub("", sentence)


def _disputed_line(group: ClaimGroup, cite) -> Line:
    wording = _best_wording(group)
    against = group.opposing[0]
    text = f"{wording.text} — but {against.outlet or against.source} reports: {against.text}"
    return Line(text, cite([wording, *group.members, *group.opposing]), group.status)


def _statement_lines(groups: list[QuoteGroup], entities: dict[str, Entity], cite) -> list[Line]:
    lines = []
    for group in groups:
        wording = _best_wording(group)
        entity = entities.get(group.entity_id or "")
        role = f", {entity.roles[0]}" if entity and entity.roles else ""
        outlets = sorted({w.outlet or w.source for w in group.members})
        lines.append(
            Line(
                f"“{wording.text.strip(' ,')}” — {group.speaker}{role} (reported by {', '.join(outlets)})",
                cite([wording]),
                group.status,
            )
        )
        for variant in group.members:
            if variant.text != wording.text and variant.article_id != wording.article_id:
                lines.append(
                    Line(f"Also worded: “{variant.text.strip(' ,')}” ({variant.outlet or variant.source})",
                         cite([variant]), group.status)
                )  # fmt: skip
    return lines


def _coverage(articles: list[Article], central: list[ClaimGroup], loaded: list[str], cite) -> list[Line]:
    """Which outlet reports which central claim, what each leaves out, each headline's verb."""
    lines = []
    for article in sorted(articles, key=lambda a: (a.outlet or "~", a.id)):
        name = article.outlet or f"“{article.title[:40]}”"
        reported = [g for g in central if any(m.article_id == article.id for m in g.members)]
        left_out = [g for g in central if g not in reported]
        verbs = headline_verbs(article.title)
        verb = f"; its headline verb is “{verbs[0]}”" if verbs else ""
        charged = [v for v in verbs if v in loaded]
        tone = f" (loaded: {', '.join(charged)})" if charged else ""
        members = [m for g in reported for m in g.members if m.article_id == article.id]
        if not members:
            continue
        text = f"{name} reports {len(reported)} of the {len(central)} central claims{verb}{tone}"
        if left_out:
            text += f"; it leaves out: {'; '.join(_clip(g.text, 60) for g in left_out)}"
        lines.append(Line(text + ".", cite(members[:3])))
    return lines


def _timeline(claims: list[ClaimGroup], analyses: dict[str, Analysis], cite) -> list[Line]:
    dated: dict[str, tuple[ClaimGroup, Wording]] = {}
    for group in claims:
        for member in group.members:
            for time in analyses[member.article_id].times:
                inside = member.start <= time.start < member.end
                if inside and len(time.value) == 10 and time.value not in dated:
                    dated[time.value] = (group, member)
    lines = []
    for value in sorted(dated):
        group, member = dated[value]
        lines.append(Line(f"{spoken_date(date.fromisoformat(value))}: {member.text}", cite([member]), group.status))
    return lines


def _bottom_line(corroboration: Corroboration, lead: ClaimGroup | None, cite) -> list[Line]:
    statuses = Counter(g.status for g in corroboration.claims)
    sources = len(corroboration.independence)
    if lead is None:
        return []
    covering = "1 independent source covers" if sources == 1 else f"{sources} independent sources cover"
    summary = (
        f"{covering} this story: {_count(statuses['corroborated'], 'claim is', 'claims are')} corroborated, "
        f"{_count(statuses['statement'], 'is a statement', 'are statements')} reported by several sources, "
        f"{statuses['contested']} contested and {statuses['single-source']} resting on a single source."
    )
    return [Line(summary, cite(lead.members[:2]), None)]


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def brief_story(store, story_id: str, settings) -> Brief:
    """Corroborate a stored story and write its brief."""
    from ..corroborate import corroborate, load_story
    from ..embed import embedder

    story, articles, analyses = load_story(store, story_id)
    corroboration = corroborate(articles, analyses, embedder(settings.embedding), store)
    return build_brief(story, articles, analyses, corroboration, store.entities())


__all__ = ["Brief", "Citation", "Line", "Section", "Source", "brief_story", "build_brief", "spoken_date"]
