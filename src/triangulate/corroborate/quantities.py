"""Quantities compared within their precision.

Each quantity stands for an interval of the values its words allow: "more than
100" is [100, ∞), "two dozen" (approximate) is 24 ± 15 %, a bare "26" is 26
give or take rounding. Two quantities *agree* when their intervals meet and
*disagree* when they do not; quantities of different things ("26 countries"
and "16 kilometers") are not comparable at all.
"""

from __future__ import annotations

import math

from ..model import Quantity

APPROXIMATE = 0.15  # "about", "some", "two dozen": this far either side of the value
EXACT = 0.005  # printed numbers are rounded: allow half a percent

# counted nouns that name the same thing ("26 countries" / "26 nations")
SAME_THING = {
    "nation": "country",
    "state": "country",
    "troop": "soldier",
    "serviceman": "soldier",
    "people": "person",
    "individual": "person",
}


def interval(q: Quantity) -> tuple[float, float]:
    """The values the quantity's words allow.

    Example:
        >>> interval(Quantity("a", 0, 1, "x", value=24, approximate=True))
        (20.4, 27.6)
        >>> interval(Quantity("a", 0, 1, "x", value=100, low=100))
        (100, inf)
    """
    if q.low is not None or q.high is not None:
        return (q.low if q.low is not None else -math.inf, q.high if q.high is not None else math.inf)
    spread = abs(q.value) * (APPROXIMATE if q.approximate else EXACT)
    return (round(q.value - spread, 6), round(q.value + spread, 6))


def thing(q: Quantity) -> str | None:
    """What a quantity measures or counts, singular and canonical: "countries" → "country"."""
    if q.unit:
        return q.unit.lower()
    if not q.counted:
        return None
    word = q.counted.lower().split()[-1]
    if word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith("s") and not word.endswith("ss"):
        word = word[:-1]
    return SAME_THING.get(word, word)


def agree(a: Quantity, b: Quantity) -> bool | None:
    """True when two quantities of the same thing are compatible, False when they conflict, None if not comparable.

    Example:
        >>> def q(value, **kind):
        ...     return Quantity("a", 0, 1, "x", value=value, **kind)
        >>> agree(q(24, counted="countries", approximate=True), q(26, counted="nations"))
        True
        >>> agree(q(35, counted="countries"), q(26, counted="countries"))
        False
        >>> agree(q(16, unit="km"), q(26, counted="countries")) is None
        True
    """
    kind = thing(a)
    if kind is None or kind != thing(b):
        return None
    (low_a, high_a), (low_b, high_b) = interval(a), interval(b)
    return low_a <= high_b and low_b <= high_a
