"""Quotes: edited as drafts, activated, revised, accepted or closed through the deal workflow."""

import uuid
from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field
from sqlmodel import Session

from api.deps import ActorDep
from api.lines import add_line_routes
from api.reads import add_read_routes
from api.transitions import DealRecords, run_on
from models import deal_actions as a
from models.opportunity import Opportunity
from models.quote import Quote, QuoteFields, QuoteFilters, QuotePublic, QuoteStatus
from services.deal_reads import quotes

router = APIRouter(prefix="/quotes", tags=["quotes"])
add_read_routes(router, quotes, tag="quotes", public=QuotePublic, filters=QuoteFilters)


def _price_list(session: Session, quote: Quote) -> uuid.UUID | None:
    opportunity = session.get(Opportunity, quote.opportunity_id)
    return opportunity.price_list_id if opportunity else None


add_line_routes(router, quotes, _price_list)


class CloseQuoteBody(BaseModel):
    reason: QuoteStatus = QuoteStatus.canceled
    description: str | None = Field(default=None, max_length=2000)


@router.patch("/{quote_id}", response_model=QuotePublic)
async def update_quote(
    request: Request, actor: ActorDep, quote_id: uuid.UUID, body: QuoteFields
) -> Any:
    """Edit a draft quote; only the fields sent change."""
    changes = body.model_dump(mode="json", exclude_unset=True)
    result = await run_on(
        request, quotes, quote_id, a.UpdateQuote(quote_id=quote_id, changes=changes), actor
    )
    return next(q for q in result.quotes if q.id == quote_id)


@router.post("/{quote_id}/activate", response_model=DealRecords)
async def activate(request: Request, actor: ActorDep, quote_id: uuid.UUID) -> DealRecords:
    """Make a draft quote Active: sendable to the customer, and read-only."""
    return await run_on(request, quotes, quote_id, a.Activate(quote_id=quote_id), actor)


@router.post("/{quote_id}/revise", response_model=DealRecords)
async def revise(request: Request, actor: ActorDep, quote_id: uuid.UUID) -> DealRecords:
    """Close the active quote as Revised and open a draft with revision + 1 (`record_id`)."""
    return await run_on(request, quotes, quote_id, a.Revise(quote_id=quote_id), actor)


@router.post("/{quote_id}/accept", response_model=DealRecords)
async def accept(request: Request, actor: ActorDep, quote_id: uuid.UUID) -> DealRecords:
    """The customer accepts: quote and opportunity Won, other quotes closed, order created."""
    return await run_on(request, quotes, quote_id, a.Accept(quote_id=quote_id), actor)


@router.post("/{quote_id}/close", response_model=DealRecords)
async def close(
    request: Request, actor: ActorDep, quote_id: uuid.UUID, body: CloseQuoteBody | None = None
) -> DealRecords:
    """Close a draft or active quote as lost or cancelled."""
    body = body or CloseQuoteBody()
    action = a.CloseQuote(quote_id=quote_id, reason=body.reason, description=body.description)
    return await run_on(request, quotes, quote_id, action, actor)
