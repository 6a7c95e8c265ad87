"""Reads: R leads, R opportunities and R activities seeded straight into the database (SQLite or
PostgreSQL), then the list endpoints timed, one caller at a time: the first page; the whole list
walked by cursor (which also checks that keyset paging sees every row once); the last page
reached by cursor, and the same page reached by offset, for comparison.

Seeding is a bulk insert through SQLAlchemy core (no workflows, no API) into tables stripped of
their secondary indexes, which are built afterwards. A tenth of the
activities (at most 20,000) regard one busy lead, so its timeline has deep pages too.
"""

import random
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import httpx
from sqlalchemy.schema import DropIndex
from sqlmodel import SQLModel

from bench.load import http
from bench.stats import Latencies, summarize
from core.db import make_engine
from models.activity import Activity
from models.lead import Lead
from models.listing import MAX_PAGE
from models.opportunity import Opportunity

CHUNK = 5_000
PAGE = 50
WALK_PAGE = MAX_PAGE
WARM_UP = 2
TARGET_P50_MS = 20.0  # issue 6: list p50 at most 20 ms
NAMES = ["Okafor", "Hopper", "Lovelace", "Turing", "Noether", "Curie", "Ramanujan", "Hamilton"]
STATES = ["open"] * 6 + ["qualified"] * 3 + ["disqualified"]


def _rows(count: int, make: Any) -> Iterator[list[dict[str, Any]]]:
    for start in range(0, count, CHUNK):
        yield [make(i) for i in range(start, min(count, start + CHUNK))]


def seed(database_url: str, rows: int, seed_value: int = 6) -> dict[str, Any]:
    """Insert `rows` leads, opportunities and activities; the busy lead's id and seconds taken."""
    rng = random.Random(seed_value)
    now = datetime.now(UTC)
    owner = uuid.uuid4()
    lead_ids = [uuid.uuid4() for _ in range(rows)]
    busy = lead_ids[0]
    busy_activities = min(rows // 10, 20_000)

    def when(i: int) -> datetime:
        return now - timedelta(seconds=rows - i)  # one a second, oldest first

    def common(i: int) -> dict[str, Any]:
        return {"owner_id": owner, "is_active": True, "created_at": when(i), "modified_at": when(i)}

    def lead(i: int) -> dict[str, Any]:
        state = rng.choice(STATES)
        return {
            **common(i),
            "id": lead_ids[i],
            "deal_id": f"deal-{lead_ids[i]}",
            "state": state,
            "status_reason": {"open": "new", "qualified": "qualified"}.get(state, "lost"),
            "is_stale": False,
            "topic": f"{rng.randint(1, 500)} desks",
            "first_name": "Seeded",
            "last_name": f"{rng.choice(NAMES)} {rng.randint(0, 10**6):06d}",
            "company_name": f"Company {rng.randint(0, rows // 10 + 1)}",
            "email": f"lead{i}@seed.example",
            "decision_maker_identified": False,
        }

    def opportunity(i: int) -> dict[str, Any]:
        state = rng.choice(["open", "open", "won", "lost"])
        return {
            **common(i),
            "id": uuid.uuid4(),
            "deal_id": f"deal-{lead_ids[i]}",
            "originating_lead_id": lead_ids[i],
            "name": f"{rng.randint(1, 500)} desks for {rng.choice(NAMES)}",
            "state": state,
            "status_reason": {"open": "in_progress", "won": "won"}.get(state, "canceled"),
            "total_amount": Decimal(rng.randint(100, 10**6)),
            "is_revenue_system_calculated": True,
        }

    def activity(i: int) -> dict[str, Any]:
        regarding = busy if i < busy_activities else lead_ids[rng.randrange(1, rows)]
        return {
            **common(i),
            "id": uuid.uuid4(),
            "subject": f"Call {i}",
            "priority": "normal",
            "kind": rng.choice(["task", "email", "phone_call", "appointment"]),
            "regarding_type": "lead",
            "regarding_id": regarding,
            "deal_id": f"deal-{regarding}",
            "status": "open",
        }

    makers = ((Lead, lead), (Opportunity, opportunity), (Activity, activity))
    tables = [SQLModel.metadata.tables[str(model.__tablename__)] for model, _ in makers]
    # The migrated indexes are the declared ones, by name (a migration test checks it): drop them,
    # load bare tables, and build each index once over all the rows, as a bulk load should.
    indexes = [index for table in tables for index in table.indexes]
    started = time.perf_counter()
    engine = make_engine(database_url)
    try:
        with engine.begin() as connection:
            for index in indexes:  # checkfirst cannot see SQLite's expression indexes
                connection.execute(DropIndex(index, if_exists=True))
            for table, (_, make) in zip(tables, makers, strict=True):
                for chunk in _rows(rows, make):
                    connection.execute(table.insert(), chunk)
            loaded = time.perf_counter()
            for index in indexes:
                index.create(connection)
            if connection.dialect.name == "postgresql":  # as autovacuum would after a bulk load
                for table in tables:
                    connection.exec_driver_sql(f"ANALYZE {table.name}")
    finally:
        engine.dispose()
    return {
        "rows_per_table": rows,
        "busy_lead_id": str(busy),
        "busy_lead_activities": busy_activities,
        "seconds": time.perf_counter() - started,
        "index_seconds": time.perf_counter() - loaded,
    }


async def _time(
    api: httpx.AsyncClient,
    latencies: Latencies,
    kind: str,
    path: str,
    params: dict[str, Any],
    repeats: int,
) -> Any:
    """GET `path` repeatedly, after a warm-up; the summary of the timed calls."""
    for _ in range(WARM_UP):
        await http(Latencies(), kind, api, "GET", path, params=params)
    for _ in range(repeats):
        await http(latencies, kind, api, "GET", path, params=params)
    return summarize(latencies.of(kind))


async def _walk(
    api: httpx.AsyncClient, latencies: Latencies, kind: str, path: str, params: dict[str, Any]
) -> tuple[int, str | None]:
    """Every row of the list through `next_cursor`, WALK_PAGE at a time: rows seen, and the
    cursor of the last full page (a page as deep as the list goes)."""
    rows, cursor, deepest = 0, None, None
    while True:
        page = await http(
            latencies,
            kind,
            api,
            "GET",
            path,
            params={**params, "limit": WALK_PAGE, **({"cursor": cursor} if cursor else {})},
        )
        rows += len(page["data"])
        if page["next_cursor"] is None:
            return rows, deepest
        deepest = cursor = page["next_cursor"]


async def run_reads(
    api_url: str, headers: dict[str, str], database_url: str, rows: int, repeats: int
) -> dict[str, Any]:
    seeded = seed(database_url, rows)
    lists: dict[str, tuple[str, dict[str, Any]]] = {
        "leads ?state=open&sort=last_name": ("/leads", {"state": "open", "sort": "last_name"}),
        "opportunities ?state=open&sort=-total_amount": (
            "/opportunities",
            {"state": "open", "sort": "-total_amount"},
        ),
        "lead timeline (busy lead)": (f"/leads/{seeded['busy_lead_id']}/timeline", {}),
    }
    latencies = Latencies()
    endpoints: dict[str, Any] = {}
    notes: list[str] = []
    async with httpx.AsyncClient(base_url=api_url, headers=headers, timeout=120) as api:
        for name, (path, params) in lists.items():
            first = await _time(
                api, latencies, f"{name} first", path, {**params, "limit": PAGE}, repeats
            )
            started = time.perf_counter()
            matched, deepest = await _walk(api, latencies, f"{name} walk", path, params)
            walk_seconds = time.perf_counter() - started
            deep_cursor = (
                await _time(
                    api,
                    latencies,
                    f"{name} cursor",
                    path,
                    {**params, "limit": PAGE, "cursor": deepest},
                    repeats,
                )
                if deepest
                else first
            )
            deep_offset = max(0, matched - PAGE)
            deep = await _time(
                api,
                latencies,
                f"{name} offset",
                path,
                {**params, "limit": PAGE, "offset": deep_offset},
                max(1, repeats // 10),
            )
            endpoints[name] = {
                "rows_matched": matched,
                "walk_seconds": walk_seconds,
                "walk_page_ms": summarize(latencies.of(f"{name} walk")),
                "deep_offset": deep_offset,
                "first_ms": first,
                "deep_cursor_ms": deep_cursor,
                "deep_offset_ms": deep,
            }
            notes += _judge(name, first, deep_cursor)
    return {
        **seeded,
        "repeats": repeats,
        "page": PAGE,
        "walk_page": WALK_PAGE,
        "endpoints": endpoints,
        "notes": notes,
    }


def _judge(name: str, first: Any, deep_cursor: Any) -> list[str]:
    return [
        f"{name}: {page} page p50 {summary['p50']:.1f} ms is over the {TARGET_P50_MS:.0f} ms target"
        for page, summary in (("first", first), ("deep (cursor)", deep_cursor))
        if summary["p50"] > TARGET_P50_MS
    ]
