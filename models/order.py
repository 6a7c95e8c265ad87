"""Order: the customer's confirmation, prices locked when it is created."""

import uuid
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from sqlmodel import Field, SQLModel

from models.base import (
    RecordPublic,
    RecordTable,
    RequestFields,
    StrEnumType,
    UTCDateTime,
    money_field,
    sort_indexes,
)
from models.payment_schedule import PaymentPart, PaymentPartsType
from models.totals import DocumentCharges, DocumentTotals


class OrderState(StrEnum):
    active = "active"
    submitted = "submitted"
    canceled = "canceled"
    fulfilled = "fulfilled"
    invoiced = "invoiced"


class OrderStatus(StrEnum):
    new = "new"
    pending = "pending"
    submitted = "submitted"
    canceled = "canceled"
    complete = "complete"
    partial = "partial"
    invoiced = "invoiced"


FULFILL_STATUSES = frozenset({OrderStatus.complete, OrderStatus.partial})


class OrderBase(DocumentCharges):
    name: str | None = Field(default=None, max_length=300)
    account_id: uuid.UUID | None = Field(default=None, foreign_key="account.id", index=True)
    contact_id: uuid.UUID | None = Field(default=None, foreign_key="contact.id")
    price_list_id: uuid.UUID | None = Field(default=None, foreign_key="pricelist.id")
    ship_to_address: str | None = Field(default=None, max_length=500)
    description: str | None = Field(default=None, max_length=2000)


class OrderFields(OrderBase, RequestFields):
    """As a client sends them."""


class OrderUpdate(DocumentCharges, RequestFields):
    """What a person may edit on an active order not billed yet; only the fields sent change."""

    name: str | None = Field(default=None, max_length=300)
    ship_to_address: str | None = Field(default=None, max_length=500)
    description: str | None = Field(default=None, max_length=2000)


class OrderProcess(DocumentTotals):
    deal_id: str = Field(max_length=80, index=True)
    order_number: str = Field(max_length=40, index=True)
    opportunity_id: uuid.UUID | None = Field(default=None, foreign_key="opportunity.id")
    quote_id: uuid.UUID | None = Field(default=None, foreign_key="quote.id")
    state: OrderState = Field(
        default=OrderState.active, sa_type=StrEnumType(OrderState, 20), index=True
    )
    status_reason: OrderStatus = Field(
        default=OrderStatus.new, sa_type=StrEnumType(OrderStatus, 20)
    )
    total_amount: Decimal = money_field(default=Decimal(0))
    # Kept apart from the state: an order can be fulfilled before or after it is invoiced.
    fulfillment_status: OrderStatus | None = Field(
        default=None, sa_type=StrEnumType(OrderStatus, 20)
    )
    submitted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    fulfilled_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # Why the order is on hold (status Pending), as the person who held it said.
    hold_reason: str | None = Field(default=None, max_length=500)
    # How the order is billed, part by part (none: as its invoices choose).
    payment_schedule: list[PaymentPart] = Field(
        default_factory=list, sa_type=PaymentPartsType, sa_column_kwargs={"nullable": False}
    )
    # Dynamics' ispricelocked: the prices stay as they were at creation until unlocked.
    is_price_locked: bool = True


class SalesOrder(OrderBase, OrderProcess, RecordTable, table=True):
    __table_args__ = sort_indexes("sales_order", "total_amount", text=("order_number",))
    # "order" is an SQL keyword; Dynamics calls the entity salesorder too.
    __tablename__ = "sales_order"


class OrderRecord(OrderBase, OrderProcess, RecordPublic):
    """An order as plain data, every column: what the deal's actions read and return."""


class OrderPublic(OrderRecord):
    pass


class OrderFilters(SQLModel):
    state: OrderState | None = None
    account_id: uuid.UUID | None = None
    opportunity_id: uuid.UUID | None = None
    owner_id: uuid.UUID | None = None
