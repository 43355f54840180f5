"""What only the SQLite store does: refusing a newer schema or a file that is not a database.

The behaviour both backends share is tested on both in ``test_backends.py``.
"""

import sqlite3

import pytest

from triangulate.errors import StoreError
from triangulate.store import open_store


def test_a_newer_schema_or_a_non_database_is_refused(tmp_path):
    newer = tmp_path / "newer.db"
    sqlite3.connect(newer).execute("PRAGMA user_version = 99")
    with pytest.raises(StoreError, match="upgrade triangulate"):
        open_store(str(newer))
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not a database at all" * 100)
    with pytest.raises(StoreError, match="SQLite file"):
        open_store(str(junk))


def test_open_stories_are_an_index_search_in_the_order_they_were_stored(tmp_path, seeds):
    """The clustering's neighbourhood is read through the index on ``last`` (not a scan of every story), in the
    order a scan gives (the order the stories were written), which the clustering's results follow."""
    from datetime import date

    from triangulate.model import Story

    store = open_store(str(tmp_path / "s.db"))
    ids = [a.id for group in seeds.values() for a in group]
    for group in seeds.values():
        for article in group:
            store.add_article(article)
    days = [date(2025, 9, 6), date(2025, 9, 2), None, date(2025, 9, 4), date(2025, 9, 3)]
    stories = [Story(f"s{i}", "t", (ids[i],), day, day) for i, day in enumerate(days)]
    store.save_stories(stories)
    assert [s.id for s in store.stories_since(date(2025, 9, 3))] == ["s0", "s3", "s4"]
    assert [s.id for s in store.stories_since(None)] == ["s0", "s1", "s3", "s4"]
    store.save_stories([Story("s1", "t", (ids[1],), date(2025, 9, 2), date(2025, 9, 9))])  # written again: last
    assert [s.id for s in store.stories_since(date(2025, 9, 3))] == ["s0", "s3", "s4", "s1"]
    statements = []
    store.db.set_trace_callback(statements.append)
    store.stories_since(date(2025, 9, 3))
    store.db.set_trace_callback(None)
    plan = store.db.execute(f"EXPLAIN QUERY PLAN {statements[0]}").fetchall()
    assert [row[-1] for row in plan] == ["SEARCH stories USING INDEX stories_last (last>?)"]
    store.close()
