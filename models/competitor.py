"""Competitor: a company bidding for the same deals."""

import uuid
from decimal import Decimal

from sqlmodel import Field, SQLModel

from models.base import RecordPublic, RecordTable, RequestFields, money_amount, money_field


class CompetitorBase(SQLModel):
    name: str = Field(min_length=1, max_length=100, index=True)
    website: str | None = Field(default=None, max_length=200)
    overview: str | None = Field(default=None, max_length=4000)
    strengths: str | None = Field(default=None, max_length=4000)
    weaknesses: str | None = Field(default=None, max_length=4000)
    reported_revenue: Decimal | None = money_field(default=None, ge=0)
    ticker_symbol: str | None = Field(default=None, max_length=10)


class Competitor(CompetitorBase, RecordTable, table=True):
    pass


class CompetitorCreate(CompetitorBase, RequestFields):
    reported_revenue: Decimal | None = money_amount(default=None, ge=0)
    owner_id: uuid.UUID | None = None


class CompetitorUpdate(RequestFields):
    """Partial update: only the fields sent are changed."""

    name: str | None = Field(default=None, min_length=1, max_length=100)
    website: str | None = Field(default=None, max_length=200)
    overview: str | None = Field(default=None, max_length=4000)
    strengths: str | None = Field(default=None, max_length=4000)
    weaknesses: str | None = Field(default=None, max_length=4000)
    reported_revenue: Decimal | None = money_amount(default=None, ge=0)
    ticker_symbol: str | None = Field(default=None, max_length=10)
    owner_id: uuid.UUID | None = None


class CompetitorPublic(CompetitorBase, RecordPublic):
    pass


class CompetitorRecordAgainst(SQLModel):
    """Deals won and lost against a competitor (linked to it, or lost to it): how many, and
    their amounts (won: actual revenue; lost: what they were worth)."""

    won_count: int = 0
    won_amount: Decimal = money_field(default=Decimal(0))
    lost_count: int = 0
    lost_amount: Decimal = money_field(default=Decimal(0))


class CompetitorDetail(CompetitorPublic, CompetitorRecordAgainst):
    """A competitor, with the deals won and lost against it."""


class CompetitorFilters(SQLModel):
    ticker_symbol: str | None = None
    owner_id: uuid.UUID | None = None
