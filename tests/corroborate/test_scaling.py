"""The alignment's faster forms give exactly what the plain forms they replaced give."""

from __future__ import annotations

import random

import numpy as np

from triangulate.corroborate import cliques
from triangulate.corroborate.independence import _containments, containment, minhash


def _plain_cliques(links: dict[tuple[int, int], float]) -> list[list[int]]:
    """Groups of linked claims as the dict-of-dicts version made them (the reference)."""
    near: dict[int, dict[int, float]] = {}
    for (i, j), p in links.items():
        near.setdefault(i, {})[j] = p
        near.setdefault(j, {})[i] = p
    covered, groups, kept = set(), [], []
    for (i, j), _ in sorted(links.items(), key=lambda link: (-link[1], link[0])):
        if (i, j) in covered:
            continue
        group = [i, j]
        candidates = near[i].keys() & near[j].keys()
        score = {k: near[k][i] + near[k][j] for k in candidates}
        while candidates:
            k = max(candidates, key=lambda k: (score[k], -k))
            group.append(k)
            candidates &= near[k].keys()
            candidates.discard(k)
            for c in candidates:
                score[c] += near[c][k]
        group.sort()
        covered.update((a, b) for x, a in enumerate(group) for b in group[x + 1 :])
        members = set(group)
        if all(len(members & other) < 2 for other in kept):
            groups.append(group)
            kept.append(members)
    return groups


def test_cliques_match_the_plain_form_on_random_and_tied_links():
    rng = random.Random(7)
    for trial in range(300):
        n = rng.randrange(2, 40)
        density = rng.choice([0.1, 0.3, 0.7, 1.0])
        levels = [0.6, 0.7, 0.8, 0.9] if trial % 2 else None  # ties: many links of one strength
        links = {}
        for i in range(n):
            for j in range(i + 1, n):
                if rng.random() < density:
                    links[(i * 3, j * 3)] = rng.choice(levels) if levels else round(rng.uniform(0.5, 1.0), 6)
        assert cliques(links) == _plain_cliques(links), links


def test_containments_match_containment_pair_by_pair(seeds):
    texts = [a.text for articles in seeds.values() for a in articles]
    texts += [texts[0][: len(texts[0]) // 2], texts[0] + " An added closing line."]
    signatures = [minhash(t) for t in texts]
    found = _containments(signatures)
    for i in range(len(texts)):
        for j in range(len(texts)):
            if i != j:
                assert found[i, j] == containment(signatures[i], signatures[j])
    assert np.all(np.diag(found) == 0)
