"""Cutting a page that carries several stories into one segment per story.

A heading inside the body either titles a section of the same story (a
sub-heading) or opens another story. The section under it opens another story
when its words are unlike the story so far: the cosine of their word vectors,
each word weighted by how rare it is in English (wordfreq's Zipf scale), falls
under ``NEW_STORY_BELOW``, or falls under ``NEW_SUBJECT_BELOW`` while the
heading's subject (headlines lead with it: "Beijing rejects …") is a name the
story so far never mentions. Rare shared words (names, places, topic nouns)
carry the decision; common words carry none. The two thresholds were set once
on ECB+ pages (``bench/segment.py``), not on the seeds.
"""

from __future__ import annotations

import math
import re
from collections import Counter

from ..words import bare, zipf
from . import _lines as L
from .dates import DATE_LINE, is_timestamp

NEW_STORY_BELOW = 0.12
NEW_SUBJECT_BELOW = 0.30
COMMON_WORD_ZIPF = 5.0  # "Key Takeaways" has no subject; "Beijing rejects …" has
MIN_SECTION_WORDS = 40  # shorter sections stay with the story above them
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]+")


def _zipf(word: str) -> float:
    return zipf(word, "en")


def _weight(word: str) -> float:
    return max(0.0, 6.0 - _zipf(word))


def new_subject(heading: str, story: str) -> bool:
    """Does the heading lead with a name the story never mentions?

    Example:
        >>> new_subject("Beijing rejects Trump call", "Trump spoke to Putin.")
        True
        >>> new_subject("Trump says will speak with Putin soon", "Trump spoke to Putin.")
        False
    """
    subject = headline_subject(heading)
    return subject is not None and re.search(rf"\b{re.escape(subject)}\b", story, re.I) is None


def headline_subject(heading: str) -> str | None:
    """The name a headline leads with ("Beijing rejects …" → "beijing"), if it leads with a rare one.

    Example:
        >>> headline_subject("Beijing rejects Trump call"), headline_subject("Key Takeaways")
        ('beijing', None)
    """
    first = _WORD.match(heading.lstrip("\"'“‘"))
    if not first or not first.group(0)[0].isupper():
        return None
    subject = bare(first.group(0))
    return None if _zipf(subject) >= COMMON_WORD_ZIPF else subject


def vector(text: str) -> dict[str, float]:
    """Word counts weighted by rarity: "Beijing" counts, "the" does not."""
    counts = Counter(bare(w) for w in _WORD.findall(text))
    return {w: n * _weight(w) for w, n in counts.items() if _weight(w) > 0}


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if not a or not b:
        return 0.0
    dot = sum(v * b.get(k, 0.0) for k, v in a.items())
    return dot / (math.sqrt(sum(v * v for v in a.values())) * math.sqrt(sum(v * v for v in b.values())))


def is_section_heading(paragraphs: list[str], i: int) -> bool:
    """A short title-like paragraph followed by running text."""
    line = paragraphs[i]
    return (
        0 < i < len(paragraphs) - 1
        and L.is_headline(line, 20)
        and not line.endswith(")")  # "Vladimir Putin, Russian President (Vladivostok)" credits a quote
        and line[-1] not in "?!"  # a question or exclamation in running text
        and line[0] not in "\"'“‘«"  # a quotation standing as its own paragraph
        and not DATE_LINE.match(line)
        and not is_timestamp(line)
        and not L.is_headline(paragraphs[i + 1], 20)
    )


def sections(paragraphs: list[str]) -> list[tuple[str | None, list[str]]]:
    """The body as (heading, paragraphs) sections; the first has no heading."""
    out: list[tuple[str | None, list[str]]] = [(None, [])]
    for i, paragraph in enumerate(paragraphs):
        if is_section_heading(paragraphs, i):
            out.append((paragraph, []))
        else:
            out[-1][1].append(paragraph)
    return out


def opens_new_story(heading: str, body: list[str], story: list[str]) -> bool:
    """Is the section under ``heading`` another story than ``story``?"""
    if L.words(" ".join(body)) < MIN_SECTION_WORDS:
        return False
    if all(_zipf(bare(w)) >= COMMON_WORD_ZIPF for w in _WORD.findall(heading)):
        return False  # a label such as "Bottom Line" or "Key Takeaways" names no story
    so_far = " ".join(story)
    similarity = cosine(vector(" ".join([heading, *body])), vector(so_far))
    return similarity < NEW_STORY_BELOW or (similarity < NEW_SUBJECT_BELOW and new_subject(heading, so_far))


def split_stories(paragraphs: list[str]) -> list[tuple[str | None, list[str]]]:
    """Group sections into stories: (title or None for the first, paragraphs).

    A sub-heading of the same story stays in its text as a paragraph of its own.
    """
    parts = sections(paragraphs)
    stories: list[tuple[str | None, list[str]]] = [parts[0]]
    for heading, body in parts[1:]:
        if heading and opens_new_story(heading, body, stories[-1][1]):
            stories.append((heading, list(body)))
        else:
            stories[-1][1].extend([heading, *body] if heading else body)
    return [(h, b) for h, b in stories if b]
