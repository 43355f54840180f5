"""The brief's records: citations, lines, sections (some of them the appendix), sources."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


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
    note: str | None = None  # who carries a single-source line, how many sources a statement has


@dataclass
class Section:
    key: str
    title: str
    lines: list[Line] = field(default_factory=list)
    appendix: bool = False  # shown in JSON and HTML always, in Markdown and the terminal with --full


@dataclass(frozen=True)
class Source:
    n: int
    article_id: str
    outlet: str | None  # the outlet ingest found, unless it was a timestamp or a byline
    name: str  # the outlet, else "unnamed outlet (“a short whole-word title…”)"
    title: str
    published: str | None
    date_source: str | None  # published, dateline, text (a date it prints), story (its story's median) or batch
    url: str | None
    group: str | None  # its independence group, named after its publishers; None when it is not counted
    claims: int  # how many claim groups it supports
    kind: str  # news report, opinion, press release, wire copy or digest
    why: str  # the signals that say so
    counted: bool  # False for a digest: listed, never a source


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
                {"key": s.key, "title": s.title, "appendix": s.appendix, "lines": [asdict(line) for line in s.lines]}
                for s in self.sections
            ],
            "sources": [asdict(s) for s in self.sources],
            "citations": [asdict(c) for c in self.citations],
        }

    @classmethod
    def from_dict(cls, data: dict) -> Brief:
        """The brief :meth:`to_dict` gave (a stored brief read back; ``from_dict(b.to_dict()) == b``)."""
        return cls(
            data["story_id"],
            data["headline"],
            [
                Section(s["key"], s["title"], [_line(line) for line in s["lines"]], s["appendix"])
                for s in data["sections"]
            ],
            [Source(**s) for s in data["sources"]],
            [Citation(**c) for c in data["citations"]],
        )


def _line(data: dict) -> Line:
    return Line(data["text"], tuple(data["citations"]), data["status"], data["note"])


__all__ = ["Brief", "Citation", "Line", "Section", "Source"]
