"""Discount lists and their tiers: the volume discounts a price list item may name."""

from fastapi import APIRouter

from api.crud import crud_router, nested_router
from models.discount_list import (
    DiscountCreate,
    DiscountFilters,
    DiscountListCreate,
    DiscountListFilters,
    DiscountListPublic,
    DiscountListUpdate,
    DiscountPublic,
    DiscountUpdate,
)
from models.permissions import Area
from services.discount_lists import discount_lists, discounts

router = APIRouter()
router.include_router(
    crud_router(
        discount_lists,
        prefix="/discount-lists",
        tag="discount lists",
        area=Area.catalog,
        create=DiscountListCreate,
        update=DiscountListUpdate,
        public=DiscountListPublic,
        filters=DiscountListFilters,
    )
)
router.include_router(
    nested_router(
        discount_lists,
        discounts,
        prefix="/discount-lists/{parent_id}/discounts",
        parent_field="discount_list_id",
        tag="discount lists",
        area=Area.catalog,
        create=DiscountCreate,
        update=DiscountUpdate,
        public=DiscountPublic,
        filters=DiscountFilters,
    )
)
