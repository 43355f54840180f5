"""Typed records. The cleaned article text is the one source of truth; every
record that comes from text is a view ``(article_id, start, end)`` into it."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import asdict, dataclass, field, fields, replace
from datetime import date, datetime
from functools import cache
from typing import Any, Self

from .errors import EmptyInput, InvalidField, SpanError, TooLarge, TriangulateError

_SPACE = re.compile(r"\s+")

MAX_TEXT_CHARS = 1_000_000
"""The longest text one article may hold: spaCy's own limit (``nlp.max_length``); a longer text is many articles."""
EARLIEST_YEAR, LATEST_YEAR = 1800, 2100
"""Dates outside these years are refused: fixed bounds, so the same input gives the same outcome on any day."""
# C0 and C1 controls (terminal escapes among them) but tab and newline, bidi embeddings, overrides and
# isolates (which make text display in another order than it is stored), and lone surrogates
_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_LANGUAGE = re.compile(r"[a-z]{2,3}(?:-[a-z0-9]{2,8})*")
_FIELD_CHARS = {"title": 1000, "subtitle": 2000, "outlet": 200, "byline": 300, "origin": 200, "source": 4096}
_URL_CHARS = 4096


def day_of_iso(value: str | None) -> date | None:
    """The day an ISO 8601 value names, or None when it is not one or lies outside the sane years.

    Example:
        >>> day_of_iso("2025-09-05T09:20:00"), day_of_iso("tomorrow"), day_of_iso("0001-01-01")
        (datetime.date(2025, 9, 5), None, None)
    """
    try:
        day = date.fromisoformat((value or "")[:10])
    except ValueError:
        return None
    return day if EARLIEST_YEAR <= day.year <= LATEST_YEAR else None


def _line(value: str | None, name: str) -> str | None:
    """A one-line field without control or bidi characters, cut at a word past its length."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidField(f"field {name!r} must be text, not {type(value).__name__}")
    cleaned = _SPACE.sub(" ", _UNSAFE.sub("", value)).strip()
    limit = _FIELD_CHARS[name]
    if len(cleaned) > limit:
        cleaned = cleaned[:limit].rsplit(" ", 1)[0] + "…"
    return cleaned or None


def _url(value: str | None) -> str | None:
    if value is None:
        return None
    url = _UNSAFE.sub("", value).strip()
    if not url:
        return None
    if not url.lower().startswith(("http://", "https://")) or len(url) > _URL_CHARS or any(c.isspace() for c in url):
        raise InvalidField(
            f"field 'url' must be one http or https URL of at most {_URL_CHARS} characters (got {url[:60]!r}); "
            "fix it or leave it out"
        )
    return url


def _published(value: str | None, name: str = "published") -> str | None:
    if value is None or not value.strip():
        return None
    value = value.strip()
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise InvalidField(
            f"field {name!r} is not a date ({value[:40]!r}); give an ISO 8601 date such as "
            "2025-09-05T12:00:00+00:00, or leave the field out"
        ) from None
    if not EARLIEST_YEAR <= moment.year <= LATEST_YEAR:
        raise InvalidField(
            f"field {name!r} is {value[:40]!r}, outside the years {EARLIEST_YEAR}–{LATEST_YEAR}; "
            "fix the date or leave the field out"
        )
    return value


def _language(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    code = value.strip().lower().replace("_", "-")
    if not _LANGUAGE.fullmatch(code):
        raise InvalidField(
            f"field 'language' is not a language code ({_UNSAFE.sub('', value)[:20]!r}); "
            "give an ISO 639 code such as 'en' or 'pt-br', or leave it out"
        )
    return code


def language_code(value: str | None) -> str | None:
    """A page's own language tag as a code, or None when it is not one ("english").

    Example:
        >>> language_code("en_US"), language_code("english!")
        ('en-us', None)
    """
    try:
        return _language(value)
    except InvalidField:
        return None


def checked_text(text: str) -> str:
    """The article text without control and bidi characters, within the length one article may hold."""
    cleaned = _UNSAFE.sub("", text)
    if len(cleaned) > MAX_TEXT_CHARS:
        raise TooLarge(
            f"the article text is {len(cleaned):,} characters, over the {MAX_TEXT_CHARS:,} one article may hold "
            "(the language layer's limit); split it into its articles"
        )
    if not cleaned.strip():
        raise EmptyInput("the article has no text; nothing to ingest")
    return cleaned


def _checked_meta(meta: dict[str, Any]) -> dict[str, Any]:
    """Every metadata field validated and normalised: one line, no control or bidi characters, sane values."""
    out = dict(meta)
    for name in _FIELD_CHARS:
        if name in out:
            out[name] = _line(out[name], name)
    if "url" in out:
        out["url"] = _url(out["url"])
    if "published" in out:
        out["published"] = _published(out["published"])
    if "language" in out:
        out["language"] = _language(out["language"])
    if isinstance(out.get("dateline"), Dateline):
        d = out["dateline"]
        out["dateline"] = Dateline(
            place=_line(d.place, "outlet"),
            date=d.date if day_of_iso(d.date) else None,
            credit=_line(d.credit, "outlet"),
            raw=_line(d.raw, "subtitle"),
        )
    if not isinstance(out.get("segment", 0), int) or out.get("segment", 0) < 0:
        raise InvalidField(f"field 'segment' must be a whole number from 0, not {out['segment']!r}")
    return out


def normalize_for_id(text: str) -> str:
    """Fold a text to the form its id is computed from: NFKC, casefolded, one space."""
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", text)).strip().casefold()


def content_id(text: str, outlet: str | None = None) -> str:
    """A stable 16-hex-digit id for a text as published by an outlet.

    The outlet is part of the identity: the same wire copy on two outlets is two
    publications (which corroboration later finds to be one source), while
    re-ingesting one article is a no-op.

    Example:
        >>> content_id("Putin  spoke.") == content_id("putin spoke.")
        True
    """
    key = normalize_for_id(text) + "\x00" + normalize_for_id(outlet or "")
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class Dateline:
    """The place, date and credit an article opens with ("MOSCOW, Sept 05 (Agencies):")."""

    place: str | None = None
    date: str | None = None  # ISO date, resolved against the publication date
    credit: str | None = None
    raw: str | None = None  # the dateline as printed, before it was lifted off the text


@dataclass(frozen=True, slots=True)
class Article:
    """One news story as one outlet published it, with its cleaned text."""

    id: str
    text: str
    title: str
    title_derived: bool = False
    subtitle: str | None = None
    outlet: str | None = None
    url: str | None = None
    published: str | None = None  # ISO 8601, with time and offset where known
    byline: str | None = None
    dateline: Dateline = field(default_factory=Dateline)
    language: str | None = None
    page_id: str | None = None  # the page or file this article was cut from
    segment: int = 0  # its position on that page when the page held several stories
    origin: str | None = None  # the publisher a feed item credits as its source
    source: str | None = None  # where it was read from: a path, URL or "stdin"

    @classmethod
    def build(cls, text: str, *, title: str | None = None, **meta: Any) -> Self:
        """Make an article, deriving its id from text and outlet, and its title if missing.

        This is the model's door: every field is validated and normalised here
        (see :func:`checked_text`; dates within the sane years, language codes,
        one-line fields without control or bidi characters, lengths), and a bad
        field raises an ``InputError`` naming the item (``source``) and the fix.

        Example:
            >>> a = Article.build("Putin spoke in Vladivostok on Friday.", outlet="AFP")
            >>> a.title, a.title_derived
            ('Putin spoke in Vladivostok on Friday.', True)
            >>> Article.build("Putin spoke.", published="tomorrow", source="feed.jsonl line 3")
            Traceback (most recent call last):
            ...
            triangulate.errors.InvalidField: feed.jsonl line 3: field 'published' is not a date ('tomorrow'); \
give an ISO 8601 date such as 2025-09-05T12:00:00+00:00, or leave the field out
        """
        try:
            text = checked_text(text)
            meta = _checked_meta({**meta, "title": title})
        except TriangulateError as exc:
            raise type(exc)(str(exc), item=_line(meta.get("source"), "source") or "article") from None
        title = meta.pop("title")
        return cls(
            id=content_id(text, meta.get("outlet")),
            text=text,
            title=title or derive_title(text),
            title_derived=not title,
            **meta,
        )

    def span(self, start: int, end: int) -> Span:
        """The checked view of ``text[start:end]``."""
        return Span.of(self, start, end)

    def with_meta(self, **changes: Any) -> Article:
        """A copy with changed metadata (checked as :meth:`build` checks it); the id follows a changed outlet."""
        try:
            changes = _checked_meta(changes)
        except TriangulateError as exc:
            raise type(exc)(str(exc), item=self.source or f"article {self.id}") from None
        updated = replace(self, **changes)
        return replace(updated, id=content_id(updated.text, updated.outlet))

    def to_dict(self, *, with_text: bool = False) -> dict[str, Any]:
        data = asdict(self)
        if not with_text:
            data.pop("text")
        return data


_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)]*\s")


def derive_title(text: str, limit: int = 120) -> str:
    """A title for an article that has none: its first sentence, cut at a word.

    Example:
        >>> derive_title("Russian President Vladimir Putin on Friday rejected it. More.")
        'Russian President Vladimir Putin on Friday rejected it.'
    """
    first = text.strip().split("\n", 1)[0]
    match = _SENTENCE_END.search(first)
    sentence = first[: match.start()].strip() if match else first
    if len(sentence) <= limit:
        return sentence
    return sentence[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"


@dataclass(frozen=True, slots=True)
class Span:
    """A slice ``text[start:end]`` (end exclusive) of one article's cleaned text."""

    article_id: str
    start: int
    end: int
    text: str

    @staticmethod
    def fits(text: str, start: int, end: int) -> bool:
        """True when ``text[start:end]`` is a valid span: inside, trimmed, on word boundaries."""
        return (
            0 <= start < end <= len(text)
            and not text[start].isspace()
            and not text[end - 1].isspace()
            and not (start > 0 and text[start - 1].isalnum() and text[start].isalnum())
            and not (end < len(text) and text[end - 1].isalnum() and text[end].isalnum())
        )

    @classmethod
    def of(cls, article: Article, start: int, end: int, **fields: Any) -> Self:
        """Check the offsets against the article text and make the view.

        Like spaCy's ``Doc.char_span``, offsets must fall on word boundaries and
        the slice must not begin or end with white space.

        Example:
            >>> a = Article.build("Putin spoke on Friday.", title="t")
            >>> Span.of(a, 0, 5).text
            'Putin'
        """
        text = article.text
        if not 0 <= start < end <= len(text):
            raise SpanError(
                f"offsets {start}:{end} fall outside the text (length {len(text)}); "
                "take offsets from the stored text, not from the raw page",
                item=f"article {article.id}",
            )
        piece = text[start:end]
        if piece != piece.strip():
            raise SpanError(
                f"span {start}:{end} begins or ends with white space; trim it first",
                item=f"article {article.id}",
            )
        cuts_word = (start > 0 and text[start - 1].isalnum() and text[start].isalnum()) or (
            end < len(text) and text[end - 1].isalnum() and text[end].isalnum()
        )
        if cuts_word:
            raise SpanError(
                f"span {start}:{end} cuts a word ({piece[:30]!r}); offsets must fall on word boundaries",
                item=f"article {article.id}",
            )
        return cls(article.id, start, end, piece, **fields)


class Sentence(Span):
    """One sentence of an article, as a checked span."""

    __slots__ = ()


@dataclass(frozen=True, slots=True)
class Mention(Span):
    """A place in the text that names or refers to an entity.

    ``kind`` is ``name`` (a proper name), ``role`` ("the Russian president") or
    ``pronoun``; ``label`` is the entity type (PERSON, ORG, GPE, LOC, NORP,
    EVENT, FAC).
    """

    entity_id: str = ""
    label: str = ""
    kind: str = "name"


@dataclass(frozen=True, slots=True)
class Entity:
    """One canonical identity (a person, organisation, place, group or event).

    The id is derived from the canonical name, so the same identity gets the
    same id in every article. ``aliases`` are the spellings seen, ``roles`` the
    titles it was given ("Russian President").
    """

    id: str
    label: str
    name: str
    aliases: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Speaker:
    """Who a quote is credited to.

    ``kind``: ``named`` (an entity), ``role`` (a role noun), ``pronoun``
    (resolved to the nearest compatible person), ``anonymous`` ("a senior
    official"), ``relayed`` (an outlet or agency that passed the words on:
    "according to state media"), or ``unknown``. ``start``/``end`` locate the
    words in the text that name the speaker.
    """

    name: str
    kind: str
    entity_id: str | None = None
    start: int | None = None
    end: int | None = None
    relayed_by: str | None = None


@dataclass(frozen=True, slots=True)
class Quote(Span):
    """Words inside quotation marks, with the cue verb and the speaker.

    ``partial`` marks a fragment quoted inside reported speech ("thousands"
    of soldiers); ``part_of`` is the index of the quote this one continues
    when the attribution splits a quote in two.
    """

    cue: str | None = None
    cue_start: int | None = None
    cue_end: int | None = None
    speaker: Speaker | None = None
    partial: bool = False
    part_of: int | None = None


@dataclass(frozen=True, slots=True)
class Quantity(Span):
    """A number in the text with what it counts.

    ``value`` is the number (the midpoint for "tens of thousands"); ``low`` and
    ``high`` bound what the words allow, so "more than 100" has low 100 and no
    high, "two dozen" is 24 and approximate.
    """

    value: float = 0.0
    unit: str | None = None
    counted: str | None = None
    approximate: bool = False
    low: float | None = None
    high: float | None = None


@dataclass(frozen=True, slots=True)
class TimeExpr(Span):
    """A time expression resolved against the article's date.

    ``value`` is ISO 8601 at the expression's grain: ``2025-09-05`` (day),
    ``2025-08`` (month), ``2025`` (year), ``2025-W36`` (week); empty when the
    expression is relative and the article has no date to resolve it against.
    ``shift`` says how a relative expression moves from the anchor
    (``weekday:-fri``, ``month:-1``, ``day:0``) so it can be resolved later.
    """

    value: str = ""
    grain: str = "day"
    relative: bool = False
    shift: str = ""


@dataclass(frozen=True, slots=True)
class Claim(Span):
    """One proposition, with who asserts it and how firmly.

    ``subject`` is the canonical name of the entity it is about, ``predicate`` its main verb.
    ``speaker`` is None in the outlet's own voice. ``kind`` is ``event``,
    ``statement``, ``background`` or ``opinion``. ``quantities``, ``times`` and
    ``quotes`` are indexes into the article's lists of those records.
    """

    sentence: int = 0
    subject: str | None = None
    predicate: str | None = None  # the claim's main verb, lower-cased ("pledged"; for "X said that …" the verb of …)
    speaker: Speaker | None = None
    cue: str | None = None
    hedges: tuple[str, ...] = ()
    negated: bool = False
    kind: str = "event"
    quantities: tuple[int, ...] = ()
    times: tuple[int, ...] = ()
    quotes: tuple[int, ...] = ()
    entities: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Story:
    """Articles that report one event: ``article_ids`` oldest first, the span of their days.

    The id is named after the founding article, so it is stable across runs;
    when two stories merge, the older id survives.
    """

    id: str
    title: str
    article_ids: tuple[str, ...]
    first_seen: date | None = None
    last_seen: date | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "article_ids": list(self.article_ids),
            "first_seen": self.first_seen and self.first_seen.isoformat(),
            "last_seen": self.last_seen and self.last_seen.isoformat(),
        }


@dataclass(frozen=True, slots=True)
class Analysis:
    """Everything the language layer found in one article, as lists of spans.

    ``version`` names the layer's rules, so a stored analysis made by older
    rules is recomputed rather than trusted. ``anchor`` is the date relative
    times were resolved against and ``anchor_source`` where it came from
    (``dateline``, ``published``, ``text`` or ``batch``).
    """

    article_id: str
    version: str
    anchor: str | None
    anchor_source: str | None
    sentences: list[Sentence]
    mentions: list[Mention]
    entities: list[Entity]
    quotes: list[Quote]
    quantities: list[Quantity]
    times: list[TimeExpr]
    claims: list[Claim]

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready lists; every span keeps ``start``/``end`` into the article text.

        The records are read field by field (what ``dataclasses.asdict`` gives, less each span's
        ``article_id``), not deep-copied by ``asdict``, which took 80 % of saving an analysis.
        """
        return {
            "article_id": self.article_id,
            "version": self.version,
            "anchor": self.anchor,
            "anchor_source": self.anchor_source,
            **{key: [_plain(r) for r in getattr(self, key)] for key in _RECORD_LISTS},
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Analysis:
        """Rebuild an analysis stored by :meth:`to_dict`."""
        aid = data["article_id"]

        def spans(kind, key, **nested):
            made = []
            for record in data[key]:
                fields = dict(record)
                for name, nested_kind in nested.items():
                    if fields.get(name) is not None:
                        fields[name] = nested_kind(**fields[name])
                for name, value in fields.items():
                    if isinstance(value, list):
                        fields[name] = tuple(value)
                made.append(kind(article_id=aid, **fields))
            return made

        return cls(
            article_id=aid,
            version=data["version"],
            anchor=data.get("anchor"),
            anchor_source=data.get("anchor_source"),
            sentences=[Sentence(aid, r["start"], r["end"], r["text"]) for r in data["sentences"]],
            mentions=spans(Mention, "mentions"),
            entities=[
                Entity(**{k: tuple(v) if isinstance(v, list) else v for k, v in r.items()}) for r in data["entities"]
            ],
            quotes=spans(Quote, "quotes", speaker=Speaker),
            quantities=spans(Quantity, "quantities"),
            times=spans(TimeExpr, "times"),
            claims=spans(Claim, "claims", speaker=Speaker),
        )


_RECORD_LISTS = ("sentences", "mentions", "entities", "quotes", "quantities", "times", "claims")


@cache
def _names(kind: type) -> tuple[str, ...]:
    """A record type's field names in order, less the ``article_id`` that every span of an analysis shares."""
    return tuple(f.name for f in fields(kind) if f.name != "article_id")


def _plain(record) -> dict[str, Any]:
    """One record as a dict of its fields (a speaker as a dict of its own); tuples stay tuples, as in ``asdict``."""
    out = {}
    for name in _names(type(record)):
        value = getattr(record, name)
        out[name] = _plain(value) if isinstance(value, Speaker) else value
    return out


Outcome = tuple[str, "list[Article] | None", "TriangulateError | None"]
"""What a reader yields per item: (item name, its articles, or the error that stopped it)."""
