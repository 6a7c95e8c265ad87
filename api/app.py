"""The FastAPI application: routers, error mapping, shared connections."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from api import errors
from api.routes import (
    accounts,
    competitors,
    contacts,
    deals,
    health,
    invoices,
    leads,
    opportunities,
    orders,
    price_lists,
    products,
    quotes,
    unit_groups,
)
from core.db import make_engine
from core.logging import configure_logging
from core.settings import Settings, get_settings
from core.temporal import TemporalConnection


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app for `settings` (the environment's by default); connections open lazily."""
    settings = settings or get_settings()
    configure_logging(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        app.state.engine.dispose()

    app = FastAPI(
        title="dealflow",
        summary="A company's sales process, lead to paid invoice, as durable workflows.",
        version="0.1.0",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.engine = make_engine(settings.database_url)
    app.state.temporal = TemporalConnection(settings)
    errors.install(app)
    for module in (
        health,
        accounts,
        contacts,
        unit_groups,
        products,
        price_lists,
        competitors,
        leads,
        opportunities,
        quotes,
        orders,
        invoices,
        deals,
    ):
        app.include_router(module.router)
    return app
