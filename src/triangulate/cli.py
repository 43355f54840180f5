"""The ``triangulate`` command: subcommands that mirror the library."""

from __future__ import annotations

import contextlib
import functools
import json
import sys
from collections.abc import Callable, Iterator
from typing import Any

import click
from rich.console import Console
from rich.table import Table
from rich.text import Text

from .config import Settings, load_settings
from .errors import TriangulateError
from .model import Article
from .workspace import Workspace

err = Console(stderr=True, highlight=False, soft_wrap=True)  # an error is one line, whatever the width
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


def _workspace(settings: Settings) -> Workspace:
    return Workspace(settings.db, settings)


def _print_error(item: str, message: str) -> None:
    err.print(Text(f"error: {message}", style="red"))


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
    if settings.dask:
        _ingest_on_dask(list(sources), settings, settings.dask, as_json, not no_analysis)
        return
    with _workspace(settings) as ws, _stages() as progress:
        report = ws.ingest(
            list(sources),
            analyse=not no_analysis,
            stdin=sys.stdin.buffer,
            on_error=None if as_json else _print_error,
            on_progress=progress,
        )
    _report_ingest(report, as_json)


def _report_ingest(report, as_json: bool) -> None:
    """What an ingest added, left unchanged and failed on; exit status 1 when anything failed."""
    if as_json:
        _print_json({"added": report.added, "unchanged": report.unchanged, "failed": report.failed})
    else:
        err.print(f"added {len(report.added)}, unchanged {len(report.unchanged)}, failed {len(report.failed)}")
    if report.failed:
        sys.exit(1)


def _ingest_on_dask(sources: list[str], settings: Settings, address: str, as_json: bool, analyse: bool) -> None:
    from .distributed import ingest_on_dask

    def show(message: str) -> None:
        if not as_json:
            _print_error("", message)

    with _workspace(settings) as ws:
        report = ingest_on_dask(
            sources, settings, ws.store, address, analyse=analyse, stdin=sys.stdin.buffer, on_error=show
        )
    _report_ingest(report, as_json)


@main.command()
@db_option
@click.pass_context
@reports_errors
def analyse(ctx: click.Context, db: str | None) -> None:
    """Run the language layer over stored articles that lack a current analysis."""
    with _workspace(_settings(ctx, db)) as ws, _stages() as progress:
        before = ws.pending()
        failed = ws.analyse(progress)
    for _, error in failed:
        err.print(Text(f"error: {error}", style="red"))
    err.print(f"analysed {before - len(failed)}" + (f", failed {len(failed)}" if failed else ""))
    if failed:
        sys.exit(1)


@contextlib.contextmanager
def _stages() -> Iterator[Callable[[str, int, int | None], None]]:
    """A progress display with one bar per stage the workspace reports ("ingesting", "analysing" …)."""
    with _progress() as progress:
        tasks: dict[str, Any] = {}

        def update(stage: str, done: int, total: int | None) -> None:
            if stage not in tasks:
                for task in tasks.values():
                    progress.update(task, visible=False)
                tasks[stage] = progress.add_task(stage, total=None)
            progress.update(tasks[stage], completed=done, total=total)

        yield update


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
    with _workspace(_settings(ctx, db)) as ws:
        rows = ws.articles(limit)
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
    with _workspace(_settings(ctx, db)) as ws:
        found, analysis = ws.article(article_id, analysed=as_json or annotate)
    if as_json:
        body = analysis.to_dict()
        del body["article_id"]
        _print_json({**found.to_dict(with_text=True), **body})
        return
    _show(found, analysis)


@main.command()
@db_option
@json_option
@click.option("--limit", type=int, default=None, help="Show at most this many.")
@click.option("--min-articles", type=int, default=1, help="Only stories with at least this many articles.")
@click.pass_context
@reports_errors
def stories(ctx: click.Context, db: str | None, as_json: bool, limit: int | None, min_articles: int) -> None:
    """List stories, the most recently active first: articles, outlets and time span."""
    with _workspace(_settings(ctx, db)) as ws:
        with _stages() as progress:
            ws.catch_up(progress)
        rows = [row.to_dict() for row in ws.stories(min_articles=min_articles)][:limit]
    if as_json:
        _print_json(rows)
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
    with _workspace(_settings(ctx, db)) as ws:
        view = ws.story(story_id)
    if as_json:
        _print_json(view.to_dict())
        return
    row, members = view.story.to_dict() | {"outlets": view.outlets}, view.articles
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
    with _workspace(_settings(ctx, db)) as ws, _stages() as progress:
        found = ws.recluster(progress)
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
    from .corroborate import STATUS_ORDER

    with _workspace(_settings(ctx, db)) as ws:
        story, _, found = ws.corroboration(story_id)
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
    with _workspace(_settings(ctx, db)) as ws:
        story, _, found = ws.corroboration(story_id)
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

    settings = _settings(ctx, db, allow_private_urls=allow_private_urls, writer=writer)
    paths = [t for t in targets if Path(t).exists() or "://" in t or t == "-"]
    ids = [t for t in targets if t not in paths]
    if not (ids or paths or every):
        raise click.UsageError("give STORY ids, FILEs to ingest, or --all")
    wanted: list[str] = []
    failed = False
    with _workspace(settings) as ws:
        if paths:
            with _stages() as progress:
                report = ws.ingest(paths, stdin=sys.stdin.buffer, on_error=_print_error, on_progress=progress)
            failed = bool(report.failed)
            wanted += ws.brief_stories(report)
        if every:
            wanted += [s.id for s in ws.stories(min_articles=2)]
        wanted += [ws.story(i).story.id for i in ids]
        briefs = [ws.brief(story_id) for story_id in dict.fromkeys(wanted)]
        if settings.writer == "model":
            briefs = [_rewritten(ws, one) for one in briefs]
    if not briefs:
        raise click.UsageError("no story to brief")
    _write_briefs(briefs, fmt or ("term" if out.is_terminal and not output else "md"), output, full)
    if failed:
        sys.exit(1)


def _rewritten(ws: Workspace, one):
    result = ws.rewrite(one)
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

    from .check.render import render, terminal

    settings = _settings(ctx, db, allow_private_urls=allow_private_urls)
    given = _read_checked(text, settings)
    paths = [t for t in against if Path(t).exists() or "://" in t or t == "-"]
    stories = [t for t in against if t not in paths]
    # files and URLs are read on the fly and never stored: without a story, no store file is made
    with Workspace(settings.db if stories else ":memory:", settings) as ws:
        report = ws.check(given, stories=stories, sources=paths, stdin=sys.stdin.buffer, on_error=_print_error)
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
@db_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (0.0.0.0: every interface).")
@click.option("--port", type=int, default=8000, show_default=True, help="Port to listen on.")
@click.option("--read-only", is_flag=True, help="Turn off every write route (ingest): for public deployments.")
@click.option(
    "--token",
    envvar="TRIANGULATE_TOKEN",
    default=None,
    metavar="TOKEN",
    help="Require this token for write routes ('Authorization: Bearer TOKEN'); or $TRIANGULATE_TOKEN.",
)
@click.option("--workers", type=int, default=1, show_default=True, help="Server processes.")
@click.option("--warm", type=int, default=20, show_default=True,
              help="Brief this many of the newest stories in the background at start (0: none).")  # fmt: skip
@click.option("--writes-per-minute", type=int, default=30, show_default=True,
              help="Ingests one client address may send in any minute (0: no limit).")  # fmt: skip
@click.pass_context
@reports_errors
def serve(
    ctx: click.Context,
    db: str | None,
    host: str,
    port: int,
    read_only: bool,
    token: str | None,
    workers: int,
    warm: int,
    writes_per_minute: int,
) -> None:
    """Serve the web app and the JSON API (/api, schema at /api/openapi.json) over the store."""
    try:
        import uvicorn

        from .web import create_app
    except ImportError as exc:
        raise click.ClickException(
            f"the web app needs its extra ({exc.name} is missing): pip install 'triangulate[web]'"
        ) from None
    settings = _settings(ctx, db)
    if workers > 1:
        import os

        os.environ.update(TRIANGULATE_DB=settings.db, TRIANGULATE_TOKEN=token or "")
        os.environ["TRIANGULATE_SERVE_READ_ONLY"] = "1" if read_only else ""
        os.environ["TRIANGULATE_SERVE_WARM"] = str(warm)
        os.environ["TRIANGULATE_SERVE_WRITES_PER_MINUTE"] = str(writes_per_minute)
        uvicorn.run("triangulate.web:from_environment", factory=True, host=host, port=port, workers=workers,
                    log_level="warning")  # fmt: skip
        return
    err.print(f"serving {settings.db} on http://{host}:{port}" + (" (read-only)" if read_only else ""))
    app = create_app(settings.db, settings, read_only=read_only, token=token, warm=warm,
                     writes_per_minute=writes_per_minute)  # fmt: skip
    uvicorn.run(app, host=host, port=port, log_level="warning")


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
