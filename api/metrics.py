"""The API's Prometheus metrics: requests by route template, method and status with latency
histograms (prometheus-fastapi-instrumentator), and the business gauges read from Temporal
visibility (deals by stage, deals stuck), worked out at most every
DEALFLOW_METRICS_REFRESH_SECONDS when scraped. Each app has its own registry."""

import time
from datetime import UTC, datetime

import structlog
from fastapi import FastAPI
from prometheus_client import CollectorRegistry, Gauge
from prometheus_fastapi_instrumentator import Instrumentator
from temporalio.client import Client

from core.settings import Settings
from models.deal.state import Stage
from workflows import search

log = structlog.get_logger()


class ApiMetrics:
    def __init__(self, app: FastAPI, settings: Settings) -> None:
        self.registry = CollectorRegistry()
        Instrumentator(
            should_group_status_codes=False,
            excluded_handlers=["/metrics"],
            registry=self.registry,
        ).instrument(app)
        self._settings = settings
        self._by_stage = Gauge(
            "dealflow_deals_by_stage",
            "Running deals in each stage (Temporal visibility).",
            ["stage"],
            registry=self.registry,
        )
        self._stuck = Gauge(
            "dealflow_deals_stuck",
            "Running deals stuck, by reason (GET /deals/stuck).",
            ["reason"],
            registry=self.registry,
        )
        self._refreshed_at: float | None = None

    async def refresh(self, client: Client) -> None:
        """The gauges again, unless they were worked out within the refresh interval; a
        Temporal that does not answer leaves them as they were."""
        now = time.monotonic()
        every = self._settings.metrics_refresh_seconds
        if self._refreshed_at is not None and now - self._refreshed_at < every:
            return
        self._refreshed_at = now
        try:
            for stage in Stage:
                query = search.deal_query(search.DealFilter(stage=stage))
                self._by_stage.labels(stage=stage.value).set(
                    (await client.count_workflows(query)).count
                )
            stuck = await search.stuck_deals(
                client, self._settings.stuck_idle_after, datetime.now(UTC), limit=1000
            )
            for reason in ("activity_failing", "idle"):
                count = sum(1 for deal in stuck if deal.reason == reason)
                self._stuck.labels(reason=reason).set(count)
        except Exception as error:
            log.warning("deal gauges not refreshed", error=str(error))
