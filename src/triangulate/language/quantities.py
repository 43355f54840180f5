"""Quantities: numerals and number words with what they count and how exact they are.

"Twenty-six", "two dozen" (24, approximate), "tens of thousands" (a range),
"three-and-a-half years", "more than 100" (a lower bound), "$142 billion",
"16 kilometers". Years, days of the month and clock times are dates, not
quantities, and are left to the time expressions.
"""

from __future__ import annotations

import re

from ..ingest.dates import MONTH
from ..model import Article, Quantity

SMALL = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000, "trillion": 10**12}
_ABBREVIATED = {"k": 1_000, "m": 1_000_000, "mn": 1_000_000, "bn": 1_000_000_000, "b": 1_000_000_000, "tn": 10**12}
UNITS = {
    "percent": "%", "per cent": "%", "%": "%", "kilometers": "km", "kilometres": "km", "km": "km", "miles": "mi",
    "mile": "mi", "meters": "m", "metres": "m", "kilometer": "km", "kilometre": "km", "tons": "t", "tonnes": "t",
    "barrels": "bbl", "years": "year", "year": "year", "months": "month", "month": "month", "weeks": "week",
    "week": "week", "decades": "decade", "decade": "decade", "centuries": "century",
    "days": "day", "day": "day", "hours": "hour", "hour": "hour", "minutes": "minute",
    "dollars": "USD", "euros": "EUR", "pounds": "GBP", "rubles": "RUB", "roubles": "RUB", "yuan": "CNY",
}  # fmt: skip
CURRENCY = {"$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "US$": "USD"}
_WORD = "|".join(sorted([*SMALL, *SCALES, "dozen", "dozens"], key=len, reverse=True))
_BOUND = (
    r"(?P<bound>more\s+than|over|at\s+least|upwards\s+of|fewer\s+than|less\s+than|under|up\s+to|at\s+most|"
    r"as\s+many\s+as|nearly|almost|about|around|roughly|some|approximately|an\s+estimated|close\s+to)\s+"
)
# "31,000" and "6.1", also as a converter spaces them out ("31, 000", "6. 1")
_NUMERAL = r"\d{1,3}(?:, ?\d{3}(?!\d))+(?:\.\d+)?|\d{1,3}\. \d+(?![\d,])|\d+(?:\.\d+)?"
_WORDS = rf"(?:a\s+)?(?:{_WORD})(?:(?:\s+|-)(?:and(?:\s+|-)(?:a(?:\s+|-))?)?(?:{_WORD}|half))*"
_VAGUE = (
    r"(?P<vague>tens|hundreds|thousands|millions|billions|dozens)\s+of\s+"
    r"(?:(?P<vscale>thousands|millions|billions)\b(?:\s+of\s+)?)?"
)
QUANTITY = re.compile(
    rf"(?<![\w.,])(?:{_BOUND})?(?:(?P<cur>US\$|[$€£¥])\s?)?"
    rf"(?:{_VAGUE}|(?P<num>{_NUMERAL})|(?P<words>{_WORDS}))"
    rf"(?:\s*(?P<scale>hundred|thousand|million|billion|trillion|bn|mn|tn|[kmb])\b)?"
    rf"(?:\s*(?P<pct>%|percent\b|per\s+cent\b))?",
    re.I,
)
_NOUN = re.compile(r"\s*(?:-\s*)?(?:of\s+(?:the\s+|its\s+|their\s+)?)?((?:[a-z][\w’'-]*\s+){0,2}?)([a-z][\w’'-]*)")
_NEXT = re.compile(r"\s+([a-z][\w’'-]*)")
_STOP = frozenset(
    [
        "of",
        "the",
        "a",
        "an",
        "and",
        "or",
        "to",
        "in",
        "on",
        "at",
        "for",
        "from",
        "by",
        "with",
        "as",
        "that",
        "who",
        "which",
        "than",
        "was",
        "were",
        "is",
        "are",
        "be",
        "been",
        "have",
        "has",
        "had",
        "rather",
        "more",
        "less",
        "times",
        "per",
        "each",
        "about",
        "after",
        "before",
        "into",
        "over",
        "under",
        "since",
        "during",
        "ago",
        "later",
        "earlier",
        "would",
        "will",
        "could",
        "can",
        "may",
        "might",
        "should",
        "must",
        "not",
        "also",
        "only",
        "just",
        "still",
        "even",
    ]
)
_ADJECTIVE = re.compile(
    r"(?:an|ese|ish|al|ic|ive|ous|ful|less|ern|ary|ed)$|^(?:foreign|new|other|key|major|senior|small|large|big|more|additional|young|old|armed|civilian)$"
)
_VAGUE_RANGE = {"dozens": (24, 132), "tens": (20, 99), "hundreds": (200, 999), "thousands": (2_000, 9_999),
                "millions": (2_000_000, 9_999_999), "billions": (2 * 10**9, 9_999_999_999)}  # fmt: skip


def words_value(words: str) -> float | None:
    """The value of number words.

    Example:
        >>> words_value("Twenty-six"), words_value("two dozen"), words_value("three-and-a-half")
        (26.0, 24.0, 3.5)
    """
    tokens = [t for t in re.split(r"[\s-]+", words.lower()) if t and t not in {"and", "a"}]
    if not tokens:
        return None
    total, current = 0.0, 0.0
    for token in tokens:
        if token in SMALL:
            current += SMALL[token]
        elif token in ("dozen", "dozens"):
            current = (current or 1) * 12
        elif token == "half":
            current += 0.5
        elif token == "hundred":
            current = (current or 1) * 100
        elif token in SCALES:
            total += (current or 1) * SCALES[token]
            current = 0
        else:
            return None
    return total + current


def find_quantities(article: Article) -> list[Quantity]:
    """Every quantity in the article."""
    text = article.text
    found = []
    for m in QUANTITY.finditer(text):
        made = _read(text, m)
        if made and Quantity.fits(text, made[0], made[1]):
            start, end, fields = made
            found.append(Quantity.of(article, start, end, **fields))
    return found


def _read(text: str, m: re.Match):
    bound = re.sub(r"\s+", " ", (m.group("bound") or "").lower())
    scale = (m.group("scale") or "").lower()
    multiplier = SCALES.get(scale) or _ABBREVIATED.get(scale, 1)
    if scale in {"k", "m", "b"} and not m.group("cur") and not m.group("num"):
        return None
    approximate = bound in {
        "about",
        "around",
        "roughly",
        "some",
        "approximately",
        "an estimated",
        "close to",
        "nearly",
        "almost",
    }
    low = high = None
    if m.group("vague"):
        vague = m.group("vague").lower()
        lo, hi = _VAGUE_RANGE[vague]
        factor = SCALES[m.group("vscale").lower()[:-1]] if m.group("vscale") else 1
        low, high, value, approximate = lo * factor, hi * factor, lo * factor * 2, True
    elif m.group("num"):
        value = float(m.group("num").replace(",", "").replace(" ", "")) * multiplier
        if _is_date_or_time(text, m):
            return None
    else:
        words = m.group("words")
        if re.fullmatch(r"(?i)(?:a\s+)?(?:one|hundred|thousand|million|billion|trillion)", words.strip()):
            return None  # "one of them", "a thousand" alone: a pronoun or a figure of speech
        value = words_value(words)
        if value is None:
            return None
        value *= multiplier
        approximate = approximate or "dozen" in words.lower()
    if bound in {"more than", "over", "at least", "upwards of"}:
        low = value
    elif bound in {"fewer than", "less than", "under", "up to", "at most", "as many as", "nearly", "almost"}:
        high = value
    end = m.end()
    unit = CURRENCY.get(m.group("cur") or "") or ("%" if m.group("pct") else None)
    counted = None
    noun = _NOUN.match(text, end)
    if noun and not unit:
        head = noun.group(2).lower()
        phrase = " ".join(w.lower() for w in noun.group(1).split()) + head
        if head in UNITS or phrase in UNITS:
            unit = UNITS.get(phrase) or UNITS[head]
            end = noun.end()
        elif head not in _STOP and not any(w.lower() in _STOP for w in noun.group(1).split()):
            counted, end = head, noun.end()
            for _ in range(2):  # "thousands of foreign troops": step past adjectives to the noun
                following = _NEXT.match(text, end)
                if not (_ADJECTIVE.search(counted) and following and following.group(1) not in _STOP):
                    break
                counted, end = following.group(1).lower(), following.end()
    elif noun and unit and noun.group(2).lower() not in _STOP and not noun.group(1).strip():
        counted = noun.group(2).lower()
    start = m.start()
    while end > start and not text[end - 1].isalnum() and text[end - 1] not in "%":
        end -= 1
    return (
        start,
        end,
        {
            "value": value,
            "unit": unit,
            "counted": counted,
            "approximate": approximate,
            "low": low,
            "high": high,
        },
    )


def _is_date_or_time(text: str, m: re.Match) -> bool:
    number = m.group("num")
    before = text[max(0, m.start() - 12) : m.start()]
    after = text[m.end() : m.end() + 3]
    if re.search(rf"(?i)\b{MONTH}\s*$", before):
        return True  # "Sept. 5"
    if re.match(rf"\s*(?:st|nd|rd|th)?\s+(?:of\s+)?(?i:{MONTH})", text[m.end() :]):
        return True  # "5 September"
    if re.match(r"[:/]\d", after) or re.search(r"[:/]$", before):
        return True  # 10:30, 09/05
    if re.match(r"\s*[ap]\.?m\b", text[m.end() : m.end() + 6], re.I):
        return True  # 2 p.m.
    if re.fullmatch(r"(?:1[89]|20)\d\d", number) and not m.group("cur") and not m.group("bound"):
        return not re.match(r"\s+(?:[a-z]+s)\b", text[m.end() : m.end() + 20])  # "in 2022" but not "2000 troops"
    return False
