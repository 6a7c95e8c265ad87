"""Fixtures shared by every test: a migrated database per test, the app, an HTTP client."""

import shutil
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import Engine
from sqlmodel import Session
from temporalio.testing import WorkflowEnvironment

from api.app import create_app
from core.db import make_engine, upgrade_schema
from core.settings import Settings
from tests.temporal import start_dev_server, start_time_skipping_server


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Migrate once; each test gets a copy, which is much faster than migrating each time."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    upgrade_schema(f"sqlite:///{path}")
    return path


@pytest.fixture
def settings(tmp_path: Path, migrated_template: Path) -> Settings:
    database = tmp_path / "dealflow.db"
    shutil.copy(migrated_template, database)
    return Settings(
        data_dir=tmp_path,
        database_url=f"sqlite:///{database}",
        # Nothing listens here: tests that need Temporal start their own server.
        temporal_address="127.0.0.1:1",
        task_queue=f"test-{uuid.uuid4()}",
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
def app(settings: Settings) -> FastAPI:
    return create_app(settings)


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        yield client


@pytest.fixture(scope="session")
async def dev_server() -> AsyncIterator[WorkflowEnvironment]:
    env = await start_dev_server()
    yield env
    await env.shutdown()


@pytest.fixture(scope="session")
async def time_skipping_server() -> AsyncIterator[WorkflowEnvironment]:
    env = await start_time_skipping_server()
    yield env
    await env.shutdown()
