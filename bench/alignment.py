"""Claim alignment on ECB+: do we line up sentences that report the same event, across documents?

Gold (``../shared/data/README.md``): among the annotated sentences
(``ECBplus_coreference_sentences.csv``), two sentences from different documents
of the same sub-topic are a pair when they mention the same cross-document
event chain (``CROSS_DOC_COREF`` over action mentions).

Candidates: every pair of annotated sentences from different documents of the
same *topic*. Each topic is aligned as one story, so its two sub-topics (two
different events of the same kind: two earthquakes, two arrests) are mixed, as
they are when a story cluster is impure; pairs across the two sub-topics are
negatives. Within a sub-topic alone, 74 % of the pairs are gold and
"everything aligns" scores F1 0.85; the run prints that variant too.

Ours: ``triangulate.corroborate.align_claims`` with its fixed parameters; a
sentence pair is predicted when a claim of one and a claim of the other fall
in one group. Baseline, same run: TF-IDF cosine between the two sentences at its
best threshold (which flatters it: it is tuned on the answer).

Speed: the first 50 documents aligned as one story (analyses and embeddings
cached, as after ingest), alignment and status timed; target under 2 s.

Usage: python bench/alignment.py [DATA_DIR] [--cache FILE]   (default ../shared/data/ecbplus)
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _data import analysed, ecb_annotated_sentences, ecb_documents, ecb_event_chains
from triangulate.corroborate import Params, corroborate
from triangulate.embed import embedder
from triangulate.model import Article
from triangulate.store import open_store

STORY_SIZE = 50  # the speed run aligns this many documents as one story


def sentence_spans(article: Article, sentences: tuple[str, ...]) -> list[tuple[int, int] | None]:
    """Where each source sentence sits in the cleaned article text (None when cleaning dropped it)."""
    spans, position = [], 0
    for sentence in sentences:
        words = re.findall(r"\w+", sentence)
        if not words:
            spans.append(None)
            continue
        pattern = r"\W+".join(map(re.escape, words))
        match = re.compile(pattern).search(article.text, position) or re.compile(pattern).search(article.text)
        if match:
            spans.append((match.start(), match.end()))
            position = match.end()
        else:
            spans.append(None)
    return spans


def load(folder: Path) -> dict[str, list[dict]]:
    """Per topic: each document's article, its annotated sentences (number, text, span, sub-topic, chains)."""
    annotated = ecb_annotated_sentences(folder)
    topics: dict[str, list[dict]] = defaultdict(list)
    for doc in ecb_documents(folder):
        article = Article.build(doc.text, url=doc.url)
        chains = ecb_event_chains(doc.path)
        spans = sentence_spans(article, doc.sentences)
        marked = [
            {"key": (doc.name, n), "text": t, "span": s, "chains": frozenset(chains.get(n, ()))}
            for n, t, s in zip(doc.numbers, doc.sentences, spans, strict=True)
            if (doc.name, n) in annotated and s is not None
        ]
        topics[doc.topic].append({"article": article, "subtopic": doc.subtopic, "sentences": marked})
    return topics


def candidate_pairs(docs: list[dict], within_subtopic: bool) -> list[tuple[dict, dict, dict, dict]]:
    flat = [(d, s) for d in docs for s in d["sentences"]]
    pairs = []
    for i, (da, sa) in enumerate(flat):
        for db, sb in flat[i + 1 :]:
            if da is db or (within_subtopic and da["subtopic"] != db["subtopic"]):
                continue
            pairs.append((da, sa, db, sb))
    return pairs


def gold(pair) -> bool:
    da, sa, db, sb = pair
    return da["subtopic"] == db["subtopic"] and bool(sa["chains"] & sb["chains"])


def prf(predicted: list[bool], truth: list[bool]) -> tuple[float, float, float]:
    tp = sum(p and t for p, t in zip(predicted, truth, strict=True))
    fp = sum(p and not t for p, t in zip(predicted, truth, strict=True))
    fn = sum(t and not p for p, t in zip(predicted, truth, strict=True))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    return precision, recall, (2 * precision * recall / (precision + recall) if precision + recall else 0.0)


def tfidf_vectors(texts: list[str]) -> dict[str, dict[str, float]]:
    docs = {t: Counter(re.findall(r"[a-z]{2,}", t.lower())) for t in texts}
    df = Counter(w for d in docs.values() for w in d)
    n = len(docs)
    vectors = {}
    for text, counts in docs.items():
        v = {w: (1 + math.log(c)) * math.log(n / df[w]) for w, c in counts.items()}
        norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
        vectors[text] = {w: x / norm for w, x in v.items()}
    return vectors


def baseline(pairs: list, truth: list[bool], vectors: dict) -> tuple[float, float, float, float]:
    """Best (P, R, F1, threshold) of TF-IDF cosine over thresholds 0.0–0.95."""
    cosines = [
        sum(x * vectors[sb["text"]].get(w, 0.0) for w, x in vectors[sa["text"]].items()) for _, sa, _, sb in pairs
    ]
    best = (0.0, 0.0, 0.0, 0.0)
    for threshold in np.arange(0.0, 0.96, 0.025):
        p, r, f1 = prf([c >= threshold for c in cosines], truth)
        if f1 > best[2]:
            best = (p, r, f1, float(threshold))
    return best


def ours(docs: list[dict], analyses: dict, model, store, params: Params) -> set[tuple]:
    """Sentence-key pairs our claim groups put together."""
    articles = [d["article"] for d in docs]
    found = corroborate(articles, [analyses[a.id] for a in articles], model, store, params)
    sentence_of = {}
    for doc in docs:
        for sentence in doc["sentences"]:
            sentence_of.setdefault(doc["article"].id, []).append(sentence)
    linked = set()
    for group in found.claims:
        keys = set()
        for w in group.members:
            for s in sentence_of.get(w.article_id, []):
                if s["span"][0] < w.end and w.start < s["span"][1]:
                    keys.add(s["key"])
        for a in keys:
            for b in keys:
                if a < b:
                    linked.add((a, b))
    return linked


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("data", nargs="?", default="../shared/data/ecbplus")
    parser.add_argument("--cache", default=":memory:", help="an SQLite file that keeps analyses and embeddings")
    args = parser.parse_args()
    topics = load(Path(args.data))
    store = open_store(args.cache)
    model = embedder()
    params = Params()
    articles = [d["article"] for docs in topics.values() for d in docs]
    analyses = analysed(articles, store)
    started = time.perf_counter()
    linked = set()
    for docs in topics.values():
        linked |= ours(docs, analyses, model, store, params)
    seconds = time.perf_counter() - started
    vectors = tfidf_vectors([s["text"] for docs in topics.values() for d in docs for s in d["sentences"]])
    result: dict = {"params": params.__dict__, "seconds_align": round(seconds, 1)}
    for name, within in (("topic", False), ("subtopic", True)):
        pairs = [p for docs in topics.values() for p in candidate_pairs(docs, within)]
        truth = [gold(p) for p in pairs]
        predicted = [tuple(sorted((sa["key"], sb["key"]))) in linked for _, sa, _, sb in pairs]
        p, r, f1 = prf(predicted, truth)
        bp, br, bf1, threshold = baseline(pairs, truth, vectors)
        result[name] = {
            "pairs": len(pairs), "gold_pairs": sum(truth),
            "precision": round(p, 3), "recall": round(r, 3), "f1": round(f1, 3),
            "baseline_tfidf_precision": round(bp, 3), "baseline_tfidf_recall": round(br, 3),
            "baseline_tfidf_f1": round(bf1, 3), "baseline_threshold": round(threshold, 3),
            "f1_over_baseline": round(f1 - bf1, 3),
        }  # fmt: skip
        print(
            f"{name}: {len(pairs)} candidate pairs, {sum(truth)} gold; ours P {p:.3f} R {r:.3f} F1 {f1:.3f}; "
            f"TF-IDF cosine baseline P {bp:.3f} R {br:.3f} F1 {bf1:.3f} at {threshold:.2f}"
        )
    fifty = articles[:STORY_SIZE]
    corroborate(fifty, [analyses[a.id] for a in fifty], model, store, params)  # fills the embedding cache
    started = time.perf_counter()
    found = corroborate(fifty, [analyses[a.id] for a in fifty], model, store, params)
    result["story_of_50"] = {
        "articles": len(fifty), "claims": sum(len(analyses[a.id].claims) for a in fifty),
        "claim_groups": len(found.claims), "quote_groups": len(found.quotes),
        "seconds": round(time.perf_counter() - started, 2),
    }  # fmt: skip
    print(
        f"a story of {len(fifty)} ECB+ documents ({result['story_of_50']['claims']} claims), analysed and embedded: "
        f"alignment and status in {result['story_of_50']['seconds']} s (target < 2 s)"
    )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
