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

from . import Brief, Line

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


def markdown(brief: Brief) -> str:
    out = [f"# {_md(brief.headline)}", ""]
    for section in brief.sections:
        if not section.lines:
            continue
        out += [f"## {section.title}", ""]
        bullet = "" if section.key in ("lead", "bottom_line") else "- "
        for line in section.lines:
            status = f" *({line.status})*" if line.status and section.key not in ("lead", "bottom_line") else ""
            out.append(f"{bullet}{_md(line.text)} {_refs(line)}{status}")
        out.append("")
    out += ["## Sources", ""]
    for s in brief.sources:
        link = _md_link(s.url)
        out.append(
            f"{s.n}. {_md(s.outlet or 'unnamed outlet')}: “{_md(s.title)}”, {_when(s)}{link}; "
            f"independence group: {_md(s.group)}; supports {s.claims} claims"
        )
    out += ["", "## Citations", ""]
    for c in brief.citations:
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
    for section in brief.sections:
        if not section.lines:
            continue
        parts.append(f"<h2>{e(section.title)}</h2><ul>")
        for line in section.lines:
            refs = "".join(
                f'<sup><a href="#{prefix}c{n}" title="{e(_cited(brief, n))}">[{n}]</a></sup>' for n in line.citations
            )
            status = f" <span class=status>({e(line.status)})</span>" if line.status else ""
            parts.append(f"<li>{e(line.text)} {refs}{status}</li>")
        parts.append("</ul>")
    parts.append("<h2>Sources</h2><ol>")
    for s in brief.sources:
        title = e(s.title)
        if s.url and s.url.startswith(("http://", "https://")):
            title = f'<a href="{e(s.url)}" rel="noopener noreferrer">{title}</a>'
        parts.append(
            f"<li id={prefix}s{s.n}>{e(s.outlet or 'unnamed outlet')}: “{title}”, {e(_when(s))}; "
            f"independence group: {e(s.group)}; supports {s.claims} claims</li>"
        )
    parts.append("</ol><h2>Citations</h2><ol class=cites>")
    for c in brief.citations:
        source = f'<a href="#{prefix}s{c.source}">source {c.source}</a>'
        parts.append(f"<li id={prefix}c{c.n} class=cite value={c.n}>{source}: “{e(c.text)}”</li>")
    parts.append("</ol></article>")
    return "\n".join(parts)


def _cited(brief: Brief, n: int) -> str:
    return brief.citations[n - 1].text


def as_json(brief: Brief) -> str:
    return json.dumps(brief.to_dict(), ensure_ascii=False, indent=2)


def schema() -> dict:
    """The JSON Schema that ``--format json`` output is valid against."""
    line = {
        "type": "object",
        "required": ["text", "citations", "status"],
        "additionalProperties": False,
        "properties": {
            "text": {"type": "string"},
            "citations": {"type": "array", "items": {"type": "integer", "minimum": 1}},
            "status": {"enum": [None, "contested", "corroborated", "statement", "single-source"]},
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
                    "required": ["key", "title", "lines"],
                    "additionalProperties": False,
                    "properties": {
                        "key": {"type": "string"},
                        "title": {"type": "string"},
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
                        "title",
                        "published",
                        "date_source",
                        "url",
                        "group",
                        "claims",
                    ],
                    "additionalProperties": False,
                    "properties": {
                        "n": {"type": "integer", "minimum": 1},
                        "article_id": {"type": "string"},
                        "outlet": {"type": ["string", "null"]},
                        "title": {"type": "string"},
                        "published": {"type": ["string", "null"]},
                        "date_source": {"enum": [None, "published", "dateline", "text", "batch", "story"]},
                        "url": {"type": ["string", "null"]},
                        "group": {"type": "string"},
                        "claims": {"type": "integer", "minimum": 0},
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


def terminal(brief: Brief) -> Group:
    """Rich renderables: styles only, so article text can never inject markup."""
    items: list = [Text(brief.headline, style="bold"), Text()]
    for section in brief.sections:
        if not section.lines:
            continue
        items.append(Text(section.title, style="bold underline"))
        for line in section.lines:
            status = f" ({line.status})" if line.status else ""
            items.append(Text.assemble("  • ", line.text, (" " + _refs(line), "cyan"), (status, "dim")))
        items.append(Text())
    items.append(Text("Sources", style="bold underline"))
    for s in brief.sources:
        items.append(Text(f"  {s.n}. {s.outlet or 'unnamed outlet'}: “{s.title}”, {_when(s)} "
                          f"[{s.group}; {s.claims} claims]"))  # fmt: skip
    return Group(*items)


__all__ = ["as_json", "html_page", "markdown", "schema", "terminal"]
