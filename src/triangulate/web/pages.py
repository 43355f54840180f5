"""The HTML pages: stories, a story's brief, claims, outlets side by side, an article, ingest.

Templates are Jinja2 with autoescape on for every template, so article text is
always text. A story page is cached by the story's content (its articles and the
rules' versions): once made, it is served without touching the brief again.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Any

import jinja2
from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from ..workspace import Document
from . import views
from .api import MAX_ITEMS, Status, workspace
from .guard import Refused, check_write

HERE = Path(__file__).resolve().parent
router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)
templates = jinja2.Environment(
    loader=jinja2.FileSystemLoader(HERE / "templates"),
    autoescape=True,  # every template, whatever its name
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
STATUSES = ("contested", "corroborated", "statement", "single-source")
templates.globals["statuses"] = STATUSES
STATIC = {
    name: ((HERE / "static" / name).read_bytes(), kind)
    for name, kind in (("app.css", "text/css; charset=utf-8"), ("app.js", "text/javascript; charset=utf-8"))
}  # the only files the app serves: a name not in this map is a 404, so no request path reaches the disk
PER_PAGE = 30
MAX_CHECK_BYTES = 1_000_000  # a text to check, as the check itself allows


def render(name: str, request: Request | None = None, **values: Any) -> str:
    app = request.app if request else None
    writable = bool(app) and not app.state.read_only
    return templates.get_template(name).render(writable=writable, token_needed=bool(app and app.state.token), **values)


def error_page(status: int, message: str, details: list) -> str:
    return render("error.html", status=status, message=message, details=details)


@router.get("/static/{name}")
def static(name: str) -> Response:
    if name not in STATIC:
        raise Refused(404, f"no static file {name[:80]!r}")
    body, kind = STATIC[name]
    return Response(body, media_type=kind, headers={"cache-control": "public, max-age=3600"})


@router.get("/")
def stories(
    request: Request,
    q: Annotated[str | None, Query(max_length=200)] = None,
    outlet: Annotated[str | None, Query(max_length=200)] = None,
    since: Annotated[str | None, Query(max_length=10)] = None,
    until: Annotated[str | None, Query(max_length=10)] = None,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> str:
    ws = workspace(request)
    start, end = _day(since, "since"), _day(until, "until")
    rows = ws.stories(query=q, outlet=outlet, since=start, until=end)
    shown = rows[(page - 1) * PER_PAGE : page * PER_PAGE]
    counts = {row.id: ws.cached_counts(row) for row in shown}
    return render(
        "stories.html", request, rows=shown, counts=counts, total=len(rows), page=page,
        pages=max(1, -(-len(rows) // PER_PAGE)), outlets=ws.outlets(),
        q=q or "", outlet=outlet or "", since=since or "", until=until or "", articles=ws.store.count(),
    )  # fmt: skip


def _day(value: str | None, name: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise Refused(422, f"{name} should be a day as YYYY-MM-DD, got {value[:20]!r}") from None


async def _cached(request: Request, kind: str, story_id: str, make) -> HTMLResponse:
    """A story's page, made once per content of the story (its articles and the rules' versions).

    The look-up runs in the event loop on its own connection (two indexed reads), so a cached page costs no
    thread hand-off; making a page runs in a worker thread.
    """
    ws = workspace(request)
    memo = (id(ws.store), ws.version(), story_id)  # the id and content key of a story, until anything is written
    known = request.app.state.story_keys.get(memo)
    if known is None:
        story = ws.store.story(story_id)
        known = request.app.state.story_keys.put(memo, (story.id, ws.content_key(story)))
    sid, content = known
    key = ("page", kind, str(request.url.query), content, bool(request.app.state.read_only))
    found = ws.cache.get(key)
    if found is None:

        def made() -> str:
            worker = workspace(request)
            return worker.cache.put(key, make(worker, sid))

        found = await run_in_threadpool(made)
    return HTMLResponse(found)


@router.get("/stories/{story_id}")
async def story(request: Request, story_id: str) -> HTMLResponse:
    def make(ws, sid: str) -> str:
        found = ws.brief(sid)
        view = ws.story(sid)
        by_id = {a.id: a for a in view.articles}
        cited = views.citations(found, by_id)
        main = [s for s in found.sections if s.lines and not s.appendix]
        appendix = [s for s in found.sections if s.lines and s.appendix]
        return render(
            "story.html", request, brief=found, view=view, main=main, appendix=appendix, cited=cited,
            counts=ws.cached_counts(view.story),
        )  # fmt: skip

    return await _cached(request, "story", story_id, make)


@router.get("/stories/{story_id}/claims")
async def claims(request: Request, story_id: str, status: Status | None = None) -> HTMLResponse:
    def make(ws, sid: str) -> str:
        story, _, found = ws.corroboration(sid)
        groups = [g for g in found.claims if status in (None, g.status)]
        counts = {s: sum(1 for g in found.claims if g.status == s) for s in STATUSES}
        return render("claims.html", request, story=story, groups=groups, status=status, counts=counts,
                      independence=found.independence)  # fmt: skip

    return await _cached(request, "claims", story_id, make)


@router.get("/stories/{story_id}/outlets")
async def outlets(request: Request, story_id: str) -> HTMLResponse:
    def make(ws, sid: str) -> str:
        found = ws.brief(sid)
        story, _, corroboration = ws.corroboration(sid)
        return render("outlets.html", request, story=story, columns=views.columns(found, corroboration),
                      quotes=corroboration.quotes)  # fmt: skip

    return await _cached(request, "outlets", story_id, make)


@router.get("/articles/{article_id}")
def article(
    request: Request,
    article_id: str,
    start: Annotated[int | None, Query(ge=0)] = None,
    end: Annotated[int | None, Query(ge=0)] = None,
) -> str:
    ws = workspace(request)
    found, analysis = ws.article(article_id)
    marked = (start, end) if start is not None and end is not None and start < end <= len(found.text) else None
    story_id = ws.store.story_of(found.id)
    return render(
        "article.html", request, article=found, analysis=analysis, pieces=views.pieces(found.text, analysis, marked),
        story_id=story_id, link=found.url if (found.url or "").startswith(("http://", "https://")) else None,
    )  # fmt: skip


@router.get("/ingest")
def ingest_form(request: Request) -> str:
    return render("ingest.html", request, report=None, text="", url="")


@router.post("/ingest")
async def ingest(request: Request) -> Response:
    async with request.form(max_files=MAX_ITEMS, max_fields=20, max_part_size=10_000_000) as form:
        check_write(request, str(form.get("token") or ""))
        sources: list = []
        text = str(form.get("text") or "")
        if text.strip():
            sources.append(Document(str(form.get("name") or "pasted.txt")[:200] or "pasted.txt", text.encode()))
        for upload in form.getlist("files"):
            if hasattr(upload, "read") and upload.filename:
                sources.append(Document(upload.filename[:200], await upload.read()))
        url = str(form.get("url") or "").strip()
        if url:
            sources.append(url)
    if not sources:
        raise Refused(422, "nothing to ingest: paste a text, choose files or give a URL")

    def run():
        ws = workspace(request)
        report = ws.ingest(sources, paths=False)
        return report, {i: ws.store.story_of(i) for i in report.articles}

    report, stories_of = await run_in_threadpool(run)
    titles = await run_in_threadpool(lambda: {i: workspace(request).store.article(i).title for i in stories_of})
    body = render("ingest.html", request, report=report, stories_of=stories_of, titles=titles, text="", url="")
    return HTMLResponse(body, status_code=200)


def _checkable(ws) -> list:
    """The stories a text may be checked against: those of two or more articles first, newest first."""
    return (ws.stories(min_articles=2) or ws.stories())[:200]


@router.get("/check")
def check_form(request: Request) -> HTMLResponse:
    ws = workspace(request)
    return HTMLResponse(render("check.html", request, report=None, text="", story="", stories=_checkable(ws)))


@router.post("/check")
async def check(request: Request) -> HTMLResponse:
    async with request.form(max_files=0, max_fields=5, max_part_size=MAX_CHECK_BYTES) as form:
        text = str(form.get("text") or "")
        story = str(form.get("story") or "").strip()
    if not text.strip():
        raise Refused(422, "nothing to check: paste a text")
    if not story:
        raise Refused(422, "pick the story to check the text against")

    def run() -> str:
        ws = workspace(request)
        report = ws.check(text, stories=[story])
        return render("check.html", request, report=report, text=text, story=ws.store.story(story).id,
                      stories=_checkable(ws))  # fmt: skip

    return HTMLResponse(await run_in_threadpool(run))


__all__ = ["error_page", "router"]
