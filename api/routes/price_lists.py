"""Price lists and their items: a product's price in a unit, in the list's currency."""

from fastapi import APIRouter

from api.crud import crud_router, nested_router
from models.permissions import Area
from models.price_list import (
    PriceListCreate,
    PriceListFilters,
    PriceListItemCreate,
    PriceListItemFilters,
    PriceListItemPublic,
    PriceListItemUpdate,
    PriceListPublic,
    PriceListUpdate,
)
from services.catalog import price_list_items, price_lists

router = APIRouter()
router.include_router(
    crud_router(
        price_lists,
        prefix="/price-lists",
        tag="price lists",
        area=Area.catalog,
        create=PriceListCreate,
        update=PriceListUpdate,
        public=PriceListPublic,
        filters=PriceListFilters,
    )
)
router.include_router(
    nested_router(
        price_lists,
        price_list_items,
        prefix="/price-lists/{parent_id}/items",
        parent_field="price_list_id",
        tag="price lists",
        area=Area.catalog,
        create=PriceListItemCreate,
        update=PriceListItemUpdate,
        public=PriceListItemPublic,
        filters=PriceListItemFilters,
    )
)
