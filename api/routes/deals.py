"""Deals for ops: running deals from Temporal visibility, and one deal's live process view."""

import uuid
from datetime import UTC, datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel
from sqlmodel import Session
from temporalio.service import RPCError

from api.transitions import TemporalUnavailable, in_db
from core import search_attributes as attrs
from models.deal import DealState, Outcome, Stage
from models.deal_command import DealView, IgnoredSignal
from models.deal_event import DealEventPublic
from models.errors import NotFound
from services import deal_reads
from services.deal_state import load_state
from workflows import client as deals
from workflows.deal import DealWorkflow

router = APIRouter(prefix="/deals", tags=["deals"])


class DealListItem(BaseModel):
    deal_id: str
    stage: str | None
    owner_id: str | None
    account_id: str | None
    value: float | None
    last_transition_at: datetime | None
    started_at: datetime


class DealsPublic(BaseModel):
    data: list[DealListItem]
    count: int


class DealDetail(BaseModel):
    deal_id: str
    running: bool
    stage: Stage
    outcome: Outcome
    state: DealState
    last_transition_at: datetime | None = None
    ignored_signals: list[IgnoredSignal] = []
    history: list[DealEventPublic]


@router.get("", response_model=DealsPublic)
async def list_deals(
    request: Request,
    stage: Stage | None = None,
    owner_id: uuid.UUID | None = None,
    idle_for_hours: Annotated[float | None, Query(gt=0)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> DealsPublic:
    """Running deals, newest first; filter by stage, owner, and time since the last transition."""
    query = f'WorkflowType = "{DealWorkflow.__name__}" AND ExecutionStatus = "Running"'
    if stage:
        query += f' AND {attrs.DEAL_STAGE.name} = "{stage.value}"'
    if owner_id:
        query += f' AND {attrs.DEAL_OWNER.name} = "{owner_id}"'
    if idle_for_hours:
        cutoff = (datetime.now(UTC) - timedelta(hours=idle_for_hours)).isoformat()
        query += f' AND {attrs.DEAL_LAST_TRANSITION_AT.name} < "{cutoff}"'
    items: list[DealListItem] = []
    try:
        client = await request.app.state.temporal.client()
        async for execution in client.list_workflows(query, page_size=min(limit, 1000)):
            found = execution.typed_search_attributes
            value = found.get(attrs.DEAL_VALUE)
            items.append(
                DealListItem(
                    deal_id=execution.id,
                    stage=found.get(attrs.DEAL_STAGE),
                    owner_id=found.get(attrs.DEAL_OWNER),
                    account_id=found.get(attrs.DEAL_ACCOUNT_ID),
                    value=value,
                    last_transition_at=found.get(attrs.DEAL_LAST_TRANSITION_AT),
                    started_at=execution.start_time,
                )
            )
            if len(items) >= limit:
                break
    except RPCError as error:
        raise TemporalUnavailable(f"Temporal did not answer: {error.message}") from error
    return DealsPublic(data=items, count=len(items))


@router.get("/{deal_id}", response_model=DealDetail)
async def read_deal(request: Request, deal_id: str) -> DealDetail:
    """Stage, state of every document, ignored signals and the transition history of one deal."""
    try:
        client = await request.app.state.temporal.client()
        live: DealView | None = await deals.view(client, deal_id)
    except NotFound:
        live = None
    except RPCError as error:
        raise TemporalUnavailable(f"Temporal did not answer: {error.message}") from error

    def stored(session: Session) -> tuple[DealState, list[DealEventPublic]]:
        events = [
            DealEventPublic.model_validate(e, from_attributes=True)
            for e in deal_reads.events_of(session, deal_id)
        ]
        return load_state(session, deal_id), events

    state, history = await in_db(request, stored)
    if live is None and state.is_empty:
        raise NotFound("deal", deal_id)
    view = live or DealView(deal_id=deal_id, stage=state.stage, outcome=state.outcome, state=state)
    return DealDetail(**view.model_dump(), running=live is not None, history=history)
