"""Quote: an offer for an opportunity, revised until accepted or closed."""

import uuid
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from pydantic import model_validator
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
from models.errors import InvalidField
from models.totals import DocumentCharges, DocumentTotals


class QuoteState(StrEnum):
    draft = "draft"
    active = "active"
    won = "won"
    closed = "closed"


class QuoteStatus(StrEnum):
    in_progress = "in_progress"
    open = "open"
    won = "won"
    lost = "lost"
    canceled = "canceled"
    revised = "revised"
    expired = "expired"


CLOSE_REASONS = frozenset({QuoteStatus.lost, QuoteStatus.canceled})


class QuoteBase(DocumentCharges):
    """What a person may edit on a draft quote. Its discount and freight left out when it is
    created are the opportunity's."""

    name: str | None = Field(default=None, max_length=300)
    effective_from: date | None = None
    effective_to: date | None = None
    shipping_method: str | None = Field(default=None, max_length=50)
    ship_to_name: str | None = Field(default=None, max_length=200)
    ship_to_address: str | None = Field(default=None, max_length=500)
    payment_terms: str | None = Field(default=None, max_length=50)
    description: str | None = Field(default=None, max_length=2000)

    @model_validator(mode="after")
    def _effective_range(self) -> "QuoteBase":
        check_effective_range(self.effective_from, self.effective_to)
        return self


class QuoteFields(QuoteBase, RequestFields):
    """As a client sends them."""


def check_effective_range(effective_from: date | None, effective_to: date | None) -> None:
    if effective_from and effective_to and effective_to < effective_from:
        raise InvalidField("effective_to", "is before effective_from")


class QuoteProcess(DocumentTotals):
    deal_id: str = Field(max_length=80, index=True)
    opportunity_id: uuid.UUID | None = Field(default=None, foreign_key="opportunity.id", index=True)
    quote_number: str = Field(max_length=40, index=True)
    revision_number: int = 0
    revises_quote_id: uuid.UUID | None = None
    state: QuoteState = Field(
        default=QuoteState.draft, sa_type=StrEnumType(QuoteState, 20), index=True
    )
    status_reason: QuoteStatus = Field(
        default=QuoteStatus.in_progress, sa_type=StrEnumType(QuoteStatus, 20)
    )
    total_amount: Decimal = money_field(default=Decimal(0))
    activated_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    closed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class Quote(QuoteBase, QuoteProcess, RecordTable, table=True):
    __table_args__ = sort_indexes(
        "quote", "total_amount", "revision_number", text=("quote_number",)
    )


class QuoteRecord(QuoteBase, QuoteProcess, RecordPublic):
    """A quote as plain data, every column: what the deal's actions read and return."""


class QuotePublic(QuoteRecord):
    pass


class QuoteFilters(SQLModel):
    state: QuoteState | None = None
    opportunity_id: uuid.UUID | None = None
    quote_number: str | None = None
    owner_id: uuid.UUID | None = None
