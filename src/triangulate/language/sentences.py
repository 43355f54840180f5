"""Sentence boundaries for news text.

Line breaks always end a sentence (headlines and list items carry no full
stop). Inside a line, a sentence ends at ``.``, ``!``, ``?`` or ``…`` (with any
closing quotes or brackets after it) when the next word starts like a sentence,
unless the word before the stop is an abbreviation (Mr., Sept., Gen.), an
initial (J.), or a dotted acronym (U.S.) that is not followed by a usual
sentence opener. A quote that runs over several sentences is split like any
other text; a quote followed by its attribution ("…?" she asked) is not.
"""

from __future__ import annotations

import re

from ..model import Article, Sentence

ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "messrs",
        "dr",
        "prof",
        "gen",
        "lt",
        "col",
        "maj",
        "sgt",
        "capt",
        "cmdr",
        "adm",
        "gov",
        "sen",
        "sens",  # "moderates such as Sens. Kyrsten Sinema and Joe Manchin"
        "reps",
        "govs",
        "drs",
        "gens",
        "rep",
        "rev",
        "fr",
        "st",
        "jr",
        "sr",
        "pres",
        "supt",
        "insp",
        "det",
        "hon",
        "amb",
        "atty",
        "inc",
        "corp",
        "ltd",
        "co",
        "bros",
        "dept",
        "univ",
        "assn",
        "est",
        "approx",
        "vs",
        "no",
        "nos",
        "fig",
        "op",
        "vol",
        "pp",
        "ed",
        "eds",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "mon",
        "tue",
        "tues",
        "wed",
        "thu",
        "thur",
        "thurs",
        "fri",
        "sat",
        "sun",
        "ave",
        "blvd",
        "rd",
        "mt",
        "ft",
        "e.g",
        "i.e",
        "cf",
        "al",
    ]
)
OPENERS = frozenset(
    [
        "the",
        "a",
        "an",
        "he",
        "she",
        "it",
        "they",
        "we",
        "i",
        "you",
        "this",
        "that",
        "these",
        "those",
        "there",
        "his",
        "her",
        "its",
        "their",
        "our",
        "my",
        "in",
        "on",
        "at",
        "for",
        "but",
        "and",
        "so",
        "yet",
        "however",
        "meanwhile",
        "after",
        "before",
        "when",
        "while",
        "if",
        "as",
        "since",
        "although",
        "according",
        "last",
        "earlier",
        "later",
        "one",
        "two",
        "some",
        "many",
        "most",
        "all",
        "both",
        "each",
        "no",
        "not",
    ]
)
_BOUNDARY = re.compile(r"(?:[.!?]+|…)[\"'”’»)\]]*(?=\s+[\"'“‘«(\[]{0,2}[A-Z0-9])")
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)\.$")
_NEXT_WORD = re.compile(r"\s+[\"'“‘«(\[]{0,2}([A-Za-z0-9]+)")
_TRIM = " \t\u00a0•·*–—-"


def _is_boundary(text: str, stop: re.Match) -> bool:
    piece = stop.group()
    if not piece.startswith("."):
        return True
    if (
        piece == "."
        and re.search(r"(?<![\d,.])\d{1,3}$", text[max(0, stop.start() - 8) : stop.start()])
        and re.match(r" \d", text[stop.end() :])
    ):
        return False  # "a magnitude 6. 1 quake": a decimal a converter spaced out, not two sentences
    before = _WORD_BEFORE.search(text, max(0, stop.start() - 40), stop.start() + 1)
    if not before:
        return True
    word = before.group(1)
    bare = word.lower().rstrip(".")
    nxt = _NEXT_WORD.match(text, stop.end())
    following = nxt.group(1).lower() if nxt else ""
    if "." in word:  # U.S., a.m., e.g.
        if bare in ABBREVIATIONS:
            return False
        return following in OPENERS
    if len(word) == 1 and word.isupper():  # an initial: "John F. Kennedy"
        return False
    if bare in ABBREVIATIONS:
        return False
    return not (text[before.start() - 1 : before.start()] == "." if before.start() else False)


def sentence_bounds(text: str) -> list[tuple[int, int]]:
    """Return (start, end) offsets of each sentence, trimmed of spaces and bullets.

    Example:
        >>> t = 'Mr. Putin spoke in the U.S. on Sept. 5. "We are ready," he said. Then he left'
        >>> [t[s:e] for s, e in sentence_bounds(t)]
        ['Mr. Putin spoke in the U.S. on Sept. 5.', '"We are ready," he said.', 'Then he left']
    """
    bounds = []
    for line in re.finditer(r"[^\n]+", text):
        start = line.start()
        cuts = [m.end() for m in _BOUNDARY.finditer(text, line.start(), line.end()) if _is_boundary(text, m)]
        for end in [*cuts, line.end()]:
            s, e = start, end
            while s < e and text[s] in _TRIM:
                s += 1
            while e > s and text[e - 1].isspace():
                e -= 1
            if e > s and any(c.isalnum() for c in text[s:e]):
                bounds.append((s, e))
            start = end
    return bounds


def sentences(article: Article) -> list[Sentence]:
    """The article's sentences as checked spans."""
    return [Sentence.of(article, s, e) for s, e in sentence_bounds(article.text)]
