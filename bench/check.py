"""Checking a text against its sources, on the proposition gold: supported by exactly the right items and spans;
perturbed statements refused; statements of other stories unsupported.

    python bench/check.py [GOLD] [--cache FILE]

GOLD defaults to ``../shared/data/propositions/allsides_dev.json``. Each gold proposition's statement (its
normalised wording) is checked against its story's items, all statements of a story in one text of one paragraph
each, as a user would paste them:

- **exact**: the statement is supported, by exactly the gold items, each with a span on its gold snippet
  (overlap of half the shorter, as in ``bench/propositions.py``);
- **perturbed**: the statements changed by the rules below must come out contradicted or unsupported (a
  figure per kind);
- **other stories**: each story's statements checked against the next story's items must be unsupported.

Perturbation rules (each applied where the statement allows it, the first match only):

- ``number``: a figure in digits or words changed beyond its precision (n → 2n + 3; "two" → "seven");
- ``negation``: the main verb negated ("was" → "was not", "pledged" → "did not pledge"), or a "not" taken out;
- ``actor``: the first person (else organisation, else place) the statement names replaced by another of the
  same kind that the story's items name and the statement does not;
- ``date``: a weekday moved to the next, a month three on, a year three back.

Beside it, in the same run, the TF-IDF baseline: an item supports when its best sentence's cosine with the
statement reaches a threshold (the best one for the exact score).
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from _data import analysed
from _gold import GoldStory, load_gold, on
from triangulate.check import check, sentence_verdict
from triangulate.language.sentences import sentence_bounds
from triangulate.store import open_store

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "data" / "propositions" / "allsides_dev.json"
REFUSED = ("contradicted", "unsupported")
_NUMBER_WORDS = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"]
_WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"]  # fmt: skip
_AUX = {"is", "was", "are", "were", "has", "have", "had", "will", "would", "can", "could", "should", "may", "might",
        "must", "did", "does", "do"}  # fmt: skip


# -- perturbations --------------------------------------------------------------------------------


def perturb_number(statement: str) -> str | None:
    for match in re.finditer(r"(?<![\w.])(\d[\d,]*)(?![\d\w])", statement):
        digits = match.group(1).replace(",", "")
        if 1900 <= int(digits) <= 2100:
            continue  # a year: the date rule moves those
        return statement[: match.start()] + f"{2 * int(digits) + 3:,}" + statement[match.end() :]
    for i, word in enumerate(_NUMBER_WORDS):
        match = re.search(rf"\b{word}\b", statement, re.I)
        if match:
            return statement[: match.start()] + _NUMBER_WORDS[(i + 5) % 12] + statement[match.end() :]
    return None


def perturb_negation(statement: str, nlp) -> str | None:
    doc = nlp(statement)
    for token in doc:
        if token.lower_ in ("not", "n't", "never") and token.dep_ == "neg":
            return (statement[: token.idx] + statement[token.idx + len(token) :].lstrip()).replace("  ", " ")
    root = next((t for t in doc if t.dep_ == "ROOT"), None)
    if root is None:
        return None
    aux = [c for c in root.children if c.dep_ in ("aux", "auxpass") and c.lower_ in _AUX]
    if root.lower_ in _AUX and root.pos_ in ("AUX", "VERB"):
        aux = [root]
    if aux:
        end = aux[0].idx + len(aux[0])
        return statement[:end] + " not" + statement[end:]
    if root.pos_ != "VERB":
        return None
    helper = {"VBD": "did", "VBZ": "does", "VBP": "do"}.get(root.tag_)
    if helper is None:
        return None
    return statement[: root.idx] + f"{helper} not {root.lemma_}" + statement[root.idx + len(root) :]


def _proper(name: str) -> bool:
    """A proper name, not a common word the recogniser took for one ("Vaccine", "Stands Up"): every word
    capitalised, one of them rare."""
    from triangulate.words import zipf

    words = re.findall(r"[^\W\d_][\w'’.-]*", name)
    return bool(words) and all(w[0].isupper() for w in words) and any(zipf(w.lower()) < 4.0 for w in words)


def perturb_actor(statement: str, story: GoldStory, nlp) -> str | None:
    mine = nlp(statement).ents
    names = Counter()
    for article in story.all_articles:
        for ent in nlp(f"{article.title}\n{article.text[:4000]}").ents:
            names[ent.label_, ent.text] += 1
    for label in ("PERSON", "ORG", "GPE"):
        ours = [e for e in mine if e.label_ == label]
        if not ours:
            continue
        target = ours[0]
        taken = {w.lower() for e in mine for w in e.text.split()}
        rivals = sorted(
            ((n, text) for (lab, text), n in names.items()
             if lab == label and not taken & {w.lower() for w in text.split()} and _proper(text)),
            key=lambda x: (-x[0], x[1]),
        )  # fmt: skip
        if rivals:
            return statement[: target.start_char] + rivals[0][1] + statement[target.end_char :]
    return None


def perturb_date(statement: str) -> str | None:
    for i, day in enumerate(_WEEKDAYS):
        match = re.search(rf"\b{day}\b", statement)
        if match:
            return statement[: match.start()] + _WEEKDAYS[(i + 1) % 7] + statement[match.end() :]
    for i, month in enumerate(_MONTHS):
        match = re.search(rf"\b{month}\b", statement)
        if match:
            return statement[: match.start()] + _MONTHS[(i + 3) % 12] + statement[match.end() :]
    match = re.search(r"\b(19|20)\d\d\b", statement)
    if match:
        return statement[: match.start()] + str(int(match.group()) - 3) + statement[match.end() :]
    return None


# -- running the check ----------------------------------------------------------------------------


def verdicts(statements: list[str], story: GoldStory, analyses: dict, store) -> list[tuple[str, list]]:
    """Each statement's verdict and supporting evidence, all checked in one text (one paragraph each)."""
    if not statements:
        return []
    articles = story.all_articles
    text = "\n\n".join(s.strip() for s in statements)
    report = check(text, articles, [analyses[a.id] for a in articles], store=store)
    bounds, at = [], 0
    for statement in statements:
        start = report.text.index(statement.strip(), at)
        bounds.append((start, start + len(statement.strip())))
        at = bounds[-1][1]
    out = []
    for start, end in bounds:
        propositions = [p for s in report.sentences if start <= s.start < end for p in s.propositions]
        verdict = sentence_verdict(propositions)
        out.append((verdict, [e for p in propositions for e in p.support]))
    return out


def exact(story: GoldStory, proposition: dict, verdict: str, evidence: list) -> bool:
    """Supported by exactly the gold items, each with a span on its gold snippet."""
    if verdict != "supported":
        return False
    items = {story.item_of(e.article_id) for e in evidence}
    gold = {k for k in proposition["items"] if (proposition["id"], k) in story.snippets}
    if items != gold:
        return False
    spans = [(e.article_id, e.field, e.start, e.end) for e in evidence]
    return all(any(on(s, story.snippets[proposition["id"], k]) for s in spans) for k in gold)


# -- the TF-IDF baseline --------------------------------------------------------------------------


def _vector(counts: Counter, df: Counter, n: int) -> dict[str, float]:
    v = {w: (1 + math.log(c)) * math.log((1 + n) / (1 + df[w])) for w, c in counts.items()}
    norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
    return {w: x / norm for w, x in v.items()}


def baseline_scores(story: GoldStory, statements: list[str]) -> list[dict[str, tuple[float, tuple]]]:
    """For each statement, per item: the best TF-IDF cosine of one of its sentences (or headline) and that span."""
    units = []
    for key, articles in story.articles.items():
        for article in articles:
            units.append((key, (article.id, "title", 0, len(article.title)), article.title))
            for start, end in sentence_bounds(article.text):
                units.append((key, (article.id, "text", start, end), article.text[start:end]))
    tokens = [Counter(re.findall(r"[a-z0-9]{2,}", t.lower())) for *_, t in units]
    asked = [Counter(re.findall(r"[a-z0-9]{2,}", s.lower())) for s in statements]
    df = Counter(w for d in tokens + asked for w in d)
    n = len(tokens) + len(asked)
    vectors = [_vector(c, df, n) for c in tokens]
    out = []
    for counts in asked:
        q = _vector(counts, df, n)
        best: dict[str, tuple[float, tuple]] = {}
        for (key, span, _), v in zip(units, vectors, strict=True):
            c = sum(x * v.get(w, 0.0) for w, x in q.items())
            if c > best.get(key, (-1.0, None))[0]:
                best[key] = (c, span)
        out.append(best)
    return out


def _baseline_verdict(scores: dict, threshold: float) -> list:
    return [(k, span) for k, (c, span) in scores.items() if c >= threshold]


def baseline(runs: list[tuple], threshold: float | None = None) -> dict:
    """Exact share at the best (or the given) threshold, and the perturbed and other-story refusals at it."""

    def exact_at(t):
        right = 0
        for story, proposition, scores, _, _ in runs:
            chosen = _baseline_verdict(scores, t)
            gold = {k for k in proposition["items"] if (proposition["id"], k) in story.snippets}
            right += {k for k, _ in chosen} == gold and all(
                on(span, story.snippets[proposition["id"], k]) for k, span in chosen
            )
        return right / max(len(runs), 1)

    if threshold is None:
        threshold = max((t / 40 for t in range(1, 40)), key=exact_at)
    perturbed = [not _baseline_verdict(p, threshold) for *_, ps, _ in runs for p in ps]
    other = [not _baseline_verdict(o, threshold) for *_, o in runs if o is not None]
    return {
        "threshold": round(threshold, 3),
        "exact": round(exact_at(threshold), 3),
        "perturbed_refused": round(sum(perturbed) / max(len(perturbed), 1), 3),
        "other_story_unsupported": round(sum(other) / max(len(other), 1), 3),
    }


def speed(ecbplus: Path, store) -> dict:
    """Seconds to check a 700-word text against a 20-article story already analysed (ECB+, the largest
    sub-topic; the text is sentences of its other documents, then of its own)."""
    from collections import defaultdict

    from _data import ecb_documents
    from triangulate.ingest.text import read_text

    by_subtopic = defaultdict(list)
    for doc in ecb_documents(ecbplus):
        by_subtopic[doc.subtopic].append(doc)
    docs = max(by_subtopic.values(), key=len)
    articles = [a for doc in docs[:20] for a in read_text(doc.text, item=doc.name)]
    analyses = analysed(articles, store)
    sentences = []
    for sentence in (s for doc in docs[20:] + docs[:20] for s in doc.sentences):
        if sum(len(x.split()) for x in sentences) >= 700:
            break
        sentences.append(sentence)
    text = "\n\n".join(sentences)
    made = [analyses[a.id] for a in articles]
    check(text, articles, made, store=store)  # the first call embeds the story's sentences (kept in the store)
    runs = []
    for _ in range(3):
        started = time.perf_counter()
        check(text, articles, made, store=store)
        runs.append(time.perf_counter() - started)
    return {"articles": len(articles), "words": len(text.split()), "seconds": round(sorted(runs)[1], 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("gold", nargs="?", default=str(DEFAULT))
    parser.add_argument("--cache", default=":memory:", help="an SQLite file that keeps analyses and embeddings")
    parser.add_argument("--limit", type=int, default=0, help="only the first N stories (a smoke run)")
    parser.add_argument("--verbose", action="store_true", help="print every statement that fails")
    args = parser.parse_args()
    import importlib

    from triangulate.language._nlp import MODEL_PACKAGE

    nlp = importlib.import_module(MODEL_PACKAGE).load()  # the whole pipeline: the negation rule needs lemmas
    stories = load_gold(args.gold)[: args.limit or None]
    store = open_store(args.cache)
    analyses = analysed([a for s in stories for a in s.all_articles], store)
    started = time.perf_counter()
    right, total = 0, 0
    by_kind: dict[str, list[bool]] = {k: [] for k in ("number", "negation", "actor", "date")}
    other_verdicts: Counter = Counter()
    verdict_counts: Counter = Counter()
    runs = []
    for index, story in enumerate(stories):
        statements = [p["proposition"] for p in story.propositions]
        results = verdicts(statements, story, analyses, store)
        base = baseline_scores(story, statements)
        changed = {
            "number": [perturb_number(s) for s in statements],
            "negation": [perturb_negation(s, nlp) for s in statements],
            "actor": [perturb_actor(s, story, nlp) for s in statements],
            "date": [perturb_date(s) for s in statements],
        }
        base_perturbed: list[list] = [[] for _ in statements]
        for kind, variants in changed.items():
            asked = [(i, v) for i, v in enumerate(variants) if v]
            judged = verdicts([v for _, v in asked], story, analyses, store)
            for (_, variant), (verdict, _) in zip(asked, judged, strict=True):
                by_kind[kind].append(verdict in REFUSED)
                if args.verbose and verdict not in REFUSED:
                    print(f"  perturbed ({kind}) still {verdict}: {variant}")
            for (i, _), scores in zip(asked, baseline_scores(story, [v for _, v in asked]), strict=True):
                base_perturbed[i].append(scores)
        neighbour = stories[(index + 1) % len(stories)] if len(stories) > 1 else None
        other = verdicts(statements, neighbour, analyses, store) if neighbour else []
        other_base = baseline_scores(neighbour, statements) if neighbour else [None] * len(statements)
        other_verdicts.update(v for v, _ in other)
        story_right = 0
        for n, (proposition, (verdict, evidence)) in enumerate(zip(story.propositions, results, strict=True)):
            verdict_counts[verdict] += 1
            ok = exact(story, proposition, verdict, evidence)
            story_right += ok
            if args.verbose and not ok:
                items = sorted({story.item_of(e.article_id) for e in evidence})
                print(f"  {proposition['id']} {verdict} by {items} (gold {sorted(proposition['items'])}): "
                      f"{proposition['proposition']}")  # fmt: skip
            runs.append((story, proposition, base[n], base_perturbed[n], other_base[n]))
        right += story_right
        total += len(results)
        print(f"story {story.story_id}: exact {story_right}/{len(results)}")
    seconds = time.perf_counter() - started
    refused = [x for xs in by_kind.values() for x in xs]
    result = {
        "gold": Path(args.gold).name,
        "stories": len(stories),
        "statements": total,
        "exact": round(right / max(total, 1), 3),
        "verdicts": dict(sorted(verdict_counts.items())),
        "perturbed_refused": round(sum(refused) / max(len(refused), 1), 3),
        "perturbed_by_kind": {
            k: {"refused": round(sum(v) / max(len(v), 1), 3), "n": len(v)} for k, v in by_kind.items()
        },
        "other_story_unsupported": round(other_verdicts["unsupported"] / max(sum(other_verdicts.values()), 1), 3),
        "other_story_verdicts": dict(sorted(other_verdicts.items())),
        "seconds": round(seconds, 1),
        "baseline_tfidf": baseline(runs),
    }
    ecbplus = Path(args.gold).resolve().parent.parent / "ecbplus"
    if ecbplus.is_dir() and not args.limit:
        result["speed_700_words_20_articles"] = speed(ecbplus, store)
    base = result["baseline_tfidf"]
    print(
        f"exact {result['exact']} (TF-IDF {base['exact']}); perturbed refused {result['perturbed_refused']} "
        f"(TF-IDF {base['perturbed_refused']}); other stories unsupported {result['other_story_unsupported']} "
        f"(TF-IDF {base['other_story_unsupported']})"
    )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
