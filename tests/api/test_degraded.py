"""Degrade, don't hang: with no worker, Temporal down or the database locked, the API answers
503 with Retry-After within its deadline, saying whether the request changed nothing; after,
nothing is lost and nothing doubled."""

import sqlite3
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import Any

import httpx
import psycopg
from sqlalchemy import Engine, make_url
from sqlmodel import Session, col, func, select
from temporalio.testing import WorkflowEnvironment

from activities import build_activities
from activities.notify import Notifiers
from api.app import create_app
from core.settings import Settings
from models.account import Account
from models.lead import Lead
from models.user import Role
from tests.auth import add_user, admin_headers
from tests.temporal import start_dev_server
from worker import build_worker

DEADLINE = 2.0
# Enough for a loaded 2-core machine to answer once the deadline has passed; far below a hang.
MARGIN = 5.0
LEAD = {"topic": "Desks", "last_name": "Ito"}


def on(settings: Settings, env: WorkflowEnvironment | None = None, **changes: Any) -> Settings:
    address = env.client.service_client.config.target_host if env else settings.temporal_address
    return settings.model_copy(
        update={"temporal_address": address, "transition_timeout_seconds": DEADLINE, **changes}
    )


@asynccontextmanager
async def api(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """As uvicorn serves it: an error answered by the outermost handler is logged, not raised."""
    transport = httpx.ASGITransport(app=create_app(settings), raise_app_exceptions=False)
    headers = admin_headers(settings)
    async with httpx.AsyncClient(transport=transport, base_url="http://t", headers=headers) as c:
        yield c


def count(engine: Engine, table: Any) -> int:
    with Session(engine) as session:
        return session.exec(select(func.count()).select_from(table)).one()


def unavailable(response: httpx.Response, changed_nothing: bool) -> dict[str, Any]:
    assert response.status_code == 503, response.text
    assert int(response.headers["Retry-After"]) > 0
    detail: dict[str, Any] = response.json()["detail"]
    assert detail["changed_nothing"] is changed_nothing
    if changed_nothing:
        assert "changed nothing" in detail["message"]
    else:
        assert "unknown" in detail["message"] and "Idempotency-Key" in detail["message"]
    return detail


async def test_with_no_worker_a_transition_answers_503_by_its_deadline_and_a_retry_finds_it(
    settings: Settings, dev_server: WorkflowEnvironment, engine: Engine
) -> None:
    settings = on(settings, dev_server)
    key = {"Idempotency-Key": str(uuid.uuid4())}
    async with api(settings) as client:
        started = time.monotonic()
        response = await client.post("/leads", json=LEAD, headers=key)
        elapsed = time.monotonic() - started
        detail = unavailable(response, changed_nothing=False)
        assert detail["rule"] == "temporal_unavailable"
        assert DEADLINE <= elapsed < DEADLINE + MARGIN

        # the worker is back: the same key answers the first request's lead, made once
        activities = build_activities(engine, Notifiers({}))
        async with build_worker(dev_server.client, settings, activities=activities):
            retried = await client.post("/leads", json=LEAD, headers=key)
    assert retried.status_code == 201, retried.text
    assert count(engine, Lead) == 1


async def test_with_temporal_never_reached_a_transition_changed_nothing(
    settings: Settings, engine: Engine
) -> None:
    async with api(on(settings)) as client:  # nothing listens at 127.0.0.1:1
        started = time.monotonic()
        response = await client.post("/leads", json=LEAD)
        assert time.monotonic() - started < DEADLINE + MARGIN
    unavailable(response, changed_nothing=True)
    assert count(engine, Lead) == 0


async def test_temporal_gone_after_the_api_connected_changed_nothing(
    settings: Settings, engine: Engine
) -> None:
    env = await start_dev_server()
    settings = on(settings, env)
    try:
        activities = build_activities(engine, Notifiers({}))
        async with api(settings) as client:
            async with build_worker(env.client, settings, activities=activities):
                lead = (await client.post("/leads", json=LEAD)).json()
            await env.shutdown()
            response = await client.post(f"/leads/{lead['id']}/disqualify", json={"reason": "lost"})
    finally:
        await env.shutdown()
    unavailable(response, changed_nothing=True)
    with Session(engine) as session:
        assert (
            session.exec(select(Lead.state).where(col(Lead.id) == uuid.UUID(lead["id"]))).one()
            == "open"
        )


@contextmanager
def write_locked(database_url: str) -> Iterator[None]:
    """Another process holds the database's write lock (SQLite) or the tables' (PostgreSQL)."""
    url = make_url(database_url)
    if url.drivername.startswith("sqlite"):
        holder = sqlite3.connect(str(url.database), isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        return
    dsn = url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(dsn) as tables:
        tables.execute("LOCK TABLE account, system_user, sign_in_failures IN ACCESS EXCLUSIVE MODE")
        yield
        tables.rollback()


async def test_a_locked_database_answers_503_sign_in_included_and_loses_nothing(
    settings: Settings, engine: Engine
) -> None:
    settings = on(settings, database_busy_timeout_seconds=0.5)
    add_user(settings, Role.sales_manager, email="sam@example.com", password="a long password")
    account = {"name": "Contoso", "relationship_type": "customer"}
    sign_in = {"username": "sam@example.com", "password": "not the password"}
    async with api(settings) as client:
        with write_locked(settings.database_url):
            started = time.monotonic()
            created = await client.post("/accounts", json=account)
            signed_in = await client.post("/auth/token", data=sign_in)
            # the Idempotency-Key is claimed in a middleware, before any route runs
            keyed = await client.post("/accounts", json=account, headers={"Idempotency-Key": "a"})
            assert time.monotonic() - started < 3 * (0.5 + MARGIN)
        for response in (created, signed_in, keyed):
            assert unavailable(response, changed_nothing=True)["rule"] == "database_unavailable"
        assert count(engine, Account) == 0
        again = await client.post("/accounts", json=account)
        assert again.status_code == 201, again.text
        refused = await client.post("/auth/token", data=sign_in)
        assert refused.status_code == 401, refused.text
    assert count(engine, Account) == 1
