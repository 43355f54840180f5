"""Defaults in one place, overridden by a TOML file, then the environment, then flags.

The file is ``./triangulate.toml`` or the path in ``TRIANGULATE_CONFIG``; an
environment variable is ``TRIANGULATE_`` plus the upper-cased field name
(``TRIANGULATE_DB``, ``TRIANGULATE_MAX_DOCUMENT_BYTES``).
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from .errors import InputError


@dataclass(frozen=True, slots=True)
class Settings:
    db: str = "triangulate.db"
    max_document_bytes: int = 10_000_000  # one text or HTML document, after decompression
    max_stream_bytes: int = 200_000_000  # a JSONL file or feed read as a whole
    fetch_timeout: float = 15.0  # seconds for one whole fetch, connect to last byte
    item_seconds: float = 30.0  # deadline for one item's reading, and for one article's language rules
    max_redirects: int = 5
    allow_private_urls: bool = False  # fetch loopback and private addresses (intranets)
    allowed_networks: str = ""  # or only these, comma-separated CIDRs ("127.0.0.0/8" in tests)
    user_agent: str = "triangulate/0.1 (+https://pypi.org/project/triangulate/)"
    embedding: str = "use-multilingual"  # or "wordllama" (pip install 'triangulate[fast]')
    writer: str = "extractive"  # or "model": rewrite brief sentences through writer_url, each one checked
    writer_url: str = ""  # an OpenAI-compatible API base, e.g. http://localhost:11434/v1
    writer_model: str = ""
    writer_key: str = ""  # sent as a bearer token when set (prefer $TRIANGULATE_WRITER_KEY)
    writer_timeout: float = 60.0  # seconds for one request
    dask: str = ""  # ingest on Dask: "local", "local:N" or a scheduler's tcp://HOST:8786 (the dask extra)

    def but(self, **changes: Any) -> Settings:
        """A copy with the given fields changed; ``None`` values are ignored."""
        return replace(self, **{k: v for k, v in changes.items() if v is not None})


def _coerce(name: str, raw: Any, kind: type) -> Any:
    if kind is bool and isinstance(raw, str):
        if raw.lower() in {"1", "true", "yes", "on"}:
            return True
        if raw.lower() in {"0", "false", "no", "off", ""}:
            return False
    try:
        return kind(raw)
    except (TypeError, ValueError):
        raise InputError(f"setting {name!r} should be a {kind.__name__}, got {raw!r}; fix the value") from None


def load_settings(path: str | Path | None = None, env: dict[str, str] | None = None) -> Settings:
    """Read settings: defaults, then the TOML file, then ``TRIANGULATE_*`` variables."""
    env = os.environ if env is None else env
    types = {f.name: type(getattr(Settings(), f.name)) for f in fields(Settings)}
    values: dict[str, Any] = {}
    config_path = Path(path or env.get("TRIANGULATE_CONFIG") or "triangulate.toml")
    if config_path.is_file():
        try:
            loaded = tomllib.loads(config_path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise InputError(f"not valid TOML ({exc}); fix the file", item=str(config_path)) from None
        for key, raw in loaded.items():
            if key not in types:
                known = ", ".join(sorted(types))
                raise InputError(f"unknown setting {key!r}; known: {known}", item=str(config_path))
            values[key] = _coerce(key, raw, types[key])
    for name, kind in types.items():
        raw = env.get(f"TRIANGULATE_{name.upper()}")
        if raw is not None:
            values[name] = _coerce(name, raw, kind)
    return Settings(**values)
