"""Pairing quotation marks: which stretches of a text are quoted.

Curly, straight, guillemets, doubled apostrophes (``''``) and single quotes
used as the outer mark; each line is scanned on its own, and a quote left open
at the end of a paragraph is carried into the next paragraph when that one
opens with a mark (the newspaper convention for long quotes). A straight mark's
neighbours say whether it opens or closes; only where they cannot does it toggle.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model import Quote

_DOUBLE = {
    "“": "open",
    "„": "open",
    "«": "open",
    "”": "close",
    "»": "close",
    '"': "toggle",
    "''": "toggle",
    "``": "open",
}
_MARK = re.compile(r"''|``|[“”„«»\"‘’']")


@dataclass
class _Raw:
    start: int
    end: int
    mark_open: int
    mark_close: int | None  # None when the quote runs on into the next paragraph
    continued: bool = False  # carries on from an unclosed quote in the paragraph before


def quote_spans(text: str) -> list[_Raw]:
    """Pair quotation marks line by line; return the spans of the quoted words.

    Example:
        >>> t = 'He said "we are ready" and ‘soon’ at don’t-stop.'
        >>> [t[q.start:q.end] for q in quote_spans(t)]
        ['we are ready', 'soon']
    """
    found: list[_Raw] = []
    carried = False
    for line in re.finditer(r"[^\n]+", text):
        open_at: tuple[int, int] | None = None  # (position of the mark, its length)
        single_at: int | None = None
        for mark in _MARK.finditer(text, line.start(), line.end()):
            m, p = mark.group(), mark.start()
            prev = text[p - 1] if p > line.start() else " "
            nxt = text[mark.end()] if mark.end() < line.end() else " "
            if m in _DOUBLE:
                role = _DOUBLE[m]
                if role == "toggle":  # a straight mark: its neighbours say which it is, else it toggles
                    opens = (prev.isspace() or prev in "([{—–-/" or p == line.start()) and not nxt.isspace()
                    closes = not prev.isspace() and p != line.start() and (nxt.isspace() or not nxt.isalnum())
                    undecided = "open" if open_at is None else "close"
                    role = ("open" if opens else "close") if opens != closes else undecided
                elif role == "open" and open_at is not None and not prev.isspace() and not nxt.isalnum():
                    role = "close"  # a mistyped closing mark
                elif role == "close" and open_at is None and (prev.isspace() or p == line.start()) and nxt.isalnum():
                    role = "open"
                if role == "open" and open_at is None:
                    open_at, single_at = (p, len(m)), None
                elif role == "close" and open_at is not None:
                    _add(
                        found,
                        text,
                        open_at[0] + open_at[1],
                        p,
                        open_at[0],
                        p,
                        carried and not _found_in_line(found, line),
                    )
                    open_at, carried = None, False
                continue
            if open_at is not None:
                continue  # single marks inside a double quote are nested quotes or apostrophes
            opens = m in "‘'" and (prev.isspace() or prev in "([—–-:" or p == line.start()) and nxt.isalnum()
            closes = m in "’'" and single_at is not None and not nxt.isalnum() and not prev.isspace()
            if closes:
                if p - single_at > 2:  # not rock 'n' roll
                    _add(found, text, single_at + 1, p, single_at, p, False)
                single_at = None
            elif opens and single_at is None:
                single_at = p
        if open_at is not None:  # runs to the end of the paragraph
            following = text[line.end() :].lstrip()
            _add(found, text, open_at[0] + open_at[1], line.end(), open_at[0], None, carried)
            carried = following[:1] in "“\"«'‘" and bool(following)
            if found and found[-1].mark_open == open_at[0]:
                found[-1].mark_close = None if carried else line.end()
        else:
            carried = False
    return found


def _found_in_line(found: list[_Raw], line: re.Match) -> bool:
    return bool(found) and found[-1].start >= line.start()


def _add(found: list[_Raw], text: str, start: int, end: int, mark_open: int, mark_close, continued: bool) -> None:
    while start < end and (text[start].isspace() or text[start] in "…"):
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if Quote.fits(text, start, end) and any(c.isalpha() for c in text[start:end]):
        found.append(_Raw(start, end, mark_open, mark_close, continued))
