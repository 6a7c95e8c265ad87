"""Driving load: C concurrent clients working through a bounded list of jobs, and timed calls.

Every run is bounded twice: by its number of jobs, and by a deadline after which no new job
starts (the jobs running then still finish, each bounded by its HTTP or RPC timeout).
"""

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from bench.stats import Latencies

HTTP_TIMEOUT = 60.0
ERRORS_KEPT = 5


class CallFailed(RuntimeError):
    pass


@dataclass
class Run:
    """What a load run did: jobs done and failed, wall time, latencies per kind."""

    jobs: int
    concurrency: int
    done: int = 0
    failed: int = 0
    seconds: float = 0.0
    timed_out: bool = False
    latencies: Latencies = field(default_factory=Latencies)
    errors: list[str] = field(default_factory=list)

    def merged(self, other: "Run") -> "Run":
        """This run and `other` as one: jobs, failures, seconds and latencies added up."""
        latencies = Latencies()
        for source in (self.latencies, other.latencies):
            for kind in source.kinds():
                for value in source.of(kind):
                    latencies.add(kind, value)
        return Run(
            jobs=self.jobs + other.jobs,
            concurrency=self.concurrency,
            done=self.done + other.done,
            failed=self.failed + other.failed,
            seconds=self.seconds + other.seconds,
            timed_out=self.timed_out or other.timed_out,
            latencies=latencies,
            errors=(self.errors + other.errors)[:ERRORS_KEPT],
        )

    def report(self, calls_per_job: int) -> dict[str, Any]:
        return {
            "jobs": self.jobs,
            "concurrency": self.concurrency,
            "done": self.done,
            "failed": self.failed,
            "timed_out": self.timed_out,
            "seconds": self.seconds,
            "jobs_per_s": self.done / self.seconds if self.seconds else None,
            "calls_per_s": self.done * calls_per_job / self.seconds if self.seconds else None,
            "latency_ms": self.latencies.summary(),
            "errors": self.errors,
        }


async def run_jobs(
    jobs: int,
    concurrency: int,
    job: Callable[[int, Latencies], Awaitable[None]],
    *,
    time_limit: float,
    max_failures: int | None = None,
) -> Run:
    """Run `job(i, latencies)` for i in range(jobs) on `concurrency` clients. Stops starting new
    jobs after `time_limit` seconds, or once more than `max_failures` jobs failed."""
    run = Run(jobs=jobs, concurrency=concurrency)
    max_failures = max(5, jobs // 20) if max_failures is None else max_failures
    next_job = iter(range(jobs))
    started = time.perf_counter()
    deadline = started + time_limit

    async def client() -> None:
        task = asyncio.current_task()
        for i in next_job:
            if time.perf_counter() > deadline:
                run.timed_out = True
                return
            if run.failed > max_failures:
                return
            try:
                await job(i, run.latencies)
                run.done += 1
            except Exception as error:
                if task is not None and task.cancelling():
                    # Ctrl-C: a client library may turn the cancellation into its own error.
                    raise asyncio.CancelledError from error
                run.failed += 1
                if len(run.errors) < ERRORS_KEPT:
                    run.errors.append(f"job {i}: {type(error).__name__}: {error}"[:500])

    await asyncio.gather(*(client() for _ in range(max(1, min(concurrency, jobs)))))
    run.seconds = time.perf_counter() - started
    return run


async def timed(latencies: Latencies, kind: str, call: Awaitable[Any]) -> Any:
    """Await `call`, recording how long it took under `kind` (only if it succeeded)."""
    started = time.perf_counter()
    result = await call
    latencies.add(kind, (time.perf_counter() - started) * 1000)
    return result


async def http(
    latencies: Latencies,
    kind: str,
    api: httpx.AsyncClient,
    method: str,
    path: str,
    *,
    expect: int = 200,
    **kwargs: Any,
) -> Any:
    """One timed HTTP call that must answer `expect`; its JSON body."""
    started = time.perf_counter()
    response = await api.request(method, path, **kwargs)
    elapsed = (time.perf_counter() - started) * 1000
    if response.status_code != expect:
        raise CallFailed(f"{method} {path} answered {response.status_code}: {response.text[:300]}")
    latencies.add(kind, elapsed)
    return response.json()


def http_client(base_url: str, concurrency: int, headers: dict[str, str] | None = None) -> Any:
    """A keep-alive client with one connection per concurrent caller."""
    return httpx.AsyncClient(
        base_url=base_url,
        headers=headers,
        timeout=HTTP_TIMEOUT,
        limits=httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency),
    )
