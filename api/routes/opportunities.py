"""Opportunities: products, quotes, and the close as won or lost, through the deal workflow."""

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, status
from pydantic import Field
from sqlmodel import Session

from api.deal_assign import add_assign_route
from api.deps import ActorDep, PrincipalDep, SessionDep, allow, record_access
from api.idempotency import new_id
from api.lines import add_line_routes
from api.pricing import priced_lines
from api.reads import add_read_routes
from api.transitions import DealRecords, in_db, run_transition
from models.base import RequestModel
from models.connection import OpportunityCompetitorPublic, StakeholderPublic, StakeholderRole
from models.deal.connections import (
    AddStakeholder,
    LinkCompetitor,
    RemoveStakeholder,
    UnlinkCompetitor,
)
from models.deal.guards import MAX_LINES
from models.deal.opportunity import CreateOpportunity, Lose, Reopen, UpdateOpportunity, Win
from models.deal.quote import CreateQuote
from models.line_item import LineInput, PricedLine
from models.opportunity import (
    Opportunity,
    OpportunityCreate,
    OpportunityFilters,
    OpportunityPublic,
    OpportunityUpdate,
)
from models.permissions import Area, Operation
from models.quote import QuoteFields
from services import deal_reads, users
from services.deal_reads import opportunities
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
    # The business process the deal follows (none: the default one).
    process_id: uuid.UUID | None = None
    lines: list[LineInput] = Field(default_factory=list, max_length=MAX_LINES)


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

    def priced(session: Session) -> list[PricedLine]:
        users.check_may_own(session, principal, body.owner_id)
        return priced_lines(request, session, principal, body.lines, body.price_list_id)

    lines = await in_db(request, priced)
    action = CreateOpportunity(
        opportunity_id=opportunity_id,
        opportunity=OpportunityCreate.model_validate(
            body.model_dump(exclude={"lines", "process_id"})
        ),
        process_id=body.process_id,
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


# --- competitors and stakeholders ------------------------------------------------------------


class CompetitorLink(RequestModel):
    competitor_id: uuid.UUID


Readable = Annotated[
    Opportunity,
    Depends(record_access(opportunities, Area.deals, Operation.read, "opportunity_id")),
]
READ = [allow(Area.deals, Operation.read)]


@router.get(
    "/{opportunity_id}/competitors",
    response_model=list[OpportunityCompetitorPublic],
    dependencies=READ,
)
def list_competitors(session: SessionDep, opportunity: Readable, opportunity_id: uuid.UUID) -> Any:
    """The competitors bidding for the opportunity, as linked."""
    return deal_reads.competitors_of(session, opportunity.id)


@router.post(
    "/{opportunity_id}/competitors",
    response_model=DealRecords,
    status_code=status.HTTP_201_CREATED,
    dependencies=CHANGE,
)
async def link_competitor(
    request: Request,
    actor: ActorDep,
    opportunity: Changeable,
    opportunity_id: uuid.UUID,
    body: CompetitorLink,
) -> DealRecords:
    """Link a competitor to an open opportunity; `record_id` is the link."""
    action = LinkCompetitor(competitor_id=body.competitor_id)
    return await run_transition(request, opportunity.deal_id, action, actor)


@router.delete(
    "/{opportunity_id}/competitors/{competitor_id}",
    response_model=DealRecords,
    dependencies=CHANGE,
)
async def unlink_competitor(
    request: Request,
    actor: ActorDep,
    opportunity: Changeable,
    opportunity_id: uuid.UUID,
    competitor_id: uuid.UUID,
) -> DealRecords:
    """Unlink a competitor from an open opportunity."""
    action = UnlinkCompetitor(competitor_id=competitor_id)
    return await run_transition(request, opportunity.deal_id, action, actor)


class StakeholderIn(RequestModel):
    contact_id: uuid.UUID
    role: StakeholderRole = StakeholderRole.stakeholder
    description: str | None = Field(default=None, max_length=500)


@router.get(
    "/{opportunity_id}/stakeholders",
    response_model=list[StakeholderPublic],
    dependencies=READ,
)
def list_stakeholders(session: SessionDep, opportunity: Readable, opportunity_id: uuid.UUID) -> Any:
    """The customer's contacts on the opportunity, each in its role (Dynamics: connections)."""
    return deal_reads.stakeholders_of(session, opportunity.id)


@router.post(
    "/{opportunity_id}/stakeholders",
    response_model=DealRecords,
    status_code=status.HTTP_201_CREATED,
    dependencies=CHANGE,
)
async def add_stakeholder(
    request: Request,
    actor: ActorDep,
    opportunity: Changeable,
    opportunity_id: uuid.UUID,
    body: StakeholderIn,
) -> DealRecords:
    """A contact on an open opportunity, in a role; `record_id` is the stakeholder."""
    action = AddStakeholder.model_validate(body.model_dump())
    return await run_transition(request, opportunity.deal_id, action, actor)


@router.delete(
    "/{opportunity_id}/stakeholders/{contact_id}",
    response_model=DealRecords,
    dependencies=CHANGE,
)
async def remove_stakeholder(
    request: Request,
    actor: ActorDep,
    opportunity: Changeable,
    opportunity_id: uuid.UUID,
    contact_id: uuid.UUID,
) -> DealRecords:
    """Take a contact off an open opportunity's stakeholders."""
    action = RemoveStakeholder(contact_id=contact_id)
    return await run_transition(request, opportunity.deal_id, action, actor)
