"""Proposition alignment on the hand-made gold: do our claim and quote groups line up what outlets state alike?

Each gold story's items go through the normal pipeline (the text reader, the language layer, corroboration of
the story's articles); every gold snippet is located in the stored text or headline, and the groups are scored
by pairs of items (``bench/_gold.py``):

- pair precision, recall and F1: a gold pair is found when its two snippets share a claim or quote group; a
  system pair (two members of one group, of different items, both on gold snippets) is right when they state
  one gold proposition;
- the multi-outlet propositions left single-source (no group with a shared status holds two of its snippets);
- contradictions found (a contested group with one side's snippet among its members and another side's among
  its opposing wordings) and false "contested" groups per story.

Baseline, same run: TF-IDF cosine of whole sentences (the headline counts as one), a pair linked when the
cosine clears a threshold, at its best threshold on this very data (which flatters it), and at the best
threshold that is at least as precise as ours. Published on the AllSides gold: P 0.78, R 0.68, F1 0.73.

The shipped model was fitted on ``allsides_dev.json`` and ``ecbplus_dev.json`` (see the weights file); on
those files this run is in-sample, and ``tools/fit_same_proposition.py`` prints the leave-one-story-out figures.

Usage: python bench/propositions.py [GOLD] [--cache FILE]   (default ../shared/data/propositions/allsides_dev.json)
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
import time
from collections import Counter
from itertools import combinations
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _data import analysed
from _gold import GoldStory, Tally, load_gold, on, score_story
from triangulate.corroborate import corroborate
from triangulate.embed import embedder
from triangulate.language.sentences import sentence_bounds
from triangulate.store import open_store

DEFAULT = "../shared/data/propositions/allsides_dev.json"


def sentence_units(story: GoldStory) -> list[tuple[tuple, str]]:
    """Every sentence of every item, and each headline, as (span, text)."""
    units = []
    for article in story.all_articles:
        units.append(((article.id, "title", 0, len(article.title)), article.title))
        for s, e in sentence_bounds(article.text):
            units.append(((article.id, "text", s, e), article.text[s:e]))
    return units


def _tfidf(texts: list[str]) -> list[dict[str, float]]:
    docs = [Counter(re.findall(r"[a-z0-9]{2,}", t.lower())) for t in texts]
    df = Counter(w for d in docs for w in d)
    out = []
    for counts in docs:
        v = {w: (1 + math.log(c)) * math.log(len(docs) / df[w]) for w, c in counts.items()}
        norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
        out.append({w: x / norm for w, x in v.items()})
    return out


def baseline(stories: list[GoldStory], at_precision: float = 0.0) -> dict:
    """TF-IDF sentence cosine at its best threshold (of those reaching ``at_precision``): P, R, F1, threshold."""
    per_story = [sentence_units(s) for s in stories]
    vectors = iter(_tfidf([t for units in per_story for _, t in units]))
    gold_best: list[float] = []  # per gold pair: the best cosine of two sentences on its snippets
    system: list[tuple[float, bool]] = []  # per sentence pair on gold snippets: cosine, right
    for story, units in zip(stories, per_story, strict=True):
        vecs = [next(vectors) for _ in units]
        item = {a.id: k for k, arts in story.articles.items() for a in arts}
        props = [(u, {p for (p, k), s in story.snippets.items() if k == item[u[0][0]] and on(u[0], s)}) for u in units]
        cos = {}
        for i, j in combinations(range(len(units)), 2):
            if item[units[i][0][0]] != item[units[j][0][0]]:
                c = sum(x * vecs[j].get(w, 0.0) for w, x in vecs[i].items())
                cos[i, j] = cos[j, i] = c
                if props[i][1] and props[j][1]:
                    system.append((c, bool(props[i][1] & props[j][1])))
        for proposition in story.propositions:
            keys = [k for k in proposition["items"] if (proposition["id"], k) in story.snippets]
            for a, b in combinations(keys, 2):
                sa, sb = story.snippets[proposition["id"], a], story.snippets[proposition["id"], b]
                on_a = [i for i, (u, _) in enumerate(units) if on(u, sa)]
                on_b = [j for j, (u, _) in enumerate(units) if on(u, sb)]
                gold_best.append(max((cos.get((i, j), -1.0) for i in on_a for j in on_b), default=-1.0))
    best = {"f1": 0.0}
    for threshold in np.arange(0.0, 0.96, 0.025):
        found = sum(c >= threshold for c in gold_best)
        chosen = [right for c, right in system if c >= threshold]
        p = sum(chosen) / len(chosen) if chosen else 0.0
        r = found / len(gold_best) if gold_best else 0.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        if f1 > best["f1"] and p >= at_precision:
            best = {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f1, 3), "threshold": threshold}
    best["threshold"] = round(float(best.get("threshold", 0.0)), 3)
    return best


def run(stories: list[GoldStory], store, model, verbose: bool = True) -> tuple[Tally, float]:
    articles = [a for s in stories for a in s.all_articles]
    analyses = analysed(articles, store)
    total, seconds = Tally(), 0.0
    for story in stories:
        members = story.all_articles
        started = time.perf_counter()
        found = corroborate(members, [analyses[a.id] for a in members], model, store)
        seconds += time.perf_counter() - started
        tally = score_story(story, found)
        total.add(tally)
        if verbose:
            f = tally.figures()
            print(
                f"story {story.story_id}: pairs {f['found_pairs']}/{f['gold_pairs']} found, "
                f"{f['right_pairs']}/{f['system_pairs']} right; single-source {f['multi_outlet_single_source']}/"
                f"{f['multi_outlet']}; contradictions {f['contradictions_found']}/{f['contradictions']}, "
                f"false contested {f['false_contested']}"
            )
    return total, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("gold", nargs="?", default=DEFAULT)
    parser.add_argument("--cache", default=":memory:", help="an SQLite file that keeps analyses and embeddings")
    args = parser.parse_args()
    stories = load_gold(args.gold)
    store = open_store(args.cache)
    total, seconds = run(stories, store, embedder())
    result = {"gold": Path(args.gold).name, "stories": len(stories), **total.figures()}
    result["seconds_corroborate"] = round(seconds, 2)
    result["baseline_tfidf"] = baseline(stories)
    result["baseline_tfidf_at_our_precision"] = baseline(stories, result["precision"])
    print(
        f"ours: P {result['precision']} R {result['recall']} F1 {result['f1']}; TF-IDF sentence cosine at its best "
        f"threshold: P {result['baseline_tfidf']['precision']} R {result['baseline_tfidf']['recall']} "
        f"F1 {result['baseline_tfidf']['f1']}; at our precision or better: "
        f"R {result['baseline_tfidf_at_our_precision'].get('recall', 0.0)} "
        f"F1 {result['baseline_tfidf_at_our_precision']['f1']}"
    )
    print(
        f"multi-outlet propositions left single-source: {result['multi_outlet_single_source']}/"
        f"{result['multi_outlet']}; contradictions found {result['contradictions_found']}/{result['contradictions']}, "
        f"false contested {result['false_contested']} (at most {result['false_contested_max_per_story']} in a story)"
    )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
