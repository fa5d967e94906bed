"""`build_api(pipeline)`: the HTTP API (FastAPI) under `/api`; OpenAPI at `/openapi.json`.

Errors are JSON `{"detail": message}`: a `BriefqaError` keeps its message (4xx/5xx by kind), any
other failure is logged and answered 500 without a traceback. With `settings.api_token` set,
every `/api` route wants `Authorization: Bearer <token>`.
"""

from __future__ import annotations

import logging
import secrets
from typing import Any, Literal

from fastapi import APIRouter, Depends, FastAPI, File, HTTPException, Query, Request, UploadFile
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, Field

from rag.errors import (
    BriefqaError,
    EmptyIndexError,
    ModelUnavailableError,
    StoreUnavailableError,
)
from rag.ledger.types import KINDS
from rag.prompts import Turn
from rag.retrieval import Filters
from ui.deals import deal_filters
from ui.service import BriefService, DocumentNotFound, UploadItem, UploadRejected

log = logging.getLogger("briefqa.api")


class TurnIn(BaseModel):
    """An earlier message of the conversation."""

    role: Literal["user", "assistant"]
    content: str = Field(max_length=20_000)


class FiltersIn(BaseModel):
    """Only briefs naming a company (substring) and/or dated within [since, until]."""

    company: str | None = None
    since: str | None = Field(default=None, description="YYYY, YYYY-MM or YYYY-MM-DD")
    until: str | None = Field(default=None, description="YYYY, YYYY-MM or YYYY-MM-DD")

    def to_filters(self) -> Filters:
        """Blank values mean no restriction."""
        return Filters(
            company=(self.company or "").strip() or None,
            since=(self.since or "").strip() or None,
            until=(self.until or "").strip() or None,
        )


class AskIn(BaseModel):
    """A question, the conversation so far and optional filters."""

    question: str = Field(min_length=1, max_length=2_000)
    history: list[TurnIn] = Field(default_factory=list)
    filters: FiltersIn | None = None


def status_of(exc: BriefqaError) -> int:
    """The HTTP status for a briefqa error."""
    if isinstance(exc, UploadRejected):
        return exc.status
    if isinstance(exc, DocumentNotFound):
        return 404
    if isinstance(exc, EmptyIndexError):
        return 409
    if isinstance(exc, StoreUnavailableError | ModelUnavailableError):
        return 503
    return 400


def _bearer(token: str | None) -> Any:
    scheme = HTTPBearer(auto_error=False, description="The server's BRIEFQA_API_TOKEN")

    def check(credentials: HTTPAuthorizationCredentials | None = Depends(scheme)) -> None:  # noqa: B008
        if token is None:
            return
        given = credentials.credentials if credentials is not None else ""
        if not secrets.compare_digest(given.encode(), token.encode()):
            raise HTTPException(
                status_code=401,
                detail="missing or wrong API token; send Authorization: Bearer <token>",
                headers={"WWW-Authenticate": "Bearer"},
            )

    return check


def build_api(pipeline: Any, service: BriefService | None = None) -> FastAPI:
    """The FastAPI app with the `/api` routes; the page can be mounted on it afterwards."""
    service = service or BriefService.of(pipeline)
    app = FastAPI(
        title="briefqa",
        version="0.1.0",
        description="Questions answered from pharma and biotech news briefs, with numbered "
        "citations. The chat page is served at `/`.",
    )
    router = APIRouter(prefix="/api", dependencies=[Depends(_bearer(pipeline.settings.api_token))])

    @router.post("/ask", summary="Answer a question with numbered citations")
    def ask(body: AskIn) -> dict[str, Any]:
        history = [Turn(t.role, t.content) for t in body.history]
        filters = body.filters.to_filters() if body.filters else None
        return service.ask(body.question, history, filters).to_json()

    @router.get("/documents", summary="List the ingested briefs")
    def documents() -> dict[str, Any]:
        docs = service.documents()
        return {
            "count": len(docs),
            "documents": [
                {"doc_id": d.doc_id, "title": d.title, "date": d.date, "chunks": d.chunk_count}
                for d in docs
            ],
        }

    @router.post("/documents", summary="Upload and ingest one or more briefs")
    def upload(files: list[UploadFile] = File(...)) -> JSONResponse:  # noqa: B008
        items = []
        for file in files:
            item = UploadItem(file.filename or "", file.file.read(service.max_upload_bytes + 1))
            service.check_item(item)  # a bad name (400) or size (413) refuses the whole request
            items.append(item)
        result = service.upload(items)
        body = {
            "added": result.added,
            "updated": result.updated,
            "unchanged": result.unchanged,
            "rejected": result.rejected,
        }
        if not result.accepted:
            reasons = "; ".join(f"{r['path']}: {r['reason']}" for r in result.rejected)
            return JSONResponse({"detail": f"nothing was ingested ({reasons})", **body}, 422)
        return JSONResponse(body)

    @router.delete("/documents/{doc_id:path}", summary="Delete a brief (index and file)")
    def delete(doc_id: str) -> dict[str, Any]:
        return {"deleted": doc_id, "removed_files": service.delete(doc_id)}

    @router.get("/deals", summary="The deal ledger's events, oldest first, each field cited")
    def deals(
        kind: str | None = Query(None, description=f"one of {', '.join(KINDS)}"),
        company: str | None = Query(None, description="a party's name contains this (any case)"),
        asset: str | None = Query(None, description="an asset name contains this (any case)"),
        since: str | None = Query(None, description="YYYY, YYYY-MM or YYYY-MM-DD, inclusive"),
        until: str | None = Query(None, description="YYYY, YYYY-MM or YYYY-MM-DD, inclusive"),
    ) -> dict[str, Any]:
        events = service.deals(deal_filters(kind, company, asset, since, until))
        return {"deals": [e.to_json() for e in events], "count": len(events)}

    @router.get("/health", summary="Index size and the models in use")
    def health() -> dict[str, Any]:
        return service.health()

    app.include_router(router)

    @app.exception_handler(BriefqaError)
    async def briefqa_error(request: Request, exc: BriefqaError) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=status_of(exc))

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.error("%s %s failed", request.method, request.url.path, exc_info=exc)
        detail = f"internal error ({type(exc).__name__}); see the server log"
        return JSONResponse({"detail": detail}, status_code=500)

    return app
