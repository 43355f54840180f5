"""Time expressions, resolved against the article's own date.

The anchor is the dateline's date, else the publication date, else the latest
full date printed in the text; a caller may supply a fallback (the dates of
the other articles ingested with it). A weekday name is the latest such day on
or before the anchor ("on Friday" in a Friday dispatch is that Friday; "last
Friday" is strictly before it); "last month", "this week", "earlier this
week", "N days ago", "yesterday" move from it; "in February 2022" and "Sept. 5"
(the year taken from the anchor, or the year before when the date would
otherwise lie months ahead of it) need no anchor beyond the year.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from ..ingest.dates import DATE_RE, parse_date
from ..model import Article, TimeExpr, day_of_iso

_MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
# ingest.dates.MONTH matches in any case; here a capital is required, so "may 5" in running text is no date
_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_COUNT = r"(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|a|an)"
_COUNTS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
}

PATTERNS = [
    ("calendar", re.compile(DATE_RE.pattern, re.I)),
    (
        "month_day",
        re.compile(
            rf"\b(?:{_MONTH}\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?|(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH})(?!,?\s*\d{{4}})\b"
        ),
    ),
    ("month_year", re.compile(rf"\b{_MONTH}\s*,?\s+(?P<year>(?:19|20)\d{{2}})\b")),
    (
        "year",
        re.compile(
            r"\b(?:in|since|by|until|of|from|before|after|during)\s+(?P<year>(?:19|20)\d{2})\b(?!\s*(?:percent|%|people|troops))"
        ),
    ),
    ("weekday", re.compile(rf"\b(?:(?P<which>last|next|this|on|earlier|late|early)\s+)?(?P<day>{_WEEKDAY})\b")),
    (
        "relative_day",
        re.compile(r"\b(?P<word>today|yesterday|tomorrow|tonight|this morning|this afternoon|this evening)\b", re.I),
    ),
    (
        "relative_span",
        re.compile(r"\b(?P<which>(?:earlier|later)\s+this|last|this|next|past)\s+(?P<unit>week|month|year)\b", re.I),
    ),
    ("ago", re.compile(rf"\b(?P<n>{_COUNT})\s+(?P<unit>day|week|month|year)s?\s+ago\b", re.I)),
]


def anchor_date(article: Article, fallback: date | None = None) -> tuple[date | None, str | None]:
    """The date relative expressions are resolved against, and where it came from."""
    if day_of_iso(article.dateline.date):  # a stored value is trusted only when it is a sane date
        return day_of_iso(article.dateline.date), "dateline"
    if day_of_iso(article.published):
        return day_of_iso(article.published), "published"
    printed = [parse_date(m.group()) for m in DATE_RE.finditer(article.text)]
    printed = [d.date() for d in printed if d and day_of_iso(d.date().isoformat())]
    if printed:
        return max(printed), "text"
    if fallback:
        return fallback, "batch"
    return None, None


def _weekday_value(anchor: date, day: int, which: str | None) -> date:
    back = (anchor.weekday() - day) % 7
    if which == "next":
        return anchor + timedelta(days=(day - anchor.weekday()) % 7 or 7)
    if which == "last" and back == 0:
        back = 7
    return anchor - timedelta(days=back)


def _month_shift(anchor: date, months: int) -> str:
    index = anchor.year * 12 + anchor.month - 1 + months
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def resolve(shift: str, anchor: date) -> str:
    """Apply a stored shift to an anchor date.

    Example:
        >>> resolve("month:-1", date(2025, 9, 5)), resolve("weekday:thursday", date(2025, 9, 5))
        ('2025-08', '2025-09-04')
    """
    kind, _, arg = shift.partition(":")
    if kind == "day":
        return (anchor + timedelta(days=int(arg))).isoformat()
    if kind == "weekday":
        which, _, day = arg.rpartition("-")
        return _weekday_value(anchor, _WEEKDAYS.index(day), which or None).isoformat()
    if kind == "week":
        monday = anchor - timedelta(days=anchor.weekday()) + timedelta(weeks=int(arg))
        year, week, _ = monday.isocalendar()
        return f"{year}-W{week:02d}"
    if kind == "month":
        return _month_shift(anchor, int(arg))
    if kind == "year":
        return str(anchor.year + int(arg))
    if kind == "monthday":
        month, day = (int(x) for x in arg.split("-"))
        when = date(anchor.year, month, min(day, 28 if month == 2 else 30 if month in (4, 6, 9, 11) else 31))
        if (when - anchor).days > 60:
            when = when.replace(year=anchor.year - 1)
        return when.isoformat()
    raise ValueError(f"unknown shift {shift!r}")


def find_times(article: Article, anchor: date | None) -> list[TimeExpr]:
    """Every time expression in the article, resolved where an anchor exists."""
    text = article.text
    taken: list[tuple[int, int]] = []
    found = []
    for kind, pattern in PATTERNS:
        for m in pattern.finditer(text):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            made = _read(kind, m, anchor)
            if made is None:
                continue
            value, grain, shift = made
            start, end = m.start(), m.end()
            while text[end - 1] in ".,":
                end -= 1
            if kind == "weekday" and m.group("which") == "on":
                start = m.start("day")
            if not TimeExpr.fits(text, start, end):
                continue
            taken.append((start, end))
            found.append(TimeExpr.of(article, start, end, value=value, grain=grain, relative=bool(shift), shift=shift))
    return sorted(found, key=lambda t: t.start)


def _read(kind: str, m: re.Match, anchor: date | None) -> tuple[str, str, str] | None:
    def relative(shift: str, grain: str):
        return (resolve(shift, anchor) if anchor else "", grain, shift)

    if kind == "calendar":
        when = parse_date(m.group())
        return (when.date().isoformat(), "day", "") if when else None
    if kind == "month_day":
        month = _MONTHS.index(re.search(_MONTH, m.group()).group()[:3].lower()) + 1
        day = int(m.group("d1") or m.group("d2"))
        return relative(f"monthday:{month}-{day}", "day") if 1 <= day <= 31 else None
    if kind == "month_year":
        month = _MONTHS.index(m.group()[:3].lower()) + 1
        return (f"{m.group('year')}-{month:02d}", "month", "")
    if kind == "year":
        return (m.group("year"), "year", "")
    if kind == "weekday":
        which = (m.group("which") or "").lower()
        which = which if which in {"last", "next"} else ""
        return relative(f"weekday:{which + '-' if which else ''}{m.group('day').lower()}", "day")
    if kind == "relative_day":
        word = m.group("word").lower()
        offset = {"yesterday": -1, "tomorrow": 1}.get(word, 0)
        return relative(f"day:{offset}", "day")
    if kind == "relative_span":
        which = m.group("which").lower().split()[0]
        step = {"last": -1, "past": -1, "next": 1}.get(which, 0)
        unit = m.group("unit").lower()
        return relative(f"{unit}:{step}", unit)
    if kind == "ago":
        n = m.group("n").lower()
        count = int(n) if n.isdigit() else _COUNTS[n]
        unit = m.group("unit").lower()
        if unit == "day":
            return relative(f"day:{-count}", "day")
        if unit == "week":
            return relative(f"day:{-7 * count}", "day")
        return relative(f"{unit}:{-count}", unit)
    return None
