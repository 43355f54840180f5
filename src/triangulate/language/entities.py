"""Entity mentions and their canonical identities.

spaCy finds the names; rules then give each one identity that holds within an
article and across articles:

* a person's id comes from the folded full name ("Zelenskiy", "Zelenskyy" and
  "Zelensky" fold alike), and a bare surname joins the full name it belongs to
  in the same article, or a known person of that surname from other articles;
* places are looked up in the gazetteer (Kiev → Kyiv, U.S. → United States);
  an unknown place one edit away from a place in a country the same sentence
  or article names is corrected ("Ukhhorod" near "Ukraine" → Uzhhorod);
* an organisation written as an acronym joins the spelled-out name it abbreviates;
* titles ("Russian President Vladimir Putin", "Dmitry Peskov, the Kremlin
  spokesman") are recorded as roles, and a later role noun ("the Russian
  president") becomes a mention of the person who holds that role.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from ..ingest.places import correct_place, country_of, place
from ..model import Article, Entity, Mention

HONORIFICS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "miss",
        "mx",
        "dr",
        "sir",
        "dame",
        "lord",
        "lady",
        "prof",
        "rev",
        "fr",
        "sen",
        "rep",
        "gov",
        "gen",
        "lt",
        "col",
        "sgt",
        "capt",
        "adm",
    ]
)
ROLE_NOUNS = (
    r"(?i:(?:deputy\s+|vice[\s-]+|acting\s+|former\s+|foreign\s+|defen[cs]e\s+|finance\s+|prime\s+|interior\s+)?"
    r"(?:president|minister|chancellor|premier|spokes(?:man|woman|person)|secretary(?:\s+of\s+state)?|"
    r"senator|governor|mayor|ambassador|envoy|king|queen|prince|princess|pope|leader|chief|commander|"
    r"general|ceo|chairman|chairwoman|chair|director|head|counterpart|official|aide|adviser|advisor|"
    r"diplomat|lawmaker|candidate|nominee|attorney\s+general|judge|justice|speaker|founder|owner))"
)
_QUALIFIER = r"(?:(?:[A-Z]\.(?:[A-Z]\.)+|[A-Z][\w’'-]*)(?:’s|'s)?\s+){0,3}"
_TITLE_BEFORE = re.compile(rf"(?:\b(?i:the|a|an)\s+)?({_QUALIFIER})({ROLE_NOUNS})\s*,?\s*$")
_TITLE_AFTER = re.compile(rf"^\s*,\s+(?:the|a|an)\s+((?:[\w’'.-]+\s+){{0,4}}?)({ROLE_NOUNS})\b")
_ROLE_MENTION = re.compile(rf"\b[Tt]he\s+({_QUALIFIER})({ROLE_NOUNS})\b(?!\s+[A-Z])")
_KINDS = {"PERSON": "per", "ORG": "org", "GPE": "loc", "LOC": "loc", "FAC": "loc", "NORP": "grp", "EVENT": "evt"}


@lru_cache(maxsize=65536)
def fold(word: str) -> str:
    """A spelling-insensitive key for a name: accents, case, doubled letters and -iy/-yy endings folded.

    Example:
        >>> {fold(w) for w in ("Zelensky", "Zelenskiy", "Zelenskyy", "ZELENSKY")}
        {'zelensky'}
    """
    word = unicodedata.normalize("NFKD", word)
    word = "".join(c for c in word if not unicodedata.combining(c)).lower()
    word = re.sub(r"[^a-z0-9]", "", word)
    word = re.sub(r"(?:iy|yy|ii|ij)$", "y", word)
    return re.sub(r"(.)\1+", r"\1", word)


def _slug(label: str, name: str) -> str:
    return f"{_KINDS.get(label, 'oth')}:" + "-".join(fold(w) for w in name.split() if fold(w))


def _role_key(qualifier: str, noun: str) -> tuple[str, str]:
    words = [re.sub(r"(?:’s|'s)$", "", w) for w in qualifier.split()]
    words = [w for w in words if w.lower() not in {"the", "a", "an"}]
    place_words = " ".join(words)
    country = country_of(place_words) if place_words else None
    noun = re.sub(r"\s+", " ", noun.lower())
    return (country or fold(place_words), noun)


@dataclass
class _Draft:
    label: str
    names: Counter = field(default_factory=Counter)
    roles: dict[tuple[str, str], str] = field(default_factory=dict)
    key: str = ""


def _clean(text: str, start: int, end: int) -> tuple[int, int]:
    """Trim a recognised name of a leading "the", a possessive and punctuation."""
    piece = text[start:end]
    lead = re.match(r"(?:the\s+)", piece, re.I)
    if lead and end - start > lead.end():
        start += lead.end()
    tail = re.search(r"(?:’s|'s|’|')$", text[start:end])
    if tail and tail.start() > 0:
        end = start + tail.start()
    while end > start and not text[end - 1].isalnum() and text[end - 1] not in ".)":
        end -= 1
    while end > start and text[end - 1] == "." and not re.search(r"\b[A-Z]\.$|\.[A-Z]\.$", text[start:end]):
        end -= 1
    return start, end


def _person_tokens(name: str) -> list[str]:
    tokens = [t for t in re.split(r"\s+", name) if t]
    while len(tokens) > 1 and fold(tokens[0]) in HONORIFICS:
        tokens.pop(0)
    return tokens


def resolve_entities(
    article: Article,
    ner: list[tuple[int, int, str]],
    sentences: list[tuple[int, int]],
    known: Mapping[str, Entity] | None = None,
) -> tuple[list[Mention], list[Entity]]:
    """Turn recognised names into mentions of canonical entities.

    ``known`` maps entity ids to entities from other articles (the store's
    registry); a bare surname with one known full-name owner joins it.
    """
    text = article.text
    known = known or {}
    drafts: dict[str, _Draft] = {}
    mentions: list[tuple[int, int, str, str, str]] = []  # start, end, entity id, label, kind
    sentence_of = _sentence_lookup(sentences)

    spans = []
    for start, end, label in ner:
        start, end = _clean(text, start, end)
        if Mention.fits(text, start, end) and any(c.isalpha() for c in text[start:end]):
            spans.append((start, end, label))

    # countries named in each sentence and in the whole article, for place correction
    countries_in: dict[int, set[str]] = {}
    for start, end, label in spans:
        if label in {"GPE", "NORP", "LOC"}:
            code = country_of(text[start:end])
            if code:
                countries_in.setdefault(sentence_of(start), set()).add(code)
    article_countries = set().union(*countries_in.values()) if countries_in else set()

    persons_full: list[tuple[int, str]] = []  # (start, id) of multi-word person names, in order
    pending_surnames = []
    unknown_places: list[tuple[int, int, str, str]] = []
    for start, end, label in spans:
        name = text[start:end]
        if label == "PERSON" and " " not in name and place(name):
            label = "GPE"  # a lone place name the recogniser took for a person ("Kyiv")
        if label == "PERSON":
            tokens = _person_tokens(name)
            if len(tokens) == 1:
                pending_surnames.append((start, end, tokens[0]))
                continue
            eid = _slug("PERSON", " ".join(tokens))
            persons_full.append((start, eid))
            draft = drafts.setdefault(eid, _Draft("PERSON"))
            draft.names[" ".join(tokens)] += 1
            _record_roles(text, start, end, draft)
        elif label in {"GPE", "LOC"}:
            found = place(name)
            if not found and label == "GPE":
                context = countries_in.get(sentence_of(start)) or article_countries
                found = correct_place(name, context) if context else None
            if not found and " " not in name and name[:1].isupper():
                unknown_places.append((start, end, name, label))  # perhaps a surname taken for a place
                continue
            canonical = found.name if found else name
            eid = _slug("GPE", canonical)
            drafts.setdefault(eid, _Draft(label)).names[canonical] += 1
            if canonical != name:
                drafts[eid].names[name] += 0
        else:
            if label == "ORG" and " " not in name and not name.isupper() and not place(name):
                unknown_places.append((start, end, name, label))  # perhaps a surname taken for an organisation
                continue
            canonical = _org_name(name) if label == "ORG" else name
            eid = _slug(label, canonical)
            drafts.setdefault(eid, _Draft(label)).names[canonical] += 1
            if canonical != name:
                drafts[eid].names[name] += 0
        mentions.append((start, end, eid, label, "name"))

    _join_acronyms(drafts, mentions)

    surname_index = _surnames({eid: d for eid, d in drafts.items() if d.label == "PERSON"})
    known_surnames: dict[str, tuple[str, ...]] | None = None
    for start, end, name, label in unknown_places:
        if known_surnames is None:
            known_surnames = _surnames_known(known)
        if fold(name) in surname_index or len(known_surnames.get(fold(name), [])) == 1:
            pending_surnames.append((start, end, name))  # "Zelenskyy" taken for a place, in a story about Zelensky
        else:
            eid = _slug("GPE" if label != "ORG" else "ORG", name)
            drafts.setdefault(eid, _Draft(label)).names[name] += 1
            mentions.append((start, end, eid, label, "name"))
    for start, end, token in pending_surnames:
        owners = surname_index.get(fold(token), [])
        if len(owners) > 1:  # two people of one surname: the one named most recently before
            before = [eid for s, eid in persons_full if s < start and eid in owners]
            owners = before[-1:] or owners[:1]
        if not owners and known_surnames is None:
            known_surnames = _surnames_known(known)
        if not owners and len(known_surnames.get(fold(token), [])) == 1:
            owners = known_surnames[fold(token)]
            drafts.setdefault(owners[0], _Draft("PERSON")).names[known[owners[0]].name] += 0
        eid = owners[0] if owners else _slug("PERSON", token)
        drafts.setdefault(eid, _Draft("PERSON")).names[token] += 0 if owners else 1
        _record_roles(text, start, end, drafts[eid])
        mentions.append((start, end, eid, "PERSON", "name"))

    role_holders = {key: eid for eid, d in drafts.items() for key in d.roles}
    for eid in drafts:  # roles known from other articles, for people this article names
        for title in known[eid].roles if eid in known else ():
            noun = re.search(rf"{ROLE_NOUNS}$", title)
            if noun:
                role_holders.setdefault(_role_key(title[: noun.start()], noun.group()), eid)
    for match in _ROLE_MENTION.finditer(text):
        key = _role_key(match.group(1), match.group(2))
        eid = role_holders.get(key)
        if eid and not any(s <= match.start() < e for s, e, *_ in mentions):
            mentions.append((match.start(), match.end(), eid, drafts[eid].label, "role"))

    entities = []
    for eid, draft in drafts.items():
        name = _display_name(draft, known.get(eid))
        entities.append(
            Entity(
                eid, draft.label, name, tuple(sorted(n for n in draft.names if n != name)), tuple(draft.roles.values())
            )
        )
    made = [
        Mention.of(article, s, e, entity_id=eid, label=label, kind=kind) for s, e, eid, label, kind in sorted(mentions)
    ]
    return made, sorted(entities, key=lambda e: e.id)


def _sentence_lookup(sentences: list[tuple[int, int]]):
    import bisect

    starts = [s for s, _ in sentences]
    return lambda offset: max(bisect.bisect_right(starts, offset) - 1, 0)


def _record_roles(text: str, start: int, end: int, draft: _Draft) -> None:
    line_start = text.rfind("\n", 0, start) + 1
    before = _TITLE_BEFORE.search(text[max(line_start, start - 80) : start])
    if before and (before.group(1) or before.group(0)[:1].isupper()):
        title = f"{before.group(1)}{before.group(2)}".strip()
        draft.roles.setdefault(_role_key(before.group(1), before.group(2)), title)
    after = _TITLE_AFTER.match(text[end : end + 80])
    if after:
        title = f"{after.group(1)}{after.group(2)}".strip()
        draft.roles.setdefault(_role_key(after.group(1), after.group(2)), title)


def _org_name(name: str) -> str:
    found = place(name)
    return found.name if found and not found.country else name


def _join_acronyms(drafts: dict[str, _Draft], mentions: list) -> None:
    """Merge an all-capitals organisation name into the spelled-out name whose initials it is."""
    spelled = {}
    for eid, draft in drafts.items():
        if draft.label != "ORG":
            continue
        for name in draft.names:
            words = [w for w in name.split() if w[:1].isupper() and w.lower() not in {"of", "the", "and", "for"}]
            if len(words) >= 2:
                spelled["".join(w[0] for w in words)] = eid
    for eid, draft in list(drafts.items()):
        if draft.label == "ORG" and eid in drafts and all(n.isupper() and n.isalpha() for n in draft.names):
            target = next((spelled[n] for n in draft.names if n in spelled and spelled[n] != eid), None)
            if target:
                drafts[target].names.update(draft.names)
                del drafts[eid]
                mentions[:] = [(s, e, target if m == eid else m, lab, k) for s, e, m, lab, k in mentions]


def _surnames(drafts: Mapping[str, _Draft]) -> dict[str, list[str]]:
    index: dict[str, list[str]] = {}
    for eid, draft in drafts.items():
        for name in draft.names:
            tokens = name.split()
            if len(tokens) > 1 and eid not in index.setdefault(fold(tokens[-1]), []):
                index[fold(tokens[-1])].append(eid)
    return index


class Registry(dict):
    """Known entities by id, with their surname index built once and kept up to date as entities are set.

    Building the index reads every entity; rebuilt for each batch, it made the
    language rules cost more per article as the archive grew. Setting an item
    updates it; any other change forgets it (built again on next use).
    """

    @cached_property
    def surnames(self) -> dict[str, tuple[str, ...]]:
        return _surname_index(self)

    def __setitem__(self, eid: str, entity: Entity) -> None:
        index = self.__dict__.get("surnames")
        if index is not None:
            old = self.get(eid)
            if old is not None and (key := _surname_of(old)) is not None:
                rest = tuple(e for e in index[key] if e != eid)
                if rest:
                    index[key] = rest
                else:
                    del index[key]
            if (key := _surname_of(entity)) is not None:
                index[key] = (*index.get(key, ()), eid)  # a new tuple: copies share the old one
        super().__setitem__(eid, entity)

    def _forget(self) -> None:
        self.__dict__.pop("surnames", None)

    def __delitem__(self, eid: str) -> None:
        self._forget()
        super().__delitem__(eid)

    def update(self, *args, **kwargs) -> None:
        self._forget()
        super().update(*args, **kwargs)

    def pop(self, *args):
        self._forget()
        return super().pop(*args)

    def popitem(self):
        self._forget()
        return super().popitem()

    def setdefault(self, eid: str, entity: Entity | None = None):
        self._forget()
        return super().setdefault(eid, entity)

    def clear(self) -> None:
        self._forget()
        super().clear()

    def copy(self) -> Registry:
        """A copy with its own copy of the index (whose owner tuples are never changed in place)."""
        made = Registry(self)
        if "surnames" in self.__dict__:
            made.__dict__["surnames"] = dict(self.__dict__["surnames"])
        return made


def _surnames_known(known: Mapping[str, Entity]) -> dict[str, tuple[str, ...]]:
    return known.surnames if isinstance(known, Registry) else _surname_index(known)


def _surname_of(entity: Entity) -> str | None:
    """The folded surname a person of two or more name words is known by; None for others."""
    tokens = entity.name.split()
    return fold(tokens[-1]) if entity.label == "PERSON" and len(tokens) > 1 else None


def _surname_index(known: Mapping[str, Entity]) -> dict[str, tuple[str, ...]]:
    index: dict[str, list[str]] = {}
    for eid, entity in known.items():
        if (key := _surname_of(entity)) is not None:
            index.setdefault(key, []).append(eid)
    return {key: tuple(owners) for key, owners in index.items()}


def _display_name(draft: _Draft, known: Entity | None) -> str:
    if known:
        return known.name
    longest = max(len(n.split()) for n in draft.names)
    return max((n for n in draft.names if len(n.split()) == longest), key=lambda n: (draft.names[n], n))


__all__ = ["ROLE_NOUNS", "Registry", "fold", "resolve_entities"]
