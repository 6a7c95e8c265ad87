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
    money_field,
    money_input,
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
    manual_discount: Decimal = money_input(default=Decimal(0), ge=0)
    tax: Decimal = money_input(default=Decimal(0), ge=0)

    @model_validator(mode="after")
    def _product_or_write_in(self) -> "LineInput":
        if (self.product_id is None) == (self.write_in_description is None):
            raise ValueError("give either product_id or write_in_description, not both")
        if self.product_id is None and self.price_per_unit is None:
            raise ValueError("a write-in line needs price_per_unit")
        return self


class LineUpdate(RequestFields):
    quantity: Decimal | None = money_input(default=None, gt=0)
    price_per_unit: Decimal | None = money_input(default=None, ge=0)
    manual_discount: Decimal | None = money_input(default=None, ge=0)
    tax: Decimal | None = money_input(default=None, ge=0)


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
    volume_discount: Decimal = money_field(default=Decimal(0))
    manual_discount: Decimal = money_field(default=Decimal(0))
    tax: Decimal = money_field(default=Decimal(0))
    extended_amount: Decimal = money_field()
    # The line this one was copied from: a quote line's opportunity line, an invoice's order line.
    source_line_id: uuid.UUID | None = Field(default=None, index=True)


class LineItem(LineItemBase, RecordTable, table=True):
    __tablename__ = "line_item"


class LineItemRecord(LineItemBase, RecordPublic):
    """A line as plain data, every column: what the deal's actions read and return."""


class LineItemPublic(LineItemRecord):
    pass
