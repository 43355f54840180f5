"""The gazetteer is built in a child interpreter and read back whole; a failed child means a build in process."""

import sys

from triangulate.ingest import places


def test_the_childs_index_is_the_one_built_here():
    apart = places._built_apart()
    assert apart is not None and len(apart) > 100_000
    assert apart == places._build()
    assert apart["kiev"].name == "Kyiv" and apart["moscow"].country == "RU"


def test_without_a_child_the_index_is_built_here(monkeypatch):
    monkeypatch.setattr(sys, "executable", "/nonexistent/python")
    assert places._built_apart() is None
    places.index.cache_clear()
    try:
        assert places.index()["vladivostok"].country == "RU"
    finally:
        places.index.cache_clear()
