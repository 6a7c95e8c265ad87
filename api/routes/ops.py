"""Ops on deals (admins): what is stuck, and the actions on a deal's workflow run. Each action
takes a reason and is written to the deal's history with who took it."""

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request
from pydantic import BaseModel

from api.deps import ActorDep, allow, deal_access
from api.transitions import deal_workflows, in_db, temporal_errors
from models.deal_command import CancelReminder, OpsReason
from models.deal_event import DealEventPublic
from models.permissions import Area, Operation
from models.reminders import Due
from services.ops_journal import record_ops_action
from workflows import ops, search
from workflows.deal import DealWorkflow

router = APIRouter(prefix="/deals", tags=["ops"])

READ = [allow(Area.ops, Operation.read)]
ACT = [allow(Area.ops, Operation.change), Depends(deal_access)]

DealId = Annotated[str, Path(min_length=1, max_length=80)]


class StuckDealPublic(BaseModel):
    deal_id: str
    stage: str | None
    owner_id: str | None
    reason: str
    detail: str
    activity: str | None
    attempt: int | None
    last_failure: str | None
    next_retry_at: datetime | None
    idle_since: datetime | None


class StuckDealsPublic(BaseModel):
    data: list[StuckDealPublic]
    count: int


class OpsActionPublic(BaseModel):
    """What was done, and the history entry that records it."""

    deal_id: str
    action: str
    detail: str
    run_id: str | None = None
    event: DealEventPublic


@router.get("/stuck", response_model=StuckDealsPublic, dependencies=READ)
async def stuck_deals(
    request: Request, limit: Annotated[int, Query(ge=1, le=1000)] = 200
) -> StuckDealsPublic:
    """Running deals with a reminder's activity failing and retrying (attempt, last failure,
    next retry: from the workflow's description), then deals idle in their stage past its
    threshold (DEALFLOW_STUCK_IDLE_AFTER)."""
    thresholds = request.app.state.settings.stuck_idle_after
    async with temporal_errors():
        client = await request.app.state.temporal.client()
        found = await search.stuck_deals(client, thresholds, datetime.now(UTC), limit)
    data = [StuckDealPublic(**vars(deal)) for deal in found]
    return StuckDealsPublic(data=data, count=len(data))


async def _journal(
    request: Request, deal_id: str, action: str, summary: str, by: ActorDep
) -> DealEventPublic:
    event = await in_db(
        request,
        lambda session: record_ops_action(
            session, deal_id, action, summary[:500], by, datetime.now(UTC)
        ),
    )
    return DealEventPublic.model_validate(event, from_attributes=True)


@router.post("/{deal_id}/retry", response_model=OpsActionPublic, dependencies=ACT)
async def retry(
    request: Request, actor: ActorDep, deal_id: DealId, body: OpsReason
) -> OpsActionPublic:
    """Try the deal's failing activities again now, instead of at their next retry."""
    async with temporal_errors():
        client = await request.app.state.temporal.client()
        retried = await ops.retry_now(client, deal_id, str(actor))
    detail = f"retried {', '.join(retried)}"
    event = await _journal(request, deal_id, "ops_retry", f"{detail}: {body.reason}", actor)
    return OpsActionPublic(deal_id=deal_id, action="retry", detail=detail, event=event)


@router.post("/{deal_id}/terminate", response_model=OpsActionPublic, dependencies=ACT)
async def terminate(
    request: Request, actor: ActorDep, deal_id: DealId, body: OpsReason
) -> OpsActionPublic:
    """End the deal's workflow run now. Its records keep their states; the deal shows as
    terminated until a transition starts its next run."""
    async with temporal_errors():
        client = await request.app.state.temporal.client()
        await ops.terminate(client, deal_id, f"{body.reason} (by {actor})")
    event = await _journal(request, deal_id, "ops_terminate", body.reason, actor)
    return OpsActionPublic(deal_id=deal_id, action="terminate", detail="terminated", event=event)


@router.post("/{deal_id}/reset", response_model=OpsActionPublic, dependencies=ACT)
async def reset(
    request: Request, actor: ActorDep, deal_id: DealId, body: OpsReason
) -> OpsActionPublic:
    """Start the deal's workflow again from its last completed workflow task (a failed,
    terminated or stuck run)."""
    async with temporal_errors():
        client = await request.app.state.temporal.client()
        run_id = await ops.reset_to_last_good_point(client, deal_id, body.reason, str(actor))
    detail = f"reset to its last good point: run {run_id}"
    event = await _journal(request, deal_id, "ops_reset", f"{detail}: {body.reason}", actor)
    return OpsActionPublic(
        deal_id=deal_id, action="reset", detail=detail, run_id=run_id, event=event
    )


class CancelledReminder(OpsActionPublic):
    reminders: list[Due]


@router.post(
    "/{deal_id}/reminders/{key}/cancel", response_model=CancelledReminder, dependencies=ACT
)
async def cancel_reminder(
    request: Request,
    actor: ActorDep,
    deal_id: DealId,
    key: Annotated[str, Path(min_length=1, max_length=200)],
    body: OpsReason,
) -> CancelledReminder:
    """A pending reminder (`key` from GET /deals/{id} `reminders`) is settled unsent: its task
    and notification never go out. Answers the reminders left."""
    async with temporal_errors():
        workflows = await deal_workflows(request)
        left: list[Due] = await workflows.update(
            deal_id, DealWorkflow.cancel_reminder, CancelReminder(key=key), list[Due]
        )
    detail = f"reminder {key} cancelled"
    event = await _journal(
        request, deal_id, "ops_cancel_reminder", f"{detail}: {body.reason}", actor
    )
    return CancelledReminder(
        deal_id=deal_id, action="cancel_reminder", detail=detail, event=event, reminders=left
    )
