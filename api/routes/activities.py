"""Activities: tasks, emails, phone calls, appointments regarding any record, and timelines."""

import uuid
from enum import StrEnum
from typing import Annotated, Any

import structlog
from fastapi import APIRouter, Depends, Query, Request, status
from sqlmodel import Session

from api.crud import add_assign_route
from api.deps import ActorDep, PrincipalDep, SessionDep, allow, record_access
from api.reads import add_read_routes
from api.transitions import TemporalUnavailable, deal_workflows, in_db, temporal_errors
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
from models.errors import InvalidField, NotFound
from models.listing import MAX_OFFSET, MAX_PAGE, Page
from models.permissions import Area, Operation, Principal, visible_owners
from services import users
from services.accounts import accounts, contacts
from services.crud import Repository
from services.deal_reads import invoices, leads, opportunities, orders, quotes
from services.timeline import TimelineEntry, activities, timeline

log = structlog.get_logger()
router = APIRouter(prefix="/activities", tags=["activities"])
add_read_routes(
    router,
    activities,
    tag="activities",
    area=Area.activities,
    public=ActivityPublic,
    filters=ActivityFilters,
)
add_assign_route(router, activities, Area.activities)

# Activities are their owners' (a manager: the team's); a record's timeline shows every activity
# regarding it to whoever may see the record.
Changeable = Annotated[
    Activity,
    Depends(record_access(activities, Area.activities, Operation.change, "activity_id")),
]
CHANGE = [allow(Area.activities, Operation.change)]

REGARDED: dict[Regarding, tuple[Repository[Any], Area]] = {
    Regarding.lead: (leads, Area.deals),
    Regarding.opportunity: (opportunities, Area.deals),
    Regarding.quote: (quotes, Area.deals),
    Regarding.order: (orders, Area.deals),
    Regarding.invoice: (invoices, Area.deals),
    Regarding.account: (accounts, Area.customers),
    Regarding.contact: (contacts, Area.customers),
}


def visible_regarded(
    session: Session, principal: Principal, regarding: Regarding, record_id: uuid.UUID
) -> None:
    """The record an activity is about, if the caller may see it; else not found."""
    repository, area = REGARDED[regarding]
    repository.get(session, record_id, owners=visible_owners(principal, area))


async def _recorded(request: Request, activity: Activity) -> Activity:
    """An activity on a deal's record touches the deal: its follow-up reminders start over.

    Best effort: the activity is stored either way, and with Temporal down the deal only misses
    this reset (its next transition resets the clocks too)."""
    if activity.deal_id:
        try:
            async with temporal_errors():
                workflows = await deal_workflows(request)
                await workflows.touch(activity.deal_id, ActivityRecorded(activity_id=activity.id))
        except TemporalUnavailable as error:
            log.warning("deal not told of the activity", deal_id=activity.deal_id, error=str(error))
    return activity


@router.post(
    "",
    response_model=ActivityPublic,
    status_code=status.HTTP_201_CREATED,
    dependencies=[allow(Area.activities, Operation.create)],
)
async def create_activity(request: Request, principal: PrincipalDep, body: ActivityCreate) -> Any:
    """Record an activity about a lead, opportunity, quote, order, invoice, account or contact."""

    def create(session: Session) -> Activity:
        try:
            visible_regarded(session, principal, body.regarding_type, body.regarding_id)
        except NotFound as hidden:
            message = f"{body.regarding_type} {body.regarding_id} not found"
            raise InvalidField("regarding_id", message) from hidden
        users.check_may_own(session, principal, body.owner_id)
        return activities.create(session, body, principal.user_id)

    return await _recorded(request, await in_db(request, create))


@router.patch("/{activity_id}", response_model=ActivityPublic, dependencies=CHANGE)
def update_activity(
    session: SessionDep,
    principal: PrincipalDep,
    activity: Changeable,
    activity_id: uuid.UUID,
    body: ActivityUpdate,
) -> Any:
    """Edit an open activity; only the fields sent change (a new owner: as an assign)."""
    if "owner_id" in body.model_fields_set and body.owner_id != activity.owner_id:
        users.check_may_assign(
            session, principal, Area.activities, "activity", activity.owner_id, body.owner_id
        )
    return activities.update(session, activity_id, body, principal.user_id)


async def _close(request: Request, actor: Any, activity_id: uuid.UUID, to: ActivityStatus) -> Any:
    def close(session: Session) -> Activity:
        return activities.close(session, activity_id, to, actor)

    return await _recorded(request, await in_db(request, close))


@router.post("/{activity_id}/complete", response_model=ActivityPublic, dependencies=CHANGE)
async def complete(
    request: Request, actor: ActorDep, activity: Changeable, activity_id: uuid.UUID
) -> Any:
    """Mark an open activity completed."""
    return await _close(request, actor, activity_id, ActivityStatus.completed)


@router.post("/{activity_id}/cancel", response_model=ActivityPublic, dependencies=CHANGE)
async def cancel(
    request: Request, actor: ActorDep, activity: Changeable, activity_id: uuid.UUID
) -> Any:
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


@timelines.get(
    "/{resource}/{record_id}/timeline",
    response_model=Page[TimelineEntry],
    dependencies=[allow(Area.activities, Operation.read)],
)
def read_timeline(
    session: SessionDep,
    principal: PrincipalDep,
    resource: TimelineResource,
    record_id: uuid.UUID,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
    cursor: Annotated[str | None, Query(max_length=2_000)] = None,
) -> Any:
    """The record's activities and, for a deal's records, the deal's transitions; newest first.
    An account's timeline includes its contacts' activities. Walk far with `cursor`."""
    visible_regarded(session, principal, REGARDING[resource], record_id)
    return timeline(session, REGARDING[resource], record_id, limit, offset, cursor)
