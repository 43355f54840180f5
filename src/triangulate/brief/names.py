"""How the brief names a source: its outlet, else "unnamed outlet" and a short whole-word title; and its group.

An outlet comes from ingest (the registry, the domain, the credits and the
page furniture). A value that is really a timestamp or a byline is no outlet.
An independence group is named after its publishers, with the upstream they
relay when the group stands for a credit ("FE Today, relaying agencies").
"""

from __future__ import annotations

import re

from ..model import Article
from .lines import junk

TITLE_WORDS = 6  # an unnamed outlet's article is known by this many words of its title
TITLE_CHARS = 48
_NOT_OUTLET = re.compile(r"\d{1,2}: ?\d{2}|\b(?:updated|published|posted|GMT|UTC)\b|^By\s", re.I)
_GENERIC = re.compile(r"^(?:agencies|state media|local media|[a-z]+ media|news agencies)$", re.I)


def short_title(title: str, words: int = TITLE_WORDS, chars: int = TITLE_CHARS) -> str:
    """The title's first whole words, within ``words`` words and ``chars`` characters; "…" when cut.

    Example:
        >>> short_title("Putin says Western troops in Ukraine would be legitimate targets")
        'Putin says Western troops in Ukraine…'
    """
    found = title.split()
    kept: list[str] = []
    for word in found[:words]:
        if len(" ".join([*kept, word])) > chars:
            break
        kept.append(word)
    if not kept:
        kept = found[:1]
    text = " ".join(kept)
    return text if len(kept) == len(found) else text.rstrip(",;:—–-") + "…"


def outlet_of(article: Article) -> str | None:
    """The article's outlet, unless what ingest took for one is a timestamp or a byline."""
    outlet = (article.outlet or "").strip()
    if not outlet or _NOT_OUTLET.search(outlet) or (article.byline and outlet == article.byline.strip()):
        return None
    if junk(outlet) in ("timestamp", "byline"):
        return None
    return outlet


def source_name(article: Article) -> str:
    """ "FE Today", or "unnamed outlet (“Putin threatens Europe: Troops deployed…”)"."""
    return outlet_of(article) or f"unnamed outlet (“{short_title(article.title)}”)"


def _key(name: str) -> str:
    return re.sub(r"^the\s+", "", name.casefold().strip())


def group_name(label: str, members: list[Article]) -> str:
    """An independence group named after its publishers, with the upstream they relay.

    Example:
        >>> a = Article.build("Putin spoke.", title="Putin spoke", outlet="FE Today")
        >>> group_name("Agencies", [a])
        'FE Today, relaying agencies'
    """
    publishers = list(dict.fromkeys(source_name(a) for a in members))
    named = ", ".join(publishers)
    if not label or label.startswith("“") or _key(label) in {_key(p) for p in publishers} | {_key(named)}:
        return named  # the group stands for its own publisher ("The Associated Press" is Associated Press)
    upstream = label.lower() if _GENERIC.match(label) else label
    return f"{named}, relaying {upstream}"


__all__ = ["group_name", "outlet_of", "short_title", "source_name"]
