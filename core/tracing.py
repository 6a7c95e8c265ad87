"""OpenTelemetry tracing, off unless the standard OTEL_* variables ask for it: one trace follows a
transition from the API's route (FastAPI's instrumentation) through the workflow update to its
activity (temporalio's tracing interceptor, on the client the API and the worker share).

On with OTEL_EXPORTER_OTLP_ENDPOINT (or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) or
OTEL_TRACES_EXPORTER=otlp|console; OTEL_SDK_DISABLED=true turns it off; the exporter reads the
rest (OTEL_SERVICE_NAME, OTEL_EXPORTER_OTLP_HEADERS, ...) itself."""

import os
from collections.abc import Mapping

from fastapi import FastAPI
from opentelemetry import trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, ConsoleSpanExporter, SpanExporter
from temporalio.client import Interceptor
from temporalio.contrib.opentelemetry import TracingInterceptor


def tracing_wanted(env: Mapping[str, str] = os.environ) -> bool:
    if env.get("OTEL_SDK_DISABLED", "").lower() == "true":
        return False
    exporter = env.get("OTEL_TRACES_EXPORTER", "").lower()
    if exporter == "none":
        return False
    endpoint = env.get("OTEL_EXPORTER_OTLP_ENDPOINT") or env.get(
        "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"
    )
    return bool(endpoint) or exporter in ("otlp", "console")


_provider: TracerProvider | None = None


def tracer_provider(service: str) -> TracerProvider | None:
    """The process's provider, made once (the global one), or None when tracing is off."""
    global _provider
    if _provider is None and tracing_wanted():
        exporter: SpanExporter
        if os.environ.get("OTEL_TRACES_EXPORTER", "").lower() == "console":
            exporter = ConsoleSpanExporter()
        else:
            from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

            exporter = OTLPSpanExporter()
        name = os.environ.get("OTEL_SERVICE_NAME", service)
        _provider = TracerProvider(resource=Resource.create({"service.name": name}))
        _provider.add_span_processor(BatchSpanProcessor(exporter))
        trace.set_tracer_provider(_provider)
    return _provider


def temporal_interceptors(provider: TracerProvider | None) -> list[Interceptor]:
    """The client's interceptors; a worker built on the client traces with them too."""
    if provider is None:
        return []
    return [TracingInterceptor(tracer=provider.get_tracer("dealflow.temporal"))]


def instrument_api(app: FastAPI, provider: TracerProvider | None) -> None:
    if provider is not None:
        from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor

        FastAPIInstrumentor.instrument_app(
            app, tracer_provider=provider, excluded_urls="healthz,readyz,metrics"
        )
