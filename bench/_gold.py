"""The proposition gold (``../shared/data/propositions/*.json``): its stories as articles, its snippets as spans,
and the pair scoring of ``bench/propositions.py``.

A gold story has items (an AllSides side, or an ECB+ document) and propositions, each with the verbatim snippet
of every item that states it. Items go through the normal reader (``read_text``, as a JSONL line would); each
snippet is then found in the stored text or headline, case and punctuation aside.

Scoring by pairs of items (``../shared/data/README.md``):

- a member of a group is *on* a snippet when their overlap covers half of the shorter of the two;
- a gold pair (two items' snippets of one proposition) is *found* when one group holds a member on each;
- a system pair (two members of one group, of different items, both on some gold snippet) is *right* when
  one gold proposition has both of them on its snippets.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path

from triangulate.ingest.text import read_text
from triangulate.model import Article

Span = tuple[str, str, int, int]  # (article id, field "text" or "title", start, end)


@dataclass
class GoldStory:
    story_id: str
    articles: dict[str, list[Article]]  # item key (side or document) → its articles (a page may split)
    propositions: list[dict]
    snippets: dict[tuple[str, str], Span] = field(default_factory=dict)  # (proposition id, item) → where it is
    missing: list[tuple[str, str]] = field(default_factory=list)

    @property
    def all_articles(self) -> list[Article]:
        return [a for arts in self.articles.values() for a in arts]

    def item_of(self, article_id: str) -> str:
        return next(k for k, arts in self.articles.items() if any(a.id == article_id for a in arts))


def _body(item: dict) -> str:
    return "\n".join(item["body"]) if "body" in item else item["text"]


def _locate(snippet: str, articles: list[Article]) -> Span | None:
    words = re.findall(r"\w+", snippet)
    if not words:
        return None
    pattern = re.compile(r"\W+".join(map(re.escape, words)), re.I)
    for article in articles:
        for name, text in (("text", article.text), ("title", article.title)):
            match = pattern.search(text)
            if match:
                return article.id, name, match.start(), match.end()
    return None


def load_gold(path: str | Path) -> list[GoldStory]:
    """Every story of a gold file, read through the normal text reader, with its snippets located."""
    stories = []
    for raw in json.loads(Path(path).read_text(encoding="utf-8")):
        articles = {}
        for key, item in raw["items"].items():
            articles[key] = read_text(
                _body(item),
                item=f"{raw['story_id']}/{key}",
                title=item.get("title"),
                outlet=item.get("outlet"),
                published=item.get("published"),
            )
        story = GoldStory(str(raw["story_id"]), articles, raw["propositions"])
        for proposition in raw["propositions"]:
            for key, snippet in proposition["items"].items():
                found = _locate(snippet, articles[key])
                if found:
                    story.snippets[proposition["id"], key] = found
                else:
                    story.missing.append((proposition["id"], key))
        stories.append(story)
    return stories


def on(member: Span, snippet: Span) -> bool:
    """True when the two spans overlap by half of the shorter one (same article, same field)."""
    if member[:2] != snippet[:2]:
        return False
    overlap = min(member[3], snippet[3]) - max(member[2], snippet[2])
    return overlap > 0 and overlap >= 0.5 * min(member[3] - member[2], snippet[3] - snippet[2])


def member_span(wording) -> Span:
    return wording.article_id, wording.field, wording.start, wording.end


@dataclass
class Tally:
    gold_pairs: int = 0
    found_pairs: int = 0
    system_pairs: int = 0
    right_pairs: int = 0
    multi: int = 0
    multi_single: int = 0
    contradictions: int = 0
    contradictions_found: int = 0
    false_contested: list[int] = field(default_factory=list)  # per story
    missing_snippets: int = 0

    def add(self, other: Tally) -> None:
        for name in self.__dataclass_fields__:
            value = getattr(other, name)
            setattr(self, name, getattr(self, name) + value)

    def figures(self) -> dict:
        p = self.right_pairs / self.system_pairs if self.system_pairs else 0.0
        r = self.found_pairs / self.gold_pairs if self.gold_pairs else 0.0
        return {
            "gold_pairs": self.gold_pairs,
            "found_pairs": self.found_pairs,
            "system_pairs": self.system_pairs,
            "right_pairs": self.right_pairs,
            "precision": round(p, 3),
            "recall": round(r, 3),
            "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0,
            "multi_outlet": self.multi,
            "multi_outlet_single_source": self.multi_single,
            "multi_outlet_single_source_share": round(self.multi_single / self.multi, 3) if self.multi else 0.0,
            "contradictions": self.contradictions,
            "contradictions_found": self.contradictions_found,
            "false_contested": sum(self.false_contested),
            "false_contested_max_per_story": max(self.false_contested, default=0),
            "missing_snippets": self.missing_snippets,
        }


def score_pairs(story: GoldStory, groups: list[list[Span]]) -> tuple[int, int, int, int]:
    """(gold pairs, found, system pairs, right) for groups given as lists of member spans."""
    item = {a.id: key for key, arts in story.articles.items() for a in arts}
    by_item: dict[str, list[tuple[str, Span]]] = {}
    for (pid, key), span in story.snippets.items():
        by_item.setdefault(key, []).append((pid, span))
    gold = found = 0
    for proposition in story.propositions:
        keys = [k for k in proposition["items"] if (proposition["id"], k) in story.snippets]
        for a, b in combinations(keys, 2):
            gold += 1
            sa, sb = story.snippets[proposition["id"], a], story.snippets[proposition["id"], b]
            if any(any(on(m, sa) for m in g) and any(on(m, sb) for m in g) for g in groups):
                found += 1
    seen, system, right = set(), 0, 0
    for group in groups:
        for m1, m2 in combinations(group, 2):
            k1, k2 = item[m1[0]], item[m2[0]]
            if k1 == k2 or (m1, m2) in seen or (m2, m1) in seen:
                continue
            seen.add((m1, m2))
            p1 = {pid for pid, s in by_item.get(k1, []) if on(m1, s)}
            p2 = {pid for pid, s in by_item.get(k2, []) if on(m2, s)}
            if p1 and p2:
                system += 1
                right += bool(p1 & p2)
    return gold, found, system, right


def score_story(story: GoldStory, corroboration) -> Tally:
    """The tally of one story's corroboration (claim and quote groups) against its gold."""
    groups = [g for g in (*corroboration.claims, *corroboration.quotes)]
    spans = [[member_span(m) for m in g.members] for g in groups]
    tally = Tally(missing_snippets=len(story.missing))
    tally.gold_pairs, tally.found_pairs, tally.system_pairs, tally.right_pairs = score_pairs(story, spans)
    shared = {"corroborated", "statement", "contested"}
    contradiction_ids = set()
    for proposition in story.propositions:
        keys = [k for k in proposition["items"] if (proposition["id"], k) in story.snippets]
        if len(proposition["items"]) >= 2:
            tally.multi += 1
            snips = [story.snippets[proposition["id"], k] for k in keys]
            covered = any(
                g.status in shared and sum(any(on(m, s) for m in spans[i]) for s in snips) >= 2
                for i, g in enumerate(groups)
            )
            tally.multi_single += not covered
        if proposition.get("contradiction"):
            tally.contradictions += 1
            contradiction_ids.add(proposition["id"])
    found_ids, false = set(), 0
    for group in groups:
        if group.status != "contested":
            continue
        hits = set()
        sides = [member_span(m) for m in group.members]
        against = [member_span(m) for m in group.opposing]
        for pid in contradiction_ids:
            snips = {k: s for (p, k), s in story.snippets.items() if p == pid}
            for k1, k2 in combinations(snips, 2):
                s1, s2 = snips[k1], snips[k2]
                if (any(on(m, s1) for m in sides) and any(on(m, s2) for m in against)) or (
                    any(on(m, s2) for m in sides) and any(on(m, s1) for m in against)
                ):
                    hits.add(pid)
        found_ids |= hits
        false += not hits
    tally.contradictions_found = len(found_ids)
    tally.false_contested = [false]
    return tally


def story_pairs(story: GoldStory, analyses: dict, model, store):
    """A story's claim items, their pair signals, and each pair's gold label (1, 0, or -1 when a claim is on no
    gold snippet: unknown)."""
    import numpy as np

    from triangulate.corroborate import _claim_items, claim_signals
    from triangulate.corroborate.independence import independence_groups

    articles = story.all_articles
    groups = {aid: g for g in independence_groups(articles) for aid in g.article_ids}
    items = _claim_items(articles, [analyses[a.id] for a in articles], groups)
    if not items:
        return items, np.zeros((0, 0, 0)), np.zeros((0, 0))
    features = claim_signals(items, model, store)
    item_key = {a.id: k for k, arts in story.articles.items() for a in arts}
    props = []
    for item in items:
        key = item_key[item.article.id]
        span = member_span(item.wording)
        props.append({p for (p, k), s in story.snippets.items() if k == key and on(span, s)})
    labels = np.full((len(items), len(items)), -1)
    for i in range(len(items)):
        for j in range(len(items)):
            if props[i] and props[j] and items[i].article.id != items[j].article.id:
                labels[i, j] = int(bool(props[i] & props[j]))
    return items, features, labels
