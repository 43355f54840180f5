"""The JSON API under ``/api``: the Workspace's calls as routes, with pagination and one error shape.

Lists are pages: ``{"items", "total", "limit", "offset", "next"}``, where
``next`` is the URL of the following page or null.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from ..workspace import Document, Workspace
from .guard import ERRORS, check_write

router = APIRouter(prefix="/api", responses=ERRORS)
Status = Literal["contested", "corroborated", "statement", "single-source"]
Limit = Annotated[int, Query(ge=1, le=200, description="Items per page (at most 200).")]
Offset = Annotated[int, Query(ge=0, description="Items to skip.")]
MAX_ITEMS = 50  # documents or URLs in one ingest request


def workspace(request: Request) -> Workspace:
    """This thread's workspace (call it inside the route, which runs wholly in one worker thread)."""
    return request.app.state.workspaces.get()


def page(request: Request, items: list, limit: int, offset: int, shown: Any = None) -> dict[str, Any]:
    chosen = items[offset : offset + limit]
    following = None
    if offset + limit < len(items):
        following = str(request.url.include_query_params(offset=offset + limit, limit=limit))
    return {
        "items": [shown(x) if shown else x for x in chosen],
        "total": len(items),
        "limit": limit,
        "offset": offset,
        "next": following,
    }


@router.get("/stories", summary="Stories, the most recently active first")
async def stories(
    request: Request,
    q: Annotated[str | None, Query(max_length=200, description="Words of the story's or its articles' titles.")] = None,
    outlet: Annotated[str | None, Query(max_length=200)] = None,
    since: date | None = None,
    until: date | None = None,
    min_articles: Annotated[int, Query(ge=1)] = 1,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    """Answered in the event loop when the list is cached and current; made in a worker thread otherwise."""
    filters = {"query": q, "outlet": outlet, "since": since, "until": until, "min_articles": min_articles}

    def answer(ws: Workspace, rows: list) -> bytes:
        body = page(request, rows, limit, offset, lambda row: {**row.to_dict(), "counts": ws.cached_counts(row)})
        return json.dumps(body, ensure_ascii=False).encode()

    ws = workspace(request)
    key = ("api-stories", id(ws.store), ws.version(), ws.cache.corroborated, str(request.url))
    found = ws.cache.get(key)
    if found is None:
        rows = ws.stories(**filters, cached_only=True)
        if rows is not None:
            found = ws.cache.put(key, answer(ws, rows))
    if found is None:
        since = ws.version()

        def made() -> tuple[Workspace, bytes]:
            worker = workspace(request)
            return worker, worker.cache.put(key, answer(worker, worker.stories(**filters)))

        worker, found = await run_in_threadpool(made)
        ws.adopt_story_rows(worker, since)  # the next request is answered here, in the event loop
    return Response(found, media_type="application/json")  # written once; no second pass through a response model


@router.get("/stories/{story_id}", summary="One story (id or unique prefix) and its articles")
def story(request: Request, story_id: str) -> dict[str, Any]:
    return workspace(request).story(story_id).to_dict()


@router.get("/stories/{story_id}/brief", summary="The story's brief (valid against /api/schema/brief)")
def brief(request: Request, story_id: str) -> dict[str, Any]:
    return workspace(request).brief(story_id).to_dict()


@router.get("/stories/{story_id}/claims", summary="The story's claim groups, each with its status and reason")
def claims(request: Request, story_id: str, status: Status | None = None, limit: Limit = 50, offset: Offset = 0):
    return page(request, workspace(request).claims(story_id, status), limit, offset, lambda g: g.to_dict())


@router.get("/stories/{story_id}/quotes", summary="The story's utterances with their wordings in every outlet")
def quotes(request: Request, story_id: str, limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
    return page(request, workspace(request).quotes(story_id), limit, offset, lambda g: g.to_dict())


@router.get("/stories/{story_id}/outlets", summary="Each source side by side: what it reports and leaves out")
def outlets(request: Request, story_id: str) -> dict[str, Any]:
    from dataclasses import asdict

    from .views import columns

    ws = workspace(request)
    found = ws.brief(story_id)
    return {"story_id": found.story_id, "sources": [asdict(c) for c in columns(found, ws.corroboration(story_id)[2])]}


@router.get("/articles", summary="Stored articles, newest first")
def articles(request: Request, limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
    found = workspace(request).articles(offset + limit + 1)
    result = page(request, found, limit, offset, lambda a: a.to_dict())
    result["total"] = workspace(request).store.count()
    return result


@router.get("/articles/{article_id}", summary="One article with its text and every language record as spans")
def article(request: Request, article_id: str) -> dict[str, Any]:
    found, analysis = workspace(request).article(article_id)
    body = analysis.to_dict() if analysis else {}
    body.pop("article_id", None)
    return {**found.to_dict(with_text=True), **body}


class PastedText(BaseModel):
    name: str = Field("pasted.txt", max_length=200, description="Names the item; its extension picks the reader.")
    text: str = Field(min_length=1)


class IngestRequest(BaseModel):
    documents: list[PastedText] = Field(default_factory=list, max_length=MAX_ITEMS)
    urls: list[str] = Field(default_factory=list, max_length=MAX_ITEMS)


@router.post("/ingest", summary="Ingest pasted texts and URLs; per-item results and errors")
def ingest(request: Request, body: IngestRequest) -> dict[str, Any]:
    check_write(request)
    from .guard import Refused

    if not (body.documents or body.urls):
        raise Refused(422, "nothing to ingest: give 'documents' ([{name, text}]) or 'urls'")
    sources = [Document(d.name, d.text.encode("utf-8")) for d in body.documents] + list(body.urls)
    ws = workspace(request)
    return ws.ingest(sources, paths=False).to_dict()


class CheckRequest(BaseModel):
    text: str = Field(min_length=1, max_length=1_000_000, description="The text to check.")
    story: str = Field(min_length=1, max_length=100, description="The story (id or unique prefix) it reports.")


@router.post("/check", summary="Check a text against a story's sources, sentence by sentence and quote by quote")
def check(request: Request, body: CheckRequest) -> dict[str, Any]:
    return workspace(request).check(body.text, stories=[body.story]).to_dict()


@router.get("/schema/brief", summary="The JSON Schema that a brief is valid against")
def brief_schema() -> dict[str, Any]:
    from ..brief.render import schema

    return schema()


__all__ = ["router"]
