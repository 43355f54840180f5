"""The SQLite store: idempotent adds, reopening, migrations, no half-written rows."""

import sqlite3

import pytest

from triangulate.errors import StoreError
from triangulate.store import open_store


def test_adding_twice_is_a_no_op_and_survives_reopening(tmp_path, seeds):
    path = str(tmp_path / "t.db")
    store = open_store(path)
    articles = [a for page in seeds.values() for a in page]
    assert all(store.add_article(a) for a in articles)
    assert not any(store.add_article(a) for a in articles)
    store.close()
    again = open_store(f"sqlite:///{path}")
    assert again.count() == len(articles) == 7
    first = seeds["000"][0]
    assert again.article(first.id) == first  # every field round-trips
    assert again.article(first.id[:8]).id == first.id
    again.close()


def test_unknown_and_ambiguous_ids_say_what_to_do(seeds):
    store = open_store(":memory:")
    with pytest.raises(KeyError, match="triangulate articles"):
        store.article("ffff")
    for page in seeds.values():
        for a in page:
            store.add_article(a)
    with pytest.raises(KeyError, match="several"):
        store.article("")


def test_a_failed_write_leaves_nothing_behind(seeds, monkeypatch):
    store = open_store(":memory:")
    good, bad = seeds["002"][0], seeds["003"][0].with_meta(title=None)  # NOT NULL title fails
    with pytest.raises(sqlite3.IntegrityError):
        store.add_article(bad)
    assert store.count() == 0
    assert store.add_article(good) and store.count() == 1


def test_a_newer_schema_or_a_non_database_is_refused(tmp_path):
    newer = tmp_path / "newer.db"
    sqlite3.connect(newer).execute("PRAGMA user_version = 99")
    with pytest.raises(StoreError, match="upgrade triangulate"):
        open_store(str(newer))
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not a database at all" * 100)
    with pytest.raises(StoreError, match="SQLite file"):
        open_store(str(junk))


def test_analysis_and_entity_registry_round_trip(tmp_path, seeds):
    from triangulate.language import VERSION, analyse

    path = tmp_path / "a.db"
    store = open_store(str(path))
    article = seeds["000"][0]
    store.add_article(article)
    assert [a.id for a in store.unanalysed(VERSION)] == [article.id]
    analysis = analyse(article)
    store.save_analysis(analysis)
    store.save_analysis(analysis)  # saving again replaces, never duplicates
    store.close()
    store = open_store(str(path))
    assert store.analysis(article.id) == analysis
    assert store.unanalysed(VERSION) == []
    putin = store.entities()["per:vladimir-putin"]
    assert putin.name == "Vladimir Putin" and "Russian President" in putin.roles
    count = store.db.execute("SELECT count FROM mentions WHERE entity_id = 'per:vladimir-putin'").fetchone()[0]
    assert count >= 4  # Putin, Vladimir Putin (twice), Russian President Vladimir Putin
