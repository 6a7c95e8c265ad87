"""A running deal stack for HTTP tests: the API and a worker on a real Temporal dev server."""

from collections.abc import AsyncIterator

import httpx
import pytest
from temporalio.testing import WorkflowEnvironment

from api.app import create_app
from core.settings import Settings
from tests.auth import admin_headers
from worker import build_worker


@pytest.fixture
async def deal_api(
    settings: Settings, dev_server: WorkflowEnvironment
) -> AsyncIterator[httpx.AsyncClient]:
    settings = settings.model_copy(
        update={"temporal_address": dev_server.client.service_client.config.target_host}
    )
    app = create_app(settings)
    async with build_worker(dev_server.client, settings):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://test", headers=admin_headers(settings)
        ) as client:
            yield client
