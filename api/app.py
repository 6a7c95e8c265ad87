"""The FastAPI application: routers, error mapping, shared connections, the first admin."""

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import structlog
from fastapi import FastAPI
from fastapi.routing import APIRoute, iter_route_contexts
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from api import errors
from api.body_limit import BodyLimit
from api.deps import Guard
from api.idempotency import IdempotencyMiddleware
from api.metrics import ApiMetrics
from api.principals import PrincipalCache
from api.routes import (
    accounts,
    activities,
    api_keys,
    auth,
    competitors,
    contacts,
    deals,
    discount_lists,
    goals,
    health,
    invoices,
    leads,
    metrics,
    opportunities,
    ops,
    orders,
    price_lists,
    processes,
    products,
    quotes,
    reports,
    sales_literature,
    tax_rates,
    unit_groups,
    users,
)
from console import app as console
from core.db import make_engine
from core.logging import configure_logging
from core.settings import Settings, get_settings
from core.temporal import TemporalConnection
from services.users import ensure_first_admin

log = structlog.get_logger()

# What a multipart upload adds around its file: boundaries, headers, the file name.
MULTIPART_ENVELOPE = 16_384
# Routes anyone may call: probes and signing in. FastAPI's /docs and /openapi.json are open too.
OPEN_PATHS = frozenset({"/healthz", "/readyz", "/auth/token", "/metrics"}) | console.OPEN_PATHS


class InsecureSettings(RuntimeError):
    """Production settings that would let anyone forge a token: the API does not start."""


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app for `settings` (the environment's by default); connections open lazily."""
    settings = settings or get_settings()
    configure_logging(settings)
    if reasons := settings.insecure_reasons():
        raise InsecureSettings(
            "refusing to start in production: " + "; ".join(reasons)
            + " (set DEALFLOW_JWT_SECRET, or DEALFLOW_ENV=development on your own machine)"
        )  # fmt: skip

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await run_in_threadpool(_first_admin, app)
        yield
        app.state.engine.dispose()

    app = FastAPI(
        title="dealflow",
        summary="A company's sales process, lead to paid invoice, as durable workflows.",
        version="0.1.0",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.engine = make_engine(settings.database_url, settings.database_busy_timeout_seconds)
    app.state.temporal = TemporalConnection(settings)
    app.state.principals = PrincipalCache(settings.principal_cache_seconds)
    errors.install(app)
    app.state.metrics = ApiMetrics(app, settings)
    app.add_middleware(IdempotencyMiddleware, settings=settings, engine=app.state.engine)
    for module in (
        health,
        metrics,
        auth,
        users,
        api_keys,
        accounts,
        contacts,
        unit_groups,
        products,
        price_lists,
        discount_lists,
        tax_rates,
        competitors,
        sales_literature,
        processes,
        leads,
        opportunities,
        quotes,
        orders,
        invoices,
        activities,
        ops,  # before deals: /deals/stuck is not a deal id
        deals,
        reports,
    ):
        app.include_router(module.router)
    app.include_router(activities.timelines)
    app.include_router(goals.metrics_router)
    app.include_router(goals.goals_router(settings.fiscal_year_start_month))
    console.install(app)
    # Added last, so it is the outermost: no middleware reads a body over the limit.
    app.add_middleware(
        BodyLimit,
        max_bytes=settings.max_request_bytes,
        larger=[(sales_literature.UPLOAD_PATH, settings.max_attachment_bytes + MULTIPART_ENVELOPE)],
    )
    check_every_route_is_guarded(app)
    return app


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str
    dependencies: list[Any]


def endpoints(app: FastAPI) -> Iterator[Endpoint]:
    """Every API route as served: full path, and the dependencies of its routers and its own."""
    for context in iter_route_contexts(app.routes):
        if isinstance(context.original_route, APIRoute):
            for method in sorted(context.methods or ()):
                yield Endpoint(method, context.path or "", list(context.dependencies))


def check_every_route_is_guarded(app: FastAPI) -> None:
    """A route without a `Guard` would be open to anyone: refuse to build such an app."""
    unguarded = [
        f"{endpoint.method} {endpoint.path}"
        for endpoint in endpoints(app)
        if endpoint.path not in OPEN_PATHS
        and not any(isinstance(d.dependency, Guard) for d in endpoint.dependencies)
    ]
    if unguarded:
        raise RuntimeError(f"routes without a Guard (api.deps.allow): {unguarded}")


def _first_admin(app: FastAPI) -> None:
    settings: Settings = app.state.settings
    if not (settings.admin_email and settings.admin_password):
        return
    with Session(app.state.engine) as session:
        ensure_first_admin(
            session, settings.admin_email, settings.admin_password.get_secret_value()
        )
