"""The ``triangulate`` command: subcommands that mirror the library."""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from typing import Any

import click
from rich.console import Console
from rich.table import Table
from rich.text import Text

from .config import Settings, load_settings
from .errors import TriangulateError
from .ingest.sources import read_sources
from .model import Article, Story
from .store import Store, open_store

err = Console(stderr=True, highlight=False)
out = Console(highlight=False)


def db_option(command: Callable) -> Callable:
    """``--db`` on the group and on every subcommand, so it may stand before or after the name."""
    return click.option(
        "--db",
        "db",
        metavar="PATH",
        default=None,
        help="The store: an SQLite path (default ./triangulate.db, or $TRIANGULATE_DB) or a postgresql:// URL.",
    )(command)


def json_option(command: Callable) -> Callable:
    return click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")(command)


def _settings(ctx: click.Context, db: str | None, **changes: Any) -> Settings:
    settings: Settings = ctx.obj["settings"]
    return settings.but(db=db or ctx.obj.get("db"), **changes)


def _store(settings: Settings) -> Store:
    return open_store(settings.db)


def _print_json(value: Any) -> None:
    click.echo(json.dumps(value, ensure_ascii=False, indent=2))


def reports_errors(command: Callable) -> Callable:
    """Library errors become one red line on stderr and exit status 1, not a traceback."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except (TriangulateError, KeyError) as exc:
            message = exc.args[0] if isinstance(exc, KeyError) else str(exc)
            err.print(Text(f"error: {message}", style="red"))
            sys.exit(1)

    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@db_option
@click.option("--config", "config", metavar="FILE", default=None, help="A TOML settings file.")
@click.version_option(package_name="triangulate")
@click.pass_context
@reports_errors
def main(ctx: click.Context, db: str | None, config: str | None) -> None:
    """Find the same story across outlets and show what is corroborated."""
    ctx.ensure_object(dict)
    ctx.obj["settings"] = load_settings(config)
    ctx.obj["db"] = db


@main.command()
@click.argument("sources", nargs=-1, required=True)
@db_option
@json_option
@click.option("--allow-private-urls", is_flag=True, default=None, help="Fetch loopback and private addresses too.")
@click.option("--max-bytes", type=int, default=None, help="Size cap for one document, in bytes.")
@click.option("--no-analysis", is_flag=True, help="Only store the articles; run the language layer later (analyse).")
@click.option("--dask", "dask", metavar="ADDRESS", default=None,
              help="Run the per-article work on Dask: tcp://HOST:8786, or local (local:N for N worker processes); "
                   "default: the dask setting ($TRIANGULATE_DASK). Needs pip install 'triangulate[dask]'.")  # fmt: skip
@click.pass_context
@reports_errors
def ingest(
    ctx: click.Context,
    sources: tuple[str, ...],
    db: str | None,
    as_json: bool,
    allow_private_urls: bool | None,
    max_bytes: int | None,
    no_analysis: bool,
    dask: str | None,
) -> None:
    """Read articles from files, folders, URLs, feeds, JSONL or - (stdin) into the store.

    Each bad item gets one line naming it and the cause; the good items of the
    batch are stored all the same; the exit status is 1 if any item failed.
    """
    settings = _settings(ctx, db, allow_private_urls=allow_private_urls, max_document_bytes=max_bytes, dask=dask)
    store = _store(settings)
    if settings.dask:
        _ingest_on_dask(list(sources), settings, store, settings.dask, as_json, not no_analysis)
        return
    added: list[str] = []
    unchanged: list[str] = []
    failed: list[dict[str, str]] = []
    with _progress() as progress:
        task = progress.add_task("ingesting", total=None)
        for item, articles, error in read_sources(list(sources), settings, stdin=sys.stdin.buffer):
            progress.advance(task)
            if error is not None:
                failed.append({"item": item, "error": str(error)})
                if not as_json:
                    err.print(Text(f"error: {error}", style="red"))
                continue
            for article in articles or []:
                (added if store.add_article(article) else unchanged).append(article.id)
    if not no_analysis:
        for article, error in _analyse(store, settings):
            failed.append({"item": article.source or article.id, "error": str(error)})
            if not as_json:
                err.print(Text(f"error: {error}", style="red"))
        _cluster(store, settings)
    store.close()
    if as_json:
        _print_json({"added": added, "unchanged": unchanged, "failed": failed})
    else:
        err.print(f"added {len(added)}, unchanged {len(unchanged)}, failed {len(failed)}")
    if failed:
        sys.exit(1)


def _ingest_on_dask(sources: list[str], settings: Settings, store: Store, address: str, as_json: bool, analyse: bool):
    from .distributed import ingest_on_dask

    def show(message: str) -> None:
        if not as_json:
            err.print(Text(f"error: {message}", style="red"))

    report = ingest_on_dask(sources, settings, store, address, analyse=analyse, stdin=sys.stdin.buffer, on_error=show)
    store.close()
    if as_json:
        _print_json({"added": report.added, "unchanged": report.unchanged, "failed": report.failed})
    else:
        err.print(f"added {len(report.added)}, unchanged {len(report.unchanged)}, failed {len(report.failed)}")
    if report.failed:
        sys.exit(1)


def _analyse(store: Store, settings: Settings) -> list[tuple[Article, TriangulateError]]:
    """Analyse what lacks a current analysis; return the articles the rules failed on, with their errors."""
    from .language import analyse_stored

    failed: list[tuple[Article, TriangulateError]] = []
    with _progress() as progress:
        task = progress.add_task("analysing", total=None)
        analyse_stored(
            store,
            on_progress=lambda done, total: progress.update(task, completed=done, total=total),
            on_error=lambda article, error: failed.append((article, error)),
            seconds=settings.item_seconds,
        )
    return failed


def _cluster(store: Store, settings: Settings) -> int:
    from .stories.build import cluster_stored

    with _progress() as progress:
        task = progress.add_task("clustering", total=None)
        return cluster_stored(
            store, settings, on_progress=lambda done, total: progress.update(task, completed=done, total=total)
        )


@main.command()
@db_option
@click.pass_context
@reports_errors
def analyse(ctx: click.Context, db: str | None) -> None:
    """Run the language layer over stored articles that lack a current analysis."""
    from .language import VERSION

    settings = _settings(ctx, db)
    store = _store(settings)
    before = len(store.unanalysed(VERSION))
    failed = _analyse(store, settings)
    store.close()
    for _, error in failed:
        err.print(Text(f"error: {error}", style="red"))
    err.print(f"analysed {before - len(failed)}" + (f", failed {len(failed)}" if failed else ""))
    if failed:
        sys.exit(1)


def _progress():
    from rich.progress import MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    return Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=not err.is_terminal,
    )


@main.command()
@db_option
@json_option
@click.option("--limit", type=int, default=None, help="Show at most this many.")
@click.option("--full", is_flag=True, help="Print each article's metadata and text, not a table.")
@click.pass_context
@reports_errors
def articles(ctx: click.Context, db: str | None, as_json: bool, limit: int | None, full: bool) -> None:
    """List stored articles, newest first."""
    store = _store(_settings(ctx, db))
    rows = store.articles(limit)
    store.close()
    if as_json:
        _print_json([a.to_dict(with_text=full) for a in rows])
        return
    if full:
        for a in rows:
            out.rule(Text(a.title), style="dim")
            _show(a)
            out.print()
        return
    table = Table("id", "outlet", "published", "title", box=None, pad_edge=False)
    for a in rows:
        title = Text(a.title + (" (derived)" if a.title_derived else ""), overflow="ellipsis", no_wrap=True)
        table.add_row(a.id, Text(a.outlet or "?"), (a.published or "")[:16], title)
    out.print(table)


@main.command()
@click.argument("article_id")
@db_option
@json_option
@click.option("--annotate", is_flag=True, help="Highlight quotes, speakers, entities, quantities and times.")
@click.pass_context
@reports_errors
def article(ctx: click.Context, article_id: str, db: str | None, as_json: bool, annotate: bool) -> None:
    """Show one article: metadata, cleaned text and (with --json or --annotate) its language analysis.

    ID may be a unique prefix. The analysis is made and stored on first use.
    """
    from .language import VERSION, analyse

    store = _store(_settings(ctx, db))
    found = store.article(article_id)
    analysis = None
    if as_json or annotate:
        analysis = store.analysis(found.id)
        if analysis is None or analysis.version != VERSION:
            analysis = analyse(found, store.entities(), store=store)
            store.save_analysis(analysis)
    store.close()
    if as_json:
        body = analysis.to_dict()
        del body["article_id"]
        _print_json({**found.to_dict(with_text=True), **body})
        return
    _show(found, analysis)


def _story_row(store: Store, story: Story) -> dict[str, Any]:
    members = [store.article(i) for i in story.article_ids]
    outlets = sorted({a.outlet for a in members if a.outlet})
    return {**story.to_dict(), "outlets": outlets, "articles": members}


@main.command()
@db_option
@json_option
@click.option("--limit", type=int, default=None, help="Show at most this many.")
@click.option("--min-articles", type=int, default=1, help="Only stories with at least this many articles.")
@click.pass_context
@reports_errors
def stories(ctx: click.Context, db: str | None, as_json: bool, limit: int | None, min_articles: int) -> None:
    """List stories, the most recently active first: articles, outlets and time span."""
    settings = _settings(ctx, db)
    store = _store(settings)
    if store.unclustered() and store.count():
        _analyse(store, settings)
        _cluster(store, settings)
    rows = [_story_row(store, s) for s in store.stories() if len(s.article_ids) >= min_articles][:limit]
    store.close()
    if as_json:
        _print_json([{k: v for k, v in row.items() if k != "articles"} for row in rows])
        return
    table = Table(box=None, pad_edge=False)
    table.add_column("id", no_wrap=True, min_width=18)
    for name in ("articles", "outlets", "first", "last", "title"):
        table.add_column(name, no_wrap=name in ("first", "last"))
    for row in rows:
        table.add_row(
            row["id"],
            str(len(row["article_ids"])),
            Text(", ".join(row["outlets"]) or "?", overflow="ellipsis", no_wrap=True),
            row["first_seen"] or "",
            row["last_seen"] or "",
            Text(row["title"], overflow="ellipsis", no_wrap=True),
        )
    out.print(table)


@main.command()
@click.argument("story_id")
@db_option
@json_option
@click.pass_context
@reports_errors
def story(ctx: click.Context, story_id: str, db: str | None, as_json: bool) -> None:
    """Show one story and its articles. ID may be a unique prefix."""
    store = _store(_settings(ctx, db))
    row = _story_row(store, store.story(story_id))
    store.close()
    members = row.pop("articles")
    if as_json:
        _print_json({**row, "articles": [a.to_dict() for a in members]})
        return
    out.print(Text(row["title"], style="bold"))
    span = " – ".join(dict.fromkeys(filter(None, [row["first_seen"], row["last_seen"]])))
    out.print(Text(f"{row['id']}  {len(members)} articles from {len(row['outlets'])} outlets  {span}", style="dim"))
    table = Table("id", "outlet", "published", "title", box=None, pad_edge=False)
    for a in members:
        table.add_row(a.id[:12], Text(a.outlet or "?"), (a.published or a.dateline.date or "")[:16], Text(a.title))
    out.print(table)


@main.command()
@db_option
@json_option
@click.pass_context
@reports_errors
def recluster(ctx: click.Context, db: str | None, as_json: bool) -> None:
    """Forget every story and cluster all stored articles again, oldest first."""
    from .stories.build import recluster as rebuild

    settings = _settings(ctx, db)
    store = _store(settings)
    _analyse(store, settings)
    found = rebuild(store, settings)
    store.close()
    if as_json:
        _print_json([s.to_dict() for s in found])
    else:
        err.print(f"{len(found)} stories from {sum(len(s.article_ids) for s in found)} articles")


@main.command()
@click.argument("source", metavar="SRC")
@click.argument("target", metavar="DST")
@json_option
@reports_errors
def copy(source: str, target: str, as_json: bool) -> None:
    """Copy the whole store SRC into the new, empty store DST (SQLite paths or postgresql:// URLs).

    Every table's row count and checksum are compared on both sides before
    the copy is committed; any difference leaves DST untouched.
    """
    from .store.copy import copy_store

    checks = copy_store(source, target)
    if as_json:
        _print_json({"same": all(c.same for c in checks), "tables": [c.to_dict() for c in checks]})
        return
    table = Table("table", "rows in SRC", "rows in DST", "checksum (SHA-256)", "same", box=None, pad_edge=False)
    for check in checks:
        table.add_row(
            check.table,
            str(check.source_rows),
            str(check.copied_rows),
            check.copied_sum[:16],
            "yes" if check.same else "NO",
        )
    out.print(table)
    err.print(
        f"copied {sum(c.copied_rows for c in checks)} rows in {len(checks)} tables; every count and checksum matches"
    )


def _wording_line(wording) -> Text:
    who = f" ({wording.speaker})" if wording.speaker else ""
    via = f" via {', '.join(wording.upstream)}" if wording.upstream else ""
    return Text.assemble("    ", (f"{wording.outlet or wording.source}{via}{who}: ", "dim"), _clip(wording.text, 110))


@main.command()
@click.argument("story_id")
@db_option
@json_option
@click.option("--status", type=click.Choice(["contested", "corroborated", "statement", "single-source"]), default=None,
              help="Only groups with this status.")  # fmt: skip
@click.pass_context
@reports_errors
def claims(ctx: click.Context, story_id: str, db: str | None, as_json: bool, status: str | None) -> None:
    """A story's claims lined up across its articles and grouped by status, each with its reason."""
    from .corroborate import STATUS_ORDER, corroborate_story

    settings = _settings(ctx, db)
    store = _store(settings)
    story, _, found = corroborate_story(store, story_id, settings)
    store.close()
    groups = [g for g in found.claims if status in (None, g.status)]
    if as_json:
        _print_json([g.to_dict() for g in groups])
        return
    out.print(Text(story.title, style="bold"))
    for name in STATUS_ORDER:
        chosen = [g for g in groups if g.status == name]
        if not chosen:
            continue
        out.rule(Text(f"{name} ({len(chosen)})"), style="dim")
        for group in chosen:
            out.print(Text.assemble(("• ", "bold"), _clip(group.text, 140)))
            out.print(Text("  " + group.explanation, style="italic"))
            for wording in group.members[1:] if len(group.members) > 1 else []:
                out.print(_wording_line(wording))
            for wording in group.opposing:
                out.print(Text.assemble(("    against ", "red"), _wording_line(wording)))
    independent = ", ".join(f"{g.label} ({len(g.article_ids)})" for g in found.independence)
    out.print(Text(f"independent sources: {independent}", style="dim"))


@main.command()
@click.argument("story_id")
@db_option
@json_option
@click.pass_context
@reports_errors
def quotes(ctx: click.Context, story_id: str, db: str | None, as_json: bool) -> None:
    """A story's quotes: each utterance with its wordings in every outlet, speaker and status."""
    from .corroborate import corroborate_story

    settings = _settings(ctx, db)
    store = _store(settings)
    story, _, found = corroborate_story(store, story_id, settings)
    store.close()
    if as_json:
        _print_json([g.to_dict() for g in found.quotes])
        return
    out.print(Text(story.title, style="bold"))
    for group in found.quotes:
        out.print(
            Text.assemble(("• ", "bold"), (group.speaker or "unknown speaker", "bold cyan"), f"  [{group.status}]")
        )
        out.print(Text("  " + group.explanation, style="italic"))
        for wording in group.members:
            out.print(_wording_line(wording))
        for wording in group.opposing:
            out.print(Text.assemble(("    against ", "red"), _wording_line(wording)))


@main.command()
@click.argument("targets", nargs=-1)
@db_option
@click.option("--all", "every", is_flag=True, help="Brief every stored story with two or more articles.")
@click.option("--format", "fmt", type=click.Choice(["md", "html", "json", "term"]), default=None,
              help="Markdown, one self-contained HTML page, JSON (see 'triangulate schema') or the terminal view; "
                   "default: term on a terminal, else md.")  # fmt: skip
@click.option("-o", "--output", "output", metavar="FILE", default=None, help="Write to FILE (atomically).")
@click.option("--full", is_flag=True, help="Add the appendix (every other claim, wording and date) to Markdown and "
              "the terminal view; JSON and HTML always carry it.")  # fmt: skip
@click.option("--allow-private-urls", is_flag=True, default=None, help="Fetch loopback and private addresses too.")
@click.option("--writer", type=click.Choice(["extractive", "model"]), default=None,
              help="model: rewrite sentences through the OpenAI-compatible writer_url; each is checked against its "
                   "sources and kept only if they support it (default: the writer setting, extractive).")  # fmt: skip
@click.pass_context
@reports_errors
def brief(
    ctx: click.Context,
    targets: tuple[str, ...],
    db: str | None,
    every: bool,
    fmt: str | None,
    output: str | None,
    full: bool,
    allow_private_urls: bool | None,
    writer: str | None,
) -> None:
    """Write the brief of stories: STORY ids (or unique prefixes), --all, or FILEs/URLs to ingest and brief at once.

    Given files, folders or URLs, it ingests them (bad items are reported and
    skipped), analyses and clusters them, and briefs every story they belong to.
    """
    from pathlib import Path

    from .brief import brief_story

    settings = _settings(ctx, db, allow_private_urls=allow_private_urls, writer=writer)
    store = _store(settings)
    paths = [t for t in targets if Path(t).exists() or "://" in t or t == "-"]
    ids = [t for t in targets if t not in paths]
    if not (ids or paths or every):
        raise click.UsageError("give STORY ids, FILEs to ingest, or --all")
    wanted: list[str] = []
    failed = False
    if paths:
        added = []
        for _, articles, error in read_sources(paths, settings, stdin=sys.stdin.buffer):
            if error is not None:
                err.print(Text(f"error: {error}", style="red"))
                failed = True
            for article in articles or []:
                store.add_article(article)
                added.append(article.id)
        for _, error in _analyse(store, settings):
            err.print(Text(f"error: {error}", style="red"))
            failed = True
        _cluster(store, settings)
        wanted += list(dict.fromkeys(store.story_of(i) for i in added if store.story_of(i)))
    if every:
        wanted += [s.id for s in store.stories() if len(s.article_ids) >= 2]
    wanted += [store.story(i).id for i in ids]
    briefs = [brief_story(store, story_id, settings) for story_id in dict.fromkeys(wanted)]
    store.close()
    if settings.writer == "model":
        briefs = [_rewritten(one, settings) for one in briefs]
    if not briefs:
        raise click.UsageError("no story to brief")
    _write_briefs(briefs, fmt or ("term" if out.is_terminal and not output else "md"), output, full)
    if failed:
        sys.exit(1)


def _rewritten(one, settings):
    from .brief.writer import rewrite
    from .embed import embedder

    result = rewrite(one, settings, embedder(settings.embedding))
    err.print(f"model writer: {result.accepted} sentences rewritten, {len(result.rejected)} refused by the checks")
    for sentence, why in result.rejected:
        err.print(Text(f"  refused ({why}): {_clip(sentence, 100)}", style="dim"))
    return result.brief


def _write_briefs(briefs: list, fmt: str, output: str | None, full: bool = False) -> None:
    from .brief.render import as_json, html_page, markdown, terminal

    if fmt == "term" and not output:
        for one in briefs:
            out.print(terminal(one, full))
        return
    if fmt == "html":
        text = html_page(briefs)
    elif fmt == "json":
        text = as_json(briefs[0]) if len(briefs) == 1 else "[" + ",\n".join(as_json(b) for b in briefs) + "]"
    else:
        text = "\n---\n\n".join(markdown(b, full) for b in briefs)
    _write_text(text, output)


def _write_text(text: str, output: str | None) -> None:
    """Print ``text``, or write it to ``output`` whole (never a half-written file)."""
    if output is None:
        click.echo(text, nl=False)
        return
    from pathlib import Path

    target = Path(output)
    partial = target.with_name(f".{target.name}.partial")
    partial.write_text(text, encoding="utf-8")
    partial.replace(target)
    err.print(f"wrote {target}")


@main.command(name="check")
@click.argument("text")
@click.option(
    "--against",
    "against",
    multiple=True,
    required=True,
    metavar="STORY|FILE|URL",
    help="A stored story id (or unique prefix), or files, folders or URLs read on the fly; repeatable.",
)
@db_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["term", "md", "html", "json"]),
    default=None,
    help="Output format (default: term on a terminal, else md).",
)
@click.option("--output", "-o", metavar="FILE", default=None, help="Write to FILE instead of standard output.")
@click.option("--allow-private-urls", is_flag=True, default=None, help="Fetch loopback and private addresses too.")
@click.pass_context
@reports_errors
def check_command(
    ctx: click.Context,
    text: str,
    against: tuple[str, ...],
    db: str | None,
    fmt: str | None,
    output: str | None,
    allow_private_urls: bool | None,
) -> None:
    """Check TEXT (a file, - for standard input, or the text itself) against its sources, sentence by sentence.

    Each sentence comes out supported (by which sources, in which words), partly supported, contradicted (which
    source says otherwise) or unsupported; each quotation verbatim, stitched, a paraphrase or not found. The exit
    status is 1 when anything is contradicted, unsupported or misquoted, so the command can guard a pipeline.
    """
    from pathlib import Path

    from .check import check
    from .check.render import render, terminal
    from .corroborate import load_story

    settings = _settings(ctx, db, allow_private_urls=allow_private_urls)
    given = _read_checked(text, settings)
    paths = [t for t in against if Path(t).exists() or "://" in t or t == "-"]
    articles, analyses = [], []
    if paths:
        for _, found, error in read_sources(paths, settings, stdin=sys.stdin.buffer):
            if error is not None:
                err.print(Text(f"error: {error}", style="red"))
            articles += found or []
        analyses += [None] * len(articles)
    stories = [t for t in against if t not in paths]
    store = _store(settings) if stories else None
    for story_id in stories:
        _, members, made = load_story(store, story_id)
        articles += members
        analyses += made
    if not articles:
        raise click.UsageError("no source article could be read; give a stored STORY id or readable files/URLs")
    report = check(given, articles, analyses, store=store, settings=settings)
    if store is not None:
        store.close()
    fmt = fmt or ("term" if out.is_terminal and not output else "md")
    if fmt == "term" and not output:
        out.print(terminal(report))
    else:
        _write_text(render(report, fmt), output)
    if report.failed:
        sys.exit(1)


def _read_checked(text: str, settings: Settings) -> str:
    """The text to check: a file's contents, standard input for '-', or the argument itself."""
    from pathlib import Path

    from .ingest._decode import decode_bytes

    if text == "-":
        data, item = sys.stdin.buffer.read(settings.max_document_bytes + 1), "stdin"
    elif len(text) < 4096 and "\n" not in text and Path(text).is_file():
        path = Path(text)
        with path.open("rb") as handle:
            data, item = handle.read(settings.max_document_bytes + 1), str(path)
    else:
        return text
    return decode_bytes(data, item, settings.max_document_bytes)


@main.command()
def schema() -> None:
    """Print the JSON Schema that 'brief --format json' output is valid against."""
    from .brief.render import schema as brief_schema

    _print_json(brief_schema())


def _show(found: Article, analysis=None) -> None:
    fields = [
        ("title", found.title + (" (derived from the text)" if found.title_derived else "")),
        ("subtitle", found.subtitle),
        ("outlet", found.outlet),
        ("published", found.published),
        ("byline", found.byline),
        ("dateline", ", ".join(filter(None, [found.dateline.place, found.dateline.date, found.dateline.credit]))),
        ("language", found.language),
        ("url", found.url),
        ("source", found.source + (f" (segment {found.segment})" if found.segment else "") if found.source else None),
        ("id", found.id),
    ]
    for name, value in fields:
        if value:
            out.print(Text.assemble((f"{name:>10}  ", "bold"), value))
    out.print()
    if analysis is None:
        out.print(Text(found.text))
        return
    out.print(annotated(found.text, analysis))
    out.print()
    out.print(Text("quotes", style="bold"))
    for quote in analysis.quotes:
        speaker = quote.speaker
        who = (
            f"{speaker.name} ({speaker.kind}{', via ' + speaker.relayed_by if speaker.relayed_by else ''})"
            if speaker
            else "?"
        )
        out.print(Text.assemble("  ", (who, "bold cyan"), f" {quote.cue or '—'}: ", (_clip(quote.text), "yellow")))
    out.print(
        Text("legend: ", style="dim")
        + Text("quote ", style="yellow")
        + Text("speaker ", style="bold cyan")
        + Text("person ", style="underline")
        + Text("place/org ", style="blue")
        + Text("quantity ", style="magenta")
        + Text("time", style="green")
    )


def _clip(text: str, limit: int = 90) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def annotated(text: str, analysis) -> Text:
    """The article text with its analysis as styles: never markup, so article text cannot inject any."""
    shown = Text(text)
    for mention in analysis.mentions:
        shown.stylize("underline" if mention.label == "PERSON" else "blue", mention.start, mention.end)
    for quantity in analysis.quantities:
        shown.stylize("magenta", quantity.start, quantity.end)
    for time in analysis.times:
        shown.stylize("green", time.start, time.end)
    for quote in analysis.quotes:
        shown.stylize("yellow", quote.start, quote.end)
        if quote.speaker and quote.speaker.start is not None:
            shown.stylize("bold cyan", quote.speaker.start, quote.speaker.end)
    return shown


if __name__ == "__main__":
    main()
