"""Invoice and its payments: the bill, paid in one or several payments."""

import uuid
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from pydantic import computed_field
from sqlmodel import Field, SQLModel

from models.base import (
    RecordPublic,
    RecordTable,
    RequestFields,
    StrEnumType,
    UTCDateTime,
    money_amount,
    money_field,
    sort_indexes,
)
from models.totals import DocumentCharges, DocumentTotals


class InvoiceState(StrEnum):
    active = "active"
    paid = "paid"
    canceled = "canceled"


class InvoiceStatus(StrEnum):
    new = "new"
    partially_paid = "partially_paid"
    overdue = "overdue"
    complete = "complete"
    canceled = "canceled"


class InvoiceBase(SQLModel):
    name: str | None = Field(default=None, max_length=300)
    account_id: uuid.UUID | None = Field(default=None, foreign_key="account.id", index=True)
    contact_id: uuid.UUID | None = Field(default=None, foreign_key="contact.id")
    due_date: date | None = None
    description: str | None = Field(default=None, max_length=2000)


class InvoiceFields(InvoiceBase, RequestFields):
    """As a client sends them for an invoice of an order, which takes its share of the order's
    discount and freight."""


class InvoiceEntry(InvoiceBase, DocumentCharges, RequestFields):
    """As a client sends them for an invoice entered directly, with its discount and freight."""

    price_list_id: uuid.UUID | None = None


class InvoiceUpdate(DocumentCharges, RequestFields):
    """What a person may edit on an active, unpaid invoice entered directly; only the fields sent
    change."""

    name: str | None = Field(default=None, max_length=300)
    due_date: date | None = None
    description: str | None = Field(default=None, max_length=2000)


class InvoiceProcess(DocumentTotals):
    deal_id: str = Field(max_length=80, index=True)
    invoice_number: str = Field(max_length=40, index=True)
    order_id: uuid.UUID | None = Field(default=None, foreign_key="sales_order.id", index=True)
    state: InvoiceState = Field(
        default=InvoiceState.active, sa_type=StrEnumType(InvoiceState, 20), index=True
    )
    status_reason: InvoiceStatus = Field(
        default=InvoiceStatus.new, sa_type=StrEnumType(InvoiceStatus, 20)
    )
    total_amount: Decimal = money_field(default=Decimal(0))
    amount_paid: Decimal = money_field(default=Decimal(0))
    paid_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # The part of its order's payment schedule the invoice bills (numbered from 1).
    schedule_part: int | None = None
    # Dynamics' ispricelocked: the prices stay as billed until unlocked.
    is_price_locked: bool = True
    # What the invoice's lines were priced from (an invoice of an order: the order's), and are
    # priced from again when it is unlocked and recalculated.
    price_list_id: uuid.UUID | None = Field(default=None, foreign_key="pricelist.id")


class Invoice(InvoiceBase, DocumentCharges, InvoiceProcess, RecordTable, table=True):
    __table_args__ = sort_indexes(
        "invoice", "total_amount", "due_date", text=("invoice_number",), nullable=("due_date",)
    )


def balance_due(state: InvoiceState, total_amount: Decimal, amount_paid: Decimal) -> Decimal:
    """What is left to pay: nothing on a cancelled invoice, whatever was billed."""
    if state is InvoiceState.canceled:
        return Decimal(0)
    return total_amount - amount_paid


class InvoiceRecord(InvoiceBase, DocumentCharges, InvoiceProcess, RecordPublic):
    """An invoice as plain data, every column: what the deal's actions read and return."""

    @property
    def balance_due(self) -> Decimal:
        return balance_due(self.state, self.total_amount, self.amount_paid)


class InvoicePublic(InvoiceRecord):
    @computed_field  # type: ignore[prop-decorator]
    @property
    def balance_due(self) -> Decimal:
        return balance_due(self.state, self.total_amount, self.amount_paid)


class InvoiceFilters(SQLModel):
    state: InvoiceState | None = None
    order_id: uuid.UUID | None = None
    account_id: uuid.UUID | None = None
    owner_id: uuid.UUID | None = None


class PaymentBase(SQLModel):
    amount: Decimal = money_field(gt=0)
    method: str | None = Field(default=None, max_length=30)
    reference: str | None = Field(default=None, max_length=100)


class PaymentFields(PaymentBase, RequestFields):
    """As a client sends them."""

    amount: Decimal = money_amount(gt=0)


class PaymentProcess(SQLModel):
    deal_id: str = Field(max_length=80, index=True)
    invoice_id: uuid.UUID = Field(foreign_key="invoice.id", index=True)
    paid_at: datetime = Field(sa_type=UTCDateTime)
    canceled_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class Payment(PaymentBase, PaymentProcess, RecordTable, table=True):
    pass


class PaymentRecord(PaymentBase, PaymentProcess, RecordPublic):
    """A payment as plain data, every column: what the deal's actions read and return."""


class PaymentPublic(PaymentRecord):
    pass
