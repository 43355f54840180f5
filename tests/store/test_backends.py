"""The store API behaves the same on SQLite and PostgreSQL: adds, ids, analyses, caches, stories, locks, schema."""

import json
import sys
import threading
import time
from datetime import date

import numpy as np
import pytest

from triangulate.config import Settings
from triangulate.errors import StoreError
from triangulate.model import Story
from triangulate.store import open_store


def _all(seeds) -> list:
    return [a for page in seeds.values() for a in page]


def test_adding_twice_is_a_no_op_and_survives_reopening(store_url, seeds):
    store = open_store(store_url)
    articles = _all(seeds)
    assert all(store.add_article(a) for a in articles)
    assert not any(store.add_article(a) for a in articles)
    store.close()
    again = open_store(store_url)
    assert again.count() == len(articles) == 7
    first = seeds["000"][0]
    assert again.article(first.id) == first  # every field round-trips
    assert again.article(first.id[:8]).id == first.id
    assert [a.id for a in again.articles(3)] == [a.id for a in again.articles()][:3]
    again.close()


def test_articles_are_listed_in_the_same_order_by_both_backends(tmp_path, postgres_url, seeds):
    stores = [open_store(str(tmp_path / "order.db")), open_store(postgres_url)]
    for store in stores:
        for article in _all(seeds):
            store.add_article(article)
    listed = [[a.id for a in store.articles()] for store in stores]
    assert listed[0] == listed[1]
    for store in stores:
        store.close()


def test_unknown_and_ambiguous_ids_say_what_to_do(store_url, seeds):
    store = open_store(store_url)
    with pytest.raises(KeyError, match="triangulate articles"):
        store.article("ffff")
    with pytest.raises(KeyError, match="triangulate articles"):
        store.article("%")
    for article in _all(seeds):
        store.add_article(article)
    with pytest.raises(KeyError, match="several"):
        store.article("")
    store.close()


def test_a_failed_write_leaves_nothing_behind(store_url, seeds):
    store = open_store(store_url)
    good, bad = seeds["002"][0], seeds["003"][0].with_meta(title=None)  # NOT NULL title fails
    with pytest.raises(Exception, match=r"(?i)not null|null value"):
        store.add_article(bad)
    assert store.count() == 0
    assert store.add_article(good) and store.count() == 1
    store.close()


def test_analysis_entities_and_caches_round_trip(store_url, seeds):
    from triangulate.language import VERSION, analyse

    store = open_store(store_url)
    article = seeds["000"][0]
    store.add_article(article)
    assert [a.id for a in store.unanalysed(VERSION)] == [article.id]
    analysis = analyse(article)
    store.save_analysis(analysis)
    store.save_analysis(analysis)  # saving again replaces, never duplicates
    store.save_vectors({"k1": np.arange(4, dtype=np.float32)})
    store.save_recognised({"r1": [[0, 5, "PERSON"]]})
    store.save_failure(article.id, "v0", "too slow")
    store.close()
    store = open_store(store_url)
    assert store.analysis(article.id) == analysis
    assert store.analysis("nope") is None
    assert store.unanalysed(VERSION) == []
    putin = store.entities()["per:vladimir-putin"]
    assert putin.name == "Vladimir Putin" and "Russian President" in putin.roles
    count = store.db.execute("SELECT count FROM mentions WHERE entity_id = 'per:vladimir-putin'").fetchone()[0]
    assert count >= 4  # Putin, Vladimir Putin (twice), Russian President Vladimir Putin
    assert store.vectors(["k1", "k2"])["k1"].tolist() == [0.0, 1.0, 2.0, 3.0]
    assert store.recognised(["r1", "r2"]) == {"r1": [(0, 5, "PERSON")]}
    assert store.failures() == {article.id: "too slow"}
    store.close()


def test_stories_are_written_replaced_and_found_by_day(store_url, seeds):
    store = open_store(store_url)
    ids = [a.id for a in _all(seeds)]
    for article in _all(seeds):
        store.add_article(article)
    early = Story("s-early", "Early", tuple(ids[:2]), date(2025, 9, 1), date(2025, 9, 2))
    late = Story("s-late", "Late", tuple(ids[2:5]), date(2025, 9, 5), date(2025, 9, 6))
    undated = Story("s-undated", "Undated", tuple(ids[5:]), None, None)
    store.save_stories([early, late, undated])
    assert [s.id for s in store.stories()] == ["s-late", "s-early", "s-undated"]
    assert store.story("s-la") == late and store.story_of(ids[0]) == "s-early"
    assert {s.id for s in store.stories_since(date(2025, 9, 3))} == {"s-late"}
    assert {s.id for s in store.stories_since(None, undated=5)} == {"s-early", "s-late", "s-undated"}
    merged = Story("s-late", "Late", tuple(ids[:5]), date(2025, 9, 1), date(2025, 9, 6))
    store.save_stories([merged], removed={"s-early"})
    assert [s.id for s in store.stories()] == ["s-late", "s-undated"] and store.story_of(ids[0]) == "s-late"
    assert [a.id for a in store.unclustered()] == []
    store.replace_stories([undated])
    assert [s.id for s in store.stories()] == ["s-undated"]
    assert len(store.unclustered()) == 5
    store.close()


def test_the_clustering_lock_lets_one_holder_in_at_a_time(store_url):
    first, second = open_store(store_url), open_store(store_url)
    order: list[str] = []

    def hold():
        with second.clustering():
            order.append("second")

    with first.clustering():
        waiting = threading.Thread(target=hold)
        waiting.start()
        time.sleep(0.5)
        order.append("first")
    waiting.join(timeout=10)
    assert order == ["first", "second"]
    first.close()
    second.close()


def test_both_backends_cluster_the_seeds_into_the_same_stories(tmp_path, postgres_url, seeds):
    from triangulate.language import analyse_stored
    from triangulate.stories.build import cluster_stored

    found = []
    for url in (str(tmp_path / "seeds.db"), postgres_url):
        store = open_store(url)
        for article in _all(seeds):
            store.add_article(article)
        analyse_stored(store)
        cluster_stored(store, Settings())
        found.append(
            ([(s.id, s.title, s.article_ids, s.first_seen, s.last_seen) for s in store.stories()], store.entities())
        )
        store.close()
    assert found[0] == found[1]


def test_a_newer_postgres_schema_or_a_server_that_is_not_there_is_refused(postgres_url, postgres_server):
    store = open_store(postgres_url)
    store.db.execute("UPDATE triangulate_schema SET version = 99")
    store.close()
    with pytest.raises(StoreError, match="upgrade triangulate"):
        open_store(postgres_url)
    with pytest.raises(StoreError, match=r"cannot connect to PostgreSQL .*createdb NAME"):
        open_store(postgres_server.url("no_such_database"))
    with pytest.raises(StoreError, match=r"\*\*\*@"):  # the password is never printed
        open_store("postgresql://user:secret@127.0.0.1:9/news?connect_timeout=2")


def test_a_missing_driver_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "psycopg", None)
    with pytest.raises(StoreError, match=r"pip install 'triangulate\[postgres\]'"):
        open_store("postgresql://localhost/news")


def test_the_cli_takes_a_postgres_url_from_the_environment_as_from_db(postgres_url, monkeypatch):
    from click.testing import CliRunner

    from triangulate.cli import main

    from ..conftest import SEEDS

    monkeypatch.setenv("TRIANGULATE_DB", postgres_url)
    stored = CliRunner().invoke(main, ["ingest", str(SEEDS), "--no-analysis"])
    assert stored.exit_code == 0 and "added 7" in stored.output
    listed = CliRunner().invoke(main, ["--db", postgres_url, "articles", "--json"])
    assert len(json.loads(listed.stdout)) == 7
