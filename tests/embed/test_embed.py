"""Embedding backends and the store's vector cache, on sentences from the seeds."""

import numpy as np
import pytest

from triangulate.embed import embedder, encode_cached
from triangulate.errors import ModelMissing
from triangulate.store import open_store

SAME = [
    "Russian President Vladimir Putin warned on Friday that any Western forces deployed to Ukraine would be a "
    "legitimate target for Moscow's army.",
    "Putin threatens Europe: Troops deployed in Ukraine will be a legitimate target.",
]
OTHER = "Beijing said Friday it strongly opposes calls to put economic pressure on China."
FRENCH = "Poutine menace l'Europe : les troupes déployées en Ukraine seront une cible légitime."


def test_use_vectors_are_unit_length_and_rank_by_meaning():
    model = embedder()
    vectors = model.encode([*SAME, OTHER, FRENCH])
    assert vectors.shape == (4, model.dim) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    same, other, translated = vectors[0] @ vectors[1], vectors[0] @ vectors[2], vectors[1] @ vectors[3]
    assert same > other + 0.1
    assert translated > 0.7  # the multilingual model lines up a translation
    assert model.encode([]).shape == (0, model.dim)


def test_the_cache_answers_the_second_time_and_survives_reopening(tmp_path):
    calls = []

    class Counting:
        model_id, dim = "counting-test", 4

        def encode(self, texts):
            calls.append(list(texts))
            return np.eye(4, dtype=np.float32)[[len(t) % 4 for t in texts]]

    path = str(tmp_path / "v.db")
    store = open_store(path)
    first = encode_cached(store, Counting(), ["a", "bb", "a"])
    store.close()
    store = open_store(path)
    again = encode_cached(store, Counting(), ["bb", "a", "ccc"])
    assert calls == [["a", "bb"], ["ccc"]]  # each distinct text encoded once, then read from the cache
    assert np.array_equal(first[1], again[0]) and np.array_equal(first[0], again[1])


def test_unknown_backend_names_the_choices():
    with pytest.raises(ModelMissing, match="use-multilingual"):
        embedder("no-such-model")


def test_fast_tier_when_installed():
    pytest.importorskip("wordllama", reason="the fast tier is an extra: pip install 'triangulate[fast]'")
    vectors = embedder("wordllama").encode([*SAME, OTHER])
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2]
