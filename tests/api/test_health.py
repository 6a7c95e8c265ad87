"""Liveness and readiness as a load balancer sees them: ready means the database takes writes,
Temporal answers and a worker polls the task queue, each named."""

import asyncio
import time

import httpx
from sqlalchemy import Engine
from temporalio.testing import WorkflowEnvironment

from activities import build_activities
from activities.notify import Notifiers
from core.settings import Settings
from tests.api.test_degraded import api, on, write_locked
from worker import build_worker


async def test_healthz_answers_while_temporal_is_down(client: httpx.AsyncClient) -> None:
    response = await client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


async def test_readyz_is_503_naming_temporal_when_it_is_unreachable(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get("/readyz")
    assert response.status_code == 503 and "Retry-After" in response.headers
    assert response.json() == {
        "status": "not ready",
        "database": "ok",
        "temporal": "unreachable",
        "worker": "unknown",
    }


async def test_readyz_names_what_is_missing(
    settings: Settings, dev_server: WorkflowEnvironment, engine: Engine
) -> None:
    settings = on(settings, dev_server, database_busy_timeout_seconds=0.5)
    async with api(settings) as client:
        no_worker = await client.get("/readyz")
        activities = build_activities(engine, Notifiers({}))
        async with build_worker(dev_server.client, settings, activities=activities):
            ready = await ready_soon(client)  # once the worker's first poll has arrived
            with write_locked(settings.database_url):
                locked = await client.get("/readyz")
    assert no_worker.status_code == 503 and "Retry-After" in no_worker.headers
    assert no_worker.json() == {
        "status": "not ready",
        "database": "ok",
        "temporal": "ok",
        "worker": f"no worker polls task queue {settings.task_queue}",
    }
    assert ready.status_code == 200, ready.text
    assert ready.json() == {"status": "ready", "database": "ok", "temporal": "ok", "worker": "ok"}
    if settings.database_url.startswith("sqlite"):  # PostgreSQL locks tables, not the database
        assert locked.status_code == 503
        assert locked.json()["database"] != "ok" and locked.json()["worker"] == "ok"


async def ready_soon(client: httpx.AsyncClient) -> httpx.Response:
    deadline = time.monotonic() + 20
    while (response := await client.get("/readyz")).status_code != 200:
        if time.monotonic() > deadline:
            break
        await asyncio.sleep(0.2)
    return response


async def test_openapi_documents_the_record_routes(client: httpx.AsyncClient) -> None:
    paths = (await client.get("/openapi.json")).json()["paths"]
    assert {"/accounts", "/accounts/{record_id}", "/contacts", "/readyz"} <= set(paths)
    assert (await client.get("/docs")).status_code == 200
