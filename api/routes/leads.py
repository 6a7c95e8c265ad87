"""Leads: created, edited, qualified, disqualified and reactivated through their deal workflow."""

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Request, status

from api.deal_assign import add_assign_route
from api.deps import ActorDep, PrincipalDep, allow, record_access
from api.idempotency import new_id
from api.reads import add_read_routes
from api.transitions import DealRecords, in_db, run_transition
from models.deal.lead import CreateLead, Disqualify, Qualify, Reactivate, UpdateLead
from models.lead import Lead, LeadCreate, LeadFilters, LeadPublic, LeadUpdate
from models.permissions import Area, Operation
from services import users
from services.deal_reads import leads
from workflows.client import deal_id_for

router = APIRouter(prefix="/leads", tags=["leads"])
add_read_routes(router, leads, tag="leads", area=Area.deals, public=LeadPublic, filters=LeadFilters)
add_assign_route(router, leads, "lead")

Changeable = Annotated[Lead, Depends(record_access(leads, Area.deals, Operation.change, "lead_id"))]
CHANGE = [allow(Area.deals, Operation.change)]


class LeadCreateInProcess(LeadCreate):
    # The business process the deal follows (none: the default one).
    process_id: uuid.UUID | None = None


@router.post(
    "",
    response_model=LeadPublic,
    status_code=status.HTTP_201_CREATED,
    dependencies=[allow(Area.deals, Operation.create)],
)
async def create_lead(request: Request, principal: PrincipalDep, body: LeadCreateInProcess) -> Any:
    """Create a lead; its deal workflow starts with it, in the Qualify stage, following the
    business process `process_id` (else the default one)."""
    await in_db(request, lambda session: users.check_may_own(session, principal, body.owner_id))
    lead_id = new_id(request)
    lead = LeadCreate.model_validate(body.model_dump(exclude={"process_id"}))
    action = CreateLead(lead_id=lead_id, lead=lead, process_id=body.process_id)
    return (
        await run_transition(request, deal_id_for(lead_id), action, principal.user_id, new=True)
    ).lead


@router.patch("/{lead_id}", response_model=LeadPublic, dependencies=CHANGE)
async def update_lead(
    request: Request, actor: ActorDep, lead: Changeable, lead_id: uuid.UUID, body: LeadUpdate
) -> Any:
    """Edit an open lead; only the fields sent change."""
    action = UpdateLead(changes=body.model_dump(mode="json", exclude_unset=True))
    return (await run_transition(request, lead.deal_id, action, actor)).lead


@router.post("/{lead_id}/qualify", response_model=DealRecords, dependencies=CHANGE)
async def qualify(
    request: Request,
    actor: ActorDep,
    lead: Changeable,
    lead_id: uuid.UUID,
    body: Annotated[Qualify | None, Body()] = None,
) -> DealRecords:
    """Qualify: the lead closes as Qualified; account, contact, opportunity created or matched."""
    return await run_transition(request, lead.deal_id, body or Qualify(), actor)


@router.post("/{lead_id}/disqualify", response_model=DealRecords, dependencies=CHANGE)
async def disqualify(
    request: Request, actor: ActorDep, lead: Changeable, lead_id: uuid.UUID, body: Disqualify
) -> DealRecords:
    """Disqualify with a reason; refused once the lead has an opportunity."""
    return await run_transition(request, lead.deal_id, body, actor)


@router.post("/{lead_id}/reactivate", response_model=DealRecords, dependencies=CHANGE)
async def reactivate(
    request: Request, actor: ActorDep, lead: Changeable, lead_id: uuid.UUID
) -> DealRecords:
    """Reopen a disqualified lead with all its data; its deal starts again."""
    return await run_transition(request, lead.deal_id, Reactivate(), actor)
