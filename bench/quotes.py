"""Direct-quote extraction on PolNeAR: content spans and speakers.

A gold direct quote is an attribution whose content sits inside quotation
marks. A predicted quote matches a gold one when their overlap covers at least
the threshold share of *both* spans (intersection over the longer span), at
30 % and at 80 %. Most gold contents include their quotation marks and ours do
not, so both are compared without the marks at their ends. A quote split by its attribution ("…," he said, "…") is one
gold content from its first to its last word, so the parts we link with
``part_of`` are joined the same way before matching. Speaker accuracy: among
matched gold quotes (30 %), the share whose predicted speaker span overlaps the
gold Source span.

Usage: python bench/quotes.py [DATA_DIR]   (default ../shared/data/polnear/dev)
"""

from __future__ import annotations

import json
import sys
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _data import polnear_attributions
from triangulate.language import analyse_many
from triangulate.model import Article

PUBLISHED = {
    "Gender Gap Tracker (F1 at 30 % / 80 %, speaker accuracy)": "83.7 / 76.1 / 86.5–87.4",
    "citron on PARC 3.0 (source F1, all-span overlap F1)": "82.0 / 83.2",
}


def overlap(a: tuple[int, int], b: tuple[int, int]) -> float:
    inter = min(a[1], b[1]) - max(a[0], b[0])
    return max(inter, 0) / max(a[1] - a[0], b[1] - b[0], 1)


MARKS = "\"“”«»„‘’'"


def inner(text: str, start: int, end: int) -> tuple[int, int]:
    """A span without the quotation marks and spaces at its ends.

    Most PolNeAR contents include their marks, some do not, and ours never do, so
    both sides are compared without them.
    """
    while start < end and (text[start] in MARKS or text[start].isspace()):
        start += 1
    while end > start and (text[end - 1] in MARKS or text[end - 1].isspace()):
        end -= 1
    return start, end


def predicted(analysis, text: str) -> list[tuple[tuple[int, int], tuple[int, int] | None]]:
    """(content span, speaker span) per direct quote: split parts joined; partial and unattributed quotes left out."""
    joined: dict[int, list] = {}
    for i, q in enumerate(analysis.quotes):
        if q.speaker is None or q.speaker.start is None or (q.partial and q.part_of is None):
            continue
        root = q.part_of if q.part_of is not None else i
        start, end = inner(text, q.start, q.end)
        if root in joined:
            joined[root][0] = (joined[root][0][0], end)
        else:
            joined[root] = [(start, end), (q.speaker.start, q.speaker.end)]
    return [tuple(v) for v in joined.values()]


def evaluate(folder: Path) -> dict:
    docs = polnear_attributions(folder)
    articles = [Article.build(text, title=name) for name, text, _ in docs]
    started = time.perf_counter()
    analyses = analyse_many(articles)
    seconds = time.perf_counter() - started
    scores = {}
    speaker_hits = speaker_total = 0
    for threshold in (0.3, 0.8):
        tp_gold = tp_pred = n_gold = n_pred = 0
        for (_, text, gold), analysis in zip(docs, analyses, strict=True):
            gold_direct = [replace(g, content=inner(text, *g.content)) for g in gold if g.direct]
            pred = predicted(analysis, text)
            n_gold += len(gold_direct)
            n_pred += len(pred)
            for g in gold_direct:
                best = max(pred, key=lambda p: overlap(p[0], g.content), default=None)
                if best and overlap(best[0], g.content) >= threshold:
                    tp_gold += 1
                    if threshold == 0.3 and g.source:
                        speaker_total += 1
                        speaker_hits += bool(best[1] and overlap(best[1], g.source) > 0)
            tp_pred += sum(any(overlap(p[0], g.content) >= threshold for g in gold_direct) for p in pred)
        precision = tp_pred / max(n_pred, 1)
        recall = tp_gold / max(n_gold, 1)
        f1 = 2 * precision * recall / max(precision + recall, 1e-9)
        scores[f"{int(threshold * 100)}"] = (precision, recall, f1, n_gold, n_pred)
    return {
        "documents": len(docs),
        "gold_direct_quotes": scores["30"][3],
        "predicted_quotes": scores["30"][4],
        "p30": round(scores["30"][0], 3),
        "r30": round(scores["30"][1], 3),
        "f1_30": round(scores["30"][2], 3),
        "p80": round(scores["80"][0], 3),
        "r80": round(scores["80"][1], 3),
        "f1_80": round(scores["80"][2], 3),
        "speaker_accuracy": round(speaker_hits / max(speaker_total, 1), 3),
        "articles_per_second": round(len(docs) / seconds, 1),
    }


def main() -> None:
    folder = Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/data/polnear/dev")
    result = evaluate(folder)
    print(
        f"PolNeAR direct quotes, {folder}: {result['documents']} annotation files, "
        f"{result['gold_direct_quotes']} gold quotes"
    )
    print(f"{'':34} {'F1@30%':>8} {'F1@80%':>8} {'speaker':>8}")
    print(f"{'triangulate':34} {result['f1_30']:8.3f} {result['f1_80']:8.3f} {result['speaker_accuracy']:8.3f}")
    for name, figures in PUBLISHED.items():
        print(f"  published, {name}: {figures}")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
