"""Which articles of a story are independent sources, and why the others are not.

Two articles are one source when one copies the other (near-duplicate text:
MinHash over word shingles), when both credit the same upstream (a wire
agency, "Agencies", state media, a feed item's ``<source>``), or when they come
from the same outlet or the same owner (the outlet registry). Articles are
joined transitively into :class:`IndependenceGroup` s, each with the reasons
that joined it. A single claim can also be credited upstream inside an article
("…, Reuters reported", "according to state media"): :func:`upstream_credits`
finds those, so a claim is counted once per upstream, not once per copy.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from ..ingest.outlets import registry
from ..model import Article

SHINGLE = 5  # words per shingle
PERMUTATIONS = 128
NEAR_DUPLICATE = 0.6  # estimated containment of the shorter text's shingles in the longer one's

_WORD = re.compile(r"\w+")
_SALTS = np.random.default_rng(20250905).integers(1, 2**63 - 1, size=PERMUTATIONS, dtype=np.int64).astype(np.uint64)

# upstream credits printed in text: "(Reuters)", "— AFP", "Reuters reported", "according to state media"
_AGENCY_NAMES = (
    r"Reuters|AFP|Agence France[- ]Presse|AP|Associated Press|TASS|RIA Novosti|Interfax|Xinhua|Bloomberg"
    r"|Yonhap|Kyodo|ANSA|dpa|EFE|UNI|PTI|IANS|Anadolu"
)
_NAME = r"[A-Z][\w.&’'-]*(?: [A-Z][\w.&’'-]*){0,3}"  # a capitalised name of up to four words
_GENERIC = r"(?:state|local|[A-Z][a-z]+) (?:media|television|TV|news agenc(?:y|ies))(?: translation)?|Agencies|agencies"
_CREDIT_PATTERNS = [
    re.compile(rf"\(({_AGENCY_NAMES})\)"),
    re.compile(rf"(?:^|\n)\s*[—–-]\s*({_AGENCY_NAMES}|Agencies)\s*$", re.M),
    re.compile(rf"with (?:inputs|reporting) from ({_AGENCY_NAMES}|agencies)", re.I),
]
_RELAYED = [
    re.compile(rf"according to (?:the )?({_AGENCY_NAMES}|{_GENERIC}|{_NAME})"),
    re.compile(rf"({_AGENCY_NAMES}|{_GENERIC}|{_NAME}) (?:reported|reports|said in a report)"),
    re.compile(rf"\btold ({_GENERIC}|{_AGENCY_NAMES}|{_NAME})"),
    re.compile(rf"\bcit(?:ed|ing) ({_GENERIC}|{_AGENCY_NAMES})"),
]


@lru_cache(maxsize=4096)  # callers only read the signature; a story's texts are signed again at every brief
def minhash(text: str) -> tuple[np.ndarray, int]:
    """A MinHash signature of the text's word shingles (``PERMUTATIONS`` values), and how many shingles it has."""
    words = [w.lower() for w in _WORD.findall(text)]
    shingles = {" ".join(words[i : i + SHINGLE]) for i in range(max(len(words) - SHINGLE + 1, 1))}
    hashes = np.fromiter(
        (int.from_bytes(hashlib.blake2b(s.encode(), digest_size=8).digest(), "little") for s in shingles),
        dtype=np.uint64,
        count=len(shingles),
    )
    return (hashes[None, :] ^ _SALTS[:, None]).min(axis=1), len(shingles)


def containment(a: tuple[np.ndarray, int], b: tuple[np.ndarray, int]) -> float:
    """Estimated share of the smaller text's shingles found in the other (from the Jaccard estimate and sizes).

    Example:
        >>> text = " ".join(f"word{i}" for i in range(200))
        >>> round(containment(minhash(text), minhash(text + " and a closing line added by the copy desk")), 1)
        1.0
    """
    (sig_a, n_a), (sig_b, n_b) = a, b
    jaccard = float(np.mean(sig_a == sig_b))
    shared = jaccard * (n_a + n_b) / (1 + jaccard)
    return min(shared / min(n_a, n_b), 1.0)


def _containments(signatures: list[tuple[np.ndarray, int]]) -> np.ndarray:
    """:func:`containment` of every two signatures at once (the same figures, a row of pairs at a time).

    Example:
        >>> texts = [" ".join(f"word{i}" for i in range(k, k + 100)) for k in (0, 10, 90)]
        >>> found = _containments([minhash(t) for t in texts])
        >>> bool(found[0, 1] == containment(minhash(texts[0]), minhash(texts[1]))), found.shape
        (True, (3, 3))
    """
    n = len(signatures)
    shares = np.zeros((n, n))
    if n < 2:
        return shares
    stacked = np.stack([sig for sig, _ in signatures])
    sizes = np.array([size for _, size in signatures], dtype=np.int64)
    for i in range(n - 1):
        jaccard = (stacked[i] == stacked[i + 1 :]).mean(axis=1)
        shared = jaccard * (sizes[i] + sizes[i + 1 :]) / (1 + jaccard)
        shares[i, i + 1 :] = np.minimum(shared / np.minimum(sizes[i], sizes[i + 1 :]), 1.0)
    return shares + shares.T


def canonical_credit(name: str) -> str:
    """One name per upstream: "AFP" and "Agence France-Presse" → the registry's name; "agencies" → "Agencies"."""
    clean = re.sub(r"\s+translation$", "", name.strip(" .,;:"))
    if clean.lower() == "agencies":
        return "Agencies"
    found = registry().lookup(clean)
    if found is not None:
        return found.name
    return clean[0].upper() + clean[1:] if clean else clean


def article_credits(article: Article) -> set[str]:
    """The upstreams an article credits for itself: dateline credit, feed source, printed wire credits."""
    credits = set()
    for value in (article.dateline.credit, article.origin):
        if value:
            credits.add(canonical_credit(value))
    for pattern in _CREDIT_PATTERNS:
        credits.update(canonical_credit(m.group(1)) for m in pattern.finditer(article.text))
    if article.outlet:
        credits.discard(registry().canonical(article.outlet))
    return credits


def upstream_credits(sentence: str, own_outlet: str | None = None) -> list[str]:
    """Outlets a sentence credits for what it reports ("Reuters reported", "according to state media").

    Only names the outlet registry knows, agencies, and generic media ("Finnish media",
    "state media") count: "according to Putin" is a speaker, not an upstream.

    Example:
        >>> upstream_credits("“…,” Stubb told Finnish media after the meeting, Reuters reported.")
        ['Finnish media', 'Reuters']
    """
    return [credit for credit in _credits_in(sentence) if credit != own_outlet]


@lru_cache(maxsize=1 << 14)
def _credits_in(sentence: str) -> tuple[str, ...]:
    """Every upstream a sentence credits, in the order the sentence gives them (remembered: wire copies repeat
    their sentences, each under its own outlet)."""
    found = []
    for pattern in _RELAYED:
        for match in pattern.finditer(sentence):
            name = match.group(1)
            generic = re.fullmatch(_GENERIC, name) is not None
            known = registry().lookup(name)
            if generic or known is not None or re.fullmatch(_AGENCY_NAMES, name):
                credit = canonical_credit(name) if not generic else name[0].upper() + name[1:]
                if credit not in found:
                    found.append(credit)
    return tuple(sorted(found, key=sentence.find))


@dataclass
class IndependenceGroup:
    """Articles that count as one source, and why."""

    id: str
    article_ids: list[str]
    label: str  # the upstream or outlet the group stands for
    reasons: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"id": self.id, "label": self.label, "article_ids": self.article_ids, "reasons": self.reasons}


def independence_groups(articles: Iterable[Article]) -> list[IndependenceGroup]:
    """Group a story's articles into independent sources (one group per source), each with its reasons."""
    articles = list(articles)
    parent = list(range(len(articles)))
    reasons: dict[int, list[str]] = {i: [] for i in range(len(articles))}

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def join(i: int, j: int, why: str) -> None:
        a, b = find(i), find(j)
        if a != b:
            parent[b] = a
            reasons[a] += reasons.pop(b)
        reasons[a].append(why)

    outlets = registry()
    signatures = [minhash(a.text) for a in articles]
    credits = [article_credits(a) for a in articles]
    names = [outlets.canonical(a.outlet, a.url) for a in articles]
    owners = [(outlets.lookup(n) or outlets.by_url(a.url)) for n, a in zip(names, articles, strict=True)]
    shares = _containments(signatures)
    for i in range(len(articles)):
        for j in range(i + 1, len(articles)):
            a, b = articles[i], articles[j]
            share = shares[i, j]
            if share >= NEAR_DUPLICATE:
                join(i, j, f"{_short(a)} and {_short(b)} are near-duplicate texts ({share:.0%} shared)")
            for credit in sorted(credits[i] & credits[j]):
                join(i, j, f"{_short(a)} and {_short(b)} both credit {credit}")
            if names[i] and names[i] == names[j]:
                join(i, j, f"{_short(a)} and {_short(b)} are both from {names[i]}")
            elif owners[i] and owners[j] and owners[i].owner and owners[i].owner == owners[j].owner:
                join(i, j, f"{names[i]} and {names[j]} share an owner: {owners[i].owner}")
    groups: dict[int, list[int]] = {}
    for i in range(len(articles)):
        groups.setdefault(find(i), []).append(i)
    made = []
    for number, (root, members) in enumerate(sorted(groups.items(), key=lambda kv: kv[1][0]), 1):
        shared = set.intersection(*(credits[m] for m in members)) if len(members) > 1 else credits[members[0]]
        label = sorted(shared)[0] if shared else names[members[0]] or _short(articles[members[0]])
        made.append(
            IndependenceGroup(
                f"g{number}", [articles[m].id for m in members], label, list(dict.fromkeys(reasons.get(root, [])))
            )
        )
    return made


def _short(article: Article) -> str:
    """An article as a reader recognises it: its outlet, else its headline."""
    if article.outlet:
        return article.outlet
    title = article.title if len(article.title) <= 32 else article.title[:33].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    return f"“{title}”"


__all__ = [
    "IndependenceGroup",
    "article_credits",
    "canonical_credit",
    "containment",
    "independence_groups",
    "minhash",
    "upstream_credits",
]
