"""No signal can fail a deal: whatever a signal carries, or whatever its activity meets, the
workflow records it in `ignored_signals` and keeps running, its follow-ups and reminders intact.
The same for updates: an error is answered to the caller, never fatal to the run."""

import asyncio
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import Engine
from temporalio.api.common.v1 import Payload
from temporalio.client import WorkflowExecutionStatus, WorkflowHandle
from temporalio.common import RawValue
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from models.deal.lines import AddLine
from models.deal.opportunity import CreateOpportunity, UpdateOpportunity
from models.deal.ownership import Assign
from models.deal.quote import Activate, CreateQuote
from models.deal_command import DealCommand, DealView, ScheduleFollowUp
from models.errors import InvalidField
from models.line_item import LineInput
from models.opportunity import OpportunityCreate
from models.quote import QuoteFields
from models.reminders import ScheduledFollowUp
from tests.workflows.test_reminders import (  # the fixtures too: a worker, its deals
    DAY,
    a_customer,
    deals,
    eventually,
    make_worker,
    notifier,
    open_lead,
    tasks,
)
from workflows.client import Deals, deal_id_for
from workflows.deal import DealWorkflow

__all__ = ["deals", "make_worker", "notifier"]  # fixtures shared with the reminder tests


async def ignored_after(handle: WorkflowHandle[Any, Any], count: int) -> DealView:
    """The deal's view once it has recorded `count` ignored signals."""
    deadline = asyncio.get_running_loop().time() + 60
    while True:
        view = await handle.query(DealWorkflow.view)
        if len(view.ignored_signals) >= count:
            return view
        assert asyncio.get_running_loop().time() < deadline, view.ignored_signals
        await asyncio.sleep(0.1)


async def follow_up_in_two_hours(deals: Deals, deal_id: str) -> None:
    await deals.update(
        deal_id,
        DealWorkflow.schedule_follow_up,
        ScheduleFollowUp(due_at=datetime.now(UTC) + timedelta(hours=2), subject="Call back"),
        ScheduledFollowUp,
    )


def command(action: Any) -> DealCommand:
    return DealCommand(action=action)


async def test_signals_whatever_they_carry_are_recorded_and_the_deal_goes_on(
    time_skipping_server: WorkflowEnvironment,
    make_worker: Callable[[], Worker],
    deals: Deals,
    engine: Engine,
) -> None:
    async with make_worker():
        deal_id = await open_lead(deals)
        lead_id = uuid.UUID(deal_id.removeprefix("deal-"))
        await follow_up_in_two_hours(deals, deal_id)
        handle = time_skipping_server.client.get_workflow_handle(deal_id)
        sent: list[tuple[str, Any]] = [
            ("assign", command(Assign(owner_id=uuid.uuid4(), record="lead", record_id=lead_id))),
            ("qualify", None),  # a null payload
            ("qualify", RawValue(Payload(metadata={"encoding": b"x/unknown"}, data=b"?"))),
            ("qualify", RawValue(Payload(metadata={"encoding": b"json/plain"}, data=b"{not json"))),
            ("qualify", {"action": {"action": "explode"}}),
            ("disqualify", command(UpdateOpportunity(changes={}))),
        ]
        for name, arg in sent:
            await handle.signal(name, arg)
        await handle.signal("qualify")  # no argument at all
        view = await ignored_after(handle, len(sent) + 1)

        assert [s.name for s in view.ignored_signals] == [name for name, _ in sent] + ["qualify"]
        assert "must be an active user" in view.ignored_signals[0].reason
        assert all(s.reason for s in view.ignored_signals)
        assert (await handle.describe()).status is WorkflowExecutionStatus.RUNNING
        assert view.state.lead is not None and view.state.lead.state == "open"

        await time_skipping_server.sleep(timedelta(hours=3))
        (scheduled,) = await eventually(lambda: tasks(engine, deal_id))
        assert scheduled.subject == "Call back"
        await time_skipping_server.sleep(DAY)
        subjects = await eventually(
            lambda: len(tasks(engine, deal_id)) == 2 and {t.subject for t in tasks(engine, deal_id)}
        )
        assert subjects == {"Call back", "Follow up the lead (1 of 2)"}


async def test_signals_the_activity_refuses_never_fail_the_deal_nor_updates_the_run(
    time_skipping_server: WorkflowEnvironment,
    make_worker: Callable[[], Worker],
    deals: Deals,
    engine: Engine,
) -> None:
    """The issue's three: they pass the workflow's check and fail in the activity."""
    opportunity_id = uuid.uuid4()
    deal_id = deal_id_for(opportunity_id)
    async with make_worker():
        await deals.transition(
            deal_id,
            CreateOpportunity(
                opportunity_id=opportunity_id,
                opportunity=OpportunityCreate(name="Desks", account_id=a_customer(engine)),
            ),
        )
        await follow_up_in_two_hours(deals, deal_id)
        handle = time_skipping_server.client.get_workflow_handle(deal_id)
        unknown = uuid.uuid4()
        for action in (
            AddLine(
                document_id=opportunity_id, line=LineInput(product_id=unknown, quantity=Decimal(1))
            ),
            UpdateOpportunity(changes={"price_list_id": str(unknown)}),
            Assign(owner_id=unknown, record="opportunity", record_id=opportunity_id),
        ):
            await handle.signal(action.action, command(action))
        view = await ignored_after(handle, 3)
        assert [s.name for s in view.ignored_signals] == [
            "add_line",
            "update_opportunity",
            "assign",
        ]
        # an update meeting the same error is answered, and the run goes on
        with pytest.raises(InvalidField):
            await deals.transition(
                deal_id, Assign(owner_id=unknown, record="opportunity", record_id=opportunity_id)
            )
        assert (await handle.describe()).status is WorkflowExecutionStatus.RUNNING
        assert view.state.lines == [] and view.state.opportunity is not None

        await time_skipping_server.sleep(timedelta(hours=3))
        (scheduled,) = await eventually(lambda: tasks(engine, deal_id))
        assert scheduled.subject == "Call back"

        # the deal still moves, and its reminders follow
        line = LineInput(
            write_in_description="Desk", quantity=Decimal(2), price_per_unit=Decimal(100)
        )
        await deals.transition(deal_id, AddLine(document_id=opportunity_id, line=line))
        quote = await deals.transition(deal_id, CreateQuote(quote=QuoteFields()))
        await deals.transition(deal_id, Activate(quote_id=quote.record_id))
        await time_skipping_server.sleep(3 * DAY + timedelta(hours=1))
        await eventually(lambda: len(tasks(engine, deal_id)) == 2)
        assert any(t.subject.startswith("Follow up quote") for t in tasks(engine, deal_id))
