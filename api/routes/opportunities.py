"""Opportunities: products, quotes, and the close as won or lost, through the deal workflow."""

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, status
from pydantic import Field
from sqlmodel import Session

from api.deal_assign import add_assign_route
from api.deps import ActorDep, PrincipalDep, allow, record_access
from api.idempotency import new_id
from api.lines import add_line_routes
from api.reads import add_read_routes
from api.transitions import DealRecords, in_db, run_transition
from models.deal.opportunity import CreateOpportunity, Lose, Reopen, UpdateOpportunity, Win
from models.deal.quote import CreateQuote
from models.line_item import LineInput
from models.opportunity import (
    Opportunity,
    OpportunityCreate,
    OpportunityFilters,
    OpportunityPublic,
    OpportunityUpdate,
)
from models.permissions import Area, Operation
from models.quote import QuoteFields
from services import users
from services.deal_reads import opportunities
from services.line_pricing import price_lines
from workflows.client import deal_id_for

router = APIRouter(prefix="/opportunities", tags=["opportunities"])
add_read_routes(
    router,
    opportunities,
    tag="opportunities",
    area=Area.deals,
    public=OpportunityPublic,
    filters=OpportunityFilters,
)
add_assign_route(router, opportunities, "opportunity")

Changeable = Annotated[
    Opportunity,
    Depends(record_access(opportunities, Area.deals, Operation.change, "opportunity_id")),
]
CHANGE = [allow(Area.deals, Operation.change)]


def _price_list(_: Session, opportunity: Opportunity) -> uuid.UUID | None:
    return opportunity.price_list_id


add_line_routes(router, opportunities, _price_list)


class OpportunityCreateWithLines(OpportunityCreate):
    lines: list[LineInput] = Field(default_factory=list)


@router.post(
    "",
    response_model=OpportunityPublic,
    status_code=status.HTTP_201_CREATED,
    dependencies=[allow(Area.deals, Operation.create)],
)
async def create_opportunity(
    request: Request, principal: PrincipalDep, body: OpportunityCreateWithLines
) -> Any:
    """Create an opportunity without a lead: its deal starts in the Develop stage."""
    actor = principal.user_id
    opportunity_id = new_id(request)

    def priced(session: Session) -> list[LineInput]:
        users.check_may_own(session, principal, body.owner_id)
        return price_lines(session, body.lines, body.price_list_id)

    lines = await in_db(request, priced)
    action = CreateOpportunity(
        opportunity_id=opportunity_id,
        opportunity=OpportunityCreate.model_validate(body.model_dump(exclude={"lines"})),
        lines=lines,
    )
    return (
        await run_transition(request, deal_id_for(opportunity_id), action, actor, new=True)
    ).opportunity


@router.patch("/{opportunity_id}", response_model=OpportunityPublic, dependencies=CHANGE)
async def update_opportunity(
    request: Request,
    actor: ActorDep,
    opportunity: Changeable,
    opportunity_id: uuid.UUID,
    body: OpportunityUpdate,
) -> Any:
    """Edit an open opportunity; only the fields sent change."""
    action = UpdateOpportunity(changes=body.model_dump(mode="json", exclude_unset=True))
    return (await run_transition(request, opportunity.deal_id, action, actor)).opportunity


@router.post(
    "/{opportunity_id}/quotes",
    response_model=DealRecords,
    status_code=status.HTTP_201_CREATED,
    dependencies=CHANGE,
)
async def create_quote(
    request: Request,
    actor: ActorDep,
    opportunity: Changeable,
    opportunity_id: uuid.UUID,
    body: QuoteFields | None = None,
) -> DealRecords:
    """A new draft quote with the opportunity's lines copied; `record_id` is the quote."""
    action = CreateQuote(quote=body or QuoteFields())
    return await run_transition(request, opportunity.deal_id, action, actor)


@router.post("/{opportunity_id}/win", response_model=DealRecords, dependencies=CHANGE)
async def win(
    request: Request,
    actor: ActorDep,
    opportunity: Changeable,
    opportunity_id: uuid.UUID,
    body: Win | None = None,
) -> DealRecords:
    """Close as won without a quote (open quotes are closed)."""
    return await run_transition(request, opportunity.deal_id, body or Win(), actor)


@router.post("/{opportunity_id}/lose", response_model=DealRecords, dependencies=CHANGE)
async def lose(
    request: Request,
    actor: ActorDep,
    opportunity: Changeable,
    opportunity_id: uuid.UUID,
    body: Lose,
) -> DealRecords:
    """Close as lost, with a reason and optionally the winning competitor; open quotes close."""
    return await run_transition(request, opportunity.deal_id, body, actor)


@router.post("/{opportunity_id}/reopen", response_model=DealRecords, dependencies=CHANGE)
async def reopen(
    request: Request, actor: ActorDep, opportunity: Changeable, opportunity_id: uuid.UUID
) -> DealRecords:
    """Reopen a lost opportunity; its deal starts again."""
    return await run_transition(request, opportunity.deal_id, Reopen(), actor)
