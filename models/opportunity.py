"""Opportunity: a potential sale to an account or contact, won or lost in the end."""

import uuid
from datetime import date
from decimal import Decimal
from enum import StrEnum

from sqlmodel import Field, SQLModel

from models.base import (
    RecordPublic,
    RecordTable,
    RequestFields,
    StrEnumType,
    money_amount,
    money_field,
    sort_indexes,
)
from models.totals import (
    DISCOUNT_AMOUNT,
    DISCOUNT_PERCENTAGE,
    FREIGHT_AMOUNT,
    DocumentCharges,
    DocumentTotals,
)


class OpportunityState(StrEnum):
    open = "open"
    won = "won"
    lost = "lost"


class OpportunityStatus(StrEnum):
    in_progress = "in_progress"
    on_hold = "on_hold"
    won = "won"
    canceled = "canceled"
    out_sold = "out_sold"


LOSS_REASONS = frozenset({OpportunityStatus.canceled, OpportunityStatus.out_sold})


class OpportunityFields(DocumentCharges):
    """What a person may enter or edit on an open opportunity."""

    name: str = Field(min_length=1, max_length=300)
    account_id: uuid.UUID | None = Field(default=None, foreign_key="account.id", index=True)
    contact_id: uuid.UUID | None = Field(default=None, foreign_key="contact.id", index=True)
    price_list_id: uuid.UUID | None = Field(default=None, foreign_key="pricelist.id")
    estimated_close_date: date | None = None
    probability: int | None = Field(default=None, ge=0, le=100)
    # The user's estimate, or, while the revenue is system-calculated, the lines' total.
    estimated_revenue: Decimal | None = money_field(default=None, ge=0)
    is_revenue_system_calculated: bool = True
    description: str | None = Field(default=None, max_length=2000)
    # What the customer needs and what is proposed (the Develop stage's steps).
    customer_need: str | None = Field(default=None, max_length=2000)
    proposed_solution: str | None = Field(default=None, max_length=2000)


class OpportunityCreate(OpportunityFields, RequestFields):
    estimated_revenue: Decimal | None = money_amount(default=None, ge=0)
    owner_id: uuid.UUID | None = None


class OpportunityUpdate(RequestFields):
    """Partial update: only the fields sent are changed."""

    name: str | None = Field(default=None, min_length=1, max_length=300)
    account_id: uuid.UUID | None = None
    contact_id: uuid.UUID | None = None
    price_list_id: uuid.UUID | None = None
    estimated_close_date: date | None = None
    probability: int | None = Field(default=None, ge=0, le=100)
    estimated_revenue: Decimal | None = money_amount(default=None, ge=0)
    is_revenue_system_calculated: bool | None = None
    description: str | None = Field(default=None, max_length=2000)
    customer_need: str | None = Field(default=None, max_length=2000)
    proposed_solution: str | None = Field(default=None, max_length=2000)
    discount_percentage: Decimal | None = money_field(
        default=None, ge=0, le=100, description=DISCOUNT_PERCENTAGE
    )
    discount_amount: Decimal | None = money_field(default=None, ge=0, description=DISCOUNT_AMOUNT)
    freight_amount: Decimal | None = money_field(default=None, ge=0, description=FREIGHT_AMOUNT)


def system_revenue(
    record: "OpportunityFields", lines_total: Decimal, **changes: object
) -> dict[str, object]:
    """`changes` to an opportunity, with its estimated revenue kept equal to its total while the
    revenue is system-calculated (`changes` may switch that on or off)."""
    calculated = changes.get("is_revenue_system_calculated", record.is_revenue_system_calculated)
    if calculated:
        return {**changes, "estimated_revenue": lines_total}
    return changes


class OpportunityProcess(DocumentTotals):
    deal_id: str = Field(max_length=80, index=True)
    originating_lead_id: uuid.UUID | None = None
    state: OpportunityState = Field(
        default=OpportunityState.open, sa_type=StrEnumType(OpportunityState, 20), index=True
    )
    status_reason: OpportunityStatus = Field(
        default=OpportunityStatus.in_progress, sa_type=StrEnumType(OpportunityStatus, 20)
    )
    total_amount: Decimal = money_field(default=Decimal(0))
    actual_revenue: Decimal | None = money_field(default=None)
    actual_close_date: date | None = None
    winning_competitor_id: uuid.UUID | None = Field(default=None, foreign_key="competitor.id")
    close_description: str | None = Field(default=None, max_length=2000)


class Opportunity(OpportunityFields, OpportunityProcess, RecordTable, table=True):
    __table_args__ = sort_indexes(
        "opportunity",
        "total_amount",
        "estimated_close_date",
        text=("name",),
        nullable=("estimated_close_date",),
    )


class OpportunityRecord(OpportunityFields, OpportunityProcess, RecordPublic):
    """An opportunity as plain data, every column: what the deal's actions read and return."""


class OpportunityPublic(OpportunityRecord):
    pass


class OpportunityFilters(SQLModel):
    state: OpportunityState | None = None
    account_id: uuid.UUID | None = None
    contact_id: uuid.UUID | None = None
    owner_id: uuid.UUID | None = None
