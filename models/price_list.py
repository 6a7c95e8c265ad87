"""Price list and its items: the price of a product in a unit, in one currency, for a period."""

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

import sqlalchemy as sa
from pydantic import field_validator
from sqlmodel import Field, SQLModel

from models.base import RecordPublic, RecordTable, RequestFields, StrEnumType, money_field
from models.errors import InvalidField
from models.pricing import HUNDRED, RoundingOption, RoundingPolicy, check_rounding, rounded_price
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


@dataclass(frozen=True)
class Rounding:
    """How a price worked out by a percentage method is rounded (Dynamics' roundingpolicycode,
    roundingoptioncode, roundingoptionamount)."""

    policy: RoundingPolicy = RoundingPolicy.none
    option: RoundingOption | None = None
    amount: Decimal | None = None


NO_ROUNDING = Rounding()


def item_amount(
    method: PricingMethod,
    amount: Decimal | None,
    percentage: Decimal | None,
    product: Product,
    rounding: Rounding = NO_ROUNDING,
) -> Decimal:
    """The price of one unit, to the cent: `amount` itself, or worked out from the product and
    rounded as the item says (as in Dynamics, an amount given is not rounded)."""
    check_rounding(rounding.policy, rounding.option, rounding.amount)
    if method is PricingMethod.currency_amount:
        if amount is None:
            raise InvalidField("amount", "is required with pricing_method currency_amount")
        if percentage is not None:
            raise InvalidField("percentage", "is only for the percentage pricing methods")
        if rounding.policy is not RoundingPolicy.none:
            raise InvalidField("rounding_policy", "is only for the percentage pricing methods")
        return amount
    return rounded_price(
        _worked_out(method, percentage, product), rounding.policy, rounding.option, rounding.amount
    )


def _worked_out(method: PricingMethod, percentage: Decimal | None, product: Product) -> Decimal:
    if percentage is None:
        raise InvalidField("percentage", f"is required with pricing_method {method}")
    base: Decimal | None = getattr(product, PRICED_FROM[method])
    if base is None:
        raise InvalidField(
            "pricing_method", f"{product.name} has no {PRICED_FROM[method]} to price from"
        )
    if method is PricingMethod.percent_of_list:
        return base * percentage / HUNDRED
    if method in (PricingMethod.markup_current_cost, PricingMethod.markup_standard_cost):
        return base * (HUNDRED + percentage) / HUNDRED
    if percentage >= HUNDRED:
        raise InvalidField("percentage", "a margin is under 100 percent of the price")
    return base * HUNDRED / (HUNDRED - percentage)


AMOUNT_DESCRIPTION = (
    "Price of one unit, in the list's currency: given with currency_amount, "
    "worked out from the product with the percentage methods."
)
PERCENTAGE_DESCRIPTION = "For the percentage pricing methods: 30 is 30 %."
ROUNDING_POLICY = "How a price a percentage method works out is rounded: none, up, down, nearest."
ROUNDING_OPTION = (
    "With a rounding policy: the price ends in rounding_amount, or is a multiple of it."
)
ROUNDING_AMOUNT = "With a rounding policy: 0.99 (ends in) or 0.05 (multiple of)."
DISCOUNT_LIST = "The discount list whose tiers give a line of this item its volume discount."


class ItemPricing(SQLModel):
    """What an item adds to its price: rounding and a discount list."""

    rounding_policy: RoundingPolicy = Field(
        default=RoundingPolicy.none,
        sa_type=StrEnumType(RoundingPolicy, 20),
        description=ROUNDING_POLICY,
    )
    rounding_option: RoundingOption | None = Field(
        default=None, sa_type=StrEnumType(RoundingOption, 20), description=ROUNDING_OPTION
    )
    rounding_amount: Decimal | None = money_field(default=None, ge=0, description=ROUNDING_AMOUNT)
    discount_list_id: uuid.UUID | None = Field(
        default=None, foreign_key="discount_list.id", description=DISCOUNT_LIST
    )

    @property
    def rounding(self) -> Rounding:
        return Rounding(self.rounding_policy, self.rounding_option, self.rounding_amount)


class PriceListItemBase(ItemPricing):
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


class PriceListItemCreate(ItemPricing, RequestFields):
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
    rounding_policy: RoundingPolicy | None = Field(default=None, description=ROUNDING_POLICY)
    rounding_option: RoundingOption | None = Field(default=None, description=ROUNDING_OPTION)
    rounding_amount: Decimal | None = money_field(default=None, ge=0, description=ROUNDING_AMOUNT)
    discount_list_id: uuid.UUID | None = Field(default=None, description=DISCOUNT_LIST)
    owner_id: uuid.UUID | None = None


class PriceListItemPublic(PriceListItemBase, RecordPublic):
    price_list_id: uuid.UUID


class PriceListItemFilters(SQLModel):
    product_id: uuid.UUID | None = None
    unit_id: uuid.UUID | None = None
