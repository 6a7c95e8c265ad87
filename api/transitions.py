"""Running a deal transition from a route, and the answer every transition gives."""

import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import TypeVar

from fastapi import Request
from pydantic import BaseModel
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool
from temporalio.service import RPCError

from api.idempotency import step_id
from models.deal.records import ActionInput
from models.deal.state import Outcome, Stage
from models.errors import DomainError
from models.invoice import InvoicePublic
from models.lead import LeadPublic
from models.opportunity import OpportunityPublic
from models.order import OrderPublic
from models.quote import QuotePublic
from services import deal_records
from workflows.client import Deals

T = TypeVar("T")


async def in_db(request: Request, work: Callable[[Session], T]) -> T:
    """Run blocking database work off the event loop, in its own session."""

    def run() -> T:
        with Session(request.app.state.engine) as session:
            return work(session)

    return await run_in_threadpool(run)


class TemporalUnavailable(DomainError):
    """Temporal could not be reached: answered as 503, the request changed nothing."""


@asynccontextmanager
async def temporal_errors() -> AsyncIterator[None]:
    try:
        yield
    except RPCError as error:
        raise TemporalUnavailable(f"Temporal did not answer: {error.message}") from error
    except RuntimeError as error:  # the client could not connect at all
        raise TemporalUnavailable(f"Temporal is unreachable: {error}") from error


async def deal_workflows(request: Request) -> Deals:
    settings = request.app.state.settings
    client = await request.app.state.temporal.client()
    return Deals(client, settings.task_queue, settings.reminder_policy, settings.deal_history_limit)


class DealRecords(BaseModel):
    """The deal after the transition: every document it holds."""

    deal_id: str
    stage: Stage
    outcome: Outcome
    record: str
    record_id: uuid.UUID
    lead: LeadPublic | None
    opportunity: OpportunityPublic | None
    quotes: list[QuotePublic]
    orders: list[OrderPublic]
    invoices: list[InvoicePublic]


async def run_transition(
    request: Request, deal_id: str, action: ActionInput, by: uuid.UUID | None, new: bool = False
) -> DealRecords:
    """`new`: the route has just made the deal's id (it opens a new deal). The answer's
    documents come with the update's result: the transition built them from what it wrote."""
    async with temporal_errors():
        result = await (await deal_workflows(request)).transition(
            deal_id, action, by, new, step_id=step_id(request)
        )
    documents = result.documents
    if documents is None:  # a run that began before transitions answered them
        documents = await in_db(request, lambda s: deal_records.read_deal(s, deal_id).documents())
    return DealRecords(
        deal_id=deal_id,
        stage=result.stage,
        outcome=result.outcome,
        record=result.record,
        record_id=result.record_id,
        lead=documents.lead,
        opportunity=documents.opportunity,
        quotes=documents.quotes,
        orders=documents.orders,
        invoices=documents.invoices,
    )
