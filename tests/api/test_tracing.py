"""One trace follows a transition from the API's route through the workflow update to the
activity (spans kept in memory here; in production, exported by the OTEL_* variables)."""

import httpx
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from temporalio.testing import WorkflowEnvironment

from api.app import create_app
from core import tracing
from core.settings import Settings
from core.temporal import TemporalConnection, connect
from tests.api.deals import new_lead, ok
from tests.auth import admin_headers
from worker import build_worker


def test_tracing_is_off_unless_the_otel_variables_ask() -> None:
    assert not tracing.tracing_wanted({})
    assert tracing.tracing_wanted({"OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318"})
    assert tracing.tracing_wanted({"OTEL_TRACES_EXPORTER": "console"})
    assert not tracing.tracing_wanted(
        {"OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318", "OTEL_SDK_DISABLED": "true"}
    )


async def test_one_trace_follows_a_transition_from_the_route_to_the_activity(
    settings: Settings, dev_server: WorkflowEnvironment
) -> None:
    spans = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(spans))
    interceptors = tracing.temporal_interceptors(provider)
    settings = settings.model_copy(
        update={"temporal_address": dev_server.client.service_client.config.target_host}
    )
    app = create_app(settings)
    app.state.temporal = TemporalConnection(settings, interceptors)
    tracing.instrument_api(app, provider)
    worker_client = await connect(settings, interceptors=interceptors)
    async with (
        build_worker(worker_client, settings),
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app),
            base_url="http://test",
            headers=admin_headers(settings),
        ) as api,
    ):
        lead = await new_lead(api)
        spans.clear()
        await ok(await api.post(f"/leads/{lead['id']}/qualify", json={}))

    finished = spans.get_finished_spans()
    route = next(s for s in finished if s.name == "POST /leads/{lead_id}/qualify")
    assert route.context is not None
    trace_id = route.context.trace_id
    in_route = {s.name for s in finished if s.context and s.context.trace_id == trace_id}
    assert "StartUpdateWithStartWorkflow:DealWorkflow" in in_route
    # temporalio's interceptor keeps a workflow's spans in the trace that started it (the
    # lead's creation) and links each update's handler to its caller's span: the route.
    handler = next(s for s in finished if s.name == "HandleUpdate:qualify")
    assert handler.context is not None
    assert trace_id in {link.context.trace_id for link in handler.links}
    in_deal = {
        s.name for s in finished if s.context and s.context.trace_id == handler.context.trace_id
    }
    assert {"StartActivity:transition", "RunActivity:transition"} <= in_deal
