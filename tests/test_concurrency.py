"""Two ``ingest`` processes and a reader on one SQLite file: nothing lost, no empty story, the same stories."""

import json
import sqlite3
import subprocess
import sys
import time

import pytest

from .conftest import ROOT

STORIES = 8


def items(data) -> list[dict]:
    """Left, centre and right items of the first AllSides stories, dated on the story's day, as JSONL records."""
    found = []
    with open(data / "allsides" / "stories.jsonl", encoding="utf-8") as handle:
        for line in handle:
            story = json.loads(line)
            sides = [story["news"].get(side) for side in ("left", "center", "right")]
            if not all(s and s.get("newBody") for s in sides):
                continue
            for side in sides:
                body = side["newBody"] if isinstance(side["newBody"], list) else [side["newBody"]]
                found.append(
                    {
                        "title": side["newsTitle"],
                        "text": "\n\n".join(body),
                        "outlet": side["newsSource"],
                        "published": story["date"],
                    }
                )
            if len(found) >= 3 * STORIES:
                break
    return found


def command(db, *args) -> list[str]:
    return [sys.executable, "-m", "triangulate.cli", "--db", str(db), *args]


def partition(db) -> set[frozenset]:
    with sqlite3.connect(db) as con:
        members: dict[str, set] = {}
        for article_id, story_id in con.execute("SELECT article_id, story_id FROM story_members"):
            members.setdefault(story_id, set()).add(article_id)
        sizes = dict(con.execute("SELECT id, size FROM stories"))
    assert {k: len(v) for k, v in members.items()} == sizes  # no story without its members
    return {frozenset(m) for m in members.values()}


@pytest.mark.slow
def test_two_writers_and_a_reader_give_the_stories_of_one_process(data, tmp_path):
    records = items(data)
    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"
    # every story has items in both files, so both writers place articles of the same stories
    first.write_text("\n".join(json.dumps(r) for i, r in enumerate(records) if i % 3 != 1))
    second.write_text("\n".join(json.dumps(r) for i, r in enumerate(records) if i % 3 == 1))

    alone = tmp_path / "alone.db"
    assert (
        subprocess.run(command(alone, "ingest", str(first), str(second)), cwd=ROOT, capture_output=True).returncode == 0
    )

    shared = tmp_path / "shared.db"
    subprocess.run(command(shared, "articles"), cwd=ROOT, check=True, capture_output=True)  # created, migrated
    writers = [
        subprocess.Popen(command(shared, "ingest", str(path)), cwd=ROOT, stderr=subprocess.PIPE, text=True)
        for path in (first, second)
    ]
    reads, started = 0, time.monotonic()
    while any(w.poll() is None for w in writers) and time.monotonic() - started < 300:
        listed = subprocess.run(command(shared, "stories", "--json"), cwd=ROOT, capture_output=True, text=True)
        assert listed.returncode == 0, listed.stderr
        assert all(story["article_ids"] for story in json.loads(listed.stdout or "[]"))
        briefs = subprocess.run(command(shared, "brief", "--all", "--format", "json"), cwd=ROOT, capture_output=True)
        assert b"Traceback" not in briefs.stderr, briefs.stderr[-800:]  # a story merged away meanwhile: one line
        reads += 1
    assert [w.wait(timeout=300) for w in writers] == [0, 0], [w.stderr.read()[-500:] for w in writers]
    with sqlite3.connect(shared) as con:
        assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == len(records)
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    concurrent, sequential = partition(shared), partition(alone)  # each checks that no story lacks its members
    # Stories are placed online, one article at a time: two writers take turns at the clustering lock, so an
    # article on the edge of two stories may meet them in another order than one process does. What must hold
    # is nothing lost and no story half-written; and once the store is clustered again from scratch (oldest
    # first), the stories are exactly those of one process.
    assert sum(map(len, concurrent)) == sum(map(len, sequential)) == len(records)
    for db in (shared, alone):
        subprocess.run(command(db, "recluster"), cwd=ROOT, check=True, capture_output=True)
    assert partition(shared) == partition(alone)
    assert reads >= 1
