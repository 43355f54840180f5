"""Fit the "same proposition" model on the visible proposition gold and write ``data/same_proposition.json``.

Training pairs are two claims of different items of one gold story, both on gold snippets: positive when they
state one gold proposition, negative otherwise (claims on no snippet are left out: the gold says nothing of
them). The model is an L2 logistic regression over :data:`triangulate.corroborate.same.FEATURES`.

The link threshold is chosen by leave-one-story-out cross-validation: each story is aligned (best links,
cliques) by a model fitted on every other story, over both gold files, and of the thresholds whose pooled pair
precision is at least 0.85 (a wrong link makes a fact look corroborated), the one with the best pair F1 is kept.
Those held-out figures are written beside the weights and printed.

Usage: python tools/fit_same_proposition.py [GOLD …] [--cache FILE] [--check]
  (default: ../shared/data/propositions/allsides_dev.json and ecbplus_dev.json; --check only prints)
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from _data import analysed  # noqa: E402
from _gold import load_gold, member_span, score_pairs, story_pairs  # noqa: E402
from triangulate.corroborate import best_links, cliques  # noqa: E402
from triangulate.corroborate.same import FEATURES, fit, probabilities  # noqa: E402
from triangulate.embed import embedder  # noqa: E402
from triangulate.store import open_store  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "propositions"
OUT = ROOT / "src" / "triangulate" / "data" / "same_proposition.json"
THRESHOLDS = [round(t, 2) for t in np.arange(0.15, 0.71, 0.05)]
L2 = 1.0
MIN_PRECISION = 0.85  # a wrong link makes a fact look corroborated: the threshold keeps held-out precision this high


def training(rows) -> tuple[np.ndarray, np.ndarray]:
    xs, ys = [], []
    for _, _, features, labels in rows:
        mask = np.triu(labels >= 0, k=1)
        xs.append(features[mask])
        ys.append(labels[mask])
    return np.vstack(xs), np.concatenate(ys).astype(float)


def aligned(story, items, probability, threshold) -> list[list]:
    links = best_links(probability, [item.article.id for item in items], threshold)
    return [[member_span(items[i].wording) for i in group] for group in cliques(links)]


def cross_validate(rows, corpus_of) -> dict:
    """Pooled leave-one-story-out pair figures per threshold, per corpus and overall."""
    tallies: dict = {}
    for k, (story, items, features, _) in enumerate(rows):
        if not items:
            continue
        coefficients, intercept = fit(*training(rows[:k] + rows[k + 1 :]), l2=L2)
        probability = probabilities(features, coefficients, intercept)
        articles = np.array([item.article.id for item in items])
        probability[articles[:, None] == articles[None, :]] = 0.0
        for threshold in THRESHOLDS:
            counts = score_pairs(story, aligned(story, items, probability, threshold))
            for name in (corpus_of[story.story_id], "all"):
                tally = tallies.setdefault((name, threshold), [0, 0, 0, 0])
                tallies[name, threshold] = [a + b for a, b in zip(tally, counts, strict=True)]
    figures: dict = {}
    for (name, threshold), (gold, found, system, right) in tallies.items():
        p = right / system if system else 0.0
        r = found / gold if gold else 0.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        figures.setdefault(name, {})[str(threshold)] = {
            "precision": round(p, 3),
            "recall": round(r, 3),
            "f1": round(f1, 3),
        }
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("gold", nargs="*", default=[str(DATA / "allsides_dev.json"), str(DATA / "ecbplus_dev.json")])
    parser.add_argument("--cache", default=":memory:")
    parser.add_argument("--check", action="store_true", help="print the figures without writing the weights")
    args = parser.parse_args()
    store, model = open_store(args.cache), embedder()
    rows, corpus_of = [], {}
    for path in args.gold:
        stories = load_gold(path)
        analyses = analysed([a for s in stories for a in s.all_articles], store)
        for story in stories:
            corpus_of[story.story_id] = Path(path).stem
            rows.append((story, *story_pairs(story, analyses, model, store)))
    figures = cross_validate(rows, corpus_of)
    precise = [t for t in THRESHOLDS if figures["all"][str(t)]["precision"] >= MIN_PRECISION] or THRESHOLDS[-1:]
    threshold = max(precise, key=lambda t: (figures["all"][str(t)]["f1"], t))
    x, y = training(rows)
    coefficients, intercept = fit(x, y, l2=L2)
    result = {
        "features": list(FEATURES),
        "coefficients": [round(float(c), 5) for c in coefficients],
        "intercept": round(intercept, 5),
        "threshold": threshold,
        "trained_on": [Path(p).name for p in args.gold],
        "pairs": len(y),
        "positive": int(y.sum()),
        "l2": L2,
        "held_out": {name: per[str(threshold)] for name, per in figures.items()},
    }
    for name, per in sorted(figures.items()):
        line = ", ".join(f"{t}: {v['precision']}/{v['recall']}/{v['f1']}" for t, v in per.items())
        print(f"{name} (leave-one-story-out P/R/F1 by threshold) {line}")
    if not args.check:
        OUT.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {OUT.relative_to(ROOT)}")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
