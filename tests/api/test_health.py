"""Liveness and readiness as a load balancer sees them."""

import httpx
from temporalio.testing import WorkflowEnvironment

from api.app import create_app
from core.settings import Settings


async def test_healthz_answers_while_temporal_is_down(client: httpx.AsyncClient) -> None:
    response = await client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


async def test_readyz_is_503_naming_temporal_when_it_is_unreachable(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {"status": "not ready", "database": "ok", "temporal": "unreachable"}


async def test_readyz_is_ready_with_database_and_temporal_up(
    settings: Settings, dev_server: WorkflowEnvironment
) -> None:
    target = dev_server.client.service_client.config.target_host
    app = create_app(settings.model_copy(update={"temporal_address": target}))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
        response = await c.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ready", "database": "ok", "temporal": "ok"}


async def test_openapi_documents_the_record_routes(client: httpx.AsyncClient) -> None:
    paths = (await client.get("/openapi.json")).json()["paths"]
    assert {"/accounts", "/accounts/{record_id}", "/contacts", "/readyz"} <= set(paths)
    assert (await client.get("/docs")).status_code == 200
