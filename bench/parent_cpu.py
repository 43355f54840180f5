"""CPU seconds per article of the work the parent process does around the models, steady on a busy machine.

``bench/pipeline.py`` times each stage with the language workers running beside it, so on a machine shared
with other work its CPU figures move by a fifth from run to run. This bench takes the recogniser's records
as given (parsed first, in this process, untimed, and put in the store's cache) and times, in this process
alone: the language rules with saving the analyses (``analyse_stored``), loading the embedding model, and
clustering (``cluster_stored``, the sentence embeddings included). It also prints a digest of the stored
analyses and of the stories, so two versions of the code can be checked to give the same results.

Usage: python bench/parent_cpu.py [DATA_DIR] [--limit 100]
Prints one JSON object: CPU seconds per article per step, and the two digests.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pipeline import texts_of
from triangulate.config import Settings
from triangulate.embed import embedder
from triangulate.ingest import places
from triangulate.ingest.sources import read_sources
from triangulate.language import _nlp, analyse_stored
from triangulate.store import open_store
from triangulate.stories.build import cluster_stored


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data", nargs="?", default="../shared/data")
    parser.add_argument("--limit", type=int, default=100, help="texts, chosen as bench/pipeline.py does (100)")
    args = parser.parse_args()
    os.environ["TRIANGULATE_PROCESSES"] = "1"  # the recogniser in this process: no workers beside the timing
    work = Path(tempfile.mkdtemp(prefix="triangulate-parent-"))
    folder = work / "pages"
    folder.mkdir()
    for name, text in texts_of(Path(args.data), args.limit):
        (folder / name).write_text(text, encoding="utf-8")
    settings = Settings(db=str(work / "parent.db"))
    store = open_store(settings.db)
    for _, articles, _ in read_sources([str(folder)], settings):
        for article in articles or []:
            store.add_article(article)
    texts = [a.text for a in store.articles()]
    store.save_recognised(dict(zip(_nlp._keys(texts), _nlp._parsed(texts), strict=True)))
    places.index()  # the gazetteer, loaded once per process (its cost is its own step)
    steps = {}
    started = time.process_time()
    analyse_stored(store)
    steps["language rules and saving"] = time.process_time() - started
    started = time.process_time()
    embedder(settings.embedding).encode(["warm up"])
    steps["embedding model load"] = time.process_time() - started
    started = time.process_time()
    cluster_stored(store, settings)
    steps["stories"] = time.process_time() - started
    rows = store.db.execute("SELECT article_id, data FROM analyses ORDER BY article_id").fetchall()
    stories = sorted(list(s.article_ids) for s in store.stories())
    store.close()
    print(
        json.dumps(
            {
                "articles": len(texts),
                "cpu_per_article": {k: round(v / len(texts), 4) for k, v in steps.items()},
                "analyses_digest": hashlib.sha256("".join(r[0] + r[1] for r in rows).encode()).hexdigest()[:12],
                "stories_digest": hashlib.sha256(json.dumps(stories).encode()).hexdigest()[:12],
            }
        )
    )


if __name__ == "__main__":
    main()
