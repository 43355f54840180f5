"""Fit the check's support model on the visible proposition gold and write ``data/check_support.json``.

A training pair is a gold proposition's statement (as the check cuts it) and a claim or headline of one of its
story's items: positive when that unit lies on the gold snippet of that item, negative otherwise. The statements
perturbed by the rules of ``bench/check.py`` (a figure, the polarity, an actor or a date changed) are added as
negatives against every unit: a source never supports a statement that says something else. The model is an L2
logistic regression over :data:`triangulate.check.SUPPORT_FEATURES`.

The support threshold is chosen by leave-one-story-out cross-validation over both gold files: each story is scored
by a model fitted on every other story, and the threshold with the best pooled held-out share of statements
supported by exactly their gold items (on their snippets), among those refusing at least 90 % of the perturbed
statements, is kept. Those held-out figures are written beside the weights and printed.

Usage: python tools/fit_check.py [GOLD …] [--cache FILE] [--check]
"""

from __future__ import annotations

import argparse
import importlib
import json
import pickle
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from _data import analysed  # noqa: E402
from _gold import load_gold, on  # noqa: E402
from check import perturb_actor, perturb_date, perturb_negation, perturb_number  # noqa: E402
from triangulate.check import (  # noqa: E402
    SUPPORT_FEATURES,
    _analyse,
    _as_article,
    _context_facts,
    same_signals,
    source_units,
    support_signals,
    text_units,
)
from triangulate.corroborate.same import fit, probabilities  # noqa: E402
from triangulate.embed import embedder  # noqa: E402
from triangulate.language._nlp import MODEL_PACKAGE  # noqa: E402
from triangulate.store import open_store  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "propositions"
OUT = ROOT / "src" / "triangulate" / "data" / "check_support.json"
THRESHOLDS = [round(t, 2) for t in np.arange(0.05, 0.91, 0.05)]
L2 = 1.0
MIN_REFUSED = 0.9


def _units(statement: str, store):
    article = _as_article(statement)
    analysis = _analyse([article], None, store, None)[0]
    return [u for units in text_units(article, analysis).values() for u in units]


def story_rows(story, analyses, store, model, nlp) -> list[dict]:
    """Per statement (gold or perturbed): its features against every unit, labels, and what scoring needs."""
    articles = story.all_articles
    theirs = source_units(articles, [analyses[a.id] for a in articles], {a.id: a.id for a in articles})
    by_id = {a.id: analyses[a.id] for a in articles}
    facts = [_context_facts(t, by_id) for t in theirs]
    rows = []
    for proposition in story.propositions:
        statement = proposition["proposition"]
        changed = (
            perturb_number(statement),
            perturb_negation(statement, nlp),
            perturb_actor(statement, story, nlp),
            perturb_date(statement),
        )
        variants = [(statement, False)] + [(v, True) for v in changed if v]
        for text, perturbed in variants:
            ours = _units(text, store)
            if not ours or not theirs:
                continue
            signals = same_signals(ours, theirs, model, store)[: len(ours), len(ours) :]
            features, diffs = support_signals(ours, theirs, signals, facts)
            labels = np.zeros((len(ours), len(theirs)))
            if not perturbed:
                for j, unit in enumerate(theirs):
                    item = story.item_of(unit.article.id)
                    snippet = story.snippets.get((proposition["id"], item))
                    if snippet and on((unit.article.id, unit.field, unit.start, unit.end), snippet):
                        labels[:, j] = 1.0
            conflict = np.array([[any(d.theirs for d in row) for row in rows_] for rows_ in diffs])
            gold = {k for k in proposition["items"] if (proposition["id"], k) in story.snippets}
            rows.append({"story": story.story_id, "perturbed": perturbed, "features": features, "labels": labels,
                         "conflict": conflict, "items": [story.item_of(u.article.id) for u in theirs],
                         "gold": gold})  # fmt: skip
    return rows


def outcome(row, probability: np.ndarray, threshold: float) -> bool:
    """For a gold statement: supported by exactly its items, each by a unit on its snippet; for a perturbed one:
    supported by none."""
    ok = (probability >= threshold) & ~differ(row)
    best: dict[str, tuple[float, bool]] = {}
    for i, j in zip(*np.nonzero(ok), strict=True):
        item = row["items"][j]
        if probability[i, j] > best.get(item, (-1.0, False))[0]:
            best[item] = (probability[i, j], bool(row["labels"][i, j]))
    if row["perturbed"]:
        return not best
    return set(best) == row["gold"] and all(on_snippet for _, on_snippet in best.values())


DETAILS = [SUPPORT_FEATURES.index(k) for k in ("name_missing", "figure_missing", "date_missing")]


def differ(row) -> np.ndarray:
    """Pairs where a detail of the statement differs or is missing (they never support: ``check.judge``)."""
    return row["conflict"] | (row["features"][..., DETAILS] > 0).any(axis=-1)


def training(rows) -> tuple[np.ndarray, np.ndarray]:
    return (np.vstack([r["features"].reshape(-1, len(SUPPORT_FEATURES)) for r in rows]),
            np.concatenate([r["labels"].ravel() for r in rows]))  # fmt: skip


def cross_validate(by_story: list[list[dict]]) -> dict:
    tallies = {t: {"exact": [0, 0], "refused": [0, 0]} for t in THRESHOLDS}
    for k, rows in enumerate(by_story):
        coefficients, intercept = fit(*training([r for i, rs in enumerate(by_story) if i != k for r in rs]), l2=L2)
        for row in rows:
            probability = probabilities(row["features"], coefficients, intercept)
            for t in THRESHOLDS:
                tally = tallies[t]["refused" if row["perturbed"] else "exact"]
                tally[0] += outcome(row, probability, t)
                tally[1] += 1
    return {str(t): {k: round(a / max(b, 1), 3) for k, (a, b) in v.items()} for t, v in tallies.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("gold", nargs="*", default=[str(DATA / "allsides_dev.json"), str(DATA / "ecbplus_dev.json")])
    parser.add_argument("--cache", default=":memory:")
    parser.add_argument("--check", action="store_true", help="print the figures, write nothing")
    parser.add_argument("--rows", help="a pickle file keeping the scored pairs between runs (they take minutes)")
    args = parser.parse_args()
    if args.rows and Path(args.rows).exists():
        by_story = pickle.loads(Path(args.rows).read_bytes())
    else:
        store, model = open_store(args.cache), embedder()
        nlp = importlib.import_module(MODEL_PACKAGE).load()
        stories = [s for path in args.gold for s in load_gold(path)]
        analyses = analysed([a for s in stories for a in s.all_articles], store)
        by_story = [story_rows(s, analyses, store, model, nlp) for s in stories]
        if args.rows:
            Path(args.rows).write_bytes(pickle.dumps(by_story))
    figures = cross_validate(by_story)
    eligible = [t for t in THRESHOLDS if figures[str(t)]["refused"] >= MIN_REFUSED] or THRESHOLDS
    threshold = max(eligible, key=lambda t: (figures[str(t)]["exact"], -t))
    coefficients, intercept = fit(*training([r for rs in by_story for r in rs]), l2=L2)
    for t in THRESHOLDS:
        print(t, figures[str(t)])
    print("threshold", threshold, figures[str(threshold)])
    if not args.check:
        OUT.write_text(json.dumps({
            "about": "The check's support model: see tools/fit_check.py. Held-out: leave-one-story-out.",
            "gold": [Path(g).name for g in args.gold],
            "features": list(SUPPORT_FEATURES),
            "coefficients": [round(float(c), 5) for c in coefficients],
            "intercept": round(intercept, 5),
            "threshold": threshold,
            "held_out": figures[str(threshold)],
        }, indent=1) + "\n", encoding="utf-8")  # fmt: skip
        print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
