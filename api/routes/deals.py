"""Deals for ops: running deals from Temporal visibility, one deal's live process view, and the
follow-ups and reminder durations of a deal."""

import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, status
from pydantic import AwareDatetime, BaseModel, Field, field_validator
from sqlmodel import Session

from api.deps import ActorDep, allow, deal_access
from api.idempotency import update_id
from api.transitions import DealRecords, deal_workflows, in_db, run_transition, temporal_errors
from core import search_attributes as attrs
from models.base import RequestModel
from models.deal.state import DealState, Outcome, Stage
from models.deal.steps import ChooseProcess, MarkStep, followed_process
from models.deal_command import CancelFollowUp, DealView, IgnoredSignal, ScheduleFollowUp
from models.deal_event import DealEventPublic
from models.errors import NotFound
from models.permissions import Area, Operation
from models.pricing import to_cents
from models.process import ProcessView, process_view
from models.reminders import LONGEST_DELAY, Due, ReminderPolicy, ScheduledFollowUp
from services import deal_reads, deal_records
from workflows import client as deals
from workflows.deal import DealWorkflow

router = APIRouter(prefix="/deals", tags=["deals"])

# Listing running deals is ops (admins); one deal is for whoever may see its records.
OPS = [allow(Area.ops, Operation.read)]
READ = [allow(Area.deals, Operation.read), Depends(deal_access)]
CHANGE = [allow(Area.deals, Operation.change), Depends(deal_access)]


class DealListItem(BaseModel):
    deal_id: str
    stage: str | None
    owner_id: str | None
    account_id: str | None
    # Exact in the answer (a string, to the cent), though visibility keeps it as a float.
    value: Decimal | None
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
    policy: ReminderPolicy | None = None
    last_touch_at: datetime | None = None
    reminders: list[Due] = []
    follow_ups: list[ScheduledFollowUp] = []
    history: list[DealEventPublic]


# A deal's id is `deal-` and its first record's id; a longer one names no deal (and Temporal
# would refuse it as a workflow id).
DealId = Annotated[str, Path(min_length=1, max_length=80)]
# A century: older than that, no deal is idle for; beyond, the date cannot be computed.
MAX_IDLE_HOURS = 24 * 366 * 100


class FollowUpRequest(RequestModel):
    # With its zone: a follow-up fires at one instant, wherever the caller is.
    due_at: AwareDatetime
    subject: str = Field(min_length=1, max_length=200)

    @field_validator("due_at")
    @classmethod
    def _not_too_far(cls, due_at: datetime) -> datetime:
        if due_at > datetime.now(UTC) + LONGEST_DELAY:
            raise ValueError(f"must be within {LONGEST_DELAY.days} days from now")
        return due_at


def money_of(value: float | None) -> Decimal | None:
    """The DealValue search attribute (a float by Temporal's nature) as the amount it stands
    for: its shortest decimal form, to the cent."""
    return None if value is None else to_cents(Decimal(str(value)))


@router.get("", response_model=DealsPublic, dependencies=OPS)
async def list_deals(
    request: Request,
    stage: Stage | None = None,
    owner_id: uuid.UUID | None = None,
    idle_for_hours: Annotated[float | None, Query(gt=0, le=MAX_IDLE_HOURS)] = None,
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
    async with temporal_errors():
        client = await request.app.state.temporal.client()
        async for execution in client.list_workflows(query, page_size=min(limit, 1000)):
            found = execution.typed_search_attributes
            items.append(
                DealListItem(
                    deal_id=execution.id,
                    stage=found.get(attrs.DEAL_STAGE),
                    owner_id=found.get(attrs.DEAL_OWNER),
                    account_id=found.get(attrs.DEAL_ACCOUNT_ID),
                    value=money_of(found.get(attrs.DEAL_VALUE)),
                    last_transition_at=found.get(attrs.DEAL_LAST_TRANSITION_AT),
                    started_at=execution.start_time,
                )
            )
            if len(items) >= limit:
                break
    return DealsPublic(data=items, count=len(items))


@router.get("/{deal_id}", response_model=DealDetail, dependencies=READ)
async def read_deal(request: Request, deal_id: DealId) -> DealDetail:
    """Stage, every document's state, pending reminders and follow-ups, and the history."""
    async with temporal_errors():
        client = await request.app.state.temporal.client()
        try:
            live: DealView | None = await deals.view(client, deal_id)
        except NotFound:
            live = None

    def stored(session: Session) -> tuple[DealState, list[DealEventPublic]]:
        events = [
            DealEventPublic.model_validate(e, from_attributes=True)
            for e in deal_reads.events_of(session, deal_id)
        ]
        return deal_records.read_deal(session, deal_id).snapshot(), events

    state, history = await in_db(request, stored)
    if live is None and state.is_empty:
        raise NotFound("deal", deal_id)
    view = live or DealView(deal_id=deal_id, stage=state.stage, outcome=state.outcome, state=state)
    return DealDetail(
        **view.model_dump(exclude={"policy"}),
        policy=view.policy if live else None,
        running=live is not None,
        history=history,
    )


@router.get("/{deal_id}/process", response_model=ProcessView, dependencies=READ)
async def read_process(request: Request, deal_id: DealId) -> ProcessView:
    """The deal's business process: the active stage, each stage's steps done or not, and the
    share complete; live from the running deal, else from its records."""
    async with temporal_errors():
        client = await request.app.state.temporal.client()
        try:
            live = await deals.process(client, deal_id)
        except NotFound:
            live = None
    if live is not None:
        return live
    state = await in_db(
        request, lambda session: deal_records.read_deal(session, deal_id).snapshot()
    )
    if state.is_empty:
        raise NotFound("deal", deal_id)
    return process_view(followed_process(state), state)


class ProcessChoice(RequestModel):
    process_id: uuid.UUID


@router.post("/{deal_id}/process", response_model=DealRecords, dependencies=CHANGE)
async def choose_process(
    request: Request, actor: ActorDep, deal_id: DealId, body: ProcessChoice
) -> DealRecords:
    """Switch an open deal to another business process; marked steps it also has stay marked."""
    await _existing_deal(request, deal_id)
    action = ChooseProcess(process_id=body.process_id)
    return await run_transition(request, deal_id, action, actor)


class StepMark(RequestModel):
    step: str = Field(min_length=1, max_length=50, pattern=r"^[a-z][a-z0-9_]*$")
    done: bool = True


@router.post("/{deal_id}/process/steps", response_model=DealRecords, dependencies=CHANGE)
async def mark_step(
    request: Request, actor: ActorDep, deal_id: DealId, body: StepMark
) -> DealRecords:
    """Mark a step of the deal's process done (or, `done: false`, not done)."""
    await _existing_deal(request, deal_id)
    action = MarkStep(step=body.step, done=body.done)
    return await run_transition(request, deal_id, action, actor)


async def _existing_deal(request: Request, deal_id: str) -> None:
    state = await in_db(
        request, lambda session: deal_records.read_deal(session, deal_id).snapshot()
    )
    if state.is_empty:
        raise NotFound("deal", deal_id)


@router.post(
    "/{deal_id}/follow-ups",
    response_model=ScheduledFollowUp,
    status_code=status.HTTP_201_CREATED,
    dependencies=CHANGE,
)
async def schedule_follow_up(
    request: Request, actor: ActorDep, deal_id: DealId, body: FollowUpRequest
) -> ScheduledFollowUp:
    """At `due_at`, a task for the deal's owner and a notification; refused on a closed deal."""
    await _existing_deal(request, deal_id)
    update = ScheduleFollowUp(due_at=body.due_at, subject=body.subject, by=actor)
    async with temporal_errors():
        workflows = await deal_workflows(request)
        scheduled: ScheduledFollowUp = await workflows.update(
            deal_id,
            DealWorkflow.schedule_follow_up,
            update,
            ScheduledFollowUp,
            update_id=update_id(request),
        )
    return scheduled


@router.get("/{deal_id}/follow-ups", response_model=list[ScheduledFollowUp], dependencies=READ)
async def list_follow_ups(request: Request, deal_id: DealId) -> list[ScheduledFollowUp]:
    """Follow-ups still to fire."""
    return (await read_deal(request, deal_id)).follow_ups


@router.post(
    "/{deal_id}/follow-ups/{follow_up_id}/cancel",
    response_model=list[ScheduledFollowUp],
    dependencies=CHANGE,
)
async def cancel_follow_up(
    request: Request, deal_id: DealId, follow_up_id: uuid.UUID
) -> list[ScheduledFollowUp]:
    """Cancel a follow-up before it fires; answers the ones left."""
    await _existing_deal(request, deal_id)
    async with temporal_errors():
        workflows = await deal_workflows(request)
        left: list[ScheduledFollowUp] = await workflows.update(
            deal_id,
            DealWorkflow.cancel_follow_up,
            CancelFollowUp(follow_up_id=follow_up_id),
            list[ScheduledFollowUp],
        )
    return left


@router.put("/{deal_id}/reminder-policy", response_model=ReminderPolicy, dependencies=CHANGE)
async def set_reminder_policy(
    request: Request, deal_id: DealId, body: ReminderPolicy
) -> ReminderPolicy:
    """This deal's own reminder durations, instead of the service's settings."""
    await _existing_deal(request, deal_id)
    async with temporal_errors():
        workflows = await deal_workflows(request)
        policy: ReminderPolicy = await workflows.update(
            deal_id, DealWorkflow.set_reminder_policy, body, ReminderPolicy
        )
    return policy
