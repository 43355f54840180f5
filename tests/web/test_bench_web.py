"""A smoke run of ``bench/web.py`` on the seed store: it serves, drives clients and prints its JSON line."""

from __future__ import annotations

import json
import subprocess
import sys

from ..conftest import ROOT


def test_bench_web_runs_on_a_small_store(copy_db):
    run = subprocess.run(
        [sys.executable, "bench/web.py", copy_db, "--clients", "5", "--seconds", "1"],
        capture_output=True, text=True, cwd=ROOT, timeout=600,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr[-2000:]
    result = json.loads(run.stdout.strip().splitlines()[-1])
    for name in ("story_page", "api_stories"):
        assert result[name]["requests"] > 0 and result[name]["errors"] == 0
        assert 0 < result[name]["p50_ms"] <= result[name]["p95_ms"]
    assert result["first_brief"] is None  # the seeds have no story of 50 articles
