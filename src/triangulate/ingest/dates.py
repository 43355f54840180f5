"""Finding and reading the dates that news pages print, in the formats they print them."""

from __future__ import annotations

import re
from datetime import date, datetime

MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_WEEKDAY = r"(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|nesday|sday|urday)?\.?,?"
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_CALENDAR = (
    rf"(?:{MONTH}\s+{_DAY},?\s+\d{{4}}"  # September 06, 2025
    rf"|{_DAY}\s+(?:of\s+)?{MONTH},?\s+\d{{4}}"  # 6 September 2025
    r"|\d{1,2}[/.]\d{1,2}[/.]\d{4}"  # 09/05/2025
    r"|\d{4}-\d{2}-\d{2})"  # 2025-09-05
)
_TIME = (
    r"(?:\s*(?:[,|·•–—-]|at|@|T)?\s*\d{1,2}(?:: ?|\.)\d{2}(?:[:.]\d{2})?(?:\.\d+)?"
    r"(?:\s*[ap]\.?m\.?)?(?:\s*(?:[A-Z]{2,4}\b|[+-]\d{2}:?\d{2}|Z\b))?)?"
)
DATE_RE = re.compile(rf"(?:{_WEEKDAY}\s*)?{_CALENDAR}{_TIME}", re.I)
_LABEL = r"(?:(?:first\s+)?published|updated|last\s+updated|posted|date)(?:\s+on)?\s*:?\s*"
DATE_LINE = re.compile(rf"^\s*(?:{_LABEL})?(?P<date>{DATE_RE.pattern})", re.I)
_NUMERIC = re.compile(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})")
_WEEKDAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _dateparser():
    import dateparser  # imported on first use: it takes half a second to load

    return dateparser


_WHEN_WORDS = re.compile(
    r"^(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|january|february|march|april|june|july|august|"
    r"september|october|november|december|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun|monday|tuesday|wednesday|"
    r"thursday|friday|saturday|sunday|am|pm|a\.?m|p\.?m|a|p|m|st|nd|rd|th|at|on|of|last|updated|posted|published|"
    r"modified|date|time|[A-Z]{2,4})\.?$",
)
_STAMP_START = re.compile(
    r"^\s*(?:(?:last\s+)?(?:updated|posted|published|modified)\b|(?:at\s+|@\s*)?\d{1,2}(?:: ?|\.)\d{2}\b)", re.I
)


def is_timestamp(line: str) -> bool:
    """True for a line that only says when (a date line, "9: 53 AM, MON 22 JUL 2013", "Updated 1:32 PM PDT"):
    page furniture, never a title, an outlet or a claim.

    Example:
        >>> is_timestamp("Posted: Nov 27, 2005 8:20 AM ET"), is_timestamp("12 January 2010 @ 09: 29 pm")
        (True, True)
        >>> is_timestamp("Updated rules take effect on 5 May 2025 for all drivers")
        False
    """
    if not re.search(r"\d", line):
        return False
    dated = DATE_LINE.match(line)
    if not dated and not _STAMP_START.match(line):
        return False
    rest = line[dated.end() :] if dated else line
    words = re.findall(r"[A-Za-z][A-Za-z.]*", rest)
    other = [w for w in words if not _WHEN_WORDS.match(w) and not _WHEN_WORDS.match(w.lower())]
    return len(other) < (3 if dated else 1)


def parse_date(text: str) -> datetime | None:
    """Read one printed date (with optional weekday and time) as a datetime.

    An all-numeric date is read month-first unless a printed weekday says it
    must be day-first, or the first number cannot be a month.

    Example:
        >>> parse_date("Fri, 09/05/2025 – 09:20")
        datetime.datetime(2025, 9, 5, 9, 20)
        >>> parse_date("Thu, 04/09/2025")  # a Thursday only when read day-first
        datetime.datetime(2025, 9, 4, 0, 0)
        >>> parse_date("12 January 2010 @ 09: 29 pm")
        datetime.datetime(2010, 1, 12, 21, 29)
    """
    order = "MDY"
    numeric = _NUMERIC.search(text)
    if numeric:
        first, second, year = (int(g) for g in numeric.groups())
        weekday = re.match(r"\s*([a-z]{3})", text, re.I)
        wanted = (
            _WEEKDAY_NAMES.index(weekday.group(1).lower())
            if weekday and weekday.group(1).lower() in _WEEKDAY_NAMES
            else None
        )
        if first > 12 or (
            wanted is not None and _weekday(year, first, second) != wanted and _weekday(year, second, first) == wanted
        ):
            order = "DMY"
    cleaned = re.sub(r"(\d): (\d)", r"\1:\2", text.replace("–", " ").replace("—", " ").replace("|", " "))
    cleaned = cleaned.replace("@", " ")  # "12 January 2010 @ 09: 29 pm"
    settings = {"DATE_ORDER": order, "PREFER_DAY_OF_MONTH": "first", "REQUIRE_PARTS": ["year"]}
    try:
        return _dateparser().parse(cleaned, languages=["en"], settings=settings)
    except (ValueError, OverflowError):
        return None


def _weekday(year: int, month: int, day: int) -> int | None:
    try:
        return date(year, month, day).weekday()
    except ValueError:
        return None


def iso(moment: datetime) -> str:
    """ISO 8601 with seconds, and the offset where one is known."""
    return moment.isoformat(timespec="seconds")


_DAY_MONTH = re.compile(
    rf"^(?:(?P<d1>\d{{1,2}})\s+(?P<m1>{MONTH})|(?P<m2>{MONTH})\s+(?P<d2>\d{{1,2}}))(?:,?\s+(?P<y>\d{{4}}))?$",
    re.I,
)
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def resolve_day(text: str, anchor: datetime | None) -> str | None:
    """A printed day ("Sept 05", "5 September 2025") as an ISO date.

    Without a year, it is the latest such day on or before ``anchor`` plus one
    day (a dateline may be a day before its publication stamp, never long after).

    Example:
        >>> resolve_day("Sept 05", datetime(2025, 9, 6))
        '2025-09-05'
        >>> resolve_day("Dec 31", datetime(2026, 1, 1))
        '2025-12-31'
    """
    match = _DAY_MONTH.match(text.strip())
    if not match:
        return None
    month = _MONTHS.index((match.group("m1") or match.group("m2"))[:3].lower()) + 1
    day = int(match.group("d1") or match.group("d2"))
    year = match.group("y")
    if year:
        candidates = [int(year)]
    elif anchor:
        candidates = [anchor.year + 1, anchor.year, anchor.year - 1]
    else:
        return None
    for y in candidates:
        try:
            found = date(y, month, day)
        except ValueError:
            continue
        if year or anchor is None or (found - anchor.date()).days <= 1:
            return found.isoformat()
    return None
