"""Product: a sellable item or service (not inventory), counted in a unit of its unit group."""

import uuid
from datetime import date
from decimal import Decimal
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from models.base import RecordPublic, RecordTable, RequestFields, StrEnumType, money_field

MAX_QUANTITY_DECIMALS = 4


class ProductType(StrEnum):
    """Dynamics 365's product types (producttypecode)."""

    sales_inventory = "sales_inventory"
    miscellaneous_charges = "miscellaneous_charges"
    services = "services"


class ProductBase(SQLModel):
    name: str = Field(min_length=1, max_length=100, index=True)
    product_number: str = Field(
        min_length=1, max_length=100, description="The product ID; unique among products."
    )
    description: str | None = Field(default=None, max_length=2000)
    product_type: ProductType = Field(
        default=ProductType.sales_inventory, sa_type=StrEnumType(ProductType, 30), index=True
    )
    unit_group_id: uuid.UUID = Field(foreign_key="unitgroup.id", index=True)
    default_unit_id: uuid.UUID = Field(
        foreign_key="unit.id", description="A unit of the product's unit group."
    )
    list_price: Decimal | None = money_field(default=None, ge=0)
    standard_cost: Decimal | None = money_field(default=None, ge=0)
    current_cost: Decimal | None = money_field(default=None, ge=0)
    quantity_decimal: int = Field(
        default=0,
        ge=0,
        le=MAX_QUANTITY_DECIMALS,
        description="How many decimals a quantity of this product may have (0: whole units).",
    )
    valid_from: date | None = None
    valid_to: date | None = Field(default=None, description="Not before valid_from.")


class Product(ProductBase, RecordTable, table=True):
    # Unique among all products, retired ones included; the database holds the line too.
    __table_args__ = (sa.Index("uq_product_number", "product_number", unique=True),)


class ProductCreate(ProductBase, RequestFields):
    owner_id: uuid.UUID | None = None


class ProductUpdate(RequestFields):
    """Partial update: only the fields sent are changed."""

    name: str | None = Field(default=None, min_length=1, max_length=100)
    product_number: str | None = Field(
        default=None,
        min_length=1,
        max_length=100,
        description="The product ID; unique among products.",
    )
    description: str | None = Field(default=None, max_length=2000)
    product_type: ProductType | None = None
    unit_group_id: uuid.UUID | None = None
    default_unit_id: uuid.UUID | None = Field(
        default=None, description="A unit of the product's unit group."
    )
    list_price: Decimal | None = money_field(default=None, ge=0)
    standard_cost: Decimal | None = money_field(default=None, ge=0)
    current_cost: Decimal | None = money_field(default=None, ge=0)
    quantity_decimal: int | None = Field(
        default=None,
        ge=0,
        le=MAX_QUANTITY_DECIMALS,
        description="How many decimals a quantity of this product may have (0: whole units).",
    )
    valid_from: date | None = None
    valid_to: date | None = Field(default=None, description="Not before valid_from.")
    owner_id: uuid.UUID | None = None


class ProductPublic(ProductBase, RecordPublic):
    pass


class ProductFilters(SQLModel):
    product_type: ProductType | None = None
    unit_group_id: uuid.UUID | None = None
    owner_id: uuid.UUID | None = None
