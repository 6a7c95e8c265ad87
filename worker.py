"""The Temporal worker: the only place workflows and activities are registered."""

import asyncio
import signal
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any

import structlog
from temporalio.client import Client
from temporalio.worker import UnsandboxedWorkflowRunner, Worker
from temporalio.worker.workflow_sandbox import SandboxedWorkflowRunner

from activities import build_activities
from activities.notify import Notifiers
from core.db import make_engine
from core.logging import configure_logging
from core.settings import Settings, get_settings
from core.temporal import connect, worker_runtime
from workflows import WORKFLOWS
from workflows.goals import ensure_goal_schedule

log = structlog.get_logger()


def build_worker(
    client: Client,
    settings: Settings,
    *,
    workflows: Sequence[type] = WORKFLOWS,
    activities: Sequence[Callable[..., Any]] | None = None,
) -> Worker:
    """The production worker; tests build it too, with their own client and task queue."""
    if activities is None:
        activities = build_activities(
            make_engine(settings.database_url),
            Notifiers.from_settings(settings),
            settings.worker_max_cached_deals,
            settings.org_zone,
            enforce_process_steps=settings.enforce_process_steps,
            escalation_hands_off=settings.escalation_hands_off,
        )
    return Worker(
        client,
        task_queue=settings.task_queue,
        workflows=workflows,
        activities=activities,
        # Database activities are synchronous; they run in this pool, off the event loop.
        activity_executor=ThreadPoolExecutor(max_workers=settings.worker_activity_threads),
        max_cached_workflows=settings.worker_max_cached_deals,
        workflow_runner=(
            SandboxedWorkflowRunner() if settings.worker_sandbox else UnsandboxedWorkflowRunner()
        ),
        # Running activities finish (up to this long) on shutdown instead of being cancelled.
        graceful_shutdown_timeout=timedelta(seconds=settings.worker_shutdown_grace_seconds),
    )


async def connect_with_retry(settings: Settings, attempts: int = 30) -> Client:
    """Temporal may still be starting when the worker does; wait for it rather than crash."""
    runtime = worker_runtime(settings)
    for attempt in range(1, attempts + 1):
        try:
            return await connect(settings, runtime=runtime)
        except RuntimeError as error:
            if attempt == attempts:
                raise
            log.info(
                "temporal not reachable yet", address=settings.temporal_address, error=str(error)
            )
            await asyncio.sleep(1)
    raise AssertionError("unreachable")


async def main() -> None:
    settings = get_settings()
    configure_logging(settings)
    client = await connect_with_retry(settings)
    every = timedelta(minutes=settings.goal_recalculation_minutes)
    await ensure_goal_schedule(client, settings.task_queue, every)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    async with build_worker(client, settings):
        log.info(
            "worker started",
            task_queue=settings.task_queue,
            temporal=settings.temporal_address,
            metrics=settings.worker_metrics_port or None,
        )
        await stop.wait()
        log.info("worker stopping: letting running activities finish")
    log.info("worker stopped")


if __name__ == "__main__":
    asyncio.run(main())
