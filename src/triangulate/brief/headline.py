"""The brief's headline: the counted headline with the fewest framing words, its charged verb made neutral."""

from __future__ import annotations

import re

from ..language.speakers import CUE
from ..model import Article
from ..words import WORD, bare, zipf
from .lines import junk

NEUTRAL_VERBS = ("says", "said", "tells", "told", "states", "stated", "announces", "announced", "reports")
CHARGED_VERBS = (
    "threatens", "threatened", "slams", "slammed", "blasts", "blasted", "vows", "vowed", "rips", "lashes", "brands",
    "mocks", "attacks", "admits", "admitted", "claims", "claimed", "insists", "boasts",
)  # fmt: skip
_HEADLINE_VERB = re.compile(rf"\b(?:{'|'.join(CHARGED_VERBS)})\b", re.I)


def _words(text: str) -> set[str]:
    return {bare(w) for w in WORD.findall(text) if zipf(bare(w)) < 5.5}


def headline_verbs(title: str) -> list[str]:
    """The attribution and charged verbs of a headline, in order: "Putin threatens Europe" → ["threatens"].

    A word that is also a noun ("claims", "attacks") is a verb only before what a verb takes ("that", "to", a
    determiner or a pronoun): "Jobless claims drop" has none.

    Example:
        >>> headline_verbs("Jobless claims drop to a fresh pandemic low"), headline_verbs("Trump claims the win")
        ([], ['claims'])
    """
    found = []
    for m in [*CUE.finditer(title), *_HEADLINE_VERB.finditer(title)]:
        word = m.group(0).split()[0].lower()
        if word in _NOUNS_TOO and not _VERB_OBJECT.match(title, m.start() + len(word)):
            continue
        found.append((m.start(), word))
    return list(dict.fromkeys(v for _, v in sorted(found)))


_NOUNS_TOO = ("claims", "attacks", "brands", "blasts", "mocks", "rips", "lashes", "boasts")
_VERB_OBJECT = re.compile(r"\s+(?:that|to|the|a|an|he|she|they|it|his|her|their|its|new|victory)\b", re.I)


def loaded_words(titles: list[str]) -> frozenset[str]:
    """Words that only one outlet's headline uses: where the outlets' framings part.

    Example:
        >>> sorted(loaded_words(["Putin threatens Europe", "Putin warns Western troops", "Putin says troops"]))
        ['europe', 'says', 'threatens', 'warns', 'western']
    """
    found_words = [_words(t) for t in titles]
    found: set[str] = set()
    for i, own in enumerate(found_words):
        found |= own - set().union(*(w for j, w in enumerate(found_words) if j != i))
    return frozenset(found) if len(titles) > 1 else frozenset()


_NO_HEADLINE = ("timestamp", "byline", "credit line", "heading", "empty", "fragment: too short")


def headline(articles: list[Article], lead: str | None, contested: set[str] = frozenset()) -> str:
    """The headline with the fewest words no other headline uses, its charged verb made neutral.

    Words only one outlet's headline uses are where outlets disagree on framing;
    the headline that needs fewest of them is the common ground. A charged verb
    costs, and costs more where no neutral verb fits its grammar ("threatens to
    target" has none); so does a headline quoting words no article quotes
    (``contested``: the ids of such articles).
    """
    titled = [a for a in articles if not a.title_derived and junk(a.title) not in _NO_HEADLINE]
    if not titled:
        return lead or (articles[0].title if articles else "")
    verbs = {a.id: headline_verbs(a.title) for a in titled}
    own_words = {a.id: _words(a.title) for a in titled}

    def cost(article: Article) -> tuple:
        others = set().union(*(w for i, w in own_words.items() if i != article.id)) if len(titled) > 1 else set()
        charged = [v for v in verbs[article.id] if v in CHARGED_VERBS]
        stuck = sum(_neutral(article.title, v) is None for v in charged)
        question = article.title.rstrip().endswith("?")  # a question is no statement of the news
        penalty = len(charged) + 3 * stuck + 3 * (article.id in contested) + 3 * question
        return (len(own_words[article.id] - others) + penalty, len(article.title), article.id)

    chosen = min(titled, key=cost)
    if len(titled) == 1:  # one headline: no other outlet's framing to weigh it against
        return chosen.title
    title = chosen.title
    for verb in verbs[chosen.id]:
        neutral = _neutral(title, verb) if verb in CHARGED_VERBS else None
        if neutral is not None:
            title = neutral
    return title


_NEUTRAL = {
    "threatens": "warns", "threatened": "warned", "slams": "criticises", "slammed": "criticised",
    "blasts": "criticises", "blasted": "criticised", "rips": "criticises", "mocks": "criticises",
    "attacks": "criticises", "vows": "pledges", "vowed": "pledged", "admits": "says", "admitted": "said",
    "claims": "says", "claimed": "said", "insists": "says", "boasts": "says", "brands": "calls",
}  # fmt: skip
_TAKES_TO = ("vows", "vowed")  # charged verbs whose neutral verb also takes "to" + a verb


def _neutral(title: str, verb: str) -> str | None:
    """The title with ``verb`` made neutral, or ``None`` where no neutral verb fits ("threatens to target")."""
    match = re.search(rf"\b{re.escape(verb)}\b(\s+\w+)?", title, re.I)
    neutral = _NEUTRAL.get(verb.lower())
    if not match or not neutral:
        return None
    if (match.group(1) or "").strip().lower() == "to" and verb.lower() not in _TAKES_TO:
        return None
    return title[: match.start()] + neutral + title[match.start() + len(verb) :]


__all__ = ["CHARGED_VERBS", "NEUTRAL_VERBS", "headline", "headline_verbs", "loaded_words"]
