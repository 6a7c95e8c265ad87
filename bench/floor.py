"""The floor: a bare workflow shaped like a deal, whose bodies do nothing.

Like a new deal (which has nothing to read yet), it takes one update per transition, each running
one activity, and ends after the last. Every update is an
update-with-start (USE_EXISTING), as dealflow's client sends them. It is driven through the
Temporal client directly, and through a minimal FastAPI route calling that same update; its
worker and API run as their own processes (`python -m bench.floor`, `bench.floor:create_app`).

The yardstick is the floor as Temporal's samples run it: a regular activity per update, in the
SDK's workflow sandbox. Two variants run the way dealflow does, so each of its choices is compared
honestly too: a local activity per update (`local`), and also without the sandbox (`bare`, on a
task queue of its own served by a worker with the unsandboxed runner).
"""

import asyncio
import os
import signal
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta

from temporalio import activity, workflow
from temporalio.client import Client, WithStartWorkflowOperation
from temporalio.common import WorkflowIDConflictPolicy
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.worker import UnsandboxedWorkflowRunner, Worker

with workflow.unsafe.imports_passed_through():
    import httpx
    from fastapi import FastAPI, Request

    from bench.deals import TRANSITIONS
    from bench.load import CallFailed, Run, http, http_client, run_jobs, timed
    from bench.stats import Latencies

TIMEOUT = timedelta(seconds=30)


@activity.defn
async def noop(step: str) -> str:
    return step


VARIANTS = ("regular", "local", "bare")  # see the module's docstring
BARE_QUEUE_SUFFIX = "-unsandboxed"


@workflow.defn(name="BenchFloorDeal")
class FloorWorkflow:
    def __init__(self) -> None:
        self._steps = 0
        self._local = False

    @workflow.run
    async def run(self, steps: int, local: bool = False) -> int:
        self._local = local
        await workflow.wait_condition(lambda: self._steps >= steps)
        await workflow.wait_condition(workflow.all_handlers_finished)
        return self._steps

    @workflow.update
    async def step(self, name: str) -> int:
        if self._local:
            await workflow.execute_local_activity(noop, name, start_to_close_timeout=TIMEOUT)
        else:
            await workflow.execute_activity(noop, name, start_to_close_timeout=TIMEOUT)
        self._steps += 1
        return self._steps


async def connect(address: str) -> Client:
    return await Client.connect(address, data_converter=pydantic_data_converter)


async def update(
    client: Client, task_queue: str, deal_id: str, step: str, variant: str = "regular"
) -> int:
    start = WithStartWorkflowOperation(
        FloorWorkflow.run,
        args=[len(TRANSITIONS), variant != "regular"],
        id=deal_id,
        task_queue=task_queue + (BARE_QUEUE_SUFFIX if variant == "bare" else ""),
        id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING,
    )
    steps: int = await client.execute_update_with_start_workflow(
        FloorWorkflow.step, step, start_workflow_operation=start
    )
    return steps


# --- the minimal API ---------------------------------------------------------------------------


def create_app() -> FastAPI:
    """One route per update, nothing else: no auth, no database."""
    address = os.environ["BENCH_FLOOR_TEMPORAL_ADDRESS"]
    task_queue = os.environ["BENCH_FLOOR_TASK_QUEUE"]

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.client = await connect(address)
        yield

    app = FastAPI(title="bench floor", lifespan=lifespan)

    @app.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.post("/floor/{deal_id}/{step}")
    async def run_step(
        request: Request, deal_id: str, step: str, variant: str = "regular"
    ) -> dict[str, int]:
        steps = await update(request.app.state.client, task_queue, deal_id, step, variant)
        return {"steps": steps}

    return app


# --- driving it --------------------------------------------------------------------------------


async def floor_deal_client(client: Client, task_queue: str, latencies: Latencies) -> None:
    deal_id = f"floor-{uuid.uuid4()}"
    steps = 0
    for kind in TRANSITIONS:
        steps = await timed(latencies, kind, update(client, task_queue, deal_id, kind))
    if steps != len(TRANSITIONS):
        raise CallFailed(f"{deal_id} took {steps} steps")


async def floor_deal_http(
    api: httpx.AsyncClient, latencies: Latencies, variant: str = "regular"
) -> None:
    deal_id = f"floor-{uuid.uuid4()}"
    steps = 0
    for kind in TRANSITIONS:
        path = f"/floor/{deal_id}/{kind}?variant={variant}"
        steps = (await http(latencies, kind, api, "POST", path))["steps"]
    if steps != len(TRANSITIONS):
        raise CallFailed(f"{deal_id} took {steps} steps")


async def run_floor_client(
    address: str, task_queue: str, deals: int, concurrency: int, time_limit: float
) -> Run:
    client = await connect(address)
    await floor_deal_client(client, task_queue, Latencies())  # warm-up

    async def job(i: int, latencies: Latencies) -> None:
        await floor_deal_client(client, task_queue, latencies)

    return await run_jobs(deals, concurrency, job, time_limit=time_limit)


async def run_floor_http(
    base_url: str, deals: int, concurrency: int, time_limit: float, variant: str = "regular"
) -> Run:
    async with http_client(base_url, concurrency) as api:
        await floor_deal_http(api, Latencies(), variant)  # warm-up

        async def job(i: int, latencies: Latencies) -> None:
            await floor_deal_http(api, latencies, variant)

        run: Run = await run_jobs(deals, concurrency, job, time_limit=time_limit)
        return run


# --- the worker process --------------------------------------------------------------------------


async def serve_worker() -> None:
    address = os.environ["BENCH_FLOOR_TEMPORAL_ADDRESS"]
    task_queue = os.environ["BENCH_FLOOR_TASK_QUEUE"]
    client = None
    for _ in range(60):  # Temporal may still be starting: up to a minute
        try:
            client = await connect(address)
            break
        except RuntimeError:
            await asyncio.sleep(1)
    if client is None:
        raise SystemExit(f"bench floor worker: Temporal at {address} did not answer")
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    sandboxed = Worker(client, task_queue=task_queue, workflows=[FloorWorkflow], activities=[noop])
    bare = Worker(
        client,
        task_queue=task_queue + BARE_QUEUE_SUFFIX,
        workflows=[FloorWorkflow],
        activities=[noop],
        workflow_runner=UnsandboxedWorkflowRunner(),
    )
    async with sandboxed, bare:
        await stop.wait()


if __name__ == "__main__":
    # Through the module's own name, so the workflow is `bench.floor.FloorWorkflow` (the sandbox
    # re-imports a workflow's module by name; `__main__` would not do).
    from bench.floor import serve_worker as serve

    asyncio.run(serve())
