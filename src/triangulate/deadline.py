"""A deadline for one item's work: past it, the work stops with ``TooSlow`` naming the item.

It runs where per-item work runs (reading one document, the language rules for
one article). The timer is ``SIGALRM``, so it applies in the main thread of a
Unix process; elsewhere the work runs unbounded, as before. Nested deadlines
keep the earlier of the two. Work inside C code (a regular expression, lxml)
stops when that call returns, so the rules themselves are kept linear too.
"""

from __future__ import annotations

import contextlib
import signal
import threading
import time
from collections.abc import Iterator

from .config import Settings
from .errors import TooSlow

ITEM_SECONDS = Settings().item_seconds
"""The default deadline for one item (``item_seconds`` in the settings)."""


@contextlib.contextmanager
def deadline(seconds: float | None, item: str, what: str = "the work") -> Iterator[None]:
    """Stop the block with ``TooSlow`` after ``seconds`` (None or 0: no deadline).

    Example:
        >>> with deadline(5, "x.txt"):
        ...     pass
        >>> try:
        ...     with deadline(0.05, "x.txt", "reading it"):
        ...         while True:
        ...             pass
        ... except TooSlow as exc:
        ...     print(str(exc).split(";")[0])
        x.txt: reading it took longer than 0.05 s and was stopped
    """
    usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    outer = signal.getitimer(signal.ITIMER_REAL)[0] if usable else 0.0
    if not seconds or seconds <= 0 or not usable or (outer and outer <= seconds):
        yield
        return

    def expire(signum, frame):
        raise TooSlow(
            f"{what} took longer than {seconds:g} s and was stopped; the rest of the batch goes on "
            "(if this is a real article, raise item_seconds: TRIANGULATE_ITEM_SECONDS)",
            item=item,
        )

    started = time.monotonic()
    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if outer:
            signal.setitimer(signal.ITIMER_REAL, max(outer - (time.monotonic() - started), 0.001))
