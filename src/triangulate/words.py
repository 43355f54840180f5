"""Words and how rare they are: the lexical weights segmentation and story clustering share.

A word's weight comes from wordfreq's Zipf scale (about 7 for "the", 3 for
"Vladivostok"), so names, places and topic nouns carry a comparison and common
words carry none, without any corpus statistics to keep up to date.
"""

from __future__ import annotations

import re
from functools import cache

WORD = re.compile(r"[^\W\d_][\w'’-]*")
_POSSESSIVE = re.compile(r"['’]s$")


@cache
def zipf(word: str, language: str = "en") -> float:
    """How common ``word`` is in ``language`` (wordfreq's Zipf scale, 0 when unknown)."""
    from wordfreq import zipf_frequency

    try:
        return zipf_frequency(word, language)
    except LookupError:  # a language wordfreq lacks: judge by English frequencies
        return zipf_frequency(word, "en")


def bare(word: str) -> str:
    """ "Putin’s" → "putin".

    Example:
        >>> bare("Putin’s"), bare("U.S.-led")
        ('putin', 'u.s.-led')
    """
    return _POSSESSIVE.sub("", word.lower()).strip("'’-")


def words(text: str) -> list[str]:
    """The words of a text, lower-cased and without possessive endings."""
    return [bare(w) for w in WORD.findall(text)]
