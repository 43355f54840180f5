"""A real, throwaway PostgreSQL server for the tests: started once a session, one fresh database per test.

The server comes from Debian's packages (``apt-get install postgresql``); the
tests that need it skip, saying so, where its binaries or the driver are
missing. PostgreSQL refuses to run as root, so under root the server runs as
``nobody``; it listens only on a Unix socket in a private folder.
"""

from __future__ import annotations

import itertools
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

BIN_FOLDERS = [*sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True), Path("/usr/local/bin")]
_numbers = itertools.count(1)


def _binaries() -> Path | None:
    """The folder holding initdb and pg_ctl, newest version first."""
    for folder in BIN_FOLDERS:
        if (folder / "initdb").is_file() and (folder / "pg_ctl").is_file():
            return folder
    found = shutil.which("initdb")
    return Path(found).parent if found and shutil.which("pg_ctl") else None


def _as_server_user(command: list[str]) -> list[str]:
    return ["runuser", "-u", "nobody", "--", *command] if os.geteuid() == 0 else command


class Server:
    """One running server; ``url(name)`` is the URL of a database on it."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def url(self, database: str = "postgres") -> str:
        return f"postgresql:///{database}?host={self.folder}&user=triangulate"

    def create(self) -> str:
        """A fresh, empty database; returns its URL."""
        import psycopg

        name = f"test_{os.getpid()}_{next(_numbers)}"
        with psycopg.connect(self.url(), autocommit=True) as con:
            con.execute(f"CREATE DATABASE {name}")
        return self.url(name)


@pytest.fixture(scope="session")
def postgres_server():
    """A PostgreSQL server in a temporary folder, stopped at the end of the session."""
    pytest.importorskip("psycopg", reason="the PostgreSQL driver is missing: pip install 'triangulate[postgres]'")
    binaries = _binaries()
    if binaries is None:
        pytest.skip("PostgreSQL is not installed (no initdb/pg_ctl): apt-get install -y postgresql to run these tests")
    folder = Path(tempfile.mkdtemp(prefix="triangulate-pg-"))
    data = folder / "data"
    os.chmod(folder, 0o755)
    if os.geteuid() == 0:
        shutil.chown(folder, "nobody", "nogroup")
    run = {"check": True, "capture_output": True, "text": True}
    try:
        initdb = [str(binaries / "initdb"), "-D", str(data), "-U", "triangulate", "--auth=trust", "--no-sync"]
        subprocess.run(_as_server_user([*initdb, "--encoding=UTF8", "--locale=C.UTF-8"]), **run)
        options = f"-c listen_addresses='' -c unix_socket_directories='{folder}' -c fsync=off -c max_connections=60"
        start = [str(binaries / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(folder / "log"), "-w", "-t", "60"]
        subprocess.run(_as_server_user([*start, "start"]), **run)
    except subprocess.CalledProcessError as exc:
        log = (folder / "log").read_text(errors="replace")[-800:] if (folder / "log").exists() else ""
        shutil.rmtree(folder, ignore_errors=True)
        pytest.fail(f"could not start PostgreSQL: {exc.stderr or exc.stdout}{log}")
    try:
        yield Server(folder)
    finally:
        subprocess.run(
            _as_server_user([str(binaries / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"]),
            capture_output=True,
        )
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def postgres_url(postgres_server) -> str:
    """The URL of a fresh, empty database on the session's server."""
    return postgres_server.create()
