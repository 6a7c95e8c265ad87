"""Both Prometheus endpoints after a deal: the API's requests by route template, method and
status and its deal gauges; the worker's SDK metrics and dealflow's counters."""

import asyncio
import socket

import httpx
from temporalio.testing import WorkflowEnvironment

from api.app import create_app
from core.settings import Settings
from core.temporal import connect, worker_runtime
from tests.api.deals import new_lead, ok
from tests.auth import admin_headers
from worker import build_worker


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_the_api_and_the_worker_expose_their_series_after_a_deal(
    settings: Settings, dev_server: WorkflowEnvironment
) -> None:
    settings = settings.model_copy(
        update={
            "temporal_address": dev_server.client.service_client.config.target_host,
            "worker_metrics_port": free_port(),
        }
    )
    client = await connect(settings, runtime=worker_runtime(settings))
    async with (
        build_worker(client, settings),
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=create_app(settings)),
            base_url="http://test",
            headers=admin_headers(settings),
        ) as api,
    ):
        lead = await new_lead(api)
        await ok(await api.post(f"/leads/{lead['id']}/qualify", json={}))
        await ok(await api.get(f"/leads/{lead['id']}"))
        exposed = (await api.get("/metrics", headers={"Authorization": ""})).text
        async with httpx.AsyncClient() as scraper:
            worker_url = f"http://127.0.0.1:{settings.worker_metrics_port}/metrics"
            for _ in range(50):  # the SDK exports on its own schedule
                worker = (await scraper.get(worker_url)).text
                if "dealflow_transitions_total" in worker:
                    break
                await asyncio.sleep(0.1)

    assert 'http_requests_total{handler="/leads",method="POST",status="201"} 1.0' in exposed
    assert 'handler="/leads/{lead_id}/qualify",method="POST",status="200"' in exposed
    assert 'http_request_duration_seconds_bucket{handler="/leads/{record_id}",' in exposed
    assert 'dealflow_deals_by_stage{stage="Develop"}' in exposed
    assert 'dealflow_deals_stuck{reason="activity_failing"}' in exposed

    transitions = [line for line in worker.splitlines() if "dealflow_transitions_total{" in line]
    assert any('action="create_lead"' in line for line in transitions), transitions
    assert any('action="qualify"' in line for line in transitions), transitions
    for series in (
        "temporal_workflow_task_schedule_to_start_latency",
        "temporal_workflow_task_execution_latency",
        "temporal_sticky_cache_size",
        "temporal_request_total",
    ):
        assert series in worker, series
