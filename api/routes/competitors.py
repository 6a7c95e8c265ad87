"""Competitors: companies bidding for the same deals, and how deals went against each."""

import uuid
from typing import Annotated, Any

from fastapi import Depends
from fastapi.routing import APIRoute

from api.crud import crud_router
from api.deps import SessionDep, allow, record_access
from models.competitor import (
    Competitor,
    CompetitorCreate,
    CompetitorDetail,
    CompetitorFilters,
    CompetitorPublic,
    CompetitorUpdate,
)
from models.permissions import Area, Operation
from services.competitors import competitors, record_against

router = crud_router(
    competitors,
    prefix="/competitors",
    tag="competitors",
    area=Area.catalog,
    create=CompetitorCreate,
    update=CompetitorUpdate,
    public=CompetitorPublic,
    filters=CompetitorFilters,
)
# The standard read answers the competitor alone; this one adds its deals won and lost.
router.routes[:] = [
    route
    for route in router.routes
    if not (
        isinstance(route, APIRoute)
        and route.path == "/competitors/{record_id}"
        and "GET" in (route.methods or ())
    )
]

Readable = Annotated[Competitor, Depends(record_access(competitors, Area.catalog, Operation.read))]


@router.get(
    "/{record_id}",
    response_model=CompetitorDetail,
    summary="Read a competitor",
    dependencies=[allow(Area.catalog, Operation.read)],
)
def read_competitor(session: SessionDep, competitor: Readable, record_id: uuid.UUID) -> Any:
    """A competitor, with the deals won and lost against it (counts and amounts)."""
    figures = record_against(session, competitor.id)
    return CompetitorDetail.model_validate({**competitor.model_dump(), **figures.model_dump()})
