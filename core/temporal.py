"""The Temporal client both the API and the worker use, with the pydantic data converter."""

import asyncio
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from temporalio.api.enums.v1 import TaskQueueKind, TaskQueueType
from temporalio.api.taskqueue.v1 import TaskQueue
from temporalio.api.workflowservice.v1 import DescribeTaskQueueRequest
from temporalio.client import Client
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.runtime import PrometheusConfig, Runtime, TelemetryConfig
from temporalio.service import RetryConfig, TLSConfig

from core.settings import Settings

# The API's calls make one attempt (max_retries=1; 0 would retry for 10 s): a refused connection
# then proves the call never reached Temporal, and the retry is the caller's, with its
# Idempotency-Key. The worker keeps the client's default retries.
ONE_ATTEMPT = RetryConfig(max_retries=1)


class TemporalUnreachable(RuntimeError):
    """No connection to Temporal could be made: nothing was sent."""


def worker_runtime(settings: Settings) -> Runtime | None:
    """The SDK's own Prometheus exporter for the worker (task latencies, failures,
    schedule-to-start, sticky cache, and dealflow's counters through the SDK's meter)."""
    if not settings.worker_metrics_port:
        return None
    address = f"{settings.worker_metrics_host}:{settings.worker_metrics_port}"
    return Runtime(
        telemetry=TelemetryConfig(
            metrics=PrometheusConfig(
                bind_address=address, counters_total_suffix=True, durations_as_seconds=True
            )
        )
    )


@dataclass(frozen=True)
class ConnectionOptions:
    """How the worker, the API and `make run` reach Temporal, from the settings."""

    target_host: str
    namespace: str
    tls: TLSConfig | bool
    api_key: str | None


def connection_options(settings: Settings) -> ConnectionOptions:
    """TLS when asked for, when any certificate is given, or with an API key (Temporal Cloud);
    a client certificate comes with its key or not at all."""
    cert, key = settings.temporal_tls_client_cert, settings.temporal_tls_client_key
    if (cert is None) != (key is None):
        raise ValueError(
            "DEALFLOW_TEMPORAL_TLS_CLIENT_CERT and DEALFLOW_TEMPORAL_TLS_CLIENT_KEY go together"
        )
    ca = settings.temporal_tls_server_ca_cert
    api_key = settings.temporal_api_key.get_secret_value() if settings.temporal_api_key else None
    tls: TLSConfig | bool = False
    if ca or cert or settings.temporal_tls_server_name:
        tls = TLSConfig(
            server_root_ca_cert=ca.read_bytes() if ca else None,
            client_cert=cert.read_bytes() if cert else None,
            client_private_key=key.read_bytes() if key else None,
            domain=settings.temporal_tls_server_name,
        )
    elif settings.temporal_tls or api_key:
        tls = True
    return ConnectionOptions(settings.temporal_address, settings.temporal_namespace, tls, api_key)


async def connect(
    settings: Settings, retry_config: RetryConfig | None = None, runtime: Runtime | None = None
) -> Client:
    options = connection_options(settings)
    return await Client.connect(
        options.target_host,
        namespace=options.namespace,
        tls=options.tls,
        api_key=options.api_key,
        data_converter=pydantic_data_converter,
        retry_config=retry_config,
        runtime=runtime,
    )


class TemporalConnection:
    """The API's client. Connects on first use, so the API starts (and /healthz answers) before
    Temporal is up; waits for it at most the transition deadline."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._client: Client | None = None
        self._lock = asyncio.Lock()

    async def client(self) -> Client:
        try:
            async with asyncio.timeout(self._settings.transition_timeout_seconds), self._lock:
                if self._client is None:
                    self._client = await connect(self._settings, ONE_ATTEMPT)
                return self._client
        except (RuntimeError, TimeoutError) as error:
            address = self._settings.temporal_address
            raise TemporalUnreachable(f"no connection to {address}: {error}") from error

    async def reachable(self, within_seconds: float = 2.0) -> bool:
        try:
            client = await asyncio.wait_for(self.client(), within_seconds)
            return await asyncio.wait_for(client.service_client.check_health(), within_seconds)
        except Exception:
            return False


async def workers_polling(client: Client, task_queue: str, within: timedelta) -> int:
    """How many workers polled the task queue for workflow tasks within `within`. Temporal
    remembers a poller for minutes after it is gone; a live one polls again at least every
    long poll (about a minute)."""
    response = await client.workflow_service.describe_task_queue(
        DescribeTaskQueueRequest(
            namespace=client.namespace,
            task_queue=TaskQueue(name=task_queue, kind=TaskQueueKind.TASK_QUEUE_KIND_NORMAL),
            task_queue_type=TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
        ),
        retry=False,
        timeout=timedelta(seconds=2),
    )
    since = datetime.now(UTC) - within
    return sum(1 for p in response.pollers if p.last_access_time.ToDatetime(UTC) >= since)
