"""``triangulate copy``: SQLite → PostgreSQL → SQLite loses nothing, and a copy that cannot be exact writes nothing."""

import json
import sqlite3

import pytest
from click.testing import CliRunner

from triangulate.cli import main
from triangulate.errors import StoreError
from triangulate.store import open_store
from triangulate.store.copy import TABLES, checksum, copy_store


def _tables(url: str) -> dict[str, str]:
    store = open_store(url)
    sums = {t: checksum(store, t) for t in TABLES}
    store.close()
    return sums


def test_a_store_goes_to_postgres_and_back_unchanged(seed_store, postgres_url, tmp_path):
    back = str(tmp_path / "back.db")
    there = copy_store(seed_store.path, postgres_url)
    again = copy_store(postgres_url, back)
    assert all(c.same for c in there + again)
    rows = {c.table: c.copied_rows for c in again}
    assert rows["articles"] == 7 and rows["analyses"] == 7 and rows["stories"] >= 2 and rows["vectors"] > 0
    assert _tables(seed_store.path) == _tables(postgres_url) == _tables(back)
    copied = open_store(postgres_url)
    assert copied.stories() == seed_store.stories()
    assert copied.entities() == seed_store.entities()
    assert [copied.analysis(a.id) for a in seed_store.articles()] == [
        seed_store.analysis(a.id) for a in seed_store.articles()
    ]
    copied.close()


def test_the_command_prints_every_table_and_its_checksum(seed_store, postgres_url):
    result = CliRunner().invoke(main, ["copy", seed_store.path, postgres_url, "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["same"] and [t["table"] for t in report["tables"]] == TABLES
    assert all(t["source_checksum"] == t["copied_checksum"] for t in report["tables"])
    again = CliRunner().invoke(main, ["copy", seed_store.path, postgres_url])
    said = " ".join(again.output.split())  # the terminal wraps the line
    assert again.exit_code == 1 and "already holds data (7 articles" in said and "new, empty store" in said


def test_a_missing_source_or_the_same_store_is_refused(tmp_path):
    with pytest.raises(StoreError, match="no SQLite store"):
        copy_store(str(tmp_path / "nothing.db"), str(tmp_path / "dst.db"))
    assert not (tmp_path / "nothing.db").exists()
    open_store(str(tmp_path / "a.db")).close()
    with pytest.raises(StoreError, match="the same store"):
        copy_store(str(tmp_path / "a.db"), str(tmp_path / "a.db"))


def test_a_row_postgres_cannot_hold_rolls_the_whole_copy_back(seeds, postgres_url, tmp_path):
    path = tmp_path / "nul.db"
    store = open_store(str(path))
    for page in seeds.values():
        for article in page:
            store.add_article(article)
    store.close()
    with sqlite3.connect(path) as con:  # a NUL character, as an older writer might have stored one
        con.execute("UPDATE articles SET byline = ? WHERE id = ?", ("A\x00B", seeds["003"][0].id))
    with pytest.raises(StoreError, match=r"cannot write a row of articles .*nothing was written"):
        copy_store(str(path), postgres_url)
    assert open_store(postgres_url).count() == 0
