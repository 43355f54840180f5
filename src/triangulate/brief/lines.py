"""When a sentence can stand alone as a line of a brief: the rules, in one place, for the brief and the bench.

A brief's line is read on its own, out of the article around it. :func:`junk`
says why a sentence cannot be (or ``None`` when it can), and :func:`shortened`
and :func:`first_clause` are the only shortenings the brief does: they drop
what a reader loses nothing by (a leading connective; the clauses after a
sentence's first one), never a name, a number, a negation or a quoted word
inside what is kept, so the citation stays exact. The rules are general (no outlet, no story): ``bench/brief.py``
counts the junk lines of a brief with the same function.

- *fragment*: fewer than four words; cut off ("…which track the..."); starts in lower case or with a
  conjunction that needs the sentence before ("and", "but", "or", "while"…);
  ends with a colon or without closing punctuation; an unclosed quotation.
- *pronoun*: led by a pronoun ("He added…", "It also announced…", "This…"), also after an opening phrase
  ("As of Tuesday afternoon, that's…")
  whose referent is not in the line.
- *heading*: a title-cased line without a verb ending punctuation, or a
  digest's section name.
- *credit line*: "Name, Role (Place, Date)", "Name, Role (statement)".
- *byline or timestamp*: "By Jane Doe", "Last updated at 12:41 GMT",
  "Published 5 September 2025", "Tyler Durden".
- *run-on*: two sentences glued by extraction ("…second term. last month in
  Alaska"I have…": a full stop then a lower-case word, or a closing quote
  glued to the next word).
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..ingest.dates import is_timestamp

MIN_WORDS = 4
_WORDS = re.compile(r"[^\W\d_][\w'’-]*|\d[\d,.]*")
_PRONOUN = re.compile(
    r"^(?:He|She|They|It(?![’']s\b)|This|That|These|Those|His|Her|Their|Its|Such)\b(?!\s+(?:{}))".format(
        "week|weekend|month|year|morning|afternoon|evening|time|spring|summer|autumn|fall|winter|"
        "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
    )
)
_LATE_PRONOUN = re.compile(  # "As of Tuesday afternoon, that's the vast majority…": the subject refers back
    r"^[^,\"“]{3,40},\s+(?:he|she|they|it|this|that|these|those)(?:['’]s|\s+(?:is|are|was|were|has|have|had|will|"
    r"would|said|says|added))\b"
)
_QUOTE_LED = re.compile(r"^[\"“]([^\"”]+)[\"”],?\s*(he|she|they|it)\b", re.I)  # "…," he said: who is "he"?
_CONNECTIVE_OPEN = re.compile(r"^(?:and|but|or|nor|while|whereas|although|though|because|so|then|which|who)\b", re.I)
_CREDIT = re.compile(
    r"^[A-Z][\w.’'-]+(?: [A-Z][\w.’'-]+){0,3}, [^()]{2,60}\((?:[^()]*\d{4}|statement|file|photo)[^()]*\)$"
)
_BYLINE = re.compile(r"^(?:By|Written by|Reporting by|Editing by)\s+[A-Z]", re.I)
_TIMESTAMP = re.compile(
    r"^(?:(?:Last )?(?:updated|published|posted|modified)\b(?: on| at)?:? ?[^.]{0,24}\d|(?:at )?\d{1,2}: ?\d{2}\b|"
    r"(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*,? \d|\d{1,2}/\d{1,2}/\d{2,4}\b)",
    re.I,
)
_RUN_ON = re.compile(r"\b(?!(?:vs|etc|approx|incl|cf|al|ca)\.)[a-z]{2,}[.!?] +[a-z]|\w[\"“”][A-Z]")
_TRUNCATED = re.compile(r"[\w,;:]\s*(?:\.\.\.|…)$")  # "…which generally track the..."
_ENDS = re.compile(r"[.!?…][\"”’')\]]*$|[\"”’][.!?]?$")
_HEADINGS = {
    "key takeaways", "takeaways", "verified facts", "established facts", "context & impact", "context and impact",
    "official statements", "unconfirmed", "disputed", "bottom line", "sources", "timeline", "coverage", "lead",
    "related", "read more", "advertisement", "share", "leave a comment",
}  # fmt: skip


def words(text: str) -> list[str]:
    """The words of a line (numbers count; punctuation and citation marks do not)."""
    return _WORDS.findall(text)


_CITATION_MARKS = re.compile(r"^(?:\[\d+\])+[.,;:]?$")


def reading_length(text: str) -> int:
    """Words as a reader counts them (``wc -w``), leaving out markup and citation marks ("[3][4]").

    Example:
        >>> reading_length("## Lead\\n\\nOn 5 September 2025 in Vladivostok: Putin spoke. [1][2]")
        9
    """
    return sum(1 for token in text.split() if any(c.isalnum() for c in token) and not _CITATION_MARKS.match(token))


@lru_cache(maxsize=1 << 15)  # the brief asks it of every member of every group: wire copies repeat their claims
def junk(text: str) -> str | None:
    """Why ``text`` cannot stand alone as a line of a brief, or ``None`` when it can.

    Example:
        >>> junk("only once a possible ceasefire has been established.")
        'fragment: starts in lower case'
        >>> junk("And he sees the deployment of foreign peacekeepers as a possible solution.")
        'fragment: opens with a conjunction'
        >>> junk("Vladimir Putin, Russian President (Vladivostok, Sept. 5, 2025)")
        'credit line'
        >>> junk("Putin said troops in Ukraine would be legitimate targets.") is None
        True
    """
    line = text.strip()
    bare = line.strip("\"“”‘’' ")
    if not line:
        return "empty"
    if bare.lower().rstrip(":") in _HEADINGS:
        return "heading"
    if _CREDIT.match(line):
        return "credit line"
    if _BYLINE.match(line):
        return "byline"
    if _TIMESTAMP.match(line) or is_timestamp(line):
        return "timestamp"
    found = words(line)
    if len(found) < MIN_WORDS:
        return "fragment: too short"
    if bare[:1].islower():
        return "fragment: starts in lower case"
    if _CONNECTIVE_OPEN.match(bare):
        return "fragment: opens with a conjunction"
    if line.endswith(":"):
        return "fragment: ends with a colon"
    if _PRONOUN.match(line) or _QUOTE_LED.match(line) or _LATE_PRONOUN.match(line):
        return "pronoun without its referent"
    if _RUN_ON.search(line):
        return "run-on: two sentences glued together"
    if _TRUNCATED.search(line):
        return "fragment: cut off"
    if not _ENDS.search(line):
        return "heading" if _title_case(found) else "fragment: no closing punctuation"
    if _unbalanced(line):
        return "fragment: an unclosed quotation"
    return None


def _title_case(found: list[str]) -> bool:
    capitals = sum(w[:1].isupper() for w in found)
    return capitals >= 0.6 * len(found)


def _unbalanced(line: str) -> bool:
    return line.count("“") != line.count("”") or line.count('"') % 2 == 1


_LEADING_CONNECTIVE = re.compile(
    r"^(?:However|Meanwhile|But|And|Also|Moreover|Still|Yet|Indeed|Separately|For his part|For her part|"
    r"For their part|In addition|Additionally|Furthermore|Nevertheless|Nonetheless),\s+(?=[A-Z“\"])"
)


def shortened(sentence: str) -> str:
    """A sentence without a leading connective ("However, …"): the only shortening that keeps meaning and citation.

    Names, numbers, negations and quoted words are never touched.

    Example:
        >>> shortened("However, Russian President Vladimir Putin has reiterated that troops would be targets.")
        'Russian President Vladimir Putin has reiterated that troops would be targets.'
    """
    return _LEADING_CONNECTIVE.sub("", sentence.strip())


_CLAUSE_JOIN = re.compile(r"^\s*(?:;|,?\s+(?:but|and|while|whereas|although|though|yet)\b)")


def first_clause(piece: str, rest: str) -> str | None:
    """A sentence's first clause as a sentence: ``piece`` closed with a full stop, when what follows it in the
    sentence (``rest``) opens another clause ("; …", ", but …"). The words and the citation stay exact.

    Example:
        >>> first_clause("Ukraine seeks strong, durable guarantees to deter future aggression",
        ...              "; Russia demands reciprocal assurances for its own security.")
        'Ukraine seeks strong, durable guarantees to deter future aggression.'
    """
    if not _CLAUSE_JOIN.match(rest) or not piece[:1].isupper():
        return None
    return piece.rstrip(" ,;") + "."


_PREFIX = re.compile(r"^(?:On \d{1,2} [A-Z][a-z]+ \d{4}(?: in [^:]{1,60})?|In [^:]{1,60}|\d{1,2} [A-Z][a-z]+ \d{4}): ")


def without_prefix(line: str) -> str:
    """A lead or timeline line without the day and place the brief puts before the source's words.

    Example:
        >>> without_prefix("On 5 September 2025 in Vladivostok: Putin spoke.")
        'Putin spoke.'
    """
    return _PREFIX.sub("", line, count=1)


__all__ = ["MIN_WORDS", "first_clause", "junk", "reading_length", "shortened", "without_prefix", "words"]
