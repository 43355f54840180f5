"""How many threads numpy's BLAS may use, set where the library does its numpy work, not left to the environment.

OpenBLAS starts a thread per core and lets each spin after its work; while the
language workers parse on those cores, two spinning BLAS threads in the parent
cost the workers a third of their time (``bench/pipeline.py``). So BLAS gets
one thread while language workers run and every core otherwise.

Example:
    >>> with blas():
    ...     pass
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from functools import cache

_working = 0  # language workers running now


@cache
def _controller():
    """threadpoolctl's view of the loaded BLAS libraries (found once: scanning them costs milliseconds)."""
    try:
        from threadpoolctl import ThreadpoolController
    except ImportError:  # pragma: no cover - a declared dependency
        return None
    return ThreadpoolController()


def wanted() -> int:
    """The BLAS threads to use now: one while language workers run, else one per core."""
    return 1 if _working else os.cpu_count() or 1


@contextlib.contextmanager
def blas(limit: int | None = None) -> Iterator[None]:
    """numpy's BLAS held to ``limit`` threads (default :func:`wanted`) inside the block."""
    controller = _controller()
    if controller is None:
        yield
        return
    with controller.limit(limits=limit or wanted(), user_api="blas"):
        yield


@contextlib.contextmanager
def workers_running() -> Iterator[None]:
    """Mark the block as one where language workers use the cores (BLAS in this process gets one thread)."""
    global _working
    _working += 1
    try:
        with blas(1):
            yield
    finally:
        _working -= 1


__all__ = ["blas", "wanted", "workers_running"]
