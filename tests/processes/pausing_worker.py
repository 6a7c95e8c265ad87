"""The worker, made to hang inside one action's transition right after it committed, so a test
can kill it there as a crash would: the step's records are written, its answer never sent."""

import asyncio
import os
import time
from datetime import UTC, tzinfo
from pathlib import Path
from typing import Any

import activities.deal
import worker

ACTION = os.environ["PAUSE_AFTER_ACTION"]
MARKER = Path(os.environ["PAUSE_MARKER"])
committed = activities.deal.apply_transition


def apply_then_hang(
    session: Any,
    request: Any,
    recent: Any,
    zone: tzinfo = UTC,
    enforce_process_steps: bool = False,
) -> Any:
    result = committed(session, request, recent, zone, enforce_process_steps)
    if request.action.action == ACTION:
        MARKER.write_text(str(request.step_id))
        time.sleep(3600)
    return result


activities.deal.apply_transition = apply_then_hang
asyncio.run(worker.main())
