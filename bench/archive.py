"""Ingest into a growing archive: time per article and peak memory as the store goes from 0 to N articles.

The articles are real PolNeAR texts (outlet and day from their file names), replicated as needed: replica
``r`` moves every day ``r`` years on, puts a replica number in the headline and changes one word of the
text (a cue verb or a modal, as in ``bench/pipeline.py``'s wire copies), so every copy is a new text that
the recogniser must parse (its cache is keyed by the whole text) and the archive grows in time as a real
one does, at the same number of articles a day. They are ingested in batches of ``--batch`` as
``triangulate ingest`` does it: stored, analysed (``analyse_stored``, the persistent language workers),
clustered (``cluster_stored``). Each batch is timed per stage in wall and CPU seconds (this process and its
workers); the peak memory is that of the whole process tree (proportional, as ``bench/pipeline.py``).

Flatness: the CPU seconds per article of the batch that ends at 1,000 stored articles against the last
batch's; the seconds each batch spends in the store's reads that may grow with the archive (the work
queues, the entity registry, the open stories); and every SQL statement of the last batch with its query
plan, so a statement that reads a whole table (``SCAN``) is named: those grow with the archive, index
lookups (``SEARCH``) do not.

With ``--same-text`` the replicas keep the text verbatim under a new outlet name (with the new headline and
day): the recogniser's cache answers for them, the rules, clustering and storage run in full, so the run
measures what grows with the archive at a fraction of the cost.

Usage: python bench/archive.py [DATA_DIR] [--articles 10000] [--batch 500] [--same-text] [--originals N]
Prints one line per batch, then one JSON object on the last line.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import sqlite3
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import date, timedelta
from itertools import islice
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _data import polnear_texts
from pipeline import _SWAP, _WORD, Meter
from triangulate.config import Settings
from triangulate.language import _nlp, analyse_stored
from triangulate.model import Article
from triangulate.store import open_store
from triangulate.stories.build import cluster_stored

_NAME = re.compile(r"^([a-z]+)_(\d{4})-(\d{2})-(\d{2})_")
STAGES = ("store", "language", "stories")


def originals(folder: Path) -> list[tuple[str, date, str, str]]:
    """(outlet, day, headline, body) of each PolNeAR text whose file name gives its outlet and day."""
    found = []
    for name, text in polnear_texts(folder / "polnear"):
        match = _NAME.match(name)
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        if match and len(lines) >= 3:
            outlet, year, month, day = match.groups()
            found.append((outlet, date(int(year), int(month), int(day)), lines[0], "\n\n".join(lines[1:])))
    return found


def articles(folder: Path, count: int, edit_text: bool = True, first: int | None = None) -> Iterator[Article]:
    """``count`` articles: the originals (the ``first`` ones only, when given), then replicas a year apart,
    each with one word changed (or, with ``edit_text`` false, the text verbatim under a new outlet name, so
    the recogniser's cache answers)."""
    base = originals(folder)[:first]
    for n in range(count):
        replica, which = divmod(n, len(base))
        outlet, day, title, body = base[which]
        if replica and not edit_text:
            outlet = f"{outlet} {replica}"
        if replica and edit_text:
            rng = random.Random(n)
            words = list(_WORD.finditer(body))
            if words:
                hit = words[rng.randrange(len(words))]
                body = body[: hit.start()] + _SWAP[hit.group()] + body[hit.end() :]
            else:
                body = f"{body}\n\n(Report {replica}.)"
        if replica:
            title = f"{title} ({replica})"
            day = day + timedelta(days=365 * replica)
        yield Article.build(body, title=title, outlet=outlet.title(), published=day.isoformat())


def plans(statements: list[str], path: str) -> dict[str, list[str]]:
    """Each distinct statement's query plan steps (on a read-only connection to the store)."""
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    found = {}
    for sql in statements:
        shape = re.sub(r"'(?:[^']|'')*'|X'[0-9A-F]*'|\b\d+(?:\.\d+)?\b", "?", " ".join(sql.split()))
        shape = re.sub(r"\?(?:, \?)+", "?, …", shape)[:200]
        if shape in found or sql.lstrip().split(None, 1)[0].upper() not in {"SELECT", "INSERT", "UPDATE", "DELETE"}:
            continue
        try:
            found[shape] = [row[-1] for row in db.execute(f"EXPLAIN QUERY PLAN {sql}")]
        except sqlite3.Error:
            continue
    db.close()
    return found


def whole_scans(found: dict[str, list[str]]) -> dict[str, list[str]]:
    """The statements with a step that reads a whole table (``SCAN t``, in an index's order or not; ``SEARCH``
    steps are index lookups)."""
    return {
        sql: [s for s in steps if s.startswith("SCAN") and "CONSTANT ROW" not in s]
        for sql, steps in found.items()
        if any(s.startswith("SCAN") and "CONSTANT ROW" not in s for s in steps)
    }


QUEUE_READS = ("unanalysed", "unclustered", "entities", "stories_since")
"""The store's reads whose cost may grow with the archive: the work queues, the registry, the open stories."""


def _timed(store, totals: dict[str, float]) -> None:
    """Wrap the store's queue reads so their seconds add up in ``totals``."""
    for name in QUEUE_READS:
        method = getattr(store, name)

        def timed(*args, _method=method, _name=name, **kwargs):
            started = time.perf_counter()
            try:
                return _method(*args, **kwargs)
            finally:
                totals[_name] = totals.get(_name, 0.0) + time.perf_counter() - started

        setattr(store, name, timed)


def run(folder: Path, count: int, batch: int, work: Path, edit_text: bool = True, keep: int | None = None) -> dict:
    made = articles(folder, count, edit_text, keep)  # made batch by batch: the bench holds one batch of texts
    settings = Settings(db=str(work / "archive.db"))
    meter = Meter()
    store = open_store(settings.db)
    statements: list[str] = []
    rows = []
    queue: dict[str, float] = {}
    _timed(store, queue)
    try:
        _nlp.pipeline()
        for start in range(0, count, batch):
            part = list(islice(made, batch))
            last = start + batch >= count
            row = {"stored_before": store.count()}
            if last:  # the pipeline's statements only, not the bench's own counts
                store.db.set_trace_callback(statements.append)
            steps = (
                ("store", lambda part: [store.add_article(a) for a in part]),
                ("language", lambda _: analyse_stored(store, seconds=settings.item_seconds)),
                ("stories", lambda _: cluster_stored(store, settings)),
            )
            for name, step in steps:
                wall, cpu = time.perf_counter(), meter.cpu()
                step(part)
                row[name] = {"wall": time.perf_counter() - wall, "cpu": meter.cpu() - cpu}
            store.db.set_trace_callback(None)
            row["stored"] = store.count()
            row["queue_reads"] = {k: round(v, 4) for k, v in queue.items()}
            queue.clear()
            row["peak_mb"] = round(meter.peak / 2**20)
            rows.append(row)
            n = row["stored"] - row["stored_before"]
            print(
                f"{row['stored']:6} stored: "
                + ", ".join(f"{s} {row[s]['cpu'] / n * 1000:6.1f} CPU ms/article" for s in STAGES)
                + f"; {n / sum(row[s]['wall'] for s in STAGES):5.1f} articles/s; peak {row['peak_mb']} MB",
                flush=True,
            )
        stories = len(store.stories())
    finally:
        store.close()
        _nlp.Workers.close()
        meter.stop()
    found = plans(statements, settings.db)
    return {"rows": rows, "stories": stories, "plans": found, "peak_mb": round(meter.peak / 2**20)}


def per_article(row: dict) -> dict:
    n = row["stored"] - row["stored_before"]
    out = {s: round(row[s]["cpu"] / n, 4) for s in STAGES}
    out["total_cpu"] = round(sum(row[s]["cpu"] for s in STAGES) / n, 4)
    out["articles_per_second"] = round(n / sum(row[s]["wall"] for s in STAGES), 2)
    out["queue_reads_seconds"] = row["queue_reads"]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data", nargs="?", default="../shared/data")
    parser.add_argument("--articles", type=int, default=10_000, help="articles to ingest (default 10,000)")
    parser.add_argument("--batch", type=int, default=500, help="articles per ingest (default 500)")
    parser.add_argument(
        "--same-text",
        action="store_true",
        help="replicas keep the text verbatim (new outlet, headline, day): the recogniser's cache answers, so the "
        "run measures what grows with the archive at a fraction of the cost",
    )
    parser.add_argument("--originals", type=int, help="replicate only the first N PolNeAR texts (default all)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="triangulate-archive-"))
    try:
        found = run(Path(args.data), args.articles, args.batch, work, not args.same_text, args.originals)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    rows = found["rows"]
    early = next((r for r in rows if r["stored"] >= 1000), rows[0])
    scans = whole_scans(found["plans"])
    for sql, steps in scans.items():
        print(f"reads a whole table: {sql} ({'; '.join(steps)})")
    print(
        json.dumps(
            {
                "articles": rows[-1]["stored"],
                "batch": args.batch,
                "replicas": "same text" if args.same_text else "one word changed",
                "originals": args.originals or "all",
                "stories": found["stories"],
                "peak_mb": found["peak_mb"],
                "cpu_per_article_at": {
                    str(early["stored"]): per_article(early),
                    str(rows[-1]["stored"]): per_article(rows[-1]),
                },
                "batches": [{"stored": r["stored"], **per_article(r), "peak_mb": r["peak_mb"]} for r in rows],
                "statements": len(found["plans"]),
                "whole_table_reads": scans,
                "plans": found["plans"],
            }
        )
    )


if __name__ == "__main__":
    main()
