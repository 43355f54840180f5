"""Ingest speed: ECB+ documents and PolNeAR texts, read as plain text into an SQLite store.

Prints articles per second for reading and storing, after a warm-up that loads
the lazy resources once (gazetteer, word frequencies, language model), which a
long-running ingest pays only once.

Usage: python bench/ingest.py [DATA_DIR]   (default ../shared/data)
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _data import ecb_documents, polnear_texts
from triangulate.errors import InputError
from triangulate.ingest.text import read_text
from triangulate.store import open_store

TARGET = 200  # articles per second on 2 cores (issue 2)


def main(data: str = "../shared/data") -> dict:
    folder = Path(data)
    items = [(doc.name, doc.text, doc.url) for doc in ecb_documents(folder / "ecbplus")]
    items += [(name, text, None) for name, text in polnear_texts(folder / "polnear")]
    started = time.perf_counter()
    read_text("Headline here\n\nMOSCOW, May 5 (Reuters) - WashingtonBureau chief spoke.", item="warm-up")
    warm_up = time.perf_counter() - started
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(os.path.join(tmp, "bench.db"))
        started = time.perf_counter()
        added = 0
        failed = []
        for name, text, url in items:
            try:
                for article in read_text(text, item=name, url=url):
                    added += store.add_article(article)
            except InputError as exc:
                failed.append(str(exc))
        seconds = time.perf_counter() - started
        store.close()
    rate = len(items) / seconds
    print(f"{'inputs':<28}{len(items):>10}")
    print(f"{'articles (segments) stored':<28}{added:>10}")
    print(f"{'inputs refused':<28}{len(failed):>10}   {'; '.join(failed[:3])}")
    print(f"{'seconds':<28}{seconds:>10.1f}   (+{warm_up:.1f} s one-off warm-up)")
    print(f"{'inputs per second':<28}{rate:>10.0f}   target {TARGET}")
    result = {
        "inputs": len(items),
        "articles": added,
        "refused": len(failed),
        "seconds": round(seconds, 2),
        "warm_up_seconds": round(warm_up, 2),
        "inputs_per_second": round(rate, 1),
        "target": TARGET,
    }
    print(json.dumps(result))
    return result


if __name__ == "__main__":
    main(*sys.argv[1:])
