"""Running a deal transition from a route, and the answer every transition gives."""

import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import TypeVar

import structlog
from fastapi import Request
from pydantic import BaseModel
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool
from temporalio.client import WorkflowUpdateFailedError, WorkflowUpdateRPCTimeoutOrCancelledError
from temporalio.service import RPCError, RPCStatusCode

from api.idempotency import step_id
from core.temporal import TemporalUnreachable
from models.connection import OpportunityCompetitorPublic, StakeholderPublic
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

log = structlog.get_logger()


async def in_db(request: Request, work: Callable[[Session], T]) -> T:
    """Run blocking database work off the event loop, in its own session."""

    def run() -> T:
        with Session(request.app.state.engine) as session:
            return work(session)

    return await run_in_threadpool(run)


class TemporalUnavailable(DomainError):
    """Temporal or a worker did not answer in time: a 503 with Retry-After. `changed_nothing`
    only when the request is known never to have reached Temporal; otherwise its outcome is
    unknown, and a retry with the same Idempotency-Key finds whatever the first attempt did."""

    def __init__(self, message: str, changed_nothing: bool) -> None:
        self.changed_nothing = changed_nothing
        if changed_nothing:
            message += ": this request changed nothing; retry later"
        else:
            message += ": the outcome is unknown; retry with the same Idempotency-Key"
        super().__init__(message)


# What the client says when it could not open a connection: the request was never sent.
NOT_SENT = ("tcp connect error", "dns error")


@asynccontextmanager
async def temporal_errors() -> AsyncIterator[None]:
    try:
        yield
    except TemporalUnreachable as error:
        raise TemporalUnavailable(f"Temporal is unreachable ({error})", True) from error
    except RPCError as error:
        not_sent = error.status is RPCStatusCode.UNAVAILABLE and error.message in NOT_SENT
        raise TemporalUnavailable(f"Temporal did not answer ({error.message})", not_sent) from error
    except (TimeoutError, WorkflowUpdateRPCTimeoutOrCancelledError) as error:
        raise TemporalUnavailable("no worker answered in time", False) from error
    except WorkflowUpdateFailedError as error:  # not a rule's refusal: the step itself failed
        raise TemporalUnavailable(f"the step failed ({error.cause})", False) from error


async def deal_workflows(request: Request) -> Deals:
    settings = request.app.state.settings
    client = await request.app.state.temporal.client()
    return Deals(
        client,
        settings.task_queue,
        settings.reminder_policy,
        settings.deal_history_limit,
        timeout_seconds=settings.transition_timeout_seconds,
    )


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
    competitors: list[OpportunityCompetitorPublic] = []
    stakeholders: list[StakeholderPublic] = []


async def run_transition(
    request: Request, deal_id: str, action: ActionInput, by: uuid.UUID | None, new: bool = False
) -> DealRecords:
    """`new`: the route has just made the deal's id (it opens a new deal). The answer's
    documents come with the update's result: the transition built them from what it wrote."""
    with structlog.contextvars.bound_contextvars(
        deal_id=deal_id, action=action.action, user=str(by) if by else None
    ):
        async with temporal_errors():
            result = await (await deal_workflows(request)).transition(
                deal_id, action, by, new, step_id=step_id(request)
            )
        log.info("transition", stage=result.stage, record=result.record)
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
        competitors=documents.competitors,
        stakeholders=documents.stakeholders,
    )
