"""Open deals at scale: M leads whose deals wait on their follow-up timers.

Starts M deals through the API (create the lead only; each deal then sleeps until its lead
follow-up is due, days away), reads the worker's and Temporal's resident memory before and after,
then qualifies P random waiting deals at the same concurrency, taking turns with qualifies of P
deals started just before (still in the worker's cache): the same moment, the same load, so the
ratio of their p99s is what eviction costs (an evicted deal replays its history on that
transition), whatever else the machine is doing. The throughput run's qualify p99 is shown too.
"""

import asyncio
import itertools
import random
import time
from typing import Any

from bench.deals import lead_body
from bench.load import http, http_client, run_jobs
from bench.stack import Stack
from bench.stats import Latencies, ratio, summarize

SETTLE_SECONDS = 3.0
SAMPLES = 10  # memory read this many times while the deals start, to show where growth stops
MB = 1024 * 1024


def memory(stack: Stack) -> dict[str, float]:
    """Resident memory of each process, in MB."""
    return {name: stack.rss(name) / MB for name in ("worker", "temporal", "api")}


async def run_scale(
    stack: Stack,
    headers: dict[str, str],
    open_deals: int,
    probes: int,
    concurrency: int,
    time_limit: float,
    usual_p99: float | None,
) -> dict[str, Any]:
    cache = stack.settings.worker_max_cached_deals
    leads: list[str] = []
    numbers = itertools.count(1_000_000)
    async with http_client(stack.api_url, concurrency, headers) as api:

        async def start(_: int, latencies: Latencies) -> None:
            body = lead_body(next(numbers))
            lead = await http(
                latencies, "create_lead", api, "POST", "/leads", expect=201, json=body
            )
            leads.append(lead["id"])

        async def qualify(lead_ids: list[str], latencies: Latencies, i: int) -> None:
            path = f"/leads/{lead_ids[i]}/qualify"
            await http(latencies, "qualify", api, "POST", path, json={})

        before = memory(stack)

        growth: list[dict[str, float]] = []

        began = time.monotonic()

        def read_memory() -> None:
            seconds = time.monotonic() - began
            growth.append({"started": len(leads), "seconds": seconds, **memory(stack)})

        async def sample() -> None:
            every = max(1, open_deals // SAMPLES)
            while True:
                if len(leads) >= every * (len(growth) + 1):
                    read_memory()
                await asyncio.sleep(0.5)

        sampler = asyncio.create_task(sample())
        try:
            started = await run_jobs(open_deals, concurrency, start, time_limit=time_limit)
        finally:
            sampler.cancel()
        if not growth or growth[-1]["started"] < len(leads):
            read_memory()
        await asyncio.sleep(SETTLE_SECONDS)
        after = memory(stack)

        chosen = random.Random(6).sample(leads, min(probes, len(leads)))
        waiting, leads = leads, []
        await run_jobs(len(chosen), concurrency, start, time_limit=time_limit)
        fresh, leads = leads, waiting

        async def qualify_in_turn(i: int, latencies: Latencies) -> None:
            """Even jobs a waiting deal, odd ones a fresh deal, so both meet the same load."""
            lead_ids, name = (chosen, "waiting") if i % 2 == 0 else (fresh, "fresh")
            path = f"/leads/{lead_ids[i // 2]}/qualify"
            await http(latencies, name, api, "POST", path, json={})

        turns = min(len(chosen), len(fresh))
        probed = await run_jobs(2 * turns, concurrency, qualify_in_turn, time_limit=time_limit)

    probe = summarize(probed.latencies.of("waiting"))
    fresh_p99 = summarize(probed.latencies.of("fresh"))["p99"]
    return {
        "open_deals": open_deals,
        "started": started.done,
        "failed": started.failed + probed.failed,
        "timed_out": started.timed_out or probed.timed_out,
        "start_seconds": started.seconds,
        "starts_per_s": started.done / started.seconds if started.seconds else None,
        "start_latency_ms": summarize(started.latencies.of("create_lead")),
        "rss_mb_before": before,
        "rss_mb_after": after,
        "rss_mb_growth": {name: after[name] - before[name] for name in before},
        "rss_mb_while_starting": growth,
        "worker_cache_size": cache,
        # The worker keeps at most `cache` deals in memory; past that, growth stops.
        "worker_kb_per_cached_deal": ratio(
            (after["worker"] - before["worker"]) * 1024, min(started.done, cache) or None
        ),
        "probe_latency_ms": probe,
        "usual_qualify_p99_ms": fresh_p99,
        "throughput_qualify_p99_ms": usual_p99,
        "probe_p99_vs_usual": ratio(probe["p99"], fresh_p99),
        "errors": started.errors + probed.errors,
    }
