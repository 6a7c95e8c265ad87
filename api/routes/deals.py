"""Deals for ops: running deals from Temporal visibility, one deal's live process view, and the
follow-ups and reminder durations of a deal."""

import base64
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, status
from pydantic import AwareDatetime, BaseModel, Field, field_validator
from sqlmodel import Session
from temporalio.client import WorkflowExecution
from temporalio.service import RPCError, RPCStatusCode

from api.deps import ActorDep, PrincipalDep, allow, deal_access
from api.idempotency import update_id
from api.transitions import DealRecords, deal_workflows, in_db, run_transition, temporal_errors
from core import search_attributes as attrs
from models.base import RequestModel
from models.deal.state import DealState, Outcome, Stage
from models.deal.steps import ChooseProcess, MarkStep, followed_process
from models.deal_command import CancelFollowUp, DealView, IgnoredSignal, OpsReason, ScheduleFollowUp
from models.deal_event import DealEventPublic
from models.errors import InvalidField, NotFound
from models.permissions import Area, Operation, visible_owners
from models.process import ProcessView, process_view
from models.reminders import LONGEST_DELAY, Due, ReminderPolicy, ScheduledFollowUp
from services import deal_reads, deal_records, users
from services.ops_journal import record_ops_action
from workflows import client as deals
from workflows import search
from workflows.deal import DealWorkflow
from workflows.search import DealStatus

router = APIRouter(prefix="/deals", tags=["deals"])

# Everyone lists the deals they may see; one deal is for whoever may see its records.
LIST = [allow(Area.deals, Operation.read)]
READ = [allow(Area.deals, Operation.read), Depends(deal_access)]
CHANGE = [allow(Area.deals, Operation.change), Depends(deal_access)]


class DealListItem(BaseModel):
    deal_id: str
    status: DealStatus
    stage: str | None
    owner_id: str | None
    team_id: str | None = None
    account_id: str | None
    lead_source: str | None = None
    # Temporal keeps it as a double: read back to the cent.
    value: Decimal | None
    last_transition_at: datetime | None
    started_at: datetime
    closed_at: datetime | None = None
    run_id: str | None = None


class DealsPublic(BaseModel):
    data: list[DealListItem]
    # Every deal the filters match that the caller sees, not only this page's.
    count: int
    next_cursor: str | None = None


class DealDetail(BaseModel):
    deal_id: str
    running: bool
    # The latest run's status in Temporal (None: the deal never ran there).
    status: DealStatus | None = None
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
# Characters a lead source may have in a filter: no quotes or backslashes in Temporal's query.
SAFE = r"^[^\"'\\]+$"
# As much as a deal's value may be (14 digits before the point).
MAX_VALUE = Decimal("99999999999999.99")
CENT = Decimal("0.01")
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


@router.get("", response_model=DealsPublic, dependencies=LIST)
async def list_deals(
    request: Request,
    principal: PrincipalDep,
    stage: Stage | None = None,
    owner_id: uuid.UUID | None = None,
    team_id: uuid.UUID | None = None,
    account_id: uuid.UUID | None = None,
    lead_source: Annotated[str | None, Query(min_length=1, max_length=50, pattern=SAFE)] = None,
    min_value: Annotated[Decimal | None, Query(ge=0, le=MAX_VALUE, decimal_places=4)] = None,
    max_value: Annotated[Decimal | None, Query(ge=0, le=MAX_VALUE, decimal_places=4)] = None,
    idle_for_hours: Annotated[float | None, Query(gt=0, le=MAX_IDLE_HOURS)] = None,
    status: DealStatus = DealStatus.running,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    cursor: Annotated[str | None, Query(min_length=1, max_length=4000)] = None,
) -> DealsPublic:
    """Deals from Temporal visibility, newest first, a page at a time: pass `next_cursor` back
    as `cursor` (same filters) until it is null. Admins see every deal; a sales manager their
    own and their teams' members'; a salesperson their own."""
    owners = visible_owners(principal, Area.deals)
    scope = None
    if not owners.everyone:
        members = await in_db(request, lambda s: users.team_member_ids(s, owners.team_ids))
        scope = frozenset({principal.user_id, *members})
    idle_since = None
    if idle_for_hours:
        idle_since = datetime.now(UTC) - timedelta(hours=idle_for_hours)
    query = search.deal_query(
        search.DealFilter(
            status=status,
            stage=stage,
            owner_id=owner_id,
            team_id=team_id,
            account_id=account_id,
            lead_source=lead_source,
            min_value=min_value,
            max_value=max_value,
            idle_since=idle_since,
            owners=scope,
        )
    )
    token = _page_token(cursor) if cursor else None
    async with temporal_errors(), _refused_cursor():
        client = await request.app.state.temporal.client()
        page = await search.deal_page(client, query, limit, token)
        count = (await client.count_workflows(query)).count
    return DealsPublic(
        data=[_list_item(execution) for execution in page.executions],
        count=count,
        next_cursor=(
            base64.urlsafe_b64encode(page.next_page_token).decode()
            if page.next_page_token
            else None
        ),
    )


def _page_token(cursor: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(cursor.encode("ascii"))
    except (ValueError, UnicodeEncodeError) as error:
        raise InvalidField("cursor", "is not a cursor this list answered", "query") from error


@asynccontextmanager
async def _refused_cursor() -> AsyncIterator[None]:
    """Temporal refuses a page token of another query, or none of its own, as an invalid
    argument: the caller's cursor, a 422."""
    try:
        yield
    except RPCError as error:
        if error.status is RPCStatusCode.INVALID_ARGUMENT:
            raise InvalidField("cursor", "is not a cursor of this list", "query") from error
        raise


def _list_item(execution: WorkflowExecution) -> DealListItem:
    found = execution.typed_search_attributes
    value = found.get(attrs.DEAL_VALUE)
    return DealListItem(
        deal_id=execution.id,
        status=search.status_of(execution.status) or DealStatus.running,
        stage=found.get(attrs.DEAL_STAGE),
        owner_id=found.get(attrs.DEAL_OWNER),
        team_id=found.get(attrs.DEAL_TEAM),
        account_id=found.get(attrs.DEAL_ACCOUNT_ID),
        lead_source=found.get(attrs.DEAL_LEAD_SOURCE),
        value=None if value is None else Decimal(repr(value)).quantize(CENT),
        last_transition_at=found.get(attrs.DEAL_LAST_TRANSITION_AT),
        started_at=execution.start_time,
        closed_at=execution.close_time,
        run_id=execution.run_id,
    )


@router.get("/{deal_id}", response_model=DealDetail, dependencies=READ)
async def read_deal(request: Request, deal_id: DealId) -> DealDetail:
    """Stage, every document's state, pending reminders and follow-ups, and the history."""
    async with temporal_errors():
        client = await request.app.state.temporal.client()
        try:
            live, run = await deals.view(client, deal_id)
        except NotFound:
            live, run = None, None

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
        status=search.status_of(run),
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
    request: Request,
    actor: ActorDep,
    deal_id: DealId,
    follow_up_id: uuid.UUID,
    body: OpsReason | None = None,
) -> list[ScheduledFollowUp]:
    """Cancel a follow-up before it fires; answers the ones left. With a `reason`, the deal's
    history records who cancelled it and why."""
    await _existing_deal(request, deal_id)
    async with temporal_errors():
        workflows = await deal_workflows(request)
        left: list[ScheduledFollowUp] = await workflows.update(
            deal_id,
            DealWorkflow.cancel_follow_up,
            CancelFollowUp(follow_up_id=follow_up_id),
            list[ScheduledFollowUp],
        )
    if body is not None:
        summary = f"follow-up {follow_up_id} cancelled: {body.reason}"[:500]
        await in_db(
            request,
            lambda session: record_ops_action(
                session, deal_id, "cancel_follow_up", summary, actor, datetime.now(UTC)
            ),
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
