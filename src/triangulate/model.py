"""Typed records. The cleaned article text is the one source of truth; every
record that comes from text is a view ``(article_id, start, end)`` into it."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import asdict, dataclass, field, replace
from typing import Any, Self

from .errors import SpanError, TriangulateError

_SPACE = re.compile(r"\s+")


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

        Example:
            >>> a = Article.build("Putin spoke in Vladivostok on Friday.", outlet="AFP")
            >>> a.title, a.title_derived
            ('Putin spoke in Vladivostok on Friday.', True)
        """
        derived = not title
        return cls(
            id=content_id(text, meta.get("outlet")),
            text=text,
            title=title or derive_title(text),
            title_derived=derived,
            **meta,
        )

    def span(self, start: int, end: int) -> Span:
        """The checked view of ``text[start:end]``."""
        return Span.of(self, start, end)

    def with_meta(self, **changes: Any) -> Article:
        """A copy with changed metadata; the id follows a changed outlet."""
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

    @classmethod
    def of(cls, article: Article, start: int, end: int) -> Self:
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
        return cls(article.id, start, end, piece)


class Sentence(Span):
    """One sentence of an article, as a checked span."""

    __slots__ = ()


Outcome = tuple[str, "list[Article] | None", "TriangulateError | None"]
"""What a reader yields per item: (item name, its articles, or the error that stopped it)."""
