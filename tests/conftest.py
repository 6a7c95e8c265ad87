"""Fixtures shared by every test: a migrated database per test (SQLite, or PostgreSQL with
DEALFLOW_TEST_DATABASE=postgresql), the app, HTTP clients, Temporal servers.

`client` is signed in as an admin; `anonymous` is not signed in; `client_as(user)` signs in as
anyone (users from `tests.auth.add_user`).

Temporal, FastAPI and the app are imported inside the fixtures that need them, not here: every
session loads this file, and the unit tests of the pure core run without them
(tests/unit/conftest.py checks it)."""

import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import AsyncExitStack
from datetime import UTC, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import pytest
from pydantic import SecretStr
from sqlalchemy import Engine
from sqlmodel import Session

from core.db import make_engine
from core.settings import Settings
from models.transition import TransitionRequest, TransitionResult
from models.user import User
from tests.auth import admin_headers, bearer
from tests.databases import DatabaseSource, check_available, open_databases

if TYPE_CHECKING:
    from fastapi import FastAPI
    from temporalio.testing import WorkflowEnvironment


def pytest_sessionstart(session: pytest.Session) -> None:
    check_available()


@pytest.fixture(autouse=True)
def snapshots_match_the_database(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every transition any test runs in this process hands its workflow a snapshot, and its
    caller the deal's documents, built from the records it read (or remembered) and wrote; both
    must be, to the character, what the database then holds."""
    import activities.deal
    from activities.deal import RecentDeals, apply_transition
    from services.deal_records import read_deal

    mismatches: list[str] = []

    def checked(
        session: Session,
        request: TransitionRequest,
        recent: RecentDeals,
        zone: tzinfo = UTC,
        enforce_process_steps: bool = False,
    ) -> TransitionResult:
        result = apply_transition(session, request, recent, zone, enforce_process_steps)
        fresh = read_deal(session, request.deal_id)
        for built, read in (
            (result.state, fresh.snapshot()),
            (result.documents, fresh.documents()),
        ):
            if built is None or built.model_dump_json() != read.model_dump_json():
                mismatches.append(
                    f"{request.action.action}: built {built and built.model_dump_json()}\n"
                    f"but the database holds {read.model_dump_json()}"
                )
        return result

    monkeypatch.setattr(activities.deal, "apply_transition", checked)
    yield
    assert not mismatches, "\n".join(mismatches)


@pytest.fixture(scope="session")
def databases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DatabaseSource]:
    """SQLite unless DEALFLOW_TEST_DATABASE=postgresql (tests/databases.py)."""
    source = open_databases(tmp_path_factory.mktemp("template"))
    yield source
    source.close()


@pytest.fixture
def database_url(databases: DatabaseSource, tmp_path: Path) -> Iterator[str]:
    """A migrated database of this test's own."""
    url = databases.migrated(tmp_path)
    yield url
    databases.release(url)


@pytest.fixture
def empty_database_url(databases: DatabaseSource, tmp_path: Path) -> Iterator[str]:
    """A database of this test's own with no tables, for migrations to build."""
    url = databases.empty(tmp_path)
    yield url
    databases.release(url)


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    return Settings(
        data_dir=tmp_path,
        database_url=database_url,
        # Nothing listens here: tests that need Temporal start their own server.
        temporal_address="127.0.0.1:1",
        task_queue=f"test-{uuid.uuid4()}",
        env="production",
        jwt_secret=SecretStr(f"test-secret-{uuid.uuid4()}-{uuid.uuid4()}"),
        # The sandbox refuses a non-deterministic call in workflow code: every test runs in it.
        worker_sandbox=True,
    )


@pytest.fixture
def engine(settings: Settings) -> Iterator[Engine]:
    engine = make_engine(settings.database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with Session(engine) as session:
        yield session


@pytest.fixture
def app(settings: Settings) -> "FastAPI":
    from api.app import create_app

    return create_app(settings)


@pytest.fixture
async def anonymous(app: "FastAPI") -> AsyncIterator[httpx.AsyncClient]:
    """Not signed in."""
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        yield client


@pytest.fixture
async def client(app: "FastAPI", settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """Signed in as an admin: may do everything."""
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(
        transport=transport, base_url="http://test", headers=admin_headers(settings)
    ) as client:
        yield client


ClientAs = Callable[[User], httpx.AsyncClient]


@pytest.fixture
async def client_as(app: "FastAPI", settings: Settings) -> AsyncIterator[ClientAs]:
    """`client_as(user)`: a client signed in as that user, closed after the test."""
    async with AsyncExitStack() as stack:

        def sign_in(user: User) -> httpx.AsyncClient:
            client = httpx.AsyncClient(
                transport=httpx.ASGITransport(app=app),
                base_url="http://test",
                headers=bearer(settings, user),
            )
            stack.push_async_callback(client.aclose)
            return client

        yield sign_in


@pytest.fixture(scope="session")
async def dev_server() -> AsyncIterator["WorkflowEnvironment"]:
    from tests.temporal import start_dev_server

    env = await start_dev_server()
    yield env
    await env.shutdown()


@pytest.fixture
async def time_skipping_server() -> AsyncIterator["WorkflowEnvironment"]:
    """One per test: a workflow left waiting by an earlier test would stop time skipping here."""
    from tests.temporal import start_time_skipping_server

    env = await start_time_skipping_server()
    yield env
    await env.shutdown()
