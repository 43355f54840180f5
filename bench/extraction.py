"""Body extraction on the article-extraction benchmark, scored as the benchmark scores it.

Each page goes through triangulate's HTML reader (trafilatura, then our
cleaning); the article text is compared with the human ``articleBody`` by
token 4-gram shingles: per-page precision and recall from normalised TP/FP/FN,
averaged over pages, F1 of the averages (scrapinghub/article-extraction-benchmark).

Usage: python bench/extraction.py [DATA_DIR]   (default ../shared/data/extraction)
"""

from __future__ import annotations

import gzip
import json
import re
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

from triangulate.errors import InputError
from triangulate.ingest.html import read_html

PUBLISHED = {"trafilatura 2.0": 0.958, "rs_trafilatura": 0.970, "newspaper4k": 0.949, "readability.js": 0.947}
_TOKEN = re.compile(r"\w+")


def shingles(text: str, n: int = 4) -> Counter:
    tokens = _TOKEN.findall(text or "")
    return Counter(tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1)) if tokens[i : i + n])


def match(true: str, pred: str) -> tuple[float, float, float]:
    gold, got = shingles(true), shingles(pred)
    tp = sum(min(gold[k], got[k]) for k in gold.keys() | got.keys())
    fp = sum(max(0, got[k] - gold[k]) for k in got)
    fn = sum(max(0, gold[k] - got[k]) for k in gold)
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def score(rows: list[tuple[float, float, float]]) -> dict[str, float]:
    def precision(tp, fp, fn):
        return 1.0 if fp == fn == 0 else 0.0 if tp == fp == 0 else tp / (tp + fp)

    def recall(tp, fp, fn):
        return 1.0 if fp == fn == 0 else 0.0 if tp == fn == 0 else tp / (tp + fn)

    p = statistics.mean(precision(*r) for r in rows if r[0] + r[1] > 0)
    r = statistics.mean(recall(*r) for r in rows if r[0] + r[2] > 0)
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r)}


def extract_body(html: str, item: str, url: str | None) -> str:
    try:
        return "\n".join(a.text for a in read_html(html, item=item, url=url))
    except InputError:
        return ""


def main(data: str = "../shared/data/extraction") -> dict[str, float]:
    folder = Path(data)
    truth = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    rows = []
    started = time.perf_counter()
    for key, gold in truth.items():
        with gzip.open(folder / "html" / f"{key}.html.gz", "rt", encoding="utf-8") as f:
            html = f.read()
        rows.append(match(gold.get("articleBody", ""), extract_body(html, key, gold.get("url"))))
    seconds = time.perf_counter() - started
    ours = score(rows)
    print(f"{'extractor':<22}{'precision':>10}{'recall':>10}{'F1':>8}")
    print(f"{'triangulate (ours)':<22}{ours['precision']:>10.3f}{ours['recall']:>10.3f}{ours['f1']:>8.3f}")
    for name, f1 in PUBLISHED.items():
        print(f"{name + ' (published)':<22}{'':>10}{'':>10}{f1:>8.3f}")
    print(f"{len(rows)} pages in {seconds:.1f} s")
    result = {k: round(v, 4) for k, v in ours.items()} | {"pages": len(rows), "seconds": round(seconds, 1)}
    print(json.dumps(result))
    return result


if __name__ == "__main__":
    main(*sys.argv[1:])
