"""The plain-text reader: a pasted news page → one article per story on it.

The page is read as lines. Site furniture goes first (logos, share buttons,
"Read More"); headings broken over two lines are rejoined; the header (title,
subtitle, date, byline, photo caption) and footer (byline, date, outlet credit,
empty headings) are lifted off; the dateline is read off the first paragraph;
glued words are split; and the body is cut into one segment per story where a
heading opens text about something else.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime

from ..errors import EmptyInput
from ..model import Article, Dateline
from . import _lines as L
from .dates import DATE_LINE, DATE_RE, is_timestamp, iso, parse_date, resolve_day
from .outlets import registry
from .segment import split_stories

_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
# zero-width characters, soft hyphens and control characters (terminal escapes among them)
_INVISIBLE = re.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad\x00-\x08\x0b-\x1f\x7f-\x9f]")
_MONTH_DAY = r"(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2}|\d{1,2}\s+[A-Z][a-z]{2,8}\.?)(?:,?\s+\d{4})?"
_DATELINE = re.compile(
    r"^(?P<place>[A-Z][A-Z.'’\-]+(?:\s+[A-Z][A-Z.'’\-]+){0,3}"
    r"|[A-Z][a-zà-ÿ]+(?:[\s-][A-Z][a-zà-ÿ]+){0,2})"
    r"(?:,\s*(?P<region>[A-Z][A-Za-z.]+(?:\s[A-Z][A-Za-z.]+)?))??"
    rf"(?:,?\s+(?P<date>{_MONTH_DAY}))?"
    r"\s*(?:\((?P<credit>[^()]{2,40})\))?"
    r"\s*(?P<sep>:|—|–|--|\s-)\s+"
)
_CREDIT_ONLY = re.compile(r"^\((?P<credit>[A-Z][^()]{1,40})\)\s*(?::|—|–|--|\s-)\s+")
_DOMAIN = re.compile(r"\b((?:[a-z0-9-]+\.)+(?:com|org|net|co\.uk|news|info|cat|[a-z]{2}))\b", re.I)


@dataclass
class Header:
    """What a page says about itself outside the article text."""

    title: str | None = None
    subtitle: str | None = None
    published: datetime | None = None
    byline: str | None = None
    outlet: str | None = None


def inline(value: str | None) -> str | None:
    """A metadata field on one line, with invisible and control characters removed."""
    if value is None:
        return None
    cleaned = _SPACES.sub(" ", _INVISIBLE.sub("", value.replace("\n", " "))).strip()
    return cleaned or None


def clean_lines(text: str) -> list[str]:
    """Lines with odd spaces folded, invisible characters dropped and furniture removed."""
    out = []
    for raw in _INVISIBLE.sub("", text).split("\n"):
        line = _SPACES.sub(" ", raw).strip()
        out.append("" if L.is_boilerplate(line) else line)
    return out


def rejoin_headings(lines: list[str]) -> list[str]:
    """Join a heading broken over lines ("Trump says will speak" / "with Putin soon")."""
    out: list[str] = []
    for line in lines:
        if line and line[0].islower() and L.is_heading_fragment(line):
            back = len(out) - 1
            while back >= 0 and not out[back]:
                back -= 1
            if back >= 0 and L.is_heading_fragment(out[back]) and out[back][0].isupper():
                out[back] = f"{out[back]} {line}"
                del out[back + 1 :]
                continue
        out.append(line)
    return out


def _date_line(line: str) -> tuple[datetime, str] | None:
    """A line that is only a date (and maybe an outlet credit glued after it)."""
    match = DATE_LINE.match(line)
    if not match:
        return None
    rest = line[match.end() :].strip(" |·•–—-,")
    rest = "" if is_timestamp(rest) else rest  # "Updated 1: 32 PM PDT" after the date: a time, not an outlet
    if L.words(rest) > 5 or L.ends_sentence(rest):
        return None
    moment = parse_date(match.group("date"))
    return (moment, rest) if moment else None


def _credit(line: str, header: Header) -> bool:
    """Take a date, outlet credit or logo from a header or footer line; True if used."""
    logo = L.logo_name(line)
    if logo:
        header.outlet = header.outlet or logo
        return True
    line, had_read_more = L.strip_read_more(line)
    found = _date_line(line)
    if found:
        moment, rest = found
        header.published = header.published or moment
        if rest:
            header.outlet = header.outlet or rest
        return True
    if had_read_more and line and L.words(line) <= 5 and not L.ends_sentence(line):
        header.outlet = header.outlet or line  # "ZeroHedge NewsRead More"
        return True
    return had_read_more and not line


def read_header(lines: list[str], known_title: str | None) -> tuple[Header, int]:
    """Lift title, subtitle, date, byline and captions off the top; return where the body starts."""
    header = Header(title=known_title)
    i, n = 0, len(lines)
    last = ""  # what the previous non-empty line was taken for
    while i < n:
        line = lines[i]
        if not line:
            i += 1
            continue
        rest = "\n".join(lines[i + 1 :])
        block_end = i + 1 >= n or not lines[i + 1]
        if _credit(line, header):
            last = "meta"
        elif L.BY_LINE.match(line) or (last == "meta" and L.is_name(line) and line not in rest):
            header.byline = header.byline or L.is_name(line)
            last = "meta"
        elif is_timestamp(line):
            header.published = header.published or parse_date(line)
            last = "meta"
        elif known_title and _same(line, known_title):
            last = "title"
        elif header.title is None and L.is_headline(line) and rest.strip():
            header.title, last = line, "title"
        elif L.words(line) <= 10 and not L.ends_sentence(line) and L.words(line) >= 2 and line in rest:
            pass  # a photo caption repeats a name the text uses ("Russian President Vladimir Putin")
        elif (
            last == "title"
            and not known_title
            and header.subtitle is None
            and rest.strip()
            and (L.is_headline(line, 40) or (block_end and L.is_standfirst(line)))
        ):
            header.subtitle, last = line, "subtitle"
        else:
            break
        i += 1
    return header, i


def _same(a: str, b: str) -> bool:
    def fold(s: str) -> str:
        return re.sub(r"\W+", " ", s).strip().casefold()

    return fold(a) == fold(b)


def read_footer(lines: list[str], start: int, header: Header) -> int:
    """Lift byline, date, credit and empty headings off the bottom; return where the body ends."""
    end = len(lines)
    credit_below = False
    while end > start:
        line = lines[end - 1]
        if not line:
            end -= 1
        elif _credit(line, header):
            credit_below = True
            end -= 1
        elif credit_below and L.is_name(line):
            header.byline = header.byline or L.is_name(line)
            end -= 1
        elif L.is_heading_fragment(line) and L.words(line) <= 4 and line[:1].isupper():
            end -= 1  # a heading with nothing under it ("Sources")
        else:
            break
    return end


def read_dateline(paragraph: str, glued: list[tuple[int, str]], anchor: datetime | None) -> tuple[Dateline, str]:
    """Read "MOSCOW, Sept 05 (Agencies): …" off the first paragraph, or a place glued to it."""
    if glued and glued[0][0] == 0 and _is_place(glued[0][1]):
        place = glued[0][1]
        return Dateline(place=place, raw=place), paragraph[len(place) :].lstrip()
    credit_only = _CREDIT_ONLY.match(paragraph)
    if credit_only:  # "(Reuters) — The New York State Attorney General …"
        raw = credit_only.group(0).strip()
        return Dateline(credit=credit_only.group("credit"), raw=raw), paragraph[credit_only.end() :]
    match = _DATELINE.match(paragraph)
    if not match:
        return Dateline(), paragraph
    place, date, credit = match.group("place"), match.group("date"), match.group("credit")
    upper = place.isupper() and len(place) > 2
    if not (upper or date or credit) or not _is_place(place):
        return Dateline(), paragraph
    pretty = place.title() if upper else place
    resolved = resolve_day(date, anchor) if date else None
    raw = match.group(0).strip()
    return Dateline(place=pretty, date=resolved, credit=credit, raw=raw), paragraph[match.end() :]


def _is_place(name: str) -> bool:
    from .places import is_place

    return is_place(name)


def _page_id(text: str) -> str:
    return hashlib.sha256(re.sub(r"\s+", " ", text).strip().encode()).hexdigest()[:16]


def read_text(
    text: str,
    *,
    item: str,
    title: str | None = None,
    outlet: str | None = None,
    url: str | None = None,
    published: str | None = None,
    byline: str | None = None,
    language: str | None = None,
    origin: str | None = None,
    split: bool = True,
) -> list[Article]:
    """Read one pasted page of news text into one article per story on it.

    Metadata given by the caller (from HTML, a feed or JSONL) wins over what the
    text itself shows.

    Example:
        >>> page = "Putin warns West\\n\\nMOSCOW, Sept 05 (Agencies): Putin spoke on Friday."
        >>> a = read_text(page, item="x.txt", published="2025-09-06")[0]
        >>> a.title, a.dateline.place, a.dateline.date, a.text
        ('Putin warns West', 'Moscow', '2025-09-05', 'Putin spoke on Friday.')
    """
    title, outlet, url, published, byline, origin = map(inline, (title, outlet, url, published, byline, origin))
    if title and is_timestamp(title):
        text, title = f"{title}\n\n{text}", None  # a date given as the title is the page's date line
    lines = rejoin_headings(clean_lines(text))
    header, start = read_header(lines, title)
    end = read_footer(lines, start, header)
    paragraphs = [line for line in lines[start:end] if line]
    if not paragraphs:
        raise EmptyInput(
            "no article text found after removing headings and site furniture; "
            "check that the file holds the article itself",
            item=item,
        )
    anchor = _anchor(published) or header.published
    ungled = [L.unglue(p) for p in paragraphs]
    paragraphs = [p for p, _ in ungled]
    dateline, paragraphs[0] = read_dateline(paragraphs[0], ungled[0][1], anchor)
    outlet_name = registry().canonical(outlet or header.outlet or _domain_hint(lines), url)
    when = _as_iso(published) or (iso(header.published) if header.published else None)
    page_id = _page_id(text)
    stories = split_stories(paragraphs) if split else [(None, paragraphs)]
    articles = []
    for index, (heading, body) in enumerate(stories):
        first = index == 0
        articles.append(
            Article.build(
                "\n\n".join(body),
                title=(header.title if first else heading),
                subtitle=header.subtitle if first else None,
                outlet=outlet_name,
                url=url,
                published=when,
                byline=byline or header.byline,
                dateline=dateline if first else Dateline(),
                language=language or detect_language("\n\n".join(body)),
                page_id=page_id,
                segment=index,
                origin=origin,
                source=item,
            )
        )
    return articles


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language (py3langid), or None for too little text."""
    if sum(ch.isalpha() for ch in text[:400]) < 20:
        return None
    import py3langid  # loads its model on first use

    return py3langid.classify(text[:1000])[0]


def _anchor(published: str | None) -> datetime | None:
    if not published:
        return None
    try:
        return datetime.fromisoformat(published)
    except ValueError:  # only a printed date: "tomorrow" must not become whatever day this runs on
        return parse_date(published) if DATE_RE.search(published) else None


def _as_iso(published: str | None) -> str | None:
    """A given publication date as ISO 8601 when it is a date in a printed format; else as given (the door judges)."""
    moment = _anchor(published)
    if moment is None or not published:
        return published
    try:
        datetime.fromisoformat(published)
        return published
    except ValueError:
        return iso(moment)


def _domain_hint(lines: list[str]) -> str | None:
    """An outlet named by a known domain printed at the top or bottom of the page."""
    edges = [line for line in lines if line][:6] + [line for line in lines if line][-6:]
    for line in edges:
        for match in _DOMAIN.finditer(line):
            found = registry().by_url(match.group(1))
            if found:
                return found.name
    return None
