"""The "same proposition" judgement: how likely two claims of different articles state one proposition.

A logistic model over signals that decide it, fitted on the hand-made proposition gold
(``tools/fit_same_proposition.py``; its leave-one-story-out figures are in the README) and shipped as
``data/same_proposition.json``:

- meaning: the multilingual sentence embeddings of the two claims, and the best match between their pieces
  (a claim split at commas and clause words), so a shared proposition inside longer sentences still shows;
- words: TF-IDF cosine of word stems with the story's own document frequencies (words every article uses,
  like the story's main name, weigh little), shared stems (each counted by the same rarity), weighted Jaccard
  and containment of rare words;
- facts: shared and differing numbers, quantities of the same thing that agree or conflict, shared entities;
- attribution and polarity: the same speaker, one attributed and one not, one negated and one not.

Every signal is a matrix over all pairs of claims, so a story of hundreds of claims is scored at once.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

import numpy as np

from ..model import Quantity
from ..words import WORD, bare, zipf
from .quantities import agree

FEATURES = (
    "tfidf",
    "piece_cosine",
    "shared_stems",
    "shared_number",
    "other_numbers",
    "stem_jaccard",
    "cosine",
    "rare_jaccard",
    "rare_containment",
    "entity_jaccard",
    "quantity_agrees",
    "quantity_conflicts",
    "polarity_differs",
    "same_speaker",
    "one_attributed",
    "log_length",
    "cosine_x_rare",
)
_NUMBER = re.compile(r"\d[\d,.]*\d|\d")
_PIECE = re.compile(r"[,;:()—–]|\b(?:and|but|while|which|who|that|after|before|when|as)\b")
_STEMMERS = {"en": "english", "fr": "french", "de": "german", "es": "spanish", "it": "italian", "pt": "portuguese",
             "nl": "dutch", "ru": "russian", "sv": "swedish"}  # fmt: skip


@dataclass
class Unit:
    """What the judgement reads of one claim."""

    article_id: str
    text: str
    language: str | None = None
    negated: bool = False
    speaker: str | None = None  # a key naming who is credited; None in the outlet's own voice
    entities: frozenset[str] = frozenset()
    quantities: list[Quantity] = field(default_factory=list)


@cache
def _stemmer(language: str):
    import snowballstemmer

    return snowballstemmer.stemmer(_STEMMERS.get(language, "english"))


def stems(text: str, language: str | None = None) -> list[str]:
    """Stems of the text's content words (very common words left out).

    Example:
        >>> stems("Powell died of complications from Covid-19")
        ['powel', 'die', 'complic', 'covid-19']
    """
    lang = (language or "en")[:2]
    return [_stem(w, lang) for w in (bare(w) for w in WORD.findall(text)) if zipf(w, lang) < 6.2]


@cache
def _stem(word: str, language: str) -> str:
    """One word's stem, remembered (the Snowball stemmer is pure Python; news repeats its words)."""
    return _stemmer(language).stemWord(word)


def pieces(text: str) -> list[str]:
    """The claim cut at commas and clause words; pieces of three words or more that are not the attribution
    ("Ukrainian President Volodymyr Zelensky said": every report has one), else the whole claim.

    Example:
        >>> pieces("This Friday, Ukrainian President Volodymyr Zelensky said that thousands of soldiers could be sent")
        ['thousands of soldiers could be sent']
    """
    from ..language.speakers import CUE

    found = [p.strip() for p in _PIECE.split(text)]
    return [p for p in found if len(p.split()) >= 3 and not CUE.search(p)] or [text]


@cache
def weights() -> tuple[np.ndarray, float, float]:
    """The fitted coefficients (in ``FEATURES`` order), intercept, and the probability at which claims link."""
    data = json.loads(resources.files("triangulate").joinpath("data/same_proposition.json").read_text("utf-8"))
    if tuple(data["features"]) != FEATURES:
        raise ValueError("data/same_proposition.json was fitted on other features; run tools/fit_same_proposition.py")
    return np.array(data["coefficients"], dtype=np.float64), float(data["intercept"]), float(data["threshold"])


def _binary(rows: list[set], vocabulary: dict | None = None) -> np.ndarray:
    vocabulary = vocabulary if vocabulary is not None else {}
    for row in rows:
        for key in row:
            vocabulary.setdefault(key, len(vocabulary))
    matrix = np.zeros((len(rows), max(len(vocabulary), 1)), dtype=np.float32)
    for i, row in enumerate(rows):
        for key in row:
            matrix[i, vocabulary[key]] = 1.0
    return matrix


def _jaccard(shared: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    union = sizes[:, None] + sizes[None, :] - shared
    return np.divide(shared, union, out=np.zeros_like(shared), where=union > 0)


def _rare(text: str, language: str | None) -> dict[str, float]:
    lang = (language or "en")[:2]
    found = {}
    for word in {bare(w) for w in WORD.findall(text)}:
        z = zipf(word, lang)
        if z < 6.0:
            found[word] = 8.0 - z
    return found


def _quantity_matrix(units: list[Unit]) -> tuple[np.ndarray, np.ndarray]:
    n = len(units)
    agrees, conflicts = np.zeros((n, n)), np.zeros((n, n))
    counted = [i for i in range(n) if units[i].quantities]
    for x, i in enumerate(counted):
        for j in counted[x + 1 :]:
            verdicts = {agree(a, b) for a in units[i].quantities for b in units[j].quantities}
            agrees[i, j] = agrees[j, i] = float(True in verdicts)
            conflicts[i, j] = conflicts[j, i] = float(False in verdicts)
    return agrees, conflicts


def best_match(piece_vectors: list[np.ndarray]) -> np.ndarray:
    """For every two texts, the best cosine between a piece of one and a piece of the other (each text given
    as the L2-normalised embeddings of its pieces, at least one each).

    Example:
        >>> a, b = np.array([[1.0, 0.0]]), np.array([[0.0, 1.0], [0.6, 0.8]])
        >>> best_match([a, b]).round(2).tolist()
        [[1.0, 0.6], [0.6, 1.0]]
    """
    n = len(piece_vectors)
    if n == 0:
        return np.zeros((0, 0))
    owner = np.concatenate([np.full(len(p), i) for i, p in enumerate(piece_vectors)])
    stacked = np.vstack(piece_vectors)
    starts = np.searchsorted(owner, np.arange(n))  # pieces are stacked in owner order
    by_row = np.maximum.reduceat(stacked @ stacked.T, starts, axis=0)
    return np.maximum.reduceat(by_row, starts, axis=1)


def signals(
    units: list[Unit], vectors: np.ndarray, piece_vectors: list[np.ndarray], counts: list[int] | None = None
) -> np.ndarray:
    """Every pair's signals: an array (n, n, len(FEATURES)) in ``FEATURES`` order.

    ``vectors`` holds one L2-normalised embedding row per unit, ``piece_vectors`` one matrix per unit (the
    embeddings of its :func:`pieces`). ``counts``, when given, says how many claims each unit stands for
    (identical claims collapsed into one unit): the story's word frequencies count each of them, so the
    signals are those the claims would get one by one.
    """
    counts = counts or [1] * len(units)
    n = sum(counts)
    unit_stems = [stems(u.text, u.language) for u in units]
    df = Counter()
    for row, count in zip(unit_stems, counts, strict=True):
        for stem in set(row):
            df[stem] += count
    vocabulary: dict[str, int] = {}
    stem_sets = _binary([set(row) for row in unit_stems], vocabulary)
    tf = np.zeros_like(stem_sets)
    for i, row in enumerate(unit_stems):
        for stem, count in Counter(row).items():
            tf[i, vocabulary[stem]] = (1 + math.log(count)) * math.log((1 + n) / df[stem])
    tf /= np.maximum(np.linalg.norm(tf, axis=1, keepdims=True), 1e-9)
    shared_stems = stem_sets @ stem_sets.T
    # the shared stems counted by their rarity in the story: its main names, in every claim, count for little
    idf = np.zeros(stem_sets.shape[1], dtype=np.float32)
    for stem, k in vocabulary.items():
        idf[k] = math.log((1 + n) / df[stem]) / math.log(1 + n)
    rare_shared_stems = (stem_sets * idf) @ stem_sets.T

    best = best_match(piece_vectors)

    numbers = _binary([set(_NUMBER.findall(u.text)) for u in units])
    shared_numbers = numbers @ numbers.T
    has_numbers = numbers.sum(axis=1) > 0

    rare = [_rare(u.text, u.language) for u in units]
    rare_vocab: dict[str, int] = {}
    present = _binary([set(r) for r in rare], rare_vocab)
    rare_weights = np.zeros(present.shape[1], dtype=np.float32)
    for r in rare:
        for word, weight in r.items():
            rare_weights[rare_vocab[word]] = weight
    rare_shared = (present * rare_weights) @ present.T
    rare_totals = present @ rare_weights
    smaller = np.minimum(rare_totals[:, None], rare_totals[None, :])
    containment = np.divide(rare_shared, smaller, out=np.zeros_like(rare_shared), where=smaller > 0)

    entities = _binary([set(u.entities) for u in units])
    agrees, conflicts = _quantity_matrix(units)
    negated = np.array([u.negated for u in units])
    speakers = np.array([u.speaker or "" for u in units], dtype=object)
    attributed = speakers != ""
    lengths = np.array([len(u.text.split()) for u in units], dtype=np.float64)
    cosine = vectors @ vectors.T
    rare_jaccard = _jaccard(rare_shared, rare_totals)

    columns = [
        tf @ tf.T,
        best,
        np.minimum(rare_shared_stems, 6) / 6,
        (shared_numbers > 0).astype(float),
        (has_numbers[:, None] & has_numbers[None, :] & (shared_numbers == 0)).astype(float),
        _jaccard(shared_stems, stem_sets.sum(axis=1)),
        cosine,
        rare_jaccard,
        containment,
        _jaccard(entities @ entities.T, entities.sum(axis=1)),
        agrees,
        conflicts,
        (negated[:, None] != negated[None, :]).astype(float),
        ((speakers[:, None] == speakers[None, :]) & attributed[:, None]).astype(float),
        (attributed[:, None] != attributed[None, :]).astype(float),
        np.log1p(np.minimum(lengths[:, None], lengths[None, :])),
        cosine * rare_jaccard,
    ]
    return np.stack([np.asarray(c, dtype=np.float64) for c in columns], axis=-1)


def probabilities(features: np.ndarray, coefficients: np.ndarray | None = None, intercept: float | None = None):
    """The model's probability that each pair states one proposition (same shape as ``features`` less the last axis)."""
    if coefficients is None:
        coefficients, intercept, _ = weights()
    return 1.0 / (1.0 + np.exp(-(features @ coefficients + intercept)))


def fit(features: np.ndarray, labels: np.ndarray, l2: float = 1.0, steps: int = 50) -> tuple[np.ndarray, float]:
    """L2-regularised logistic regression by Newton's method: (coefficients, intercept).

    Example:
        >>> x = np.array([[0.0], [0.2], [0.8], [1.0]])
        >>> c, b = fit(x, np.array([0, 0, 1, 1]))
        >>> bool(c[0] > 0)
        True
    """
    x = np.hstack([features, np.ones((len(features), 1))])
    w = np.zeros(x.shape[1])
    penalty = l2 * np.diag(np.r_[np.ones(x.shape[1] - 1), 0.0])
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-x @ w))
        gradient = x.T @ (p - labels) + penalty @ w
        hessian = (x * (p * (1 - p))[:, None]).T @ x + penalty
        w -= np.linalg.solve(hessian, gradient)
    return w[:-1], float(w[-1])
