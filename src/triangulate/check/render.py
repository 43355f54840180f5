"""A check report as Markdown, self-contained HTML, JSON (with its schema) or a terminal view; all escaped."""

from __future__ import annotations

import html
import json

from rich.console import Group
from rich.text import Text

from . import CheckReport, Difference, PropositionCheck, SentenceCheck

COLOURS = {
    "supported": ("#d9f2dc", "green"),
    "partly supported": ("#fff1c2", "yellow"),
    "contradicted": ("#f8d0d0", "red"),
    "unsupported": ("#ececec", "magenta"),
    "not checked": ("transparent", "dim"),
}
QUOTE_WORDS = {
    "verbatim": "verbatim",
    "stitched": "stitched from separate fragments",
    "paraphrase": "a paraphrase presented as a quote",
    "not found": "not found in any source",
}


def _md(text: str) -> str:
    """Text safe inside Markdown: HTML and Markdown markup characters escaped."""
    text = html.escape(text, quote=False)
    for mark in "\\`*_[]#|":
        text = text.replace(mark, "\\" + mark)
    return " ".join(text.split())


def _differences(found: list[Difference]) -> str:
    parts = []
    for d in found:
        if d.kind == "negation":
            parts.append(f"polarity: ours {d.ours}, theirs {d.theirs}")
        elif d.theirs:
            parts.append(f"{d.kind}: “{d.ours}” against “{d.theirs}”")
        else:
            parts.append(f"{d.kind} “{d.ours}” not in the source")
    return "; ".join(parts)


def _where(e) -> str:
    return f"{e.outlet or e.source}{' (headline)' if e.field == 'title' else ''}"


def _proposition_lines(p: PropositionCheck) -> list[str]:
    lines = [f"- *{p.verdict}*: {_md(p.text)}"]
    for e in p.support:
        lines.append(f"  - supported by {_md(_where(e))}: “{_md(e.text)}”")
    if p.support and p.adds:
        lines.append(f"  - words no supporting source has: {_md(', '.join(p.adds))}")
    for e, found in p.contradictions:
        lines.append(f"  - contradicted by {_md(_where(e))}: “{_md(e.text)}” ({_md(_differences(found))})")
    if p.closest is not None:
        e, found = p.closest
        why = f" ({_md(_differences(found))})" if found else ""
        lines.append(f"  - closest: {_md(_where(e))}: “{_md(e.text)}”{why}")
    return lines


def _quote_lines(q) -> list[str]:
    who = f" ({_md(q.speaker)})" if q.speaker else ""
    lines = [f"- quote{who} **{QUOTE_WORDS[q.verdict]}**: “{_md(q.text)}”"]
    for m in q.matches:
        credit = "" if m.same_speaker is not False else f"; the source credits {_md(m.speaker or 'no one')}"
        differs = ""
        if q.verdict == "paraphrase":
            ours, theirs = ", ".join(m.differs[0]), ", ".join(m.differs[1])
            differs = f"; ours only: {_md(ours) or '—'}; theirs only: {_md(theirs) or '—'}"
        lines.append(f"  - {_md(m.outlet or m.source)}: “{_md(m.text)}”{differs}{credit}")
    return lines


def summary(report: CheckReport) -> str:
    """ "6 supported, 25 unsupported, 8 not checked; quotes: 1 paraphrase, 1 stitched"."""
    counts = report.counts()
    sentences = ", ".join(f"{v} {k}" for k, v in counts.items() if v and not k.startswith("quotes "))
    quotes = ", ".join(f"{v} {k.removeprefix('quotes ')}" for k, v in counts.items() if v and k.startswith("quotes "))
    return f"{sentences}; quotes: {quotes}" if quotes else sentences


def _short(title: str, words: int = 8) -> str:
    cut = title.split()
    return " ".join(cut[:words]) + ("…" if len(cut) > words else "")


def markdown(report: CheckReport) -> str:
    lines = ["# Check against the sources", "", f"{_md(summary(report))}.", ""]
    lines.append("Sources: " + "; ".join(
        f"{_md(s.outlet or 'unnamed outlet')}, “{_md(_short(s.title))}” ({_md(s.kind)}"
        f"{', not counted' if s.kind == 'digest' else ''})"
        for s in report.sources
    ) + ".")  # fmt: skip
    for sentence in report.sentences:
        if sentence.verdict == "not checked" and not sentence.quotes:
            continue
        lines += ["", f"**{sentence.verdict.upper()}** — {_md(sentence.text)}", ""]
        if len(sentence.propositions) > 1 or sentence.verdict != "supported":
            lines += [line for p in sentence.propositions for line in _proposition_lines(p)]
        else:
            lines += [f"- supported by {_md(_where(e))}: “{_md(e.text)}”" for e in sentence.propositions[0].support]
        lines += [line for q in sentence.quotes for line in _quote_lines(q)]
    return "\n".join(lines).rstrip() + "\n"


def _tip(sentence: SentenceCheck) -> str:
    parts = []
    for p in sentence.propositions:
        for e in p.support[:3]:
            parts.append(f"{_where(e)}: “{e.text}”")
        for e, found in p.contradictions[:2]:
            parts.append(f"contradicted by {_where(e)}: “{e.text}” ({_differences(found)})")
        if p.closest is not None and not p.support:
            parts.append(f"closest, {_where(p.closest[0])}: “{p.closest[0].text}”")
    for q in sentence.quotes:
        parts.append(f"quote {QUOTE_WORDS[q.verdict]}")
    return "\n".join(parts) or sentence.verdict


def html_page(report: CheckReport) -> str:
    """The text with each sentence coloured by its verdict; hovering one shows its sources' words."""
    body = []
    for sentence in report.sentences:
        colour = COLOURS[sentence.verdict][0]
        misquote = " misquote" if any(q.failed for q in sentence.quotes) else ""
        body.append(
            f'<span class="s{misquote}" style="background:{colour}" data-verdict="{html.escape(sentence.verdict)}" '
            f'title="{html.escape(_tip(sentence))}">{html.escape(sentence.text)}</span>'
        )
    legend = " ".join(
        f'<span style="background:{c}">{html.escape(v)}</span>' for v, (c, _) in COLOURS.items() if v != "not checked"
    )
    details = html.escape(markdown(report))
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">"
        "<title>Check against the sources</title><style>body{font:16px/1.6 system-ui,sans-serif;max-width:48rem;"
        "margin:2rem auto;padding:0 1rem}.s{border-radius:3px;padding:1px 2px}.misquote{outline:2px dashed #c00}"
        "pre{white-space:pre-wrap;font-size:13px}</style></head><body>"
        f"<h1>Check against the sources</h1><p>{legend}; dashed: a misquote</p><p>{' '.join(body)}</p>"
        f"<details><summary>Every sentence, its sources and quotes</summary><pre>{details}</pre></details>"
        "</body></html>\n"
    )


def as_json(report: CheckReport) -> str:
    return json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n"


def terminal(report: CheckReport) -> Group:
    parts = [Text("Check against the sources", style="bold"), Text(summary(report))]
    for sentence in report.sentences:
        if sentence.verdict == "not checked" and not sentence.quotes:
            continue
        line = Text()
        line.append(f"{sentence.verdict:>16}  ", style=COLOURS[sentence.verdict][1])
        line.append(sentence.text)
        parts.append(line)
        for p in sentence.propositions:
            if p.support:
                parts.append(Text(f"{'':18}by {', '.join(sorted({_where(e) for e in p.support}))}", style="dim"))
            for e, found in p.contradictions[:2]:
                parts.append(Text(f"{'':18}against {_where(e)}: {_differences(found)}", style="red"))
        for q in sentence.quotes:
            parts.append(Text(f"{'':18}quote {QUOTE_WORDS[q.verdict]}", style="red" if q.failed else "green"))
    return Group(*parts)


def schema() -> dict:
    """The JSON Schema that ``check --format json`` output is valid against."""
    evidence = {
        "type": "object",
        "required": ["article_id", "outlet", "source", "field", "start", "end", "text"],
        "properties": {
            "article_id": {"type": "string"}, "outlet": {"type": ["string", "null"]}, "source": {"type": "string"},
            "field": {"enum": ["text", "title"]}, "start": {"type": "integer"}, "end": {"type": "integer"},
            "text": {"type": "string"}, "probability": {"type": "number"},
        },
    }  # fmt: skip
    difference = {
        "type": "object",
        "required": ["kind", "ours", "theirs"],
        "properties": {"kind": {"enum": ["figure", "date", "name", "negation"]}, "ours": {"type": "string"},
                       "theirs": {"type": "string"}},
    }  # fmt: skip
    judged = {"type": "object", "required": ["evidence", "differences"],
              "properties": {"evidence": evidence, "differences": {"type": "array", "items": difference}}}  # fmt: skip
    proposition = {
        "type": "object",
        "required": ["start", "end", "text", "verdict", "sources", "support", "contradictions", "closest", "adds"],
        "properties": {
            "verdict": {"enum": ["supported", "partly supported", "contradicted", "unsupported"]},
            "sources": {"type": "array", "items": {"type": "string"}},
            "support": {"type": "array", "items": evidence},
            "contradictions": {"type": "array", "items": judged},
            "closest": {"oneOf": [{"type": "null"}, judged]},
            "adds": {"type": "array", "items": {"type": "string"}},
        },
    }
    match = {
        "type": "object",
        "required": ["article_id", "outlet", "source", "start", "end", "text", "speaker", "same_speaker"],
        "properties": {"same_speaker": {"type": ["boolean", "null"]}, "ours_only": {"type": "array"},
                       "theirs_only": {"type": "array"}},
    }  # fmt: skip
    quote = {
        "type": "object",
        "required": ["start", "end", "text", "speaker", "verdict", "misquote", "matches"],
        "properties": {"verdict": {"enum": list(QUOTE_WORDS)}, "misquote": {"type": "boolean"},
                       "matches": {"type": "array", "items": match}},
    }  # fmt: skip
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "triangulate check report",
        "type": "object",
        "required": ["schema", "failed", "counts", "sources", "sentences"],
        "properties": {
            "schema": {"const": "triangulate.check/1"},
            "failed": {"type": "boolean"},
            "counts": {"type": "object", "additionalProperties": {"type": "integer"}},
            "sources": {"type": "array", "items": {"type": "object", "required": ["article_id", "source", "kind"]}},
            "sentences": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["start", "end", "text", "verdict", "propositions", "quotes"],
                    "properties": {
                        "verdict": {"enum": [*COLOURS]},
                        "propositions": {"type": "array", "items": proposition},
                        "quotes": {"type": "array", "items": quote},
                    },
                },
            },
        },
    }


def render(report: CheckReport, fmt: str) -> str:
    """The report as ``md``, ``html`` or ``json`` text."""
    if fmt == "html":
        return html_page(report)
    if fmt == "json":
        return as_json(report)
    return markdown(report)
