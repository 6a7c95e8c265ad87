"""`--profile`: where one deal's time goes, seen from the API (pyinstrument).

The API runs in this process (same settings, database, Temporal and worker as the run) behind
httpx's ASGI transport, so one deal's nine requests run in the profiled task. Time the request
spends waiting shows as an await: on the workflow update (the worker, the server and the
transition's activity), or on the thread pool (database work: sign-in checks, record lookups, the
read-back of the deal). The rest is the API's own CPU: routing, validation, serialization.
"""

import json
import re
import time
from datetime import datetime
from typing import Any

import httpx
from pyinstrument import Profiler
from pyinstrument.frame import Frame
from temporalio.api.enums.v1 import EventType

from api.app import create_app
from bench.deals import TRANSITIONS, one_deal
from bench.stats import Latencies
from core.settings import Settings
from core.temporal import connect

FLAT_LINES = 20
LOCAL_ACTIVITY_MARKER = "core_local_activity"
# Outermost frames of these functions, and what their time stands for.
WAITS = {
    "execute_update_with_start_workflow": "awaiting the workflow update (Temporal + activity)",
    "run_in_threadpool": "awaiting the thread pool (database work)",
}


def _outermost(frame: Frame, function: str) -> float:
    """Time in the outermost frames of `function` under `frame` (a nested one is not counted
    twice)."""
    if frame.function == function:
        return frame.time
    return sum(_outermost(child, function) for child in frame.children)


def _seconds(stamp: dict[str, int]) -> float:
    return stamp["seconds"] + stamp["nanos"] / 1e9


async def activity_times(settings: Settings, deal_id: str) -> dict[str, float]:
    """From the deal's history: milliseconds its activities spent queued (scheduled -> started)
    and running (started -> completed), and how many there were. A local activity is never
    queued on the server: its marker says when the worker scheduled it and when it finished."""
    client = await connect(settings)
    scheduled: dict[int, datetime] = {}
    started: dict[int, datetime] = {}
    queued = running = 0.0
    count = 0
    async for event in client.get_workflow_handle(deal_id).fetch_history_events():
        at = event.event_time.ToDatetime()
        if event.event_type == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED:
            scheduled[event.event_id] = at
        elif event.event_type == EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED:
            started[event.event_id] = at
        elif event.event_type == EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED:
            done = event.activity_task_completed_event_attributes
            began = started[done.started_event_id]
            queued += (began - scheduled[done.scheduled_event_id]).total_seconds() * 1000
            running += (at - began).total_seconds() * 1000
            count += 1
        elif event.event_type == EventType.EVENT_TYPE_MARKER_RECORDED:
            marker = event.marker_recorded_event_attributes
            if marker.marker_name == LOCAL_ACTIVITY_MARKER:
                data = json.loads(marker.details["data"].payloads[0].data)
                ran = _seconds(data["complete_time"]) - _seconds(data["original_schedule_time"])
                running += ran * 1000
                count += 1
    return {"activities": count, "queued_ms": queued, "running_ms": running}


async def profile_one_deal(settings: Settings, headers: dict[str, str]) -> dict[str, Any]:
    app = create_app(settings)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(
        transport=transport, base_url="http://bench", headers=headers, timeout=60
    ) as api:
        await one_deal(api, -2, Latencies())  # warm-up
        latencies = Latencies()
        profiler = Profiler(interval=0.0005, async_mode="enabled")
        started = time.perf_counter()
        profiler.start()
        try:
            deal_id = await one_deal(api, -3, latencies)
        finally:
            profiler.stop()
        wall_ms = (time.perf_counter() - started) * 1000
    app.state.engine.dispose()

    session = profiler.last_session
    root = session.root_frame() if session else None
    total = root.time if root else 0.0
    split = {
        label: _outermost(root, function) if root else 0.0 for function, label in WAITS.items()
    }
    split["the API's own work (routing, auth, validation, serialization)"] = total - sum(
        split.values()
    )
    flat = profiler.output_text(unicode=False, color=False, flat=True)
    hottest = [
        line.strip()
        for line in flat.splitlines()
        if re.match(r"\s*\d+\.\d+ ", line) and "[await]" not in line
    ]
    return {
        "deal_id": deal_id,
        "wall_ms": wall_ms,
        "transitions_ms": {kind: latencies.of(kind)[0] for kind in TRANSITIONS},
        "profiled_seconds": total,
        "split_seconds": split,
        "history": await activity_times(settings, deal_id),
        "hottest": hottest[:FLAT_LINES],
    }


def render(profile: dict[str, Any]) -> str:
    total = profile["profiled_seconds"] or 1.0
    history = profile["history"]
    return "\n".join(
        [
            f"one deal, {profile['wall_ms']:.0f} ms wall; per transition (ms): "
            + ", ".join(f"{k} {v:.0f}" for k, v in profile["transitions_ms"].items()),
            *(
                f"  {seconds * 1000:7.1f} ms {100 * seconds / total:5.1f}%  {label}"
                for label, seconds in profile["split_seconds"].items()
            ),
            f"  of the update time, the deal's {history['activities']} activities (its history): "
            f"{history['queued_ms']:.1f} ms queued, {history['running_ms']:.1f} ms running",
            "  where the API's time went, by frame (self time incl. awaits; pyinstrument flat):",
            *(f"    {line}" for line in profile["hottest"]),
        ]
    )
