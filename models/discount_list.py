"""Discount lists and their discounts: volume tiers a price list item may name (Dynamics'
discounttype and discount). A list gives percentages or amounts per unit, never both; a
quantity falls in at most one of its tiers, both ends included."""

import uuid
from decimal import Decimal

from sqlmodel import Field, SQLModel

from models.base import RecordPublic, RecordTable, RequestFields, money_field
from models.pricing import VolumeTier

IS_AMOUNT_TYPE = "True: each tier takes an amount off each unit; false: a percentage of the price."
LOW_QUANTITY = "The least quantity of the tier, included."
HIGH_QUANTITY = "The greatest quantity of the tier, included."
PERCENTAGE = "In a list of percentages: 10 takes 10 % off the price per unit."
AMOUNT = "In a list of amounts: what is taken off each unit."


class DiscountListBase(SQLModel):
    name: str = Field(min_length=1, max_length=100, index=True)
    is_amount_type: bool = Field(default=False, description=IS_AMOUNT_TYPE)
    description: str | None = Field(default=None, max_length=2000)


class DiscountList(DiscountListBase, RecordTable, table=True):
    __tablename__ = "discount_list"


class DiscountListCreate(DiscountListBase, RequestFields):
    owner_id: uuid.UUID | None = None


class DiscountListUpdate(RequestFields):
    """Partial update: only the fields sent are changed. Whether it gives amounts is fixed once
    it has tiers."""

    name: str | None = Field(default=None, min_length=1, max_length=100)
    is_amount_type: bool | None = Field(default=None, description=IS_AMOUNT_TYPE)
    description: str | None = Field(default=None, max_length=2000)
    owner_id: uuid.UUID | None = None


class DiscountListPublic(DiscountListBase, RecordPublic):
    pass


class DiscountListFilters(SQLModel):
    is_amount_type: bool | None = None
    owner_id: uuid.UUID | None = None


class DiscountBase(SQLModel):
    low_quantity: Decimal = money_field(ge=0, description=LOW_QUANTITY)
    high_quantity: Decimal = money_field(ge=0, description=HIGH_QUANTITY)
    percentage: Decimal | None = money_field(default=None, ge=0, le=100, description=PERCENTAGE)
    amount: Decimal | None = money_field(default=None, ge=0, description=AMOUNT)


class Discount(DiscountBase, RecordTable, table=True):
    discount_list_id: uuid.UUID = Field(foreign_key="discount_list.id", index=True)

    def tier(self) -> VolumeTier:
        return VolumeTier(self.low_quantity, self.high_quantity, self.percentage, self.amount)


class DiscountCreate(DiscountBase, RequestFields):
    owner_id: uuid.UUID | None = None


class DiscountUpdate(RequestFields):
    """Partial update: only the fields sent are changed."""

    low_quantity: Decimal | None = money_field(default=None, ge=0, description=LOW_QUANTITY)
    high_quantity: Decimal | None = money_field(default=None, ge=0, description=HIGH_QUANTITY)
    percentage: Decimal | None = money_field(default=None, ge=0, le=100, description=PERCENTAGE)
    amount: Decimal | None = money_field(default=None, ge=0, description=AMOUNT)
    owner_id: uuid.UUID | None = None


class DiscountPublic(DiscountBase, RecordPublic):
    discount_list_id: uuid.UUID


class DiscountFilters(SQLModel):
    pass
