"""A real, throwaway PostgreSQL server for the tests: started once a session, one fresh database per test.

The server comes from Debian's packages (``apt-get install postgresql``); the
tests that need it skip, saying so, where its binaries or the driver are
missing (``bench/_postgres.py`` starts and stops it).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from _postgres import Unavailable, throwaway_server


@pytest.fixture(scope="session")
def postgres_server():
    """A PostgreSQL server in a temporary folder (Unix socket only), stopped at the end of the session."""
    try:
        with throwaway_server() as server:
            yield server
    except Unavailable as missing:
        pytest.skip(str(missing))


@pytest.fixture
def postgres_url(postgres_server) -> str:
    """The URL of a fresh, empty database on the session's server."""
    return postgres_server.create()
