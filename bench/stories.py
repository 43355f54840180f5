"""Story clustering on ECB+ (by sub-topic) and AllSides (by story), beside a TF-IDF baseline.

ECB+: all 772 documents of topics 1–35 are clustered together; the gold
clusters are the 70 sub-topics (each topic's ``ecb`` and ``ecbplus`` halves
report different events of the same kind). The documents carry no publication
dates, so time plays no part there. AllSides: the left, centre and right items
of all 253 stories are mixed and the stories recovered. The release gives one
date per story; each item is dated that day moved by a seeded −1, 0 or +1 days,
as outlets publish a story over a couple of days. The same run reports AllSides
without any dates too. Both corpora use one setting of
:class:`triangulate.stories.Params` (printed). The baseline is TF-IDF cosine with
average-link agglomerative clustering at its best threshold per corpus (which
flatters it: it is tuned on the answer). Arrival order: the run is repeated in
three shuffled orders and the spread of B³ F1 printed.

Usage: python bench/stories.py [DATA_DIR] [--cache FILE]
  (default ../shared/data; --cache keeps the language analyses and embeddings
  in an SQLite store between runs)
"""

from __future__ import annotations

import argparse
import json
import math
import random
import re
import sys
import time
from collections import Counter, defaultdict
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _data import analysed, ecb_documents
from triangulate.embed import embedder
from triangulate.model import Article
from triangulate.store import open_store
from triangulate.stories import Params, StoryIndex
from triangulate.stories.build import signals

SHUFFLES = 3


def ecb_items(folder: Path) -> list[tuple[Article, str]]:
    return [(Article.build(doc.text, url=doc.url), doc.subtopic) for doc in ecb_documents(folder)]


def allsides_items(folder: Path, dated: bool = True) -> list[tuple[Article, str]]:
    rng = random.Random(3)
    items = []
    for line in (folder / "stories.jsonl").read_text(encoding="utf-8").splitlines():
        story = json.loads(line)
        for _, news in sorted(story.get("news", {}).items()):
            body = news.get("newBody") or ""
            body = "\n\n".join(p.strip() for p in body if p.strip()) if isinstance(body, list) else body.strip()
            if not body:
                continue
            day = date.fromisoformat(story["date"][:10]) + timedelta(days=rng.randint(-1, 1))
            meta = {"title": news.get("newsTitle") or None, "outlet": news.get("newsSource")}
            if dated:
                meta["published"] = day.isoformat()
            items.append((Article.build(body, **meta), str(story["id"])))
    return items


def b_cubed(predicted: list, gold: list) -> tuple[float, float, float]:
    by_pred, by_gold = defaultdict(set), defaultdict(set)
    for i, (p, g) in enumerate(zip(predicted, gold, strict=True)):
        by_pred[p].add(i)
        by_gold[g].add(i)
    precision = recall = 0.0
    for p, g in zip(predicted, gold, strict=True):
        both = len(by_pred[p] & by_gold[g])
        precision += both / len(by_pred[p])
        recall += both / len(by_gold[g])
    n = len(gold)
    precision, recall = precision / n, recall / n
    return precision, recall, 2 * precision * recall / (precision + recall)


def ari(predicted: list, gold: list) -> float:
    pairs = Counter(zip(predicted, gold, strict=True))

    def comb(n):
        return n * (n - 1) / 2

    index = sum(comb(n) for n in pairs.values())
    a = sum(comb(n) for n in Counter(predicted).values())
    b = sum(comb(n) for n in Counter(gold).values())
    expected = a * b / comb(len(gold))
    top = (a + b) / 2
    return (index - expected) / (top - expected) if top != expected else 1.0


def tfidf_baseline(texts: list[str], gold: list) -> tuple[float, float]:
    """Best B³ F1 of TF-IDF + average-link clustering over thresholds 0.05–0.95; (F1, threshold)."""
    docs = [Counter(w for w in re.findall(r"[a-z]{2,}", t.lower())) for t in texts]
    df = Counter(w for d in docs for w in d)
    vocab = {w: i for i, w in enumerate(w for w, n in df.items() if n >= 2)}
    matrix = np.zeros((len(docs), len(vocab)), dtype=np.float32)
    for row, d in enumerate(docs):
        for w, n in d.items():
            if w in vocab:
                matrix[row, vocab[w]] = (1 + math.log(n)) * math.log(len(docs) / df[w])
    matrix /= np.linalg.norm(matrix, axis=1, keepdims=True) + 1e-9
    merges = _average_link(matrix @ matrix.T, stop=0.05)
    best = (0.0, 0.0)
    for threshold in np.arange(0.05, 0.96, 0.025):
        f1 = b_cubed(_cut(merges, len(docs), threshold), gold)[2]
        best = max(best, (f1, float(threshold)))
    return best


def _cut(merges: list[tuple[float, int, int]], n: int, threshold: float) -> list[int]:
    """Cluster labels after applying the merges at or above ``threshold``."""
    parent = list(range(n))

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for similarity, a, b in merges:
        if similarity >= threshold:
            parent[find(a)] = find(b)
    return [find(i) for i in range(n)]


def _average_link(similarity: np.ndarray, stop: float) -> list[tuple[float, int, int]]:
    """Average-link merges in order, as (similarity, a representative, b representative)."""
    sim = similarity.astype(np.float64)
    np.fill_diagonal(sim, -np.inf)
    size = np.ones(len(sim))
    merges = []
    while True:
        i, j = divmod(int(np.argmax(sim)), len(sim))
        if sim[i, j] < stop:
            return merges
        merges.append((float(sim[i, j]), i, j))
        row = (size[i] * sim[i] + size[j] * sim[j]) / (size[i] + size[j])
        sim[i], sim[:, i] = row, row
        sim[i, i] = -np.inf
        sim[j], sim[:, j] = -np.inf, -np.inf
        size[i] += size[j]


def prepared(items: list[tuple[Article, str]], store) -> list:
    """Signals of the items, in corpus order (analyses and embeddings cached in ``store``)."""
    articles = [a for a, _ in items]
    known = analysed(articles, store)
    return signals(articles, [known[a.id] for a in articles], embedder(), store)


def clustered(found: list, params: Params, order: list[int]) -> tuple[list[str], float]:
    index = StoryIndex(params)
    started = time.perf_counter()
    for i in order:
        index.add(found[i])
    index.refine(params.rounds)
    seconds = time.perf_counter() - started
    return [index.story_of[s.article_id] for s in found], seconds


def evaluate(name: str, items: list[tuple[Article, str]], found: list, params: Params) -> dict:
    gold = [g for _, g in items]
    predicted, seconds = clustered(
        found, params, sorted(range(len(found)), key=lambda i: (found[i].day or date.max, i))
    )
    p, r, f1 = b_cubed(predicted, gold)
    shuffled = []
    for seed in range(SHUFFLES):
        order = list(range(len(found)))
        random.Random(seed).shuffle(order)
        shuffled.append(b_cubed(clustered(found, params, order)[0], gold)[2])
    base_f1, base_threshold = tfidf_baseline([f"{a.title}\n{a.text}" for a, _ in items], gold)
    result = {
        "items": len(items), "gold_clusters": len(set(gold)), "clusters": len(set(predicted)),
        "b3_precision": round(p, 3), "b3_recall": round(r, 3), "b3_f1": round(f1, 3),
        "ari": round(ari(predicted, gold), 3),
        "shuffled_b3_f1": [round(x, 3) for x in shuffled],
        "order_spread": round(max(*shuffled, f1) - min(*shuffled, f1), 3),
        "baseline_tfidf_b3_f1": round(base_f1, 3), "baseline_threshold": round(base_threshold, 3),
        "articles_per_second": round(len(items) / seconds, 1),
    }  # fmt: skip
    print(
        f"{name}: {len(items)} items, {len(set(gold))} gold clusters, {len(set(predicted))} found; "
        f"B³ P {p:.3f} R {r:.3f} F1 {f1:.3f}, ARI {result['ari']:.3f}; shuffled F1 {result['shuffled_b3_f1']}; "
        f"TF-IDF average-link baseline F1 {base_f1:.3f} at {base_threshold:.2f}; "
        f"{result['articles_per_second']} articles/s with embeddings cached"
    )
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("data", nargs="?", default="../shared/data")
    parser.add_argument("--cache", default=":memory:", help="an SQLite file that keeps analyses and embeddings")
    args = parser.parse_args()
    folder = Path(args.data)
    params = Params()
    store = open_store(args.cache)
    result: dict = {"params": params.__dict__}
    corpora = {
        "ecb_subtopics": ecb_items(folder / "ecbplus"),
        "allsides": allsides_items(folder / "allsides"),
    }
    for name, items in corpora.items():
        result[name] = evaluate(name, items, prepared(items, store), params)
    undated = allsides_items(folder / "allsides", dated=False)
    found = [replace(s, day=None) for s in prepared(corpora["allsides"], store)]
    result["allsides_undated"] = evaluate("allsides without dates", undated, found, params)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
