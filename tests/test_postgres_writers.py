"""Four ``ingest`` processes on one PostgreSQL database: every article stored once, the stories of one process."""

import json
import os
import subprocess
import sys

import pytest

from triangulate.store import open_store

from .conftest import DATA, ROOT, SEEDS
from .test_concurrency import items

WRITERS = 4


def sources(folder) -> list[str]:
    """One file per real article: AllSides items as JSONL (dated, with outlets), else the seed files."""
    if not (DATA / "allsides" / "stories.jsonl").is_file():
        return [str(p) for p in sorted(SEEDS.glob("*.txt"))]
    paths = []
    for number, record in enumerate(items(DATA)):
        path = folder / f"{number:03d}.jsonl"
        path.write_text(json.dumps(record) + "\n")
        paths.append(str(path))
    return paths


def ingest(url: str, paths: list[str]) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "TRIANGULATE_PROCESSES": "1"}
    command = [sys.executable, "-m", "triangulate.cli", "--db", url, "ingest", *paths]
    return subprocess.Popen(command, cwd=ROOT, env=env, stderr=subprocess.PIPE, text=True)


def partition(url: str) -> set[frozenset]:
    store = open_store(url)
    stories = store.stories()
    sizes = {r["id"]: r["size"] for r in store.db.execute("SELECT id, size FROM stories")}
    store.close()
    assert {s.id: len(s.article_ids) for s in stories} == sizes  # no story without its members
    return {frozenset(s.article_ids) for s in stories}


@pytest.mark.slow
def test_four_writers_store_each_article_once_and_give_the_stories_of_one(postgres_server, tmp_path):
    if not DATA.is_dir():
        print(f"evaluation data not found at {DATA}: the four writers share the seed articles instead")
    paths = sources(tmp_path)
    # every article goes to two of the four writers, so they race to store, analyse and place the same ones
    shares = [[p for i, p in enumerate(paths) if i % WRITERS in (w, (w + 1) % WRITERS)] for w in range(WRITERS)]

    alone = postgres_server.create()
    assert ingest(alone, paths).wait(timeout=600) == 0

    shared = postgres_server.create()
    open_store(shared).close()  # created and migrated before the race, as a deployment would be
    writers = [ingest(shared, share) for share in shares]
    assert [w.wait(timeout=600) for w in writers] == [0] * WRITERS, [w.stderr.read()[-500:] for w in writers]

    store = open_store(shared)
    expected = open_store(alone)
    assert store.count() == expected.count() == len({a.id for a in expected.articles()})
    assert sorted(a.id for a in store.articles()) == sorted(a.id for a in expected.articles())
    assert store.db.execute("SELECT count(*) AS n FROM analyses").fetchone()["n"] == store.count()
    store.close()
    expected.close()
    concurrent, sequential = partition(shared), partition(alone)  # each checks that no story lacks its members
    # Online placement follows the writers' turns at the clustering lock, so an article on the edge of two stories
    # may meet them in another order than one process does (as with SQLite, tests/test_concurrency.py); once
    # clustered again from scratch, the stories are exactly those of one process.
    assert sum(map(len, concurrent)) == sum(map(len, sequential))
    for url in (shared, alone):
        env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
        command = [sys.executable, "-m", "triangulate.cli", "--db", url, "recluster"]
        subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True)
    assert partition(shared) == partition(alone)
