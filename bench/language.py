"""Speed of the whole language layer, and where the time goes.

Reads PolNeAR texts (real political news, about 800 words each) and runs
``analyse_many`` over them in batches of 32, as ``triangulate ingest`` does; then
measures spaCy alone on 50 of them, the recogniser without and with the tagger and
dependency parser that speakers and claim units use, to show what the parser costs.

Usage: python bench/language.py [DATA_DIR] [LIMIT]   (default ../shared/data, 200 texts)
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _data import polnear_texts
from triangulate.language import analyse_many
from triangulate.language._nlp import pipeline
from triangulate.model import Article
from triangulate.store import open_store


def parser_cost(texts: list[str]) -> tuple[float, float]:
    """Words per second of spaCy in one process: the recogniser alone, and with the tagger and parser."""
    nlp = pipeline()
    words = sum(len(t.split()) for t in texts)
    with nlp.select_pipes(disable=["tok2vec", "tagger", "parser"]):
        started = time.perf_counter()
        list(nlp.pipe(texts, batch_size=16))
        alone = words / (time.perf_counter() - started)
    started = time.perf_counter()
    list(nlp.pipe(texts, batch_size=16))
    return alone, words / (time.perf_counter() - started)


def main() -> None:
    folder = Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/data")
    limit = int(sys.argv[2]) if len(sys.argv) > 2 else 200
    texts = polnear_texts(folder / "polnear" if (folder / "polnear").is_dir() else folder)[:limit]
    articles = [Article.build(text, title=name) for name, text in texts]
    started = time.perf_counter()
    pipeline()
    load = time.perf_counter() - started
    timings: dict[str, float] = {}
    started = time.perf_counter()
    records = 0
    for i in range(0, len(articles), 32):
        for analysis in analyse_many(articles[i : i + 32], timings=timings):
            records += len(analysis.quotes) + len(analysis.claims) + len(analysis.mentions)
    seconds = time.perf_counter() - started
    words = sum(len(a.text.split()) for a in articles)
    store = open_store(":memory:")  # the recogniser's cache: a second pass is what a rules change costs
    for i in range(0, len(articles), 32):
        analyse_many(articles[i : i + 32], store=store)
    started = time.perf_counter()
    for i in range(0, len(articles), 32):
        analyse_many(articles[i : i + 32], store=store)
    cached_rate = len(articles) / (time.perf_counter() - started)
    rate = len(articles) / seconds
    recogniser, parsed = parser_cost([a.text for a in articles[:50]])
    print(
        f"{len(articles)} articles, {words} words: {rate:.1f} articles/s, "
        f"{words / seconds:,.0f} words/s (target 50 articles/s)"
    )
    print(f"model load {load:.1f} s (once per process)")
    print(
        f"again with the recogniser's spans cached (after a rules change, or a wire copy): {cached_rate:.1f} articles/s"
    )
    print(
        f"spaCy in one process: recogniser alone {recogniser:,.0f} words/s, with tagger and parser "
        f"{parsed:,.0f} words/s (the parser costs {recogniser / parsed - 1:.0%} more)"
    )
    for step, spent in sorted(timings.items(), key=lambda kv: -kv[1]):
        print(f"  {step:20} {spent:6.2f} s  {100 * spent / seconds:5.1f} %")
    print(
        json.dumps(
            {
                "articles": len(articles),
                "articles_per_second": round(rate, 1),
                "cached_articles_per_second": round(cached_rate, 1),
                "words_per_second": round(words / seconds),
                "model_load_seconds": round(load, 2),
                "records": records,
                "share": {k: round(v / seconds, 3) for k, v in timings.items()},
                "recogniser_words_per_second": round(recogniser),
                "recogniser_and_parser_words_per_second": round(parsed),
            }
        )
    )


if __name__ == "__main__":
    main()
