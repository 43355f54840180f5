"""How well does the plain-text reader cut multi-story pages into stories?

Pages are built from ECB+ (``ecbplus`` documents carry a headline): article A,
then article B's headline as an in-page heading and B's body. B from A's own
sub-topic (the same event) must stay in A's story, as a sub-heading does; B
from the other sub-topic of the same topic (another event of the same kind, the
hard case) or from another topic must start a new segment.

Usage: python bench/segment.py [DATA_DIR]   (default ../shared/data)
"""

from __future__ import annotations

import json
import random
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _data import ecb_documents
from triangulate.ingest.text import read_text


def pages(folder: Path, per_kind: int = 150, seed: int = 7):
    """(A, B) document pairs of each kind; B is always an ``ecbplus`` document (it has a headline)."""
    every = [d for d in ecb_documents(folder / "ecbplus") if len(d.sentences) >= 6]
    headed = [d for d in every if d.subtopic.endswith("plus")]
    by_sub = defaultdict(list)
    for doc in every:
        by_sub[doc.subtopic].append(doc)
    rng = random.Random(seed)
    kinds: dict[str, list] = {"same event": [], "same topic, other event": [], "other topic": []}
    while min(len(v) for v in kinds.values()) < per_kind:
        b = rng.choice(headed)
        same = [d for d in by_sub[b.subtopic] if d.name != b.name]
        other_event = by_sub[b.topic + "ecb"]
        other_topic = [d for d in every if d.topic != b.topic]
        for kind, pool in zip(kinds, (same, other_event, other_topic), strict=False):
            if pool and len(kinds[kind]) < per_kind:
                kinds[kind].append((rng.choice(pool), b))
    return kinds


def page_text(a, b) -> str:
    # sentence 0 of an ecbplus document is its headline, 1 its date line
    return "\n\n".join([a.text, b.sentences[0], "\n".join(b.sentences[2:])])


def main(data: str = "../shared/data") -> None:
    folder = Path(data)
    results = {}
    for kind, pairs in pages(folder).items():
        split = sum(len(read_text(page_text(a, b), item=a.name)) > 1 for a, b in pairs)
        results[kind] = split / len(pairs)
    print(f"{'page: A, then B under its headline':<40} {'cut into 2 segments':>20}   want")
    for kind, rate in results.items():
        want = "0 %" if kind == "same event" else "100 %"
        print(f"{kind:<40} {rate:>19.1%}   {want}")
    accuracy = (1 - results["same event"] + results["same topic, other event"] + results["other topic"]) / 3
    print(f"{'balanced accuracy':<40} {accuracy:>19.1%}")
    print(
        json.dumps(
            {
                "kept_same_event": 1 - results["same event"],
                "split_other_event": results["same topic, other event"],
                "split_other_topic": results["other topic"],
                "balanced_accuracy": round(accuracy, 4),
            }
        )
    )


if __name__ == "__main__":
    main(*sys.argv[1:])
