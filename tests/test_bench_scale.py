"""``bench/scale.py`` runs end to end on the seeds and ends with its JSON line (a smoke test, not a speed gate)."""

import json
import os
import subprocess
import sys

import pytest

from .conftest import ROOT, SEEDS

pytest.importorskip("dask.distributed", reason="Dask is missing: pip install 'triangulate[dask]'")


@pytest.mark.slow
def test_the_scale_bench_measures_every_configuration_on_the_seeds():
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "scale.py"), str(SEEDS), "--workers", "1"],
        capture_output=True, text=True, timeout=900, env=env, cwd=ROOT,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    expected = {"plain sqlite", "dask 1 sqlite"}
    if "PostgreSQL runs skipped" not in result.stderr:
        expected |= {"plain postgresql", "dask 1 postgresql"}
    assert set(figures["runs"]) == expected
    assert all(run["articles"] == 7 for run in figures["runs"].values())
    assert figures["same_stories"] and figures["writer_cpu_ms_per_article"] > 0
