"""The brief on AllSides: ROUGE against the human neutral roundup, beside lead-3, and a neutrality figure.

For each of the 253 stories, the left, centre and right items (title and
opening sentences) are analysed, corroborated and briefed as one story. Ours
is the brief's headline, lead and key takeaways; the baseline is lead-3, the
first three sentences of the centre outlet's item. Both are scored against the
human roundup with ROUGE-1, ROUGE-2 and ROUGE-L F1 (lower-cased word tokens,
no stemming, no stop-word removal; our own implementation of the standard
definitions).

Neutrality: a *loaded* word of a story is a word of one side's title that the
other two titles do not use (wordfreq Zipf below 5.5, so function words never
count). The figure is the share of sentences that contain one: for the brief
(headline, lead and takeaways), and for each outlet's own item (title and body
sentences). Lower is more neutral.

Speed: the first 50 items are briefed as one story from their analyses
(embeddings cached by a warm-up run); target under 1 s.

Reading (issue 12), on the same briefs:

- *junk share*: the share of the brief's claim lines (lead, takeaways, facts,
  single-source, context, timeline; the made lines of coverage and bottom line
  and the speaker-attributed quotes of official statements left out) that
  :func:`triangulate.brief.junk` rejects: the stand-alone rules the brief
  itself applies (target 0);
- *median words*: the Markdown brief before its citation list, as a reader
  counts words (:func:`triangulate.brief.lines.reading_length`);
- *gold share*: on ``propositions/allsides_dev.json`` beside the data folder,
  the share of the propositions two or more outlets state that the brief's lead,
  takeaways or facts state: a line states a proposition when one of its
  citations covers half of the shorter of the citation and a gold snippet
  (``bench/_gold.py``; target 0.70).

Usage: python bench/brief.py [DATA_DIR] [--cache FILE]   (default ../shared/data/allsides)
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _data import analysed
from _gold import load_gold, on
from triangulate.brief import build_brief, junk
from triangulate.brief.lines import reading_length, without_prefix
from triangulate.brief.render import markdown
from triangulate.corroborate import corroborate
from triangulate.embed import embedder
from triangulate.language.sentences import sentence_bounds
from triangulate.model import Article, Story
from triangulate.store import open_store
from triangulate.words import WORD, bare, zipf

SIDES = ("left", "center", "right")
STORY_SIZE = 50
LOADED_ZIPF = 5.5


def tokens(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def rouge_n(candidate: list[str], reference: list[str], n: int) -> float:
    grams = Counter(tuple(candidate[i : i + n]) for i in range(len(candidate) - n + 1))
    ref = Counter(tuple(reference[i : i + n]) for i in range(len(reference) - n + 1))
    overlap = sum((grams & ref).values())
    if not grams or not ref or not overlap:
        return 0.0
    precision, recall = overlap / sum(grams.values()), overlap / sum(ref.values())
    return 2 * precision * recall / (precision + recall)


def rouge_l(candidate: list[str], reference: list[str]) -> float:
    if not candidate or not reference:
        return 0.0
    previous = [0] * (len(reference) + 1)
    for word in candidate:
        current = [0]
        for j, ref_word in enumerate(reference, 1):
            current.append(previous[j - 1] + 1 if word == ref_word else max(previous[j], current[j - 1]))
        previous = current
    lcs = previous[-1]
    if not lcs:
        return 0.0
    precision, recall = lcs / len(candidate), lcs / len(reference)
    return 2 * precision * recall / (precision + recall)


def scores(candidate: str, reference: str) -> dict[str, float]:
    c, r = tokens(candidate), tokens(reference)
    return {"rouge1": rouge_n(c, r, 1), "rouge2": rouge_n(c, r, 2), "rougeL": rouge_l(c, r)}


def sentences(text: str) -> list[str]:
    return [text[s:e] for s, e in sentence_bounds(text)]


def loaded_words(titles: dict[str, str]) -> set[str]:
    words = {side: {bare(w) for w in WORD.findall(t) if zipf(bare(w)) < LOADED_ZIPF} for side, t in titles.items()}
    loaded = set()
    for side, own in words.items():
        others = set().union(*(w for s, w in words.items() if s != side))
        loaded |= own - others
    return loaded


def share_loaded(lines: list[str], loaded: set[str]) -> float:
    if not lines:
        return 0.0
    return sum(bool({bare(w) for w in WORD.findall(line)} & loaded) for line in lines) / len(lines)


def stories(folder: Path) -> list[dict]:
    found = []
    for line in (folder / "stories.jsonl").read_text(encoding="utf-8").splitlines():
        story = json.loads(line)
        items = {}
        for side in SIDES:
            news = story.get("news", {}).get(side) or {}
            body = news.get("newBody") or ""
            body = "\n\n".join(p.strip() for p in body if p.strip()) if isinstance(body, list) else body.strip()
            if body and news.get("newsTitle"):
                items[side] = Article.build(
                    body, title=news["newsTitle"], outlet=news.get("newsSource"), published=story["date"][:10]
                )
        if len(items) == 3 and story.get("roundup"):
            roundup = story["roundup"]
            roundup = " ".join(roundup) if isinstance(roundup, list) else roundup
            found.append({"id": str(story["id"]), "items": items, "roundup": roundup, "date": story["date"][:10]})
    return found


def brief_text(brief) -> list[str]:
    keep = [brief.headline]
    for key in ("lead", "takeaways"):
        keep += [line.text for line in brief.section(key).lines]
    return keep


PREFIXED = ("lead", "timeline")  # "On 5 September 2025 in Vladivostok: …", "4 September 2025: …"
CLAIM_LINES = ("lead", "takeaways", "facts", "single", "context", "timeline")
STATING = ("lead", "takeaways", "facts")


def claim_lines(brief) -> list[str]:
    """The brief's lines that state a claim in an outlet's words (the ones the junk rules judge)."""
    found = []
    for key in CLAIM_LINES:
        for line in brief.section(key).lines:
            found.append(without_prefix(line.text) if key in PREFIXED else line.text)
    return found


def words_before_citations(brief) -> int:
    return reading_length(markdown(brief).split("## Citations")[0])


def gold_share(path: Path, store, model) -> dict:
    """Share of multi-outlet gold propositions the brief's lead, takeaways or facts state."""
    multi = stated = 0
    for story in load_gold(path):
        articles = story.all_articles
        found = analysed(articles, store)
        analyses = [found[a.id] for a in articles]
        record = Story(f"s-gold-{story.story_id}", articles[0].title, tuple(a.id for a in articles))
        brief = build_brief(record, articles, analyses, corroborate(articles, analyses, model, store))
        spans = [
            (c.article_id, c.field, c.start, c.end)
            for key in STATING
            for line in brief.section(key).lines
            for c in (brief.citations[n - 1] for n in line.citations)
        ]
        for proposition in story.propositions:
            snippets = [story.snippets[k] for k in [(proposition["id"], key) for key in proposition["items"]]
                        if k in story.snippets]  # fmt: skip
            if len(proposition["items"]) < 2:
                continue
            multi += 1
            stated += any(on(span, snippet) for span in spans for snippet in snippets)
    return {"multi_outlet": multi, "stated": stated, "share": round(stated / multi, 4) if multi else 0.0}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("data", nargs="?", default="../shared/data/allsides")
    parser.add_argument("--cache", default=":memory:", help="an SQLite file that keeps analyses and embeddings")
    parser.add_argument("--limit", type=int, default=None, help="only the first N stories (a smoke run)")
    args = parser.parse_args()
    folder = Path(args.data)
    found = stories(folder)[: args.limit]
    store = open_store(args.cache)
    model = embedder()
    articles = [a for s in found for a in s["items"].values()]
    analyses = analysed(articles, store)
    ours, lead3 = Counter(), Counter()
    neutral_ours, neutral_side = [], {side: [] for side in SIDES}
    seconds = 0.0
    lines = junk_lines = 0
    lengths = []
    for story in found:
        items = list(story["items"].values())
        day = date.fromisoformat(story["date"])
        record = Story(f"s-{story['id']}", items[1].title, tuple(a.id for a in items), day, day)
        started = time.perf_counter()
        found_groups = corroborate(items, [analyses[a.id] for a in items], model, store)
        brief = build_brief(record, items, [analyses[a.id] for a in items], found_groups)
        seconds += time.perf_counter() - started
        text = brief_text(brief)
        judged = claim_lines(brief)
        lines += len(judged)
        junk_lines += sum(junk(line) is not None for line in judged)
        lengths.append(words_before_citations(brief))
        ours.update(scores(" ".join(text), story["roundup"]))
        centre = story["items"]["center"]
        lead3.update(scores(" ".join(sentences(centre.text)[:3]), story["roundup"]))
        loaded = loaded_words({side: a.title for side, a in story["items"].items()})
        neutral_ours.append(share_loaded(text, loaded))
        for side, article in story["items"].items():
            neutral_side[side].append(share_loaded([article.title, *sentences(article.text)], loaded))
    fifty = articles[:STORY_SIZE]  # one story of 50 articles, analysed and embedded (a warm-up run fills the cache)
    record = Story("s-fifty", fifty[0].title, tuple(a.id for a in fifty))
    corroborate(fifty, [analyses[a.id] for a in fifty], model, store)
    started = time.perf_counter()
    groups = corroborate(fifty, [analyses[a.id] for a in fifty], model, store)
    middle = time.perf_counter()
    build_brief(record, fifty, [analyses[a.id] for a in fifty], groups)
    finished = time.perf_counter()
    n = len(found)
    gold = folder.parent / "propositions" / "allsides_dev.json"
    lengths.sort()
    result = {
        "stories": n,
        "ours": {k: round(v / n, 4) for k, v in sorted(ours.items())},
        "lead3": {k: round(v / n, 4) for k, v in sorted(lead3.items())},
        "loaded_share_ours": round(sum(neutral_ours) / n, 4),
        "loaded_share_outlets": {side: round(sum(v) / n, 4) for side, v in neutral_side.items()},
        "junk_share": round(junk_lines / lines, 4) if lines else 0.0,
        "claim_lines": lines,
        "median_words": lengths[len(lengths) // 2] if lengths else 0,
        "gold_stated": gold_share(gold, store, model) if gold.exists() else None,
        "seconds_per_story_brief": round(seconds / n, 3),
        "story_of_50": {
            "articles": len(fifty),
            "seconds_corroborate": round(middle - started, 3),
            "seconds_brief": round(finished - middle, 3),
            "seconds_total": round(finished - started, 3),
        },
    }
    print(
        f"{n} stories; ours ROUGE-1/2/L {result['ours']['rouge1']:.4f} / {result['ours']['rouge2']:.4f} / "
        f"{result['ours']['rougeL']:.4f}; lead-3 {result['lead3']['rouge1']:.4f} / {result['lead3']['rouge2']:.4f} / "
        f"{result['lead3']['rougeL']:.4f}"
    )
    print(
        f"sentences with a loaded word: ours {result['loaded_share_ours']:.3f}; "
        + ", ".join(f"{side} {v:.3f}" for side, v in result["loaded_share_outlets"].items())
    )
    if result["gold_stated"]:
        g = result["gold_stated"]
        print(f"multi-outlet gold propositions stated by lead, takeaways or facts: {g['stated']} of {g['multi_outlet']}"
              f" = {g['share']:.3f} (target 0.70)")  # fmt: skip
    print(f"junk lines {junk_lines} of {lines} = {result['junk_share']:.4f} (target 0); "
          f"median length {result['median_words']} words before the citations")  # fmt: skip
    fifty_figures = result["story_of_50"]
    print(
        f"a story of {len(fifty)} articles, analysed: corroboration {fifty_figures['seconds_corroborate']} s + "
        f"brief {fifty_figures['seconds_brief']} s = {fifty_figures['seconds_total']} s (target < 1 s)"
    )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
