"""The brief as Markdown, one self-contained HTML file, JSON (with its JSON Schema) and a terminal view.

Article text is untrusted: HTML escapes every string it prints, Markdown
escapes the characters that would start markup, and the terminal view prints
rich ``Text`` objects, never markup strings.
"""

from __future__ import annotations

import html
import json
import re
from urllib.parse import quote

from rich.console import Group
from rich.text import Text

from ..genre import KINDS
from .records import Brief, Line, Source

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|!])")


def _md(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", text)


def _md_link(url: str | None) -> str:
    """An http(s) URL as a CommonMark autolink that cannot end early; nothing for any other scheme.

    Example:
        >>> _md_link('https://example.com/a"><script>alert(1)</script>')
        ' <https://example.com/a%22%3E%3Cscript%3Ealert%281%29%3C/script%3E>'
        >>> _md_link("javascript:alert(1)")
        ''
    """
    if not url or not url.lower().startswith(("http://", "https://")):
        return ""
    return f" <{quote(url, safe=_URL_SAFE)}>"


_URL_SAFE = "/:?#[]@!$&*+,;=%-._~"  # RFC 3986 reserved and unreserved, less what ends or styles an autolink


def _when(source) -> str:
    if not source.published:
        return "undated"
    how = {
        "text": " (a date printed in the text)",
        "batch": " (estimated from the other articles)",
        "story": " (estimated from the story's other articles)",
    }
    return source.published[:16].replace("T", " ") + how.get(source.date_source, "")


def _refs(line: Line) -> str:
    return "".join(f"[{n}]" for n in line.citations)


def _status(line: Line, key: str) -> str:
    """ "(single-source: ZeroHedge)", "(statement: 4 independent sources)"; nothing on the lead and bottom line."""
    if key in ("lead", "bottom_line") or not (line.status or line.note):
        return ""
    return f"({': '.join(filter(None, [line.status, line.note]))})"


def _taken_as(s: Source) -> str:
    """What the document was taken as (and why, unless a news report), its independence group, its claims."""
    kind = s.kind if s.kind == "news report" else f"{s.kind} ({s.why})"
    if not s.counted:
        return f"{kind}: listed, not counted as a source"
    group = f"; independence group: {s.group}" if s.group and s.group != s.name else ""
    return f"{kind}{group}; {s.claims} claims"


def _label(s: Source) -> str:
    """The source's name, without the short title when the full title follows anyway."""
    return s.outlet or "unnamed outlet"


def _shown(brief: Brief, full: bool) -> list:
    return [s for s in brief.sections if s.lines and (full or not s.appendix)]


def _cited(brief: Brief, sections: list) -> list:
    used = {n for section in sections for line in section.lines for n in line.citations}
    return [c for c in brief.citations if c.n in used]


def markdown(brief: Brief, full: bool = False) -> str:
    """The brief as Markdown; the appendix sections only with ``full``."""
    out = [f"# {_md(brief.headline)}", ""]
    sections = _shown(brief, full)
    for number, section in enumerate(sections):
        if section.appendix and not sections[number - 1].appendix:
            out += ["## Appendix", ""]
        out += [f"{'###' if section.appendix else '##'} {section.title}", ""]
        bullet = "" if section.key in ("lead", "bottom_line") else "- "
        for line in section.lines:
            status = _status(line, section.key)
            out.append(f"{bullet}{_md(line.text)} {_refs(line)}" + (f" *{_md(status)}*" if status else ""))
        out.append("")
    out += ["## Sources", ""]
    for s in brief.sources:
        link = _md_link(s.url)
        out.append(f"{s.n}. {_md(_label(s))}: “{_md(s.title)}”, {_when(s)}{link}; {_md(_taken_as(s))}")
    out += ["", "## Citations", ""]
    for c in _cited(brief, sections):
        where = "headline" if c.field == "title" else "text"
        out.append(f"[{c.n}] source {c.source}, {where} characters {c.start}–{c.end}: “{_md(c.text)}”")
    return "\n".join(out) + "\n"


_CSS = """
body{font:16px/1.5 system-ui,sans-serif;max-width:46rem;margin:0 auto;padding:1rem;color:#222}
h1{font-size:1.5rem;line-height:1.25}h2{font-size:1.1rem;margin-top:1.6rem;border-bottom:1px solid #ddd}
sup a{text-decoration:none;font-size:.75em}.status{color:#666;font-size:.85em}
li{margin:.3rem 0}.cite{font-size:.85em;color:#444}.cite:target{background:#ffe9a8}
@media (max-width:30rem){body{font-size:15px;padding:.6rem}}
"""


def html_page(briefs: list[Brief]) -> str:
    """One self-contained page for one or more briefs: no scripts, no external assets; citations link to the words."""
    e = html.escape
    title = briefs[0].headline if len(briefs) == 1 else f"{len(briefs)} briefs"
    parts = [
        "<!doctype html><html lang=en><meta charset=utf-8>",
        '<meta name=viewport content="width=device-width,initial-scale=1">',
        f"<title>{e(title)}</title><style>{_CSS}</style><body>",
    ]
    for number, brief in enumerate(briefs, 1):
        parts.append(_html_article(brief, f"b{number}-" if len(briefs) > 1 else ""))
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def _html_article(brief: Brief, prefix: str) -> str:
    e = html.escape
    parts = [f"<article><h1>{e(brief.headline)}</h1>"]
    sections = _shown(brief, True)
    for number, section in enumerate(sections):
        if section.appendix and not sections[number - 1].appendix:
            parts.append("<details><summary>Appendix</summary>")
        parts.append(f"<h2>{e(section.title)}</h2><ul>")
        for line in section.lines:
            refs = "".join(
                f'<sup><a href="#{prefix}c{n}" title="{e(_citation(brief, n))}">[{n}]</a></sup>' for n in line.citations
            )
            status = _status(line, section.key)
            status = f" <span class=status>{e(status)}</span>" if status else ""
            parts.append(f"<li>{e(line.text)} {refs}{status}</li>")
        parts.append("</ul>")
    if any(section.appendix for section in sections):
        parts.append("</details>")
    parts.append("<h2>Sources</h2><ol>")
    for s in brief.sources:
        title = e(s.title)
        if s.url and s.url.startswith(("http://", "https://")):
            title = f'<a href="{e(s.url)}" rel="noopener noreferrer">{title}</a>'
        parts.append(f"<li id={prefix}s{s.n}>{e(_label(s))}: “{title}”, {e(_when(s))}; {e(_taken_as(s))}</li>")
    parts.append("</ol><h2>Citations</h2><ol class=cites>")
    for c in brief.citations:
        source = f'<a href="#{prefix}s{c.source}">source {c.source}</a>'
        parts.append(f"<li id={prefix}c{c.n} class=cite value={c.n}>{source}: “{e(c.text)}”</li>")
    parts.append("</ol></article>")
    return "\n".join(parts)


def _citation(brief: Brief, n: int) -> str:
    return brief.citations[n - 1].text


def as_json(brief: Brief) -> str:
    return json.dumps(brief.to_dict(), ensure_ascii=False, indent=2)


def schema() -> dict:
    """The JSON Schema that ``--format json`` output is valid against."""
    line = {
        "type": "object",
        "required": ["text", "citations", "status", "note"],
        "additionalProperties": False,
        "properties": {
            "text": {"type": "string"},
            "citations": {"type": "array", "items": {"type": "integer", "minimum": 1}},
            "status": {"enum": [None, "contested", "corroborated", "statement", "single-source"]},
            "note": {"type": ["string", "null"]},
        },
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://triangulate.dev/schema/brief.json",
        "title": "triangulate brief",
        "type": "object",
        "required": ["story_id", "headline", "sections", "sources", "citations"],
        "additionalProperties": False,
        "properties": {
            "story_id": {"type": "string"},
            "headline": {"type": "string"},
            "sections": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["key", "title", "appendix", "lines"],
                    "additionalProperties": False,
                    "properties": {
                        "key": {"type": "string"},
                        "title": {"type": "string"},
                        "appendix": {"type": "boolean"},
                        "lines": {"type": "array", "items": line},
                    },
                },
            },
            "sources": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": [
                        "n",
                        "article_id",
                        "outlet",
                        "name",
                        "title",
                        "published",
                        "date_source",
                        "url",
                        "group",
                        "claims",
                        "kind",
                        "why",
                        "counted",
                    ],
                    "additionalProperties": False,
                    "properties": {
                        "n": {"type": "integer", "minimum": 1},
                        "article_id": {"type": "string"},
                        "outlet": {"type": ["string", "null"]},
                        "name": {"type": "string"},
                        "title": {"type": "string"},
                        "published": {"type": ["string", "null"]},
                        "date_source": {"enum": [None, "published", "dateline", "text", "batch", "story"]},
                        "url": {"type": ["string", "null"]},
                        "group": {"type": ["string", "null"]},
                        "claims": {"type": "integer", "minimum": 0},
                        "kind": {"enum": list(KINDS)},
                        "why": {"type": "string"},
                        "counted": {"type": "boolean"},
                    },
                },
            },
            "citations": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["n", "source", "article_id", "start", "end", "text", "field"],
                    "additionalProperties": False,
                    "properties": {
                        "n": {"type": "integer", "minimum": 1},
                        "source": {"type": "integer", "minimum": 1},
                        "article_id": {"type": "string"},
                        "start": {"type": "integer", "minimum": 0},
                        "end": {"type": "integer", "minimum": 1},
                        "text": {"type": "string"},
                        "field": {"enum": ["text", "title"]},
                    },
                },
            },
        },
    }


def terminal(brief: Brief, full: bool = False) -> Group:
    """Rich renderables: styles only, so article text can never inject markup; the appendix only with ``full``."""
    items: list = [Text(brief.headline, style="bold"), Text()]
    for section in _shown(brief, full):
        items.append(Text(("Appendix: " if section.appendix else "") + section.title, style="bold underline"))
        for line in section.lines:
            status = _status(line, section.key)
            items.append(Text.assemble("  • ", line.text, (" " + _refs(line), "cyan"), (f" {status}", "dim")))
        items.append(Text())
    items.append(Text("Sources", style="bold underline"))
    for s in brief.sources:
        items.append(Text(f"  {s.n}. {_label(s)}: “{s.title}”, {_when(s)}; {_taken_as(s)}"))
    return Group(*items)


__all__ = ["as_json", "html_page", "markdown", "schema", "terminal"]
