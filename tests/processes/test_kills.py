"""Processes killed mid-deal (SIGKILL: no shutdown, no clean-up), as a crash or the OOM killer
would: the deal finishes, with each of its records made once.

Each test runs the real processes on loopback: a Temporal dev server on a SQLite file, workers
(`worker.py`) and APIs (uvicorn), on the suite's database."""

import asyncio
import sys
import time
import uuid
from collections.abc import AsyncIterator, Callable, Coroutine, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func
from sqlmodel import Session, col, select

from bench.stack import Stack, dealflow_env, sign_in, start_stack
from core.db import make_engine
from models.activity import Activity
from models.deal_event import DealEvent
from models.invoice import Invoice, Payment
from models.order import SalesOrder
from tests.api.deals import new_quote, ok

ANSWER_WITHIN = 120.0
LEAD = {"topic": "10 desks", "last_name": "Okafor", "company_name": "Northwind"}
Send = Callable[[], Coroutine[Any, Any, httpx.Response]]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path


def on_postgres(database_url: str) -> bool:
    return database_url.startswith("postgresql")


def rows(database_url: str, model: Any, *where: Any) -> int:
    engine = make_engine(database_url)
    try:
        with Session(engine) as session:
            return int(session.exec(select(func.count()).select_from(model).where(*where)).one())
    finally:
        engine.dispose()


async def answered(send: Send) -> httpx.Response:
    """What a careful client does: retry the same request (same Idempotency-Key) while the
    service says 503, or that the key's first attempt is still running, or does not answer,
    until it answers."""
    deadline = time.monotonic() + ANSWER_WITHIN
    while True:
        try:
            response = await send()
            if not _retry_later(response) or time.monotonic() > deadline:
                return response
            assert "Retry-After" in response.headers, response.text
        except httpx.TransportError:
            if time.monotonic() > deadline:
                raise
        await asyncio.sleep(1)


def post(api: httpx.AsyncClient, path: str, body: Any = None) -> Send:
    key = {"Idempotency-Key": str(uuid.uuid4())}
    return lambda: api.post(path, json=body if body is not None else {}, headers=key)


async def wait_for(check: Callable[[], bool], within: float = ANSWER_WITHIN) -> None:
    deadline = time.monotonic() + within
    while not check():
        assert time.monotonic() < deadline, "not within the time allowed"
        await asyncio.sleep(0.5)


@pytest.fixture
def stack(folder: Path, database_url: str, request: pytest.FixtureRequest) -> Iterator[Stack]:
    shape = getattr(request, "param", {})
    started = start_stack(folder, database_url, floor=False, **shape)
    yield started
    started.stop()


@pytest.fixture
async def api(stack: Stack) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(
        base_url=stack.api_url, headers=sign_in(stack), timeout=60
    ) as client:
        yield client


def _retry_later(response: httpx.Response) -> bool:
    if response.status_code == 503:
        return True
    return response.status_code == 409 and "idempotency_key_in_use" in response.text


async def invoice_and_pay(api: httpx.AsyncClient, order_id: str) -> dict[str, Any]:
    deal = await ok(await answered(post(api, f"/orders/{order_id}/invoices")), 201)
    invoice = deal["invoices"][0]
    pay = post(api, f"/invoices/{invoice['id']}/pay", {"amount": invoice["balance_due"]})
    paid: dict[str, Any] = await ok(await answered(pay))
    return paid


@pytest.mark.parametrize("stack", [{"workers": 0}], indirect=True)
async def test_a_worker_killed_inside_the_step_that_creates_the_order_makes_one_order(
    stack: Stack, api: httpx.AsyncClient, folder: Path, database_url: str
) -> None:
    marker = folder / "paused"
    env = {**dealflow_env(stack), "PAUSE_AFTER_ACTION": "accept", "PAUSE_MARKER": str(marker)}
    stack.start("worker", [sys.executable, "-m", "tests.processes.pausing_worker"], env)
    quote = await new_quote(api, "250.00")
    accept = post(api, f"/quotes/{quote['id']}/accept")
    first = asyncio.create_task(accept())

    await wait_for(marker.exists)  # the order is committed; the step's answer is not sent
    stack.kill("worker")
    stack.start("worker-2", [sys.executable, "worker.py"], dealflow_env(stack))

    try:
        accepted = await first
    except httpx.TransportError:
        accepted = await answered(accept)
    if accepted.status_code == 503:
        accepted = await answered(accept)
    deal = await ok(accepted)
    [order] = deal["orders"]
    paid = await invoice_and_pay(api, order["id"])

    deal_id = deal["deal_id"]
    assert paid["outcome"] == "won"
    assert rows(database_url, SalesOrder, col(SalesOrder.deal_id) == deal_id) == 1
    assert rows(database_url, Invoice, col(Invoice.deal_id) == deal_id) == 1
    assert rows(database_url, Payment, col(Payment.deal_id) == deal_id) == 1
    events = (col(DealEvent.deal_id) == deal_id, col(DealEvent.action) == "accept")
    assert rows(database_url, DealEvent, *events) == 1


async def test_temporal_killed_mid_deal_and_restarted_the_deal_resumes_and_its_follow_up_fires(
    stack: Stack, api: httpx.AsyncClient, database_url: str
) -> None:
    """Temporal's own store is its SQLite file, whatever dealflow's database: run once."""
    if on_postgres(database_url):
        pytest.skip("Temporal's persistence does not depend on dealflow's database")
    quote = await new_quote(api, "80.00")
    deal_id = quote["deal_id"]
    due = datetime.now(UTC) + timedelta(seconds=6)
    follow_up = {"due_at": due.isoformat(), "subject": "Call about the quote"}
    await ok(await answered(post(api, f"/deals/{deal_id}/follow-ups", follow_up)), 201)

    stack.kill("temporal")
    await asyncio.sleep(2)
    refused = await api.post(f"/quotes/{quote['id']}/accept")
    assert refused.status_code == 503, refused.text
    assert rows(database_url, SalesOrder, col(SalesOrder.deal_id) == deal_id) == 0
    stack.start_again("temporal")

    task = (col(Activity.deal_id) == deal_id, col(Activity.subject) == follow_up["subject"])
    await wait_for(lambda: rows(database_url, Activity, *task) == 1)
    deal = await ok(await answered(post(api, f"/quotes/{quote['id']}/accept")))
    paid = await invoice_and_pay(api, deal["orders"][0]["id"])

    assert paid["outcome"] == "won"
    assert rows(database_url, SalesOrder, col(SalesOrder.deal_id) == deal_id) == 1
    assert rows(database_url, Activity, *task) == 1


DEALS = 8


@pytest.mark.parametrize("stack", [{"workers": 2, "apis": 2}], indirect=True)
async def test_two_workers_and_two_apis_with_a_worker_killed_every_deal_completes_once(
    stack: Stack, database_url: str
) -> None:
    """Production's shape: processes on several machines share one PostgreSQL."""
    if not on_postgres(database_url):
        pytest.skip("several writer processes: on PostgreSQL (make test runs this file there)")
    headers = sign_in(stack)
    clients = [
        httpx.AsyncClient(base_url=url, headers=headers, timeout=60) for url in stack.api_urls
    ]

    async def one_deal(number: int) -> str:
        """Every step keyed and retried: a step the killed worker held answers 503 at its
        deadline, and its retry finds what it did."""
        api = clients[number % len(clients)]
        lead = await ok(await answered(post(api, "/leads", LEAD)), 201)
        deal = await ok(await answered(post(api, f"/leads/{lead['id']}/qualify")))
        opportunity = deal["opportunity"]["id"]
        line = {"write_in_description": "Desk", "quantity": "2", "price_per_unit": "40.00"}
        await ok(await answered(post(api, f"/opportunities/{opportunity}/lines", line)), 201)
        quoted = await ok(await answered(post(api, f"/opportunities/{opportunity}/quotes")), 201)
        quote_id = quoted["record_id"]
        await ok(await answered(post(api, f"/quotes/{quote_id}/activate")))
        deal = await ok(await answered(post(api, f"/quotes/{quote_id}/accept")))
        await invoice_and_pay(api, deal["orders"][0]["id"])
        return str(deal["deal_id"])

    try:
        deals = [asyncio.create_task(one_deal(n)) for n in range(DEALS)]
        await wait_for(lambda: rows(database_url, SalesOrder) >= 2)
        stack.kill("worker")
        deal_ids = await asyncio.gather(*deals)
    finally:
        for client in clients:
            await client.aclose()

    assert len(set(deal_ids)) == DEALS
    for deal_id in deal_ids:
        assert rows(database_url, SalesOrder, col(SalesOrder.deal_id) == deal_id) == 1
        assert rows(database_url, Invoice, col(Invoice.deal_id) == deal_id) == 1
        assert rows(database_url, Payment, col(Payment.deal_id) == deal_id) == 1
    assert rows(database_url, Payment) == DEALS
