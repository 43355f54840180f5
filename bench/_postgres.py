"""A throwaway PostgreSQL server from Debian's packages, for the tests and the scale bench.

PostgreSQL refuses to run as root, so under root the server runs as
``nobody``. It listens only on a Unix socket in a private temporary folder and
is stopped (and the folder removed) when the ``with`` block ends.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

BIN_FOLDERS = [*sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True), Path("/usr/local/bin")]
_numbers = itertools.count(1)


class Unavailable(RuntimeError):
    """No PostgreSQL binaries or no driver here; the message says what to install."""


def binaries() -> Path | None:
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

        name = f"db_{os.getpid()}_{next(_numbers)}"
        with psycopg.connect(self.url(), autocommit=True) as con:
            con.execute(f"CREATE DATABASE {name}")
        return self.url(name)


@contextlib.contextmanager
def throwaway_server() -> Iterator[Server]:
    """Start a server in a temporary folder; stop it and remove the folder afterwards."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        raise Unavailable("the PostgreSQL driver is missing: pip install 'triangulate[postgres]'") from None
    found = binaries()
    if found is None:
        raise Unavailable("PostgreSQL is not installed (no initdb/pg_ctl): apt-get install -y postgresql")
    folder = Path(tempfile.mkdtemp(prefix="triangulate-pg-"))
    data = folder / "data"
    os.chmod(folder, 0o755)
    if os.geteuid() == 0:
        shutil.chown(folder, "nobody", "nogroup")
    run = {"check": True, "capture_output": True, "text": True}
    try:
        initdb = [str(found / "initdb"), "-D", str(data), "-U", "triangulate", "--auth=trust", "--no-sync"]
        subprocess.run(_as_server_user([*initdb, "--encoding=UTF8", "--locale=C.UTF-8"]), **run)
        options = f"-c listen_addresses='' -c unix_socket_directories='{folder}' -c fsync=off -c max_connections=60"
        start = [str(found / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(folder / "log"), "-w", "-t", "60"]
        subprocess.run(_as_server_user([*start, "start"]), **run)
    except subprocess.CalledProcessError as exc:
        log = (folder / "log").read_text(errors="replace")[-800:] if (folder / "log").exists() else ""
        shutil.rmtree(folder, ignore_errors=True)
        raise RuntimeError(f"could not start PostgreSQL: {exc.stderr or exc.stdout}{log}") from None
    try:
        yield Server(folder)
    finally:
        stop = [str(found / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"]
        subprocess.run(_as_server_user(stop), capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)
