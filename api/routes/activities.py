"""Activities: tasks, emails, phone calls, appointments regarding any record, and timelines."""

import uuid
from enum import StrEnum
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, status
from sqlmodel import Session

from api.deps import ActorDep, SessionDep
from api.reads import add_read_routes
from api.transitions import deal_workflows, in_db, temporal_errors
from models.activity import (
    Activity,
    ActivityCreate,
    ActivityFilters,
    ActivityPublic,
    ActivityStatus,
    ActivityUpdate,
    Regarding,
)
from models.deal_command import ActivityRecorded
from models.listing import Page
from services.timeline import TimelineEntry, activities, timeline

router = APIRouter(prefix="/activities", tags=["activities"])
add_read_routes(
    router, activities, tag="activities", public=ActivityPublic, filters=ActivityFilters
)


async def _recorded(request: Request, activity: Activity) -> Activity:
    """An activity on a deal's record touches the deal: its follow-up reminders start over."""
    if activity.deal_id:
        async with temporal_errors():
            workflows = await deal_workflows(request)
            await workflows.touch(activity.deal_id, ActivityRecorded(activity_id=activity.id))
    return activity


@router.post("", response_model=ActivityPublic, status_code=status.HTTP_201_CREATED)
async def create_activity(request: Request, actor: ActorDep, body: ActivityCreate) -> Any:
    """Record an activity about a lead, opportunity, quote, order, invoice, account or contact."""
    created = await in_db(request, lambda session: activities.create(session, body, actor))
    return await _recorded(request, created)


@router.patch("/{activity_id}", response_model=ActivityPublic)
def update_activity(
    session: SessionDep, actor: ActorDep, activity_id: uuid.UUID, body: ActivityUpdate
) -> Any:
    """Edit an open activity; only the fields sent change."""
    return activities.update(session, activity_id, body, actor)


async def _close(request: Request, actor: Any, activity_id: uuid.UUID, to: ActivityStatus) -> Any:
    def close(session: Session) -> Activity:
        return activities.close(session, activity_id, to, actor)

    return await _recorded(request, await in_db(request, close))


@router.post("/{activity_id}/complete", response_model=ActivityPublic)
async def complete(request: Request, actor: ActorDep, activity_id: uuid.UUID) -> Any:
    """Mark an open activity completed."""
    return await _close(request, actor, activity_id, ActivityStatus.completed)


@router.post("/{activity_id}/cancel", response_model=ActivityPublic)
async def cancel(request: Request, actor: ActorDep, activity_id: uuid.UUID) -> Any:
    """Cancel an open activity."""
    return await _close(request, actor, activity_id, ActivityStatus.canceled)


class TimelineResource(StrEnum):
    """The plural resource names whose records have a timeline."""

    leads = "leads"
    opportunities = "opportunities"
    quotes = "quotes"
    orders = "orders"
    invoices = "invoices"
    accounts = "accounts"
    contacts = "contacts"


REGARDING = {
    TimelineResource.leads: Regarding.lead,
    TimelineResource.opportunities: Regarding.opportunity,
    TimelineResource.quotes: Regarding.quote,
    TimelineResource.orders: Regarding.order,
    TimelineResource.invoices: Regarding.invoice,
    TimelineResource.accounts: Regarding.account,
    TimelineResource.contacts: Regarding.contact,
}

timelines = APIRouter(tags=["activities"])


@timelines.get("/{resource}/{record_id}/timeline", response_model=Page[TimelineEntry])
def read_timeline(
    session: SessionDep,
    resource: TimelineResource,
    record_id: uuid.UUID,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> Any:
    """The record's activities and, for a deal's records, the deal's transitions; newest first.
    An account's timeline includes its contacts' activities."""
    entries, count = timeline(session, REGARDING[resource], record_id, limit, offset)
    return {"data": entries, "count": count}
