"""Tax rates: a percentage a line may name (`tax_rate_id`); the line's tax is that share of its
amount after discounts, rounded on the line."""

import uuid
from decimal import Decimal

from sqlmodel import Field, SQLModel

from models.base import RecordPublic, RecordTable, RequestFields, money_field

PERCENTAGE = "20 is 20 % of a line's amount after its discounts."


class TaxRateBase(SQLModel):
    name: str = Field(min_length=1, max_length=100, index=True)
    percentage: Decimal = money_field(ge=0, le=100, description=PERCENTAGE)
    description: str | None = Field(default=None, max_length=2000)


class TaxRate(TaxRateBase, RecordTable, table=True):
    __tablename__ = "tax_rate"


class TaxRateCreate(TaxRateBase, RequestFields):
    owner_id: uuid.UUID | None = None


class TaxRateUpdate(RequestFields):
    """Partial update: only the fields sent are changed. Lines already taxed keep their tax."""

    name: str | None = Field(default=None, min_length=1, max_length=100)
    percentage: Decimal | None = money_field(default=None, ge=0, le=100, description=PERCENTAGE)
    description: str | None = Field(default=None, max_length=2000)
    owner_id: uuid.UUID | None = None


class TaxRatePublic(TaxRateBase, RecordPublic):
    pass


class TaxRateFilters(SQLModel):
    owner_id: uuid.UUID | None = None
