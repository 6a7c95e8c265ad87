"""What every record shares: id, owner, audit timestamps, active flag, and exact column types."""

import uuid
from datetime import UTC, datetime
from decimal import Decimal
from enum import StrEnum
from types import NoneType
from typing import Any, get_args

import sqlalchemy as sa
from pydantic import BaseModel, ConfigDict
from sqlalchemy import ClauseElement, ColumnElement
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.visitors import InternalTraversal
from sqlmodel import Field, SQLModel
from sqlmodel.main import SQLModelConfig

from models.errors import InvalidField

MONEY_SCALE = 4


def at_money_scale(value: Decimal) -> Decimal:
    """An amount or quantity exactly as the database stores and returns it."""
    return Decimal(value).quantize(Decimal(1).scaleb(-MONEY_SCALE))


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(sa.types.TypeDecorator[datetime]):
    """Timezone-aware timestamps, always read back in UTC: SQLite drops the zone, so it is put
    back; PostgreSQL answers in the session's zone (the server's default), so it is converted."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: timestamps must carry a timezone")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class ExactDecimal(sa.types.TypeDecorator[Decimal]):
    """Money and quantities to 4 decimals, exact everywhere.

    PostgreSQL stores NUMERIC. SQLite has no exact decimal (NUMERIC becomes a float), so there the
    value is stored as a scaled integer, which still sorts and sums exactly in SQL.
    """

    impl = sa.Numeric(19, MONEY_SCALE)
    cache_ok = True
    _factor = Decimal(10) ** MONEY_SCALE

    def load_dialect_impl(self, dialect: Dialect) -> sa.types.TypeEngine[Any]:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(sa.BigInteger())
        return dialect.type_descriptor(sa.Numeric(19, MONEY_SCALE))

    def process_bind_param(self, value: Decimal | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        value = at_money_scale(value)
        if dialect.name == "sqlite":
            return int(value * self._factor)
        return value

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        if dialect.name == "sqlite":
            return at_money_scale(Decimal(value) / self._factor)
        return Decimal(value)


# 14 digits before the point: the largest value, scaled to an integer for SQLite, still fits in
# its 64-bit INTEGER (19 digits would overflow it, and a too-large amount must be a 422, not a 500).
MONEY_DIGITS = 18
# The largest amount or quantity storage holds, on either database: what every input is bounded
# by, and what every amount a step works out (a line's extended amount, a total) is checked
# against before it is written.
MONEY_MAX = Decimal(10) ** (MONEY_DIGITS - MONEY_SCALE) - Decimal(1).scaleb(-MONEY_SCALE)


def check_storable(field: str, amount: Decimal) -> Decimal:
    """`amount` unchanged if storage holds it, else an `InvalidField` naming `field` (a 422):
    refused before the write, not failed by the database, or written and never read back."""
    if abs(amount) > MONEY_MAX:
        raise InvalidField(field, f"{amount} is more than the largest amount stored ({MONEY_MAX})")
    return amount


class StrEnumType(sa.types.TypeDecorator[str]):
    """A StrEnum stored as plain text (no database enum type to migrate), read back as the enum."""

    impl = sa.String
    cache_ok = True

    def __init__(self, enum: type[StrEnum], length: int = 20) -> None:
        super().__init__(length)
        self.enum = enum
        self.length = length

    def process_result_value(self, value: str | None, dialect: Dialect) -> StrEnum | None:
        return None if value is None else self.enum(value)


def money_input(**kwargs: Any) -> Any:
    """A money amount or quantity a client sends: within what storage holds, to 4 places."""
    return Field(max_digits=MONEY_DIGITS, decimal_places=MONEY_SCALE, **kwargs)


# The currency's precision: an amount of money a client sends is to the cent.
CURRENCY_PLACES = 2


def money_amount(**kwargs: Any) -> Any:
    """An amount of money a client sends (a payment, a discount, a revenue, a deposit): to the
    currency's precision, so 10.001 is a 422 naming the field, never stored as 10.0010. Prices
    per unit and quantities are not amounts: they keep `money_input`'s 4 places."""
    return Field(
        sa_type=ExactDecimal,
        max_digits=MONEY_DIGITS - MONEY_SCALE + CURRENCY_PLACES,
        decimal_places=CURRENCY_PLACES,
        **kwargs,
    )


def money_field(**kwargs: Any) -> Any:
    """A money amount or a quantity: Decimal to 4 places, exact in the database and in JSON."""
    return Field(
        sa_type=ExactDecimal, max_digits=MONEY_DIGITS, decimal_places=MONEY_SCALE, **kwargs
    )


class EmptyFirst(ColumnElement[Any]):
    """An index key in list order: empty values first, as lists sort them. That is SQLite's own
    order; PostgreSQL is told, or an ascending list would sort the table instead of reading the
    index."""

    inherit_cache = True
    _traverse_internals = [("indexed", InternalTraversal.dp_clauseelement)]  # noqa: RUF012

    def __init__(self, indexed: ClauseElement) -> None:
        self.indexed = indexed


@compiles(EmptyFirst)
def _empty_first(element: EmptyFirst, compiler: SQLCompiler, **kw: Any) -> str:
    return str(compiler.process(element.indexed, **kw))


@compiles(EmptyFirst, "postgresql")
def _empty_first_said(element: EmptyFirst, compiler: SQLCompiler, **kw: Any) -> str:
    return f"{compiler.process(element.indexed, **kw)} NULLS FIRST"


def sort_key(column: str, text: bool, nullable: bool) -> Any:
    """What a list orders by: text ignoring case, `lower(...)`; only an index on that serves it."""
    key: ClauseElement = sa.text(f"lower({column})") if text else sa.column(column)
    return EmptyFirst(key) if nullable else key


def sort_indexes(
    table: str, *columns: str, text: tuple[str, ...] = (), nullable: tuple[str, ...] = ()
) -> tuple[sa.Index, ...]:
    """An index for each field a list sorts by, so a page is read in order, not sorted whole.
    `nullable`: those of the fields that may be empty."""
    return (
        *(
            sa.Index(f"ix_{table}_{column}", sort_key(column, False, column in nullable))
            for column in columns
        ),
        *(
            sa.Index(f"ix_{table}_{column}_lower", sort_key(column, True, column in nullable))
            for column in text
        ),
    )


class RequestFields(SQLModel):
    """What a client sends (a Create or Update body, a line): a field it does not declare is
    refused, 422 naming it, never ignored. Records read back from storage or from a workflow's
    history do not take this, so a column dropped later cannot break reading them."""

    model_config = SQLModelConfig(extra="forbid")


class RequestModel(BaseModel):
    """`RequestFields` for plain pydantic inputs (deal actions, transition bodies)."""

    model_config = ConfigDict(extra="forbid")


class RecordTable(SQLModel):
    """Columns every stored record has (Dynamics: ownerid, created/modified on/by, statecode)."""

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    owner_id: uuid.UUID | None = Field(default=None, index=True)
    is_active: bool = Field(default=True, index=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
    modified_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
    created_by: uuid.UUID | None = None
    modified_by: uuid.UUID | None = None


class RecordPublic(SQLModel):
    """Read-side view of the common columns."""

    id: uuid.UUID
    owner_id: uuid.UUID | None
    is_active: bool
    created_at: datetime
    modified_at: datetime
    created_by: uuid.UUID | None
    modified_by: uuid.UUID | None


def as_stored(record: Any) -> Any:
    """`record` with its amounts and quantities at the scale the database keeps (12.5000), so
    a record a step made reads exactly as the same record read back."""
    scaled = {k: at_money_scale(v) for k, v in record.__dict__.items() if isinstance(v, Decimal)}
    return record.model_copy(update=scaled) if scaled else record


def check_patch(model: type[SQLModel], changes: dict[str, Any]) -> None:
    """A partial update may not clear a field the record requires."""
    for name, value in changes.items():
        annotation = model.model_fields[name].annotation
        if value is None and not (annotation is NoneType or NoneType in get_args(annotation)):
            raise InvalidField(name, "may not be null")
