"""Story clustering at 1k, 10k and 100k articles: time per article and peak memory.

The articles are real: the AllSides items, replicated with perturbed text (a
tenth of the words dropped, numbers changed), each replica a year after the
last, so the archive grows in time as a real one does, at the same number of
articles a day, and each replica is a new story with the wording of a real one.
Embeddings are taken as cached: each replica's vector is its original's plus
noise, so the run measures clustering (word weights, candidate lookup, scoring,
joining), not the encoder. Each size runs in its own process so the peak memory
(ru_maxrss) is that size's alone; about 230 MB of it is the encoder and the
original signals.

Usage: python bench/stories_scale.py [DATA_DIR] [--sizes 1000,10000,100000]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import resource
import subprocess
import sys
import time
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from stories import allsides_items
from triangulate.embed import embedder
from triangulate.stories import StoryIndex, terms
from triangulate.stories.build import signals

DAYS = 365


def perturbed(text: str, rng: random.Random) -> str:
    words = [w for w in text.split() if rng.random() > 0.1]
    return re.sub(r"\d+", lambda m: str(int(m.group()) + rng.randint(1, 9)), " ".join(words))


def run(folder: Path, size: int) -> dict:
    items = allsides_items(folder / "allsides")
    base = signals([a for a, _ in items], [None] * len(items), embedder())
    rng = random.Random(size)
    noise = np.random.default_rng(size)
    index = StoryIndex()
    started = time.perf_counter()
    seconds_terms = 0.0
    for n in range(size):
        i = n % len(items)
        article, signal = items[i][0], base[i]
        replica = n // len(items)
        if replica:
            t = time.perf_counter()
            words = terms(perturbed(f"{article.title}\n{article.text}", rng))
            seconds_terms += time.perf_counter() - t
            body = signal.body + noise.normal(scale=0.02, size=signal.body.shape).astype(np.float32)
            day = signal.day + timedelta(days=replica * DAYS)
            signal = replace(signal, article_id=f"{replica:05d}{signal.article_id}", terms=words,
                             body=body / np.linalg.norm(body), day=day)  # fmt: skip
        index.add(signal)
    index.refine(index.params.rounds)
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "articles": size,
        "stories": len(index.records()),
        "open_stories": len(index.stories),
        "ms_per_article": round(1000 * seconds / size, 3),
        "articles_per_second": round(size / seconds, 1),
        "ms_per_article_word_weights": round(1000 * seconds_terms / max(size - len(items), 1), 3),
        "peak_mb": round(peak_mb, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("data", nargs="?", default="../shared/data")
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # a child process: run one size
    args = parser.parse_args()
    folder = Path(args.data)
    if args.one:
        print(json.dumps(run(folder, args.one)))
        return
    results = []
    for size in map(int, args.sizes.split(",")):
        child = subprocess.run(
            [sys.executable, __file__, str(folder), "--one", str(size)], capture_output=True, text=True, check=True
        )
        figures = json.loads(child.stdout.strip().splitlines()[-1])
        results.append(figures)
        print(
            f"{size:>7} articles: {figures['ms_per_article']} ms per article "
            f"({figures['articles_per_second']}/s), {figures['stories']} stories, "
            f"{figures['open_stories']} open, peak {figures['peak_mb']} MB"
        )
    print(json.dumps({"runs": results}))


if __name__ == "__main__":
    main()
