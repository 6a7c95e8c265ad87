"""Liveness and readiness, for process supervisors and load balancers."""

import asyncio
from typing import Any

from fastapi import APIRouter, Request, Response, status
from starlette.concurrency import run_in_threadpool

from core.db import database_ready

router = APIRouter(tags=["ops"])


@router.get("/healthz")
def healthz() -> dict[str, str]:
    """The process is up."""
    return {"status": "ok"}


@router.get("/readyz")
async def readyz(request: Request, response: Response) -> dict[str, Any]:
    """The database and Temporal both answer; 503 until they do."""
    database, temporal = await asyncio.gather(
        run_in_threadpool(database_ready, request.app.state.engine),
        request.app.state.temporal.reachable(),
    )
    ready = database and temporal
    if not ready:
        response.status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    return {
        "status": "ready" if ready else "not ready",
        "database": "ok" if database else "unreachable",
        "temporal": "ok" if temporal else "unreachable",
    }
