"""Lead: a person and/or company that showed interest; qualified into an opportunity, or not."""

import uuid
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

import sqlalchemy as sa
from pydantic import EmailStr
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


class LeadState(StrEnum):
    open = "open"
    qualified = "qualified"
    disqualified = "disqualified"


class LeadStatus(StrEnum):
    new = "new"
    contacted = "contacted"
    qualified = "qualified"
    lost = "lost"
    cannot_contact = "cannot_contact"
    no_longer_interested = "no_longer_interested"
    canceled = "canceled"


DISQUALIFY_REASONS = frozenset(
    {
        LeadStatus.lost,
        LeadStatus.cannot_contact,
        LeadStatus.no_longer_interested,
        LeadStatus.canceled,
    }
)


class PurchaseTimeframe(StrEnum):
    immediate = "immediate"
    this_quarter = "this_quarter"
    next_quarter = "next_quarter"
    this_year = "this_year"
    unknown = "unknown"


class PurchaseProcess(StrEnum):
    individual = "individual"
    committee = "committee"
    unknown = "unknown"


class LeadFields(SQLModel):
    """What a person may enter or edit on an open lead."""

    topic: str = Field(min_length=1, max_length=300)
    first_name: str | None = Field(default=None, max_length=50)
    last_name: str = Field(min_length=1, max_length=50)
    job_title: str | None = Field(default=None, max_length=100)
    company_name: str | None = Field(default=None, max_length=100)
    email: EmailStr | None = Field(default=None, max_length=100, sa_type=sa.String(100))
    phone: str | None = Field(default=None, max_length=50)
    source: str | None = Field(default=None, max_length=50)
    estimated_budget: Decimal | None = money_field(default=None, ge=0)
    purchase_timeframe: PurchaseTimeframe | None = Field(
        default=None, sa_type=StrEnumType(PurchaseTimeframe, 20)
    )
    purchase_process: PurchaseProcess | None = Field(
        default=None, sa_type=StrEnumType(PurchaseProcess, 20)
    )
    decision_maker_identified: bool = False
    description: str | None = Field(default=None, max_length=2000)


class LeadCreate(LeadFields, RequestFields):
    estimated_budget: Decimal | None = money_amount(default=None, ge=0)
    owner_id: uuid.UUID | None = None


class LeadUpdate(RequestFields):
    """Partial update: only the fields sent are changed."""

    topic: str | None = Field(default=None, min_length=1, max_length=300)
    first_name: str | None = Field(default=None, max_length=50)
    last_name: str | None = Field(default=None, min_length=1, max_length=50)
    job_title: str | None = Field(default=None, max_length=100)
    company_name: str | None = Field(default=None, max_length=100)
    email: EmailStr | None = Field(default=None, max_length=100)
    phone: str | None = Field(default=None, max_length=50)
    source: str | None = Field(default=None, max_length=50)
    estimated_budget: Decimal | None = money_amount(default=None, ge=0)
    purchase_timeframe: PurchaseTimeframe | None = None
    purchase_process: PurchaseProcess | None = None
    decision_maker_identified: bool | None = None
    description: str | None = Field(default=None, max_length=2000)


class LeadProcess(SQLModel):
    """Set only by the deal workflow's transitions."""

    deal_id: str = Field(max_length=80, index=True)
    state: LeadState = Field(default=LeadState.open, sa_type=StrEnumType(LeadState, 20), index=True)
    status_reason: LeadStatus = Field(default=LeadStatus.new, sa_type=StrEnumType(LeadStatus, 30))
    account_id: uuid.UUID | None = Field(default=None, foreign_key="account.id")
    contact_id: uuid.UUID | None = Field(default=None, foreign_key="contact.id")
    opportunity_id: uuid.UUID | None = None
    qualified_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    is_stale: bool = False


class Lead(LeadFields, LeadProcess, RecordTable, table=True):
    __table_args__ = sort_indexes(
        "lead", text=("last_name", "company_name", "topic"), nullable=("company_name",)
    )


class LeadRecord(LeadFields, LeadProcess, RecordPublic):
    """A lead as plain data, every column: what the deal's actions read and return."""


class LeadPublic(LeadRecord):
    pass


class LeadFilters(SQLModel):
    state: LeadState | None = None
    owner_id: uuid.UUID | None = None
    source: str | None = None
    company_name: str | None = None
