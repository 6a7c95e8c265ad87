"""Leads: created, edited, qualified, disqualified and reactivated through their deal workflow."""

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Body, Request, status

from api.deps import ActorDep
from api.reads import add_read_routes
from api.transitions import DealRecords, deal_of, run_transition
from models import deal_actions as a
from models.lead import LeadCreate, LeadFilters, LeadPublic, LeadUpdate
from services.deal_reads import leads
from workflows.client import deal_id_for

router = APIRouter(prefix="/leads", tags=["leads"])
add_read_routes(router, leads, tag="leads", public=LeadPublic, filters=LeadFilters)


@router.post("", response_model=LeadPublic, status_code=status.HTTP_201_CREATED)
async def create_lead(request: Request, actor: ActorDep, body: LeadCreate) -> Any:
    """Create a lead; its deal workflow starts with it, in the Qualify stage."""
    lead_id = uuid.uuid4()
    action = a.CreateLead(lead_id=lead_id, lead=body)
    return (await run_transition(request, deal_id_for(lead_id), action, actor)).lead


@router.patch("/{lead_id}", response_model=LeadPublic)
async def update_lead(
    request: Request, actor: ActorDep, lead_id: uuid.UUID, body: LeadUpdate
) -> Any:
    """Edit an open lead; only the fields sent change."""
    action = a.UpdateLead(changes=body.model_dump(mode="json", exclude_unset=True))
    return (
        await run_transition(request, await deal_of(request, leads, lead_id), action, actor)
    ).lead


@router.post("/{lead_id}/qualify", response_model=DealRecords)
async def qualify(
    request: Request,
    actor: ActorDep,
    lead_id: uuid.UUID,
    body: Annotated[a.Qualify | None, Body()] = None,
) -> DealRecords:
    """Qualify: the lead closes as Qualified; account, contact, opportunity created or matched."""
    deal_id = await deal_of(request, leads, lead_id)
    return await run_transition(request, deal_id, body or a.Qualify(), actor)


@router.post("/{lead_id}/disqualify", response_model=DealRecords)
async def disqualify(
    request: Request, actor: ActorDep, lead_id: uuid.UUID, body: a.Disqualify
) -> DealRecords:
    """Disqualify with a reason; refused once the lead has an opportunity."""
    return await run_transition(request, await deal_of(request, leads, lead_id), body, actor)


@router.post("/{lead_id}/reactivate", response_model=DealRecords)
async def reactivate(request: Request, actor: ActorDep, lead_id: uuid.UUID) -> DealRecords:
    """Reopen a disqualified lead with all its data; its deal starts again."""
    deal_id = await deal_of(request, leads, lead_id)
    return await run_transition(request, deal_id, a.Reactivate(), actor)
