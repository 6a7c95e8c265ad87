"""Business processes: the steps of each stage of a deal; admins define them, everyone reads."""

from api.crud import crud_router
from models.permissions import Area
from models.process import (
    BusinessProcessCreate,
    BusinessProcessFilters,
    BusinessProcessPublic,
    BusinessProcessUpdate,
)
from services.processes import processes

router = crud_router(
    processes,
    prefix="/processes",
    tag="processes",
    area=Area.processes,
    create=BusinessProcessCreate,
    update=BusinessProcessUpdate,
    public=BusinessProcessPublic,
    filters=BusinessProcessFilters,
)
