"""A request holds at most one database connection at a time, so concurrent requests that wait on
Temporal can never take the whole pool and wait on each other for a second connection."""

import asyncio

import httpx
from sqlalchemy import create_engine
from temporalio.testing import WorkflowEnvironment

from api.app import create_app
from core.settings import Settings
from tests.api.deals import ok
from tests.auth import admin_headers
from worker import build_worker


async def test_transitions_run_with_a_pool_of_one_connection(
    settings: Settings, dev_server: WorkflowEnvironment
) -> None:
    settings = settings.model_copy(
        update={"temporal_address": dev_server.client.service_client.config.target_host}
    )
    app = create_app(settings)
    app.state.engine = create_engine(
        settings.database_url, pool_size=1, max_overflow=0, pool_timeout=5
    )
    headers = admin_headers(settings)
    async with (
        build_worker(dev_server.client, settings),
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://test", headers=headers
        ) as api,
    ):
        bodies = [{"topic": f"Desks {n}", "last_name": "Ng"} for n in range(4)]
        leads = await asyncio.gather(*(api.post("/leads", json=body) for body in bodies))
        for response in leads:
            lead = await ok(response, 201)
            await ok(await api.post(f"/leads/{lead['id']}/qualify", json={}))
    app.state.engine.dispose()
