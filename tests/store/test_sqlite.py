"""What only the SQLite store does: refusing a newer schema or a file that is not a database.

The behaviour both backends share is tested on both in ``test_backends.py``.
"""

import sqlite3

import pytest

from triangulate.errors import StoreError
from triangulate.store import open_store


def test_a_newer_schema_or_a_non_database_is_refused(tmp_path):
    newer = tmp_path / "newer.db"
    sqlite3.connect(newer).execute("PRAGMA user_version = 99")
    with pytest.raises(StoreError, match="upgrade triangulate"):
        open_store(str(newer))
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not a database at all" * 100)
    with pytest.raises(StoreError, match="SQLite file"):
        open_store(str(junk))
