"""Competitors: companies bidding for the same deals."""

from api.crud import crud_router
from models.competitor import (
    CompetitorCreate,
    CompetitorFilters,
    CompetitorPublic,
    CompetitorUpdate,
)
from models.permissions import Area
from services.competitors import competitors

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
