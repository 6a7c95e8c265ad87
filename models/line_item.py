"""Line items: products (or write-ins) on an opportunity, quote, order or invoice.

One table for the four documents, as the lines have the same shape and are copied from one
document to the next; `document` says which one a line belongs to.
"""

import uuid
from decimal import Decimal
from enum import StrEnum

from pydantic import model_validator
from sqlmodel import Field, SQLModel

from models.base import (
    RecordPublic,
    RecordTable,
    RequestFields,
    StrEnumType,
    money_amount,
    money_field,
    money_input,
)
from models.product_property import (
    MAX_PROPERTIES,
    LinePropertiesType,
    LinePropertyValue,
    PropertyInput,
    PropertyName,
)

PROPERTIES_DESCRIPTION = (
    "The product's properties filled on the line, by name: text, a number, or one of a "
    "choice's options. A required one must be given unless it has a default."
)


TAX_DESCRIPTION = "The line's tax as an amount; or name a tax rate instead."
TAX_RATE_DESCRIPTION = (
    "A tax rate (/tax-rates): the tax is its percentage of the line after discounts, rounded "
    "on the line."
)


class Document(StrEnum):
    opportunity = "opportunity"
    quote = "quote"
    order = "order"
    invoice = "invoice"


class LineInput(RequestFields):
    """A line as a person enters it: a catalog product, or a write-in with its own price."""

    product_id: uuid.UUID | None = None
    write_in_description: str | None = Field(default=None, max_length=500)
    unit_id: uuid.UUID | None = None
    quantity: Decimal = money_input(gt=0)
    price_per_unit: Decimal | None = money_input(default=None, ge=0)
    manual_discount: Decimal = money_amount(default=Decimal(0), ge=0)
    tax: Decimal = money_amount(default=Decimal(0), ge=0, description=TAX_DESCRIPTION)
    tax_rate_id: uuid.UUID | None = Field(default=None, description=TAX_RATE_DESCRIPTION)
    properties: dict[PropertyName, PropertyInput] = Field(
        default_factory=dict, max_length=MAX_PROPERTIES, description=PROPERTIES_DESCRIPTION
    )

    @model_validator(mode="after")
    def _product_or_write_in(self) -> "LineInput":
        if (self.product_id is None) == (self.write_in_description is None):
            raise ValueError("give either product_id or write_in_description, not both")
        if self.product_id is None and self.price_per_unit is None:
            raise ValueError("a write-in line needs price_per_unit")
        if self.product_id is None and self.properties:
            raise ValueError("a write-in line has no properties: they are a product's")
        if self.tax_rate_id is not None and self.tax:
            raise ValueError("give tax or tax_rate_id, not both")
        return self


class PricedLine(LineInput):
    """A line as the catalog priced it, what a deal action carries: its price locked, whether
    that overrides the price list's, and the discount list its volume discount comes from."""

    is_price_overridden: bool = False
    discount_list_id: uuid.UUID | None = None


class LineUpdate(RequestFields):
    quantity: Decimal | None = money_input(default=None, gt=0)
    price_per_unit: Decimal | None = money_input(default=None, ge=0)
    manual_discount: Decimal | None = money_amount(default=None, ge=0)
    tax: Decimal | None = money_amount(default=None, ge=0, description=TAX_DESCRIPTION)
    tax_rate_id: uuid.UUID | None = Field(default=None, description=TAX_RATE_DESCRIPTION)
    properties: dict[PropertyName, PropertyInput | None] | None = Field(
        default=None,
        max_length=MAX_PROPERTIES,
        description="Properties to set, by name; the others keep their values. A null sets one "
        "back to its default (or clears it, if it has none and is not required).",
    )


class LineItemBase(SQLModel):
    deal_id: str = Field(max_length=80, index=True)
    document: Document = Field(sa_type=StrEnumType(Document, 20))
    document_id: uuid.UUID = Field(index=True)
    line_number: int
    product_id: uuid.UUID | None = Field(default=None, foreign_key="product.id")
    write_in_description: str | None = Field(default=None, max_length=500)
    unit_id: uuid.UUID | None = Field(default=None, foreign_key="unit.id")
    quantity: Decimal = money_field()
    price_per_unit: Decimal = money_field()
    is_price_overridden: bool = False
    # Dynamics' baseamount: price per unit x quantity.
    base_amount: Decimal = money_field(default=Decimal(0))
    # Per unit, from the tier of `discount_list_id` the quantity falls in.
    volume_discount: Decimal = money_field(default=Decimal(0))
    discount_list_id: uuid.UUID | None = Field(default=None, foreign_key="discount_list.id")
    manual_discount: Decimal = money_field(default=Decimal(0))
    tax: Decimal = money_field(default=Decimal(0))
    tax_rate_id: uuid.UUID | None = Field(default=None, foreign_key="tax_rate.id")
    extended_amount: Decimal = money_field()
    # The line this one was copied from: a quote line's opportunity line, an invoice's order line.
    source_line_id: uuid.UUID | None = Field(default=None, index=True)
    # The product's properties as filled on the line, copied with it (dynamicpropertyinstance).
    properties: list[LinePropertyValue] = Field(
        default_factory=list, sa_type=LinePropertiesType, sa_column_kwargs={"nullable": False}
    )


class LineItem(LineItemBase, RecordTable, table=True):
    __tablename__ = "line_item"


class LineItemRecord(LineItemBase, RecordPublic):
    """A line as plain data, every column: what the deal's actions read and return."""


class LineItemPublic(LineItemRecord):
    pass
