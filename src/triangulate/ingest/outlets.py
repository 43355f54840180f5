"""Outlet names normalised against the outlet registry (by domain, then by name)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from urllib.parse import urlsplit

_GENERIC_TAIL = re.compile(r"(?:\s+(?:news|online|digital|com|media|today|daily))+$")
_NOT_ALNUM = re.compile(r"[^0-9a-z]+")
_PARENS = re.compile(r"\s*\(([^)]+)\)\s*")


@dataclass(frozen=True, slots=True)
class Outlet:
    """One outlet of the registry."""

    name: str
    domains: tuple[str, ...]
    country: str
    typology: str
    owner: str | None = None  # the registry's owner, where it names one


def _name_keys(name: str) -> set[str]:
    """Lookup keys for a name: as written, and without generic tails ("ZeroHedge News")."""
    lowered = name.casefold().strip()
    lowered = re.sub(r"^the\s+", "", lowered)
    keys = {_NOT_ALNUM.sub("", lowered)}
    trimmed = _GENERIC_TAIL.sub("", lowered)
    if trimmed and trimmed != lowered:
        keys.add(_NOT_ALNUM.sub("", trimmed))
    return {k for k in keys if len(k) >= 2}


class Registry:
    """Outlets by domain and by name, from the vendored registry and its supplement."""

    def __init__(self, entries: list[dict]) -> None:
        self.by_domain: dict[str, Outlet] = {}
        self.by_name: dict[str, Outlet] = {}
        for entry in entries:
            outlet = Outlet(
                name=entry["organization"].strip(),
                domains=tuple(d.lower() for d in entry.get("domains", [])),
                country=entry.get("country", ""),
                typology=entry.get("typology", ""),
                owner=entry.get("owner"),
            )
            for domain in outlet.domains:
                self.by_domain.setdefault(domain.removeprefix("www."), outlet)
            names = [outlet.name, *entry.get("aliases", [])]
            inner = _PARENS.search(outlet.name)  # "Agence France-Presse (AFP)"
            if inner:
                names += [inner.group(1), _PARENS.sub(" ", outlet.name)]
            for name in names:
                for key in _name_keys(name):
                    self.by_name.setdefault(key, outlet)

    def by_url(self, url: str | None) -> Outlet | None:
        """The outlet whose domain (or a parent domain) serves ``url``."""
        if not url:
            return None
        host = (urlsplit(url if "//" in url else "//" + url).hostname or "").lower()
        parts = host.removeprefix("www.").split(".")
        for i in range(len(parts) - 1):
            found = self.by_domain.get(".".join(parts[i:]))
            if found:
                return found
        return None

    def lookup(self, name: str | None) -> Outlet | None:
        """The outlet a printed name refers to, if the registry knows it."""
        if not name:
            return None
        for key in sorted(_name_keys(name), key=len, reverse=True):
            if key in self.by_name:
                return self.by_name[key]
        return None

    def canonical(self, name: str | None = None, url: str | None = None) -> str | None:
        """The registry's name for an outlet given by URL or printed name; else the name as printed.

        Example:
            >>> registry().canonical("ZeroHedge News")
            'ZeroHedge'
            >>> registry().canonical(url="https://www.reuters.com/world/x")
            'Reuters'
        """
        found = self.by_url(url) or self.lookup(name)
        if found:
            return found.name
        if name and name.strip():
            return name.strip()
        return site(url)


def site(url: str | None) -> str | None:
    """The site a URL is served from, for an outlet the registry does not know ("www.foxnews.com/x" → "foxnews.com").

    Example:
        >>> site("http://www.nydailynews.com/news/x.html"), site("file:///tmp/a.html"), site(None)
        ('nydailynews.com', None, None)
    """
    if not url:
        return None
    host = (urlsplit(url if "//" in url else "//" + url).hostname or "").lower().removeprefix("www.")
    return host if "." in host and not host.replace(".", "").isdigit() else None


@cache
def registry() -> Registry:
    """The registry shipped with the package (loaded once)."""
    data = resources.files("triangulate") / "data"
    entries = json.loads((data / "outlets.json").read_text(encoding="utf-8"))
    entries += json.loads((data / "outlets_extra.json").read_text(encoding="utf-8"))
    return Registry(entries)
