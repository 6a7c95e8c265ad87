"""Liveness and readiness, for process supervisors and load balancers."""

import asyncio
from datetime import timedelta
from typing import Any

from fastapi import APIRouter, Request, Response, status
from starlette.concurrency import run_in_threadpool

from api.errors import RETRY_AFTER_SECONDS
from core.db import database_writable
from core.temporal import workers_polling

router = APIRouter(tags=["ops"])

# A worker that has not polled for this long is gone: a live one polls at least every minute.
WORKER_SEEN_WITHIN = timedelta(minutes=2)


@router.get("/healthz")
def healthz() -> dict[str, str]:
    """The process is up."""
    return {"status": "ok"}


@router.get("/readyz")
async def readyz(request: Request, response: Response) -> dict[str, Any]:
    """Ready to move deals: the database takes writes, Temporal answers, and a worker polls the
    task queue. Each is named with "ok" or why not; 503 until all three are."""
    database, temporal = await asyncio.gather(
        run_in_threadpool(database_writable, request.app.state.engine),
        _temporal_and_worker(request),
    )
    checks = {"database": database or "ok", **temporal}
    ready = all(value == "ok" for value in checks.values())
    if not ready:
        response.status_code = status.HTTP_503_SERVICE_UNAVAILABLE
        response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return {"status": "ready" if ready else "not ready", **checks}


async def _temporal_and_worker(request: Request) -> dict[str, str]:
    connection = request.app.state.temporal
    if not await connection.reachable():
        return {"temporal": "unreachable", "worker": "unknown"}
    task_queue = request.app.state.settings.task_queue
    try:
        polling = await workers_polling(await connection.client(), task_queue, WORKER_SEEN_WITHIN)
    except Exception as error:
        return {"temporal": "ok", "worker": f"unknown: {error}"}
    if not polling:
        return {"temporal": "ok", "worker": f"no worker polls task queue {task_queue}"}
    return {"temporal": "ok", "worker": "ok"}
