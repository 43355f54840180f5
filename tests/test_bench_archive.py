"""``bench/archive.py`` ingests a small growing archive and ends with its JSON line (a smoke test, not a gate)."""

import json
import subprocess
import sys

from .conftest import ROOT


def test_the_archive_bench_times_each_batch_and_names_whole_table_reads(data):
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "archive.py"), str(data), "--articles", "24", "--batch", "12"],
        capture_output=True, text=True, timeout=600, cwd=ROOT,
        env={"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    lines = result.stdout.strip().splitlines()
    figures = json.loads(lines[-1])
    assert figures["articles"] == 24 and [b["stored"] for b in figures["batches"]] == [12, 24]
    assert 0 < figures["peak_mb"] < 2000 and figures["stories"] >= 1
    for batch in figures["batches"]:
        assert batch["language"] > 0 and batch["stories"] > 0 and batch["articles_per_second"] > 0
    assert set(figures["cpu_per_article_at"]) == {"12", "24"}
    assert figures["statements"] >= 5  # the last batch's statements, each with its plan
    assert all(line.startswith("reads a whole table") for line in lines[2:-1])


def test_replicas_are_new_texts_a_year_apart(data):
    sys.path.insert(0, str(ROOT / "bench"))
    from archive import articles, originals

    count = len(originals(data))
    made = list(articles(data, count + 2))
    first, copy = made[0], made[count]
    assert copy.text != first.text and copy.id != first.id and copy.title.endswith("(1)")
    assert int(copy.published[:4]) == int(first.published[:4]) + 1
    assert list(articles(data, count + 2)) == made  # the same articles every run
    same = list(articles(data, count + 2, edit_text=False))
    assert same[count].text == first.text and same[count].id != first.id and same[count].outlet != first.outlet
