"""Quotes: edited as drafts, activated, revised, accepted or closed through the deal workflow."""

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from pydantic import Field
from sqlmodel import Session

from api.deal_assign import add_assign_route
from api.deps import ActorDep, allow, record_access
from api.lines import add_line_routes
from api.reads import add_read_routes
from api.transitions import DealRecords, run_transition
from models.base import RequestModel
from models.deal.quote import Accept, Activate, CloseQuote, Revise, UpdateQuote
from models.opportunity import Opportunity
from models.permissions import Area, Operation
from models.quote import Quote, QuoteFields, QuoteFilters, QuotePublic, QuoteStatus
from services.deal_reads import quotes

router = APIRouter(prefix="/quotes", tags=["quotes"])
add_read_routes(
    router, quotes, tag="quotes", area=Area.deals, public=QuotePublic, filters=QuoteFilters
)
add_assign_route(router, quotes, "quote")

Changeable = Annotated[
    Quote, Depends(record_access(quotes, Area.deals, Operation.change, "quote_id"))
]
CHANGE = [allow(Area.deals, Operation.change)]


def _price_list(session: Session, quote: Quote) -> uuid.UUID | None:
    opportunity = session.get(Opportunity, quote.opportunity_id)
    return opportunity.price_list_id if opportunity else None


add_line_routes(router, quotes, _price_list)


class CloseQuoteBody(RequestModel):
    reason: QuoteStatus = QuoteStatus.canceled
    description: str | None = Field(default=None, max_length=2000)


@router.patch("/{quote_id}", response_model=QuotePublic, dependencies=CHANGE)
async def update_quote(
    request: Request, actor: ActorDep, quote: Changeable, quote_id: uuid.UUID, body: QuoteFields
) -> Any:
    """Edit a draft quote; only the fields sent change."""
    changes = body.model_dump(mode="json", exclude_unset=True)
    action = UpdateQuote(quote_id=quote_id, changes=changes)
    result = await run_transition(request, quote.deal_id, action, actor)
    return next(q for q in result.quotes if q.id == quote_id)


@router.post("/{quote_id}/activate", response_model=DealRecords, dependencies=CHANGE)
async def activate(
    request: Request, actor: ActorDep, quote: Changeable, quote_id: uuid.UUID
) -> DealRecords:
    """Make a draft quote Active: sendable to the customer, and read-only."""
    return await run_transition(request, quote.deal_id, Activate(quote_id=quote_id), actor)


@router.post("/{quote_id}/revise", response_model=DealRecords, dependencies=CHANGE)
async def revise(
    request: Request, actor: ActorDep, quote: Changeable, quote_id: uuid.UUID
) -> DealRecords:
    """Close the active quote as Revised and open a draft with revision + 1 (`record_id`)."""
    return await run_transition(request, quote.deal_id, Revise(quote_id=quote_id), actor)


@router.post("/{quote_id}/accept", response_model=DealRecords, dependencies=CHANGE)
async def accept(
    request: Request, actor: ActorDep, quote: Changeable, quote_id: uuid.UUID
) -> DealRecords:
    """The customer accepts: quote and opportunity Won, other quotes closed, order created."""
    return await run_transition(request, quote.deal_id, Accept(quote_id=quote_id), actor)


@router.post("/{quote_id}/close", response_model=DealRecords, dependencies=CHANGE)
async def close(
    request: Request,
    actor: ActorDep,
    quote: Changeable,
    quote_id: uuid.UUID,
    body: CloseQuoteBody | None = None,
) -> DealRecords:
    """Close a draft or active quote as lost or cancelled."""
    body = body or CloseQuoteBody()
    action = CloseQuote(quote_id=quote_id, reason=body.reason, description=body.description)
    return await run_transition(request, quote.deal_id, action, actor)
