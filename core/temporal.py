"""The Temporal client both the API and the worker use, with the pydantic data converter."""

import asyncio

from temporalio.client import Client
from temporalio.contrib.pydantic import pydantic_data_converter

from core.settings import Settings


async def connect(settings: Settings) -> Client:
    return await Client.connect(
        settings.temporal_address,
        namespace=settings.temporal_namespace,
        data_converter=pydantic_data_converter,
    )


class TemporalConnection:
    """Connects on first use, so the API starts (and /healthz answers) before Temporal is up."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._client: Client | None = None
        self._lock = asyncio.Lock()

    async def client(self) -> Client:
        async with self._lock:
            if self._client is None:
                self._client = await connect(self._settings)
            return self._client

    async def reachable(self, within_seconds: float = 2.0) -> bool:
        try:
            client = await asyncio.wait_for(self.client(), within_seconds)
            return await asyncio.wait_for(client.service_client.check_health(), within_seconds)
        except Exception:
            return False
