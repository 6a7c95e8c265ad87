"""The deal workflow survives retries and code changes: idempotent steps, deterministic replay."""

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine
from sqlmodel import Session, col, func, select
from temporalio import activity
from temporalio.client import WorkflowHistory
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Replayer

from activities.deal import DealActivities
from api.app import create_app
from core.settings import Settings
from models.order import SalesOrder
from models.transition import TransitionRequest, TransitionResult
from tests.api.deals import new_quote, ok
from tests.auth import admin_headers
from worker import build_worker
from workflows.deal import DealWorkflow

HISTORIES = Path(__file__).parent / "histories"


def failing_once_after_commit(activities: DealActivities, action: str) -> Callable[..., Any]:
    """The real transition activity, whose first attempt at `action` commits and then dies
    before answering."""

    @activity.defn(name="transition")
    def flaky(request: TransitionRequest) -> TransitionResult:
        result = activities.transition(request)
        if request.action.action == action and activity.info().attempt == 1:
            raise RuntimeError("worker lost after the commit")
        return result

    return flaky


def recording(activities: DealActivities, sent: list[TransitionRequest]) -> Callable[..., Any]:
    """The real transition activity, keeping each request it is sent."""

    @activity.defn(name="transition")
    def recorded(request: TransitionRequest) -> TransitionResult:
        sent.append(request)
        return activities.transition(request)

    return recorded


async def run_deal_api(
    settings: Settings,
    env: WorkflowEnvironment,
    engine: Engine,
    transition: Callable[[DealActivities], Callable[..., Any]] | None = None,
) -> tuple[Any, httpx.AsyncClient]:
    """A worker with the real activities (or `transition` in place of the real transition),
    and the API in front of it."""
    settings = settings.model_copy(
        update={"temporal_address": env.client.service_client.config.target_host}
    )
    deal_activities = DealActivities(engine)
    activities = deal_activities.all()
    if transition:
        real = [a for a in activities if a != deal_activities.transition]
        activities = [transition(deal_activities), *real]
    worker = build_worker(env.client, settings, activities=activities)
    client = httpx.AsyncClient(
        transport=httpx.ASGITransport(app=create_app(settings)),
        base_url="http://t",
        headers=admin_headers(settings),
    )
    return worker, client


async def test_an_accept_retried_after_its_commit_creates_one_order(
    settings: Settings, dev_server: WorkflowEnvironment, engine: Engine
) -> None:
    worker, api = await run_deal_api(
        settings, dev_server, engine, lambda real: failing_once_after_commit(real, "accept")
    )
    async with worker, api:
        quote = await new_quote(api)
        accepted = await ok(await api.post(f"/quotes/{quote['id']}/accept"))
        assert len(accepted["orders"]) == 1
        deal = await ok(await api.get(f"/deals/{quote['deal_id']}"))
    with Session(engine) as session:
        orders = session.exec(
            select(func.count()).where(col(SalesOrder.deal_id) == quote["deal_id"])
        ).one()
    assert orders == 1
    assert [e["action"] for e in deal["history"]].count("accept") == 1


async def test_the_same_step_applied_twice_writes_once(
    settings: Settings, dev_server: WorkflowEnvironment, engine: Engine
) -> None:
    sent: list[TransitionRequest] = []
    worker, api = await run_deal_api(
        settings, dev_server, engine, lambda real: recording(real, sent)
    )
    async with worker, api:
        quote = await new_quote(api)
    activate = next(request for request in sent if request.action.action == "activate")
    again = DealActivities(engine).transition(activate)
    assert str(again.record_id) == quote["id"]
    assert [q.state for q in again.state.quotes] == ["active"]


async def test_deal_histories_replay_on_the_current_code(
    settings: Settings, dev_server: WorkflowEnvironment, engine: Engine
) -> None:
    """Recorded histories (committed under histories/) plus a fresh one must replay: a change
    that breaks determinism for running deals fails here. Set DEALFLOW_RECORD_HISTORY=name to
    keep the fresh one as histories/name.json, after a change to what a deal sends Temporal."""
    worker, api = await run_deal_api(settings, dev_server, engine)
    async with worker, api:
        quote = await new_quote(api, "12.50")
        order = (await ok(await api.post(f"/quotes/{quote['id']}/accept")))["orders"][0]
        whole = {"parts": [{"name": "All", "percent": "100", "days_after": 30}]}
        await ok(await api.put(f"/orders/{order['id']}/payment-schedule", json=whole))
        billed = await ok(
            await api.post(f"/orders/{order['id']}/payment-schedule/1/invoice", json={}), 201
        )
        invoice = billed["invoices"][0]
        await ok(await api.post(f"/invoices/{invoice['id']}/pay", json={"amount": "25.00"}))
        handle = dev_server.client.get_workflow_handle(quote["deal_id"])
        await handle.result()
    fresh = await handle.fetch_history()
    if name := os.environ.get("DEALFLOW_RECORD_HISTORY"):
        (HISTORIES / f"{name}.json").write_text(fresh.to_json())
    stored = [
        WorkflowHistory.from_json(path.stem, path.read_text())
        for path in sorted(HISTORIES.glob("*.json"))
    ]
    if not stored:
        pytest.fail("no recorded histories under tests/workflows/histories")
    replayer = Replayer(workflows=[DealWorkflow], data_converter=pydantic_data_converter)
    for history in [fresh, *stored]:
        result = await replayer.replay_workflow(history, raise_on_replay_failure=True)
        assert result.replay_failure is None


def activities_run(history: WorkflowHistory) -> list[str]:
    """The deal's local activities, as their markers in its history name them."""
    markers = (
        e.marker_recorded_event_attributes
        for e in history.events
        if e.HasField("marker_recorded_event_attributes")
    )
    return [
        json.loads(m.details["data"].payloads[0].data)["activity_type"]
        for m in markers
        if m.marker_name == "core_local_activity"
    ]


async def test_a_new_deal_reads_nothing_and_its_next_run_reads_its_records(
    settings: Settings, dev_server: WorkflowEnvironment, engine: Engine
) -> None:
    """The API made the new lead's id, so the first run skips `load_deal`; a run started later
    (reactivating the disqualified lead) must read the lead back, or it would not know it."""
    worker, api = await run_deal_api(settings, dev_server, engine)
    async with worker, api:
        lead = await ok(await api.post("/leads", json={"topic": "Desks", "last_name": "Ito"}), 201)
        handle = dev_server.client.get_workflow_handle(lead["deal_id"])
        await ok(await api.post(f"/leads/{lead['id']}/disqualify", json={"reason": "lost"}))
        await handle.result()
        first_run = await handle.fetch_history()
        back = await ok(await api.post(f"/leads/{lead['id']}/reactivate", json={}))
        second_run = await dev_server.client.get_workflow_handle(lead["deal_id"]).fetch_history()
    assert activities_run(first_run) == ["transition", "transition"]
    assert activities_run(second_run) == ["load_deal", "transition"]
    assert back["lead"]["state"] == "open"
