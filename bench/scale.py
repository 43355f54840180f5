"""Ingest throughput at scale: a plain run against 1 and 2 Dask workers, SQLite against PostgreSQL.

Each configuration ingests the same documents into a new, empty store: read,
clean, analyse (recogniser, parser, rules), embed and cluster, as
``triangulate ingest`` does. The models are loaded before the clock starts
(in this process for the plain runs, on every worker for the Dask runs) and
the LocalCluster is started beforehand, so the figures are a running
service's, not a cold start's. For the Dask runs the single writer's own time
(storing, the language rules over the workers' parses, clustering) is
measured apart: its time per article bounds what any number of workers can
reach. The machine's load average is printed, since it may be shared.

The documents are the first N ECB+ documents (``DATA/ecbplus``), written one a
file; without ECB+ the ``.txt`` files of DATA itself (e.g. ``examples/vladivostok``).

The PostgreSQL runs use a throwaway server started from Debian's packages
(skipped, saying why, where they are missing).

Usage: python bench/scale.py [DATA] [--docs 200] [--workers 1,2] [--no-postgres]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _data import ecb_documents
from _postgres import Unavailable, throwaway_server
from triangulate.config import Settings
from triangulate.store import open_store


def documents(data: Path, count: int, folder: Path) -> list[str]:
    """The corpus as one file per document in ``folder``; returns the paths to ingest."""
    if (data / "ecbplus").is_dir():
        for number, doc in enumerate(ecb_documents(data / "ecbplus")[:count]):
            (folder / f"{number:03d}_{doc.name}.txt").write_text(doc.text + "\n", encoding="utf-8")
        return [str(folder)]
    files = sorted(data.glob("*.txt"))[:count]
    if not files:
        sys.exit(f"{data}: neither an ecbplus folder nor .txt files; give the evaluation data folder")
    return [str(p) for p in files]


def warm() -> int:
    """Load the recogniser and the encoder in this process (a worker's first task would)."""
    from triangulate.embed import embedder
    from triangulate.language._nlp import named_entities

    named_entities(["Vladimir Putin spoke in Vladivostok."])
    embedder(Settings().embedding).encode(["warm"])
    return os.getpid()


def plain(paths: list[str], url: str) -> dict:
    """``triangulate ingest PATHS`` in this process (spaCy spreads over the cores itself)."""
    from triangulate.ingest.sources import read_sources
    from triangulate.language import analyse_stored
    from triangulate.stories.build import cluster_stored

    store = open_store(url)
    started = time.perf_counter()
    added = 0
    for _, articles, _ in read_sources(paths, Settings()):
        for article in articles or []:
            added += store.add_article(article)
    analyse_stored(store)
    cluster_stored(store, Settings())
    seconds = time.perf_counter() - started
    stories = len(store.stories())
    store.close()
    return {"articles": added, "seconds": seconds, "per_second": added / seconds, "stories": stories}


def on_dask(paths: list[str], url: str, client) -> dict:
    from triangulate.distributed import ingest_on_dask

    store = open_store(url)
    report = ingest_on_dask(paths, Settings(), store, client)
    stories = len(store.stories())
    store.close()
    added, seconds = len(report.added), report.seconds["total"]
    return {
        "articles": added,
        "seconds": seconds,
        "per_second": added / seconds,
        "stories": stories,
        "writer_seconds": report.seconds["writer"],
        "writer_ms_per_article": 1000 * report.seconds["writer"] / max(added, 1),
        "writer_cpu_ms_per_article": 1000 * report.seconds["writer_cpu"] / max(added, 1),
    }


def _postgres(stack: contextlib.ExitStack):
    """A factory of fresh databases on a throwaway server (stopped with ``stack``), or None when there is none."""
    try:
        return stack.enter_context(throwaway_server()).create
    except Unavailable as missing:
        print(f"PostgreSQL runs skipped: {missing}", file=sys.stderr)
        return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", nargs="?", default=str(Path(__file__).resolve().parents[2] / "shared" / "data"))
    parser.add_argument("--docs", type=int, default=200)
    parser.add_argument("--workers", default="1,2", help="Dask worker counts, comma-separated")
    parser.add_argument("--no-postgres", action="store_true", help="skip the PostgreSQL runs")
    args = parser.parse_args()
    from dask.distributed import Client, LocalCluster

    load_before = os.getloadavg()[0]
    runs: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "docs"
        folder.mkdir()
        paths = documents(Path(args.data), args.docs, folder)
        warm()
        with contextlib.ExitStack() as stack:
            new_postgres = None if args.no_postgres else _postgres(stack)
            runs["plain sqlite"] = plain(paths, str(Path(tmp) / "plain.db"))
            if new_postgres:
                runs["plain postgresql"] = plain(paths, new_postgres())
            for count in [int(n) for n in args.workers.split(",")]:
                with (
                    LocalCluster(
                        n_workers=count, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=40
                    ) as cluster,
                    Client(cluster) as client,
                ):
                    client.run(warm)
                    runs[f"dask {count} sqlite"] = on_dask(paths, str(Path(tmp) / f"dask{count}.db"), client)
                    if new_postgres and count == max(int(n) for n in args.workers.split(",")):
                        runs[f"dask {count} postgresql"] = on_dask(paths, new_postgres(), client)
    print(f"{'run':<22} {'articles':>8} {'seconds':>8} {'articles/s':>10} {'stories':>8} {'writer ms/article':>24}")
    for name, run in runs.items():
        writer = "—"
        if "writer_ms_per_article" in run:
            writer = f"{run['writer_ms_per_article']:.1f} (CPU {run['writer_cpu_ms_per_article']:.1f})"
        print(
            f"{name:<22} {run['articles']:>8} {run['seconds']:>8.1f} {run['per_second']:>10.2f} {run['stories']:>8} "
            f"{writer:>24}"
        )
    writers = [r["writer_cpu_ms_per_article"] for r in runs.values() if "writer_cpu_ms_per_article" in r]
    writer_ms = min(writers) if writers else None
    print(f"load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after, on {os.cpu_count()} cores")
    figures = {
        "documents": args.docs,
        "runs": {name: {k: round(v, 3) for k, v in run.items()} for name, run in runs.items()},
        "writer_cpu_ms_per_article": writer_ms and round(writer_ms, 2),  # the least of the Dask runs
        "writer_limit_per_second": writer_ms and round(1000 / writer_ms, 1),
        "same_stories": len({r["stories"] for r in runs.values()}) == 1,
        "load_average": [round(load_before, 1), round(os.getloadavg()[0], 1)],
        "cores": os.cpu_count(),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
