"""The optional model writer: sentences rewritten by a language model, each kept only if its sources support it.

Any OpenAI-compatible endpoint serves (``writer_url``, ``writer_model`` in the
settings; off by default). Each extractive sentence of the lead, takeaways,
facts, context and bottom line is sent with the exact words it cites, and the
reply is checked against those words before it replaces anything:

- every number in the reply appears in the sentence or its cited spans;
- every name (a capitalised word not opening the sentence) appears there too;
- the reply negates exactly when the sentence does;
- anything the reply puts in quotation marks is verbatim in a cited span;
- its embedding stays close to the sentence's (cosine ≥ ``SIMILAR``);
- and the whole check of ``triangulate.check`` against the sentence and its cited spans: every proposition of
  the reply supported, every quotation verbatim.

A reply that fails any check is dropped and the extractive sentence stays; the
reason is kept in :attr:`Rewrite.rejected`. Official statements, disputes and
sources are never rewritten: quotes are verbatim only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

import httpx

from ..embed import Embedder
from ..errors import FetchError
from . import Brief, Line

REWRITTEN = ("lead", "takeaways", "facts", "context", "bottom_line")
SIMILAR = 0.8
MAX_REPLY_BYTES = 65_536
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-zA-Z’'-]+")
_NEGATION = re.compile(r"\b(?:not|no|never|none|nobody|nothing|neither|nor|without|cannot)\b|n[’']t\b", re.I)
_QUOTED = re.compile(r"[\"“]([^\"”]{3,})[\"”]")
PROMPT = (
    "Rewrite the sentence for a neutral news brief so it reads fluently. Keep every fact, number, name and "
    "negation exactly; add nothing that the sources below do not say; do not add or change quotations. "
    "Reply with the rewritten sentence only."
)


@dataclass
class Rewrite:
    brief: Brief
    accepted: int = 0
    rejected: list[tuple[str, str]] = field(default_factory=list)  # (the model's sentence, why it was refused)


def _numbers(text: str) -> set[str]:
    return {n.replace(",", "") for n in _NUMBER.findall(text)}


def _names(text: str) -> set[str]:
    return {m.group(0).lower().strip("’'") for m in _NAME.finditer(text)}


def check(candidate: str, original: str, cited: list[str], model: Embedder | None = None) -> str | None:
    """Why ``candidate`` may not replace ``original`` (None when every check passes).

    Example:
        >>> check("Putin said 27 countries pledged troops.", "Putin said 26 countries pledged troops.", [])
        'number 27 is not in the sources'
        >>> check("Putin said 26 countries pledged troops.", "26 countries pledged troops, Putin said.", []) is None
        True
    """
    sources = " ".join([original, *cited])
    for number in sorted(_numbers(candidate) - _numbers(sources)):
        return f"number {number} is not in the sources"
    known = {w.lower().strip("’'") for w in re.findall(r"[A-Za-z][a-zA-Z’'-]+", sources)}
    for name in sorted(_names(candidate) - known):
        return f"name {name!r} is not in the sources"
    if bool(_NEGATION.search(candidate)) != bool(_NEGATION.search(original)):
        return "negation differs from the sentence"
    for quoted in _QUOTED.findall(candidate):
        if not any(quoted.strip(" ,.") in span for span in [original, *cited]):
            return f"quotation “{quoted}” is not verbatim in the sources"
    if model is not None:
        a, b = model.encode([candidate, original])
        if float(a @ b) < SIMILAR:
            return f"meaning drifted (similarity {float(a @ b):.2f})"
        return _checked(candidate, [original, *cited])
    return None


def _checked(candidate: str, sources: list[str]) -> str | None:
    """Why the check of ``triangulate.check`` refuses ``candidate`` against ``sources`` (None when it passes)."""
    from ..check import check as check_text
    from ..model import Article

    articles = [Article.build(text, title="(cited)", outlet=f"cited {n}") for n, text in enumerate(sources) if text]
    report = check_text(candidate, articles)
    for sentence in report.sentences:
        for quote in sentence.quotes:
            if quote.failed:
                return f"quotation “{quote.text}” is {quote.verdict} in the sources"
        if sentence.verdict not in ("supported", "not checked"):
            return f"the check finds “{sentence.text}” {sentence.verdict}"
    return None


def _ask(client: httpx.Client, settings, line: Line, cited: list[str]) -> str:
    headers = {"Authorization": f"Bearer {settings.writer_key}"} if settings.writer_key else {}
    sources = "\n".join(f"- {text}" for text in cited)
    body = {
        "model": settings.writer_model,
        "temperature": 0,
        "messages": [
            {"role": "system", "content": PROMPT},
            {"role": "user", "content": f"Sentence: {line.text}\nSources:\n{sources}"},
        ],
    }
    url = settings.writer_url.rstrip("/") + "/chat/completions"
    try:
        response = client.post(url, json=body, headers=headers)
    except httpx.HTTPError as exc:
        raise FetchError(f"the writer endpoint failed ({exc}); check writer_url", item=url) from None
    if response.status_code != 200:
        raise FetchError(f"the writer endpoint answered {response.status_code}; check writer_url", item=url)
    if len(response.content) > MAX_REPLY_BYTES:
        raise FetchError("the writer's reply is too large", item=url)
    try:
        return response.json()["choices"][0]["message"]["content"].strip()
    except (ValueError, KeyError, IndexError, TypeError, AttributeError):
        raise FetchError("the writer's reply is not an OpenAI-style chat completion", item=url) from None


def rewrite(brief: Brief, settings, model: Embedder | None = None) -> Rewrite:
    """The brief with the sentences the model rewrote and the sources support; the rest stay extractive."""
    if not settings.writer_url or not settings.writer_model:
        raise FetchError("the model writer needs writer_url and writer_model in the settings", item="writer")
    result = Rewrite(brief)
    sections = []
    with httpx.Client(timeout=settings.writer_timeout, follow_redirects=False) as client:
        for section in brief.sections:
            if section.key not in REWRITTEN:
                sections.append(section)
                continue
            lines = []
            for line in section.lines:
                cited = [brief.citations[n - 1].text for n in line.citations]
                candidate = _ask(client, settings, line, cited)
                why = check(candidate, line.text, cited, model) if candidate else "empty reply"
                if why is None:
                    lines.append(replace(line, text=candidate))
                    result.accepted += 1
                else:
                    lines.append(line)
                    result.rejected.append((candidate, why))
            sections.append(replace(section, lines=lines))
    result.brief = replace(brief, sections=sections)
    return result


__all__ = ["Rewrite", "check", "rewrite"]
