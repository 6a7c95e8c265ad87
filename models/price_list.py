"""Price list and its items: the price of a product in a unit, in one currency, for a period."""

import uuid
from datetime import date
from decimal import Decimal
from enum import StrEnum

import sqlalchemy as sa
from pydantic import field_validator
from sqlmodel import Field, SQLModel

from models.base import RecordPublic, RecordTable, RequestFields, StrEnumType, money_field
from models.errors import InvalidField
from models.pricing import to_cents
from models.product import Product
from models.rules import check_currency_code


class PriceListBase(SQLModel):
    name: str = Field(min_length=1, max_length=100, index=True)
    currency: str = Field(
        min_length=3,
        max_length=3,
        sa_type=sa.String(3),
        index=True,
        description="ISO 4217 code, three uppercase letters (`EUR`).",
    )
    valid_from: date | None = None
    valid_to: date | None = Field(default=None, description="Not before valid_from.")
    description: str | None = Field(default=None, max_length=2000)

    @field_validator("currency")
    @classmethod
    def _currency_code(cls, value: str | None) -> str | None:
        return None if value is None else check_currency_code(value)


class PriceList(PriceListBase, RecordTable, table=True):
    pass


class PriceListCreate(PriceListBase, RequestFields):
    owner_id: uuid.UUID | None = None


class PriceListUpdate(RequestFields):
    """Partial update: only the fields sent are changed."""

    name: str | None = Field(default=None, min_length=1, max_length=100)
    currency: str | None = Field(
        default=None,
        min_length=3,
        max_length=3,
        description="ISO 4217 code, three uppercase letters (`EUR`).",
    )
    valid_from: date | None = None
    valid_to: date | None = Field(default=None, description="Not before valid_from.")
    description: str | None = Field(default=None, max_length=2000)
    owner_id: uuid.UUID | None = None

    @field_validator("currency")
    @classmethod
    def _currency_code(cls, value: str | None) -> str | None:
        return None if value is None else check_currency_code(value)


class PriceListPublic(PriceListBase, RecordPublic):
    pass


class PriceListFilters(SQLModel):
    currency: str | None = None
    owner_id: uuid.UUID | None = None


class PricingMethod(StrEnum):
    """How an item's price is found (Dynamics' pricingmethodcode): an amount given, or a
    percentage of one of the product's prices, worked out whenever the item or product changes."""

    currency_amount = "currency_amount"
    percent_of_list = "percent_of_list"  # of the product's list price
    markup_current_cost = "markup_current_cost"  # cost + percentage of the cost
    margin_current_cost = "margin_current_cost"  # the percentage of the price is margin
    markup_standard_cost = "markup_standard_cost"
    margin_standard_cost = "margin_standard_cost"


# The product price each percentage method starts from.
PRICED_FROM = {
    PricingMethod.percent_of_list: "list_price",
    PricingMethod.markup_current_cost: "current_cost",
    PricingMethod.margin_current_cost: "current_cost",
    PricingMethod.markup_standard_cost: "standard_cost",
    PricingMethod.margin_standard_cost: "standard_cost",
}
HUNDRED = Decimal(100)


def item_amount(
    method: PricingMethod, amount: Decimal | None, percentage: Decimal | None, product: Product
) -> Decimal:
    """The price of one unit, to the cent: `amount` itself, or worked out from the product."""
    if method is PricingMethod.currency_amount:
        if amount is None:
            raise InvalidField("amount", "is required with pricing_method currency_amount")
        if percentage is not None:
            raise InvalidField("percentage", "is only for the percentage pricing methods")
        return amount
    if percentage is None:
        raise InvalidField("percentage", f"is required with pricing_method {method}")
    base: Decimal | None = getattr(product, PRICED_FROM[method])
    if base is None:
        raise InvalidField(
            "pricing_method", f"{product.name} has no {PRICED_FROM[method]} to price from"
        )
    if method is PricingMethod.percent_of_list:
        return to_cents(base * percentage / HUNDRED)
    if method in (PricingMethod.markup_current_cost, PricingMethod.markup_standard_cost):
        return to_cents(base * (HUNDRED + percentage) / HUNDRED)
    if percentage >= HUNDRED:
        raise InvalidField("percentage", "a margin is under 100 percent of the price")
    return to_cents(base * HUNDRED / (HUNDRED - percentage))


AMOUNT_DESCRIPTION = (
    "Price of one unit, in the list's currency: given with currency_amount, "
    "worked out from the product with the percentage methods."
)
PERCENTAGE_DESCRIPTION = "For the percentage pricing methods: 30 is 30 %."


class PriceListItemBase(SQLModel):
    product_id: uuid.UUID = Field(foreign_key="product.id", index=True)
    unit_id: uuid.UUID = Field(foreign_key="unit.id", description="A unit of the product's group.")
    amount: Decimal = money_field(ge=0, description=AMOUNT_DESCRIPTION)
    pricing_method: PricingMethod = Field(
        default=PricingMethod.currency_amount, sa_type=StrEnumType(PricingMethod, 30)
    )
    percentage: Decimal | None = money_field(default=None, ge=0, description=PERCENTAGE_DESCRIPTION)


class PriceListItem(PriceListItemBase, RecordTable, table=True):
    # One active price per product and unit in a list; the database holds the line too.
    __table_args__ = (
        sa.Index(
            "uq_price_list_item_active",
            "price_list_id",
            "product_id",
            "unit_id",
            unique=True,
            sqlite_where=sa.text("is_active"),
            postgresql_where=sa.text("is_active"),
        ),
    )

    price_list_id: uuid.UUID = Field(foreign_key="pricelist.id", index=True)


class PriceListItemCreate(RequestFields):
    """`amount` may be left out: the percentage pricing methods work it out."""

    product_id: uuid.UUID
    unit_id: uuid.UUID = Field(description="A unit of the product's group.")
    amount: Decimal | None = money_field(default=None, ge=0, description=AMOUNT_DESCRIPTION)
    pricing_method: PricingMethod = PricingMethod.currency_amount
    percentage: Decimal | None = money_field(default=None, ge=0, description=PERCENTAGE_DESCRIPTION)
    owner_id: uuid.UUID | None = None


class PriceListItemUpdate(RequestFields):
    """Partial update: only the fields sent are changed."""

    product_id: uuid.UUID | None = None
    unit_id: uuid.UUID | None = Field(default=None, description="A unit of the product's group.")
    amount: Decimal | None = money_field(default=None, ge=0, description=AMOUNT_DESCRIPTION)
    pricing_method: PricingMethod | None = None
    percentage: Decimal | None = money_field(default=None, ge=0, description=PERCENTAGE_DESCRIPTION)
    owner_id: uuid.UUID | None = None


class PriceListItemPublic(PriceListItemBase, RecordPublic):
    price_list_id: uuid.UUID


class PriceListItemFilters(SQLModel):
    product_id: uuid.UUID | None = None
    unit_id: uuid.UUID | None = None
