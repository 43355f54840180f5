"""Candidate retrieval at scale: what placing a new batch costs as the stored archive grows.

``cluster_stored`` rebuilds an in-memory story index from the store on each
run, holding only the stories active within ``window_days`` of the new
articles' days (plus, for undated ones, the newest undated stories). This
bench fills a store with an archive of real articles (the AllSides items,
replicated with perturbed text a year apart, going back in time, each replica's
stories stored as such), then places a batch of 30 new items on the archive's
newest days, and reports, per archive size: the stories the index reloaded,
the time, and the memory the run allocated (tracemalloc peak; the encoder is
loaded beforehand and not counted). Each size runs in its own process.

Usage: python bench/window.py [DATA] [--replicas 1,10,30]
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections import defaultdict
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from stories import allsides_items
from stories_scale import perturbed
from triangulate.config import Settings
from triangulate.embed import embedder
from triangulate.model import Article, Story
from triangulate.store import open_store
from triangulate.stories import Params
from triangulate.stories.build import cluster_stored, day_of

BATCH = 30
YEAR = timedelta(days=365)


def run(folder: Path, replicas: int) -> dict:
    items = allsides_items(folder / "allsides")
    newest = sorted(range(len(items)), key=lambda i: (day_of(items[i][0]), i))[-BATCH:]
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(str(Path(tmp) / "archive.db"))
        rng = random.Random(replicas)
        members: dict[tuple[int, str], list] = defaultdict(list)
        for replica in range(replicas + 1):  # replica 0: the items themselves, but for the new batch
            for i, (article, story) in enumerate(items):
                if replica == 0 and i in newest:
                    continue
                if replica:
                    day = (day_of(article) - replica * YEAR).isoformat()
                    text = perturbed(article.text, rng)
                    article = Article.build(text, title=article.title, outlet=article.outlet, published=day)
                if store.add_article(article):
                    members[(replica, story)].append(article)
        stored = []
        for (replica, story), found in sorted(members.items()):
            days, ids = [day_of(a) for a in found], tuple(a.id for a in found)
            stored.append(Story(f"s{replica:03d}-{story}", found[0].title, ids, min(days), max(days)))
        store.save_stories(stored)
        archive = store.count()
        for i in newest:
            store.add_article(items[i][0])
        embedder(Settings().embedding).encode(["warm"])
        days = [day_of(items[i][0]) for i in newest]
        window = len(store.stories_since(min(days) - timedelta(days=Params().window_days)))
        tracemalloc.start()
        started = time.perf_counter()
        placed = cluster_stored(store, Settings())
        seconds = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        stories = len(store.stories())
        store.close()
    return {
        "archive_articles": archive,
        "stories": stories,
        "reloaded_stories": window,
        "placed": placed,
        "seconds": round(seconds, 2),
        "allocated_mb": round(peak / 2**20, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("data", nargs="?", default=str(Path(__file__).resolve().parents[2] / "shared" / "data"))
    parser.add_argument("--replicas", default="1,10,30")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # a child process: run one size
    args = parser.parse_args()
    folder = Path(args.data)
    if args.one is not None:
        print(json.dumps(run(folder, args.one)))
        return
    results = []
    for replicas in map(int, args.replicas.split(",")):
        child = subprocess.run(
            [sys.executable, __file__, str(folder), "--one", str(replicas)], capture_output=True, text=True, check=True
        )
        figures = json.loads(child.stdout.strip().splitlines()[-1])
        results.append(figures)
        print(
            f"{figures['archive_articles']:>7} archived articles, {figures['stories']} stories: placing {BATCH} new "
            f"reloaded {figures['reloaded_stories']} stories, {figures['seconds']} s, "
            f"{figures['allocated_mb']} MB allocated"
        )
    print(json.dumps({"runs": results}))


if __name__ == "__main__":
    main()
