"""Imports every table module, so SQLModel's metadata (and so Alembic) sees the whole schema."""

from models.account import Account
from models.competitor import Competitor
from models.contact import Contact
from models.price_list import PriceList, PriceListItem
from models.product import Product
from models.unit import Unit, UnitGroup

__all__ = [
    "Account",
    "Competitor",
    "Contact",
    "PriceList",
    "PriceListItem",
    "Product",
    "Unit",
    "UnitGroup",
]
