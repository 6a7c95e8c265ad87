"""Durable reminders on the time-skipping server: on time, not before, reset by a touch, never
twice, through a worker restart, and not at all once the deal is closed."""

import asyncio
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, col, select
from temporalio.client import WorkflowExecutionStatus
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from activities import build_activities
from activities.notify import Notifiers
from core import search_attributes as attrs
from core.settings import Settings
from models.account import Account
from models.activity import Activity
from models.deal.invoice import CreateInvoice
from models.deal.lead import CreateLead, Disqualify, UpdateLead
from models.deal.opportunity import CreateOpportunity
from models.deal.order import BillPart, CreateOrder, SetPaymentSchedule
from models.deal.quote import Accept, Activate, CreateQuote
from models.deal_command import ActivityRecorded, CancelFollowUp, ScheduleFollowUp
from models.errors import IllegalTransition
from models.invoice import Invoice, InvoiceFields
from models.lead import Lead, LeadCreate, LeadStatus
from models.line_item import LineInput
from models.notification import Notification
from models.opportunity import OpportunityCreate
from models.order import OrderFields
from models.quote import Quote, QuoteFields
from models.reminders import ReminderPolicy, ScheduledFollowUp
from models.user import User
from worker import build_worker
from workflows.client import Deals, deal_id_for
from workflows.deal import DealWorkflow

DAY = timedelta(days=1)
POLICY = ReminderPolicy(
    lead_follow_up_after=DAY,
    lead_follow_up_repeats=2,
    quote_follow_up_after=3 * DAY,
    invoice_reminder_after=timedelta(hours=1),
)


class RecordingNotifier:
    """A fake notifier that keeps what it was sent."""

    def __init__(self) -> None:
        self.sent: list[Notification] = []

    async def send(self, notification: Notification) -> None:
        self.sent.append(notification)


@pytest.fixture
def notifier() -> RecordingNotifier:
    return RecordingNotifier()


@pytest.fixture
def make_worker(
    time_skipping_server: WorkflowEnvironment,
    settings: Settings,
    engine: Engine,
    notifier: RecordingNotifier,
) -> Callable[[], Worker]:
    def make() -> Worker:
        activities = build_activities(engine, Notifiers({"webhook": notifier}))
        return build_worker(time_skipping_server.client, settings, activities=activities)

    return make


@pytest.fixture
def deals(time_skipping_server: WorkflowEnvironment, settings: Settings) -> Deals:
    return Deals(time_skipping_server.client, settings.task_queue, POLICY)


@asynccontextmanager
async def running(make_worker: Callable[[], Worker]) -> AsyncIterator[None]:
    async with make_worker():
        yield


def tasks(engine: Engine, deal_id: str) -> list[Activity]:
    with Session(engine) as session:
        return list(session.exec(select(Activity).where(col(Activity.deal_id) == deal_id)).all())


async def eventually(condition: Callable[[], Any], seconds: float = 10) -> Any:
    """Reminders run a moment after their timer fires: wait for what they write."""
    deadline = asyncio.get_running_loop().time() + seconds
    while not (result := condition()):
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("condition never met")
        await asyncio.sleep(0.05)
    return result


async def settle() -> None:
    """Give the worker time to act on anything already due, before asserting nothing happened."""
    await asyncio.sleep(0.5)


async def open_lead(deals: Deals, owner_id: uuid.UUID | None = None) -> str:
    lead_id = uuid.uuid4()
    deal_id = deal_id_for(lead_id)
    lead = LeadCreate(topic="Desks", last_name="Ng", owner_id=owner_id or uuid.uuid4())
    await deals.transition(deal_id, CreateLead(lead_id=lead_id, lead=lead))
    return deal_id


async def test_an_untouched_lead_gets_its_follow_up_on_time_and_not_before(
    time_skipping_server: WorkflowEnvironment,
    make_worker: Callable[[], Worker],
    deals: Deals,
    engine: Engine,
    notifier: RecordingNotifier,
) -> None:
    with Session(engine) as session:
        owner = User(name="Sam", email="sam@example.com")
        session.add(owner)
        session.commit()
        owner_id = owner.id
    async with running(make_worker):
        deal_id = await open_lead(deals, owner_id)
        await time_skipping_server.sleep(DAY - timedelta(minutes=5))
        await settle()
        assert tasks(engine, deal_id) == [] and notifier.sent == []

        await time_skipping_server.sleep(timedelta(minutes=10))
        (task,) = await eventually(lambda: tasks(engine, deal_id))
        assert task.subject == "Follow up the lead (1 of 2)"
        assert (task.kind, task.status, task.regarding_type) == ("task", "open", "lead")
        with Session(engine) as session:
            lead = session.exec(select(Lead).where(col(Lead.deal_id) == deal_id)).one()
        assert task.owner_id == lead.owner_id and task.regarding_id == lead.id
        await eventually(lambda: len(notifier.sent) == 1)
        assert notifier.sent[0].kind == "lead_follow_up"
        assert notifier.sent[0].owner_email == "sam@example.com"


async def test_a_recorded_activity_resets_the_follow_up(
    time_skipping_server: WorkflowEnvironment,
    make_worker: Callable[[], Worker],
    deals: Deals,
    engine: Engine,
) -> None:
    async with running(make_worker):
        deal_id = await open_lead(deals)
        await time_skipping_server.sleep(timedelta(hours=20))
        await deals.touch(deal_id, ActivityRecorded(activity_id=uuid.uuid4()))
        await time_skipping_server.sleep(timedelta(hours=20))
        await settle()
        assert tasks(engine, deal_id) == []
        await time_skipping_server.sleep(timedelta(hours=5))
        await eventually(lambda: len(tasks(engine, deal_id)) == 1)


async def test_follow_ups_repeat_then_the_lead_is_flagged_stale_once(
    time_skipping_server: WorkflowEnvironment,
    make_worker: Callable[[], Worker],
    deals: Deals,
    engine: Engine,
) -> None:
    async with running(make_worker):
        deal_id = await open_lead(deals)
        for expected in (1, 2, 3):
            await time_skipping_server.sleep(DAY + timedelta(minutes=1))
            await eventually(lambda n=expected: len(tasks(engine, deal_id)) == n)  # type: ignore[misc]
        await time_skipping_server.sleep(10 * DAY)
        await settle()
        subjects = sorted(t.subject for t in tasks(engine, deal_id))
        assert subjects == [
            "Follow up the lead (1 of 2)",
            "Follow up the lead (2 of 2)",
            "Lead flagged stale: no answer to follow-ups",
        ]
        with Session(engine) as session:
            assert session.exec(select(Lead.is_stale).where(col(Lead.deal_id) == deal_id)).one()


async def test_a_follow_up_due_while_no_worker_runs_fires_once_after_restart(
    dev_server: WorkflowEnvironment,
    settings: Settings,
    engine: Engine,
    notifier: RecordingNotifier,
) -> None:
    """On the real dev server, in real time: the timer lives in Temporal, not in a process."""
    deals = Deals(
        dev_server.client,
        settings.task_queue,
        POLICY.model_copy(update={"lead_follow_up_after": timedelta(seconds=2)}),
    )

    def worker() -> Worker:
        return build_worker(
            dev_server.client,
            settings,
            activities=build_activities(engine, Notifiers({"webhook": notifier})),
        )

    async with worker():
        deal_id = await open_lead(deals)
    await asyncio.sleep(3)  # the follow-up falls due while nothing runs
    assert tasks(engine, deal_id) == []
    async with worker():
        await eventually(lambda: len(tasks(engine, deal_id)) == 1, seconds=30)
        await asyncio.sleep(1)
        assert len(tasks(engine, deal_id)) == 1
        handle = dev_server.client.get_workflow_handle(deal_id)
        await handle.terminate("test over")


async def test_reminders_stop_when_the_deal_closes(
    time_skipping_server: WorkflowEnvironment,
    make_worker: Callable[[], Worker],
    deals: Deals,
    engine: Engine,
    notifier: RecordingNotifier,
) -> None:
    async with running(make_worker):
        deal_id = await open_lead(deals)
        await deals.transition(deal_id, Disqualify(reason=LeadStatus.no_longer_interested))
        await time_skipping_server.sleep(10 * DAY)
        await settle()
        assert tasks(engine, deal_id) == [] and notifier.sent == []
        handle = time_skipping_server.client.get_workflow_handle(deal_id)
        assert (await handle.describe()).status is WorkflowExecutionStatus.COMPLETED


def a_customer(engine: Engine) -> uuid.UUID:
    """An account to sell to: an opportunity needs a customer."""
    with Session(engine) as session:
        account = Account(name=f"Customer {uuid.uuid4().hex[:8]}")
        session.add(account)
        session.commit()
        return account.id


async def opportunity_with_quote(
    deals: Deals, engine: Engine, effective_to: date | None
) -> tuple[str, uuid.UUID]:
    opportunity_id = uuid.uuid4()
    deal_id = deal_id_for(opportunity_id)
    line = LineInput(write_in_description="Desk", quantity=Decimal(2), price_per_unit=Decimal(300))
    await deals.transition(
        deal_id,
        CreateOpportunity(
            opportunity_id=opportunity_id,
            opportunity=OpportunityCreate(name="Desks", account_id=a_customer(engine)),
            lines=[line],
        ),
    )
    created = await deals.transition(
        deal_id, CreateQuote(quote=QuoteFields(effective_to=effective_to))
    )
    await deals.transition(deal_id, Activate(quote_id=created.record_id))
    return deal_id, created.record_id


async def test_an_unanswered_quote_is_followed_up_then_expires_and_cannot_be_accepted(
    time_skipping_server: WorkflowEnvironment,
    make_worker: Callable[[], Worker],
    deals: Deals,
    engine: Engine,
) -> None:
    today = datetime.now(UTC).date()
    async with running(make_worker):
        deal_id, quote_id = await opportunity_with_quote(
            deals, engine, effective_to=today + 4 * DAY
        )
        await time_skipping_server.sleep(3 * DAY + timedelta(minutes=1))
        (task,) = await eventually(lambda: tasks(engine, deal_id))
        assert task.subject.startswith("Follow up quote") and task.regarding_id == quote_id

        await time_skipping_server.sleep(3 * DAY)

        def expired() -> bool:
            with Session(engine) as session:
                quote = session.get(Quote, quote_id)
                return quote is not None and quote.status_reason == "expired"

        await eventually(expired)
        with pytest.raises(IllegalTransition):
            await deals.transition(deal_id, Accept(quote_id=quote_id))
        assert len(tasks(engine, deal_id)) == 1


async def test_an_unpaid_invoice_past_due_is_marked_overdue_with_a_reminder(
    time_skipping_server: WorkflowEnvironment,
    make_worker: Callable[[], Worker],
    deals: Deals,
    engine: Engine,
) -> None:
    invoice_id = uuid.uuid4()
    deal_id = deal_id_for(invoice_id)
    line = LineInput(write_in_description="Audit", quantity=Decimal(1), price_per_unit=Decimal(900))
    due = datetime.now(UTC).date() + DAY
    async with running(make_worker):
        await deals.transition(
            deal_id,
            CreateInvoice(invoice_id=invoice_id, invoice=InvoiceFields(due_date=due), lines=[line]),
        )
        # past the day after the due date, and the reminder's hour after that, whatever the time
        await time_skipping_server.sleep(2 * DAY + timedelta(hours=2))

        def overdue() -> bool:
            with Session(engine) as session:
                invoice = session.get(Invoice, invoice_id)
                return invoice is not None and invoice.status_reason == "overdue"

        await eventually(overdue)
        (task,) = await eventually(lambda: tasks(engine, deal_id))
        assert task.subject.endswith("is overdue") and task.regarding_id == invoice_id


async def test_a_scheduled_follow_up_fires_at_its_time_and_a_cancelled_one_never(
    time_skipping_server: WorkflowEnvironment,
    make_worker: Callable[[], Worker],
    deals: Deals,
    engine: Engine,
) -> None:
    async with running(make_worker):
        deal_id = await open_lead(deals)
        now = datetime.now(UTC)
        kept: ScheduledFollowUp = await deals.update(
            deal_id,
            DealWorkflow.schedule_follow_up,
            ScheduleFollowUp(due_at=now + timedelta(hours=2), subject="Call about the desks"),
            ScheduledFollowUp,
        )
        dropped: ScheduledFollowUp = await deals.update(
            deal_id,
            DealWorkflow.schedule_follow_up,
            ScheduleFollowUp(due_at=now + timedelta(hours=3), subject="Never sent"),
            ScheduledFollowUp,
        )
        left = await deals.update(
            deal_id,
            DealWorkflow.cancel_follow_up,
            CancelFollowUp(follow_up_id=dropped.id),
            list[ScheduledFollowUp],
        )
        assert [f.id for f in left] == [kept.id]
        await time_skipping_server.sleep(timedelta(hours=4))
        (task,) = await eventually(lambda: tasks(engine, deal_id))
        assert task.subject == "Call about the desks"


async def test_a_long_deal_continues_as_new_and_keeps_its_follow_ups(
    time_skipping_server: WorkflowEnvironment,
    make_worker: Callable[[], Worker],
    settings: Settings,
    engine: Engine,
) -> None:
    deals = Deals(time_skipping_server.client, settings.task_queue, POLICY, history_limit=40)
    async with running(make_worker):
        deal_id = await open_lead(deals)
        handle = time_skipping_server.client.get_workflow_handle(deal_id)
        first_run = (await handle.describe()).run_id
        due = datetime.now(UTC) + timedelta(hours=2)
        await deals.update(
            deal_id,
            DealWorkflow.schedule_follow_up,
            ScheduleFollowUp(due_at=due, subject="Still there?"),
            ScheduledFollowUp,
        )
        for n in range(6):
            await deals.transition(deal_id, UpdateLead(changes={"job_title": f"Buyer {n}"}))

        async def continued() -> bool:
            return (await handle.describe()).run_id != first_run

        deadline = asyncio.get_running_loop().time() + 10
        while not await continued():
            assert asyncio.get_running_loop().time() < deadline, "never continued as new"
            await asyncio.sleep(0.05)
        await time_skipping_server.sleep(timedelta(hours=3))
        (task,) = await eventually(lambda: tasks(engine, deal_id))
        assert task.subject == "Still there?"
        # the new run has made no transition: ops still see when the deal last moved
        carried = (await handle.describe()).typed_search_attributes
        assert carried.get(attrs.DEAL_LAST_TRANSITION_AT) is not None


async def test_a_payment_part_falling_due_unbilled_is_a_task_and_a_billed_one_is_not(
    time_skipping_server: WorkflowEnvironment,
    make_worker: Callable[[], Worker],
    deals: Deals,
    engine: Engine,
) -> None:
    order_id = uuid.uuid4()
    deal_id = deal_id_for(order_id)
    line = LineInput(write_in_description="Desk", quantity=Decimal(2), price_per_unit=Decimal(300))
    async with running(make_worker):
        await deals.transition(
            deal_id, CreateOrder(order_id=order_id, order=OrderFields(), lines=[line])
        )
        parts = [
            {"name": "Deposit", "percent": "30", "days_after": 2},
            {"name": "Balance", "percent": "70", "days_after": 4},
        ]
        await deals.transition(
            deal_id, SetPaymentSchedule.model_validate({"order_id": order_id, "parts": parts})
        )
        await deals.transition(deal_id, BillPart(order_id=order_id, part=2))
        await time_skipping_server.sleep(5 * DAY)

        def bill_tasks() -> list[Activity]:
            return [t for t in tasks(engine, deal_id) if t.subject.startswith("Bill part")]

        (task,) = await eventually(bill_tasks)
        assert task.subject.startswith("Bill part 1 (Deposit) of order")
        assert task.regarding_id == order_id
        await settle()
        assert len(bill_tasks()) == 1  # part 2 was billed before it fell due
