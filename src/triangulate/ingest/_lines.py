"""Line-level cues of pasted news pages: boilerplate, logos, credits, names, headings."""

from __future__ import annotations

import re
from functools import cache

_BOILERPLATE = re.compile(
    r"^(?:share(?:\s+(?:if you like|this(?:\s+(?:article|story|page|post))?|on \w+))?"
    r"|leave a (?:comment|reply)|\d+\s+comments?|comments?|add a comment|post a comment"
    r"|advertisement|advertising|sponsored(?: content)?|story continues below(?: advertisement)?"
    r"|subscribe(?: now| today| to our newsletter)?|sign up(?: for [\w ]+)?|newsletter sign-?up"
    r"|follow us(?: on [\w ,&]+)?|click here(?: to [\w ]+)?|read more|continue reading"
    r"|related(?: (?:articles|stories|news|content|posts|coverage))?:?|recommended(?: for you)?"
    r"|most (?:read|popular|viewed)|trending(?: now)?|you may also like|more from [\w ]+"
    r"|all rights reserved\.?|(?:copyright|©)[^.]{0,80}|print(?: this (?:article|page))?"
    r"|email|e-mail|tweet|whatsapp|facebook|twitter|linkedin|telegram|reddit|pinterest"
    r"|listen(?: to)?(?: this)? (?:article|story)(?: \d+ min)?|\d+\s*min(?:ute)?s? read"
    r"|skip to (?:main )?content|back to top|top stories|image|photo|video|watch|loading\.*"
    r"|(?:photo|image|picture|file photo|credit)s?:.{0,120}|getty images|ap photo|reuters photo"
    r"|[|•·/\-–—_*=~#]+)$",
    re.I,
)
_LOGO = re.compile(r"^(?P<name>\S.{0,48}?)\s+logo$", re.I)
_READ_MORE = re.compile(
    r"(?:\s*(?:…|\.\.\.))?\s*(?:Read|READ) (?:[Mm]ore|MORE|the full (?:story|article))"
    r"|\s*Continue reading(?: the (?:story|article))?\W*$"
)
_READ_MORE_TAIL = re.compile(rf"(?:{_READ_MORE.pattern})\W*$")
_NAME_WORD = r"(?:[A-Z][a-z]+(?:[-'’][A-Z]?[a-z]+)*|[A-Z]\.|Mc[A-Z][a-z]+|de|van|von|al|bin)"
NAME_LINE = re.compile(rf"^(?:[Bb]y\s+)?(?P<name>{_NAME_WORD}(?:\s+{_NAME_WORD}){{1,3}})$")
BY_LINE = re.compile(
    rf"^[Bb]y\s+(?P<name>{_NAME_WORD}(?:\s+{_NAME_WORD}){{1,3}}(?:\s*(?:,|and|&)\s*{_NAME_WORD}"
    rf"(?:\s+{_NAME_WORD}){{1,3}})*)(?:\s*[,|·–—-]\s*(?P<credit>.{{2,60}}))?$"
)
_TERMINAL = ".!?…:;,"
_LABEL = re.compile(r"^[A-Z][A-Za-z]{1,20}:\s")
_SENTENCE = re.compile(r"[.!?][\"'”’)]*(?:\s|$)")
_GLUED_CASE = re.compile(r"\b([A-Z]?[a-z]{2,})([A-Z][a-z]{2,})\b")
_GLUED_STOP = re.compile(r"\b([a-z]{2,})\.([A-Z][a-z]{1,})\b")


def is_boilerplate(line: str) -> bool:
    """Whole lines that are site furniture, not article text."""
    return len(line) <= 160 and bool(_BOILERPLATE.match(line))


def logo_name(line: str) -> str | None:
    """ "FE Today Logo" → "FE Today"."""
    match = _LOGO.match(line)
    return match.group("name").strip() if match else None


def strip_read_more(line: str) -> tuple[str, bool]:
    """Cut a trailing "Read More" link, glued or not ("ZeroHedge NewsRead More")."""
    match = _READ_MORE_TAIL.search(line)
    if not match:
        return line, False
    return line[: match.start()].rstrip(" |·•–—-"), True


def words(line: str) -> int:
    return len(line.split())


def ends_sentence(line: str) -> bool:
    """Does the line end like running text (a full stop, not a headline's bare end)?"""
    tail = line.rstrip("\"'”’)»] ")
    return bool(tail) and tail[-1] in _TERMINAL


def is_headline(line: str, max_words: int = 30) -> bool:
    """A headline: a few words, starts like a title, no sentence-final stop."""
    n = words(line)
    first = line[:1]
    return (
        2 <= n <= max_words
        and len(line) <= 250
        and (first.isupper() or first.isdigit() or first in "\"'“‘")
        and not ends_sentence(line)
        and not _LABEL.match(line)
    ) or (n >= 2 and line.rstrip()[-1:] in "?!" and n <= max_words and first.isupper())


def sentences(line: str) -> int:
    return max(1, len(_SENTENCE.findall(line)))


def is_standfirst(line: str) -> bool:
    """A subtitle written as one or two sentences ("The Russian president thus responds…")."""
    return 4 <= words(line) <= 45 and sentences(line) <= 2 and line[:1].isupper() and not _LABEL.match(line)


def is_name(line: str) -> str | None:
    """A line that is only a person's name ("Tyler Durden", "By Jane Smith")."""
    match = BY_LINE.match(line) or NAME_LINE.match(line)
    return match.group("name") if match else None


def is_heading_fragment(line: str) -> bool:
    """Part of a heading broken over lines: short, no end punctuation."""
    return 1 <= words(line) <= 10 and not ends_sentence(line) and len(line) <= 90


@cache
def _zipf():
    from wordfreq import zipf_frequency  # loads its word list on first use

    return zipf_frequency


def _known(word: str, floor: float) -> bool:
    return _zipf()(word.lower(), "en") >= floor


def unglue(text: str) -> tuple[str, list[tuple[int, str]]]:
    """Split words that copy-paste glued together, where the join is certain.

    A join is split only when the glued form is not a word (wordfreq has never
    seen "barcelonavladimir", but knows "youtube" and "playstation") and both
    halves are common words. Returns the text and the (position, left part) of
    each split in the new text.

    Example:
        >>> unglue("BarcelonaVladimir Putin has again threatened Europe on YouTube.")[0]
        'Barcelona Vladimir Putin has again threatened Europe on YouTube.'
    """
    splits: list[tuple[int, str]] = []
    out: list[str] = []
    last = 0
    found = sorted([*_GLUED_CASE.finditer(text), *_GLUED_STOP.finditer(text)], key=lambda m: m.start())
    for match in found:
        left, right = match.group(1), match.group(2)
        dotted = match.re is _GLUED_STOP
        joined = left + right
        if match.start() < last or (not dotted and _known(joined, 1.0)):
            continue
        if not (_known(left, 3.0) and _known(right, 3.0)):
            continue
        if dotted and (_known(f"{left}.{right}", 1.0) or len(right) < 2):
            continue
        out.append(text[last : match.start()])
        position = sum(map(len, out))
        out.append(left + (". " if dotted else " ") + right)
        splits.append((position, left))
        last = match.end()
    out.append(text[last:])
    return "".join(out), splits
