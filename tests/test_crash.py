"""A real ``triangulate ingest`` killed with SIGKILL while it stores, analyses and clusters 100 PolNeAR texts.

After every kill the store is intact and holds nothing half-written; a rerun
completes; the analyses and stories equal those of an uninterrupted run.
"""

import json
import shutil
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from .conftest import ROOT

TEXTS = 100


@pytest.fixture(scope="module")
def texts(data, tmp_path_factory):
    folder = tmp_path_factory.mktemp("polnear100")
    for path in sorted((data / "polnear" / "train" / "text").glob("*.txt"))[:TEXTS]:
        shutil.copy(path, folder / path.name)
    return folder


def ingest(db, folder) -> subprocess.Popen:
    command = [sys.executable, "-m", "triangulate.cli", "--db", str(db), "ingest", str(folder)]
    return subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def counts(db) -> tuple[int, int, int]:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as con:
            return tuple(
                con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                for table in ("articles", "analyses", "story_members")
            )
    except sqlite3.Error:
        return (0, 0, 0)


def kill_when(process, db, ready) -> tuple[int, int, int]:
    """SIGKILL the process as soon as ``ready(counts)`` holds; return the counts it was killed at."""
    deadline = time.monotonic() + 120
    while process.poll() is None and time.monotonic() < deadline:
        seen = counts(db)
        if ready(seen):
            process.send_signal(signal.SIGKILL)
            process.wait()
            return seen
        time.sleep(0.02)
    pytest.fail(f"ingest ended ({process.returncode}) before the kill point; stderr: {process.stderr.read()[-500:]}")


def intact(db) -> None:
    """The file passes SQLite's check, and no row points at what is not there."""
    with sqlite3.connect(db) as con:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert con.execute("PRAGMA foreign_key_check").fetchall() == []
        for (data,) in con.execute("SELECT data FROM analyses"):
            assert json.loads(data)["sentences"]  # every analysis whole
        sizes = con.execute(
            "SELECT s.size, count(m.article_id) FROM stories s LEFT JOIN story_members m ON m.story_id = s.id "
            "GROUP BY s.id"
        ).fetchall()
        assert all(size == members > 0 for size, members in sizes)


def snapshot(db) -> tuple[dict, set]:
    with sqlite3.connect(db) as con:
        analyses = {aid: json.loads(data) for aid, data in con.execute("SELECT article_id, data FROM analyses")}
        members: dict[str, set] = {}
        for article_id, story_id in con.execute("SELECT article_id, story_id FROM story_members"):
            members.setdefault(story_id, set()).add(article_id)
    return analyses, {frozenset(m) for m in members.values()}


@pytest.mark.slow
def test_sigkill_at_several_points_loses_nothing_and_changes_nothing(texts, tmp_path):
    reference = tmp_path / "reference.db"
    whole = ingest(reference, texts)
    assert whole.wait(timeout=600) == 0, whole.stderr.read()[-800:]
    expected_analyses, expected_stories = snapshot(reference)
    assert len(expected_analyses) >= TEXTS

    crashed = tmp_path / "crashed.db"
    points = [
        lambda c: c[0] >= 30,  # while storing articles
        lambda c: c[1] >= 40,  # while analysing, between two batches of the recogniser
    ]
    killed_at = []
    for ready in points:
        killed_at.append(kill_when(ingest(crashed, texts), crashed, ready))
        intact(crashed)
    rerun = ingest(crashed, texts)
    assert rerun.wait(timeout=600) == 0, rerun.stderr.read()[-800:]
    intact(crashed)
    analyses, stories = snapshot(crashed)
    assert analyses.keys() == expected_analyses.keys()
    assert [k for k in analyses if analyses[k] != expected_analyses[k]] == []
    assert stories == expected_stories
    print(json.dumps({"killed_at (articles, analyses, members)": killed_at}))
