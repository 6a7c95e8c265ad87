"""Unit groups and their units: how products are counted (each, box of 12, hour)."""

from fastapi import APIRouter

from api.crud import crud_router, nested_router
from models.permissions import Area
from models.unit import (
    UnitCreate,
    UnitFilters,
    UnitGroupCreate,
    UnitGroupFilters,
    UnitGroupPublic,
    UnitGroupUpdate,
    UnitPublic,
    UnitUpdate,
)
from services.catalog import unit_groups, units

router = APIRouter()
router.include_router(
    crud_router(
        unit_groups,
        prefix="/unit-groups",
        tag="unit groups",
        area=Area.catalog,
        create=UnitGroupCreate,
        update=UnitGroupUpdate,
        public=UnitGroupPublic,
        filters=UnitGroupFilters,
    )
)
router.include_router(
    nested_router(
        unit_groups,
        units,
        prefix="/unit-groups/{parent_id}/units",
        parent_field="unit_group_id",
        tag="unit groups",
        area=Area.catalog,
        create=UnitCreate,
        update=UnitUpdate,
        public=UnitPublic,
        filters=UnitFilters,
        activation=False,
    )
)
