"""Product properties (Dynamics' dynamicproperty): what a line of the product says about it
(a colour, a width, a finish), defined on the product, filled on each line that sells it.

A property is text, a number or a choice among its options; required or not; with a default a
new line takes when it is not given. What a line holds (`LinePropertyValue`, Dynamics'
dynamicpropertyinstance) is part of the line's record, copied with the line from one document
to the next.
"""

import uuid
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Annotated, Any

import sqlalchemy as sa
from pydantic import BaseModel, StringConstraints, TypeAdapter
from sqlalchemy.engine import Dialect
from sqlmodel import Field, SQLModel

from models.base import (
    MONEY_DIGITS,
    MONEY_MAX,
    MONEY_SCALE,
    RecordPublic,
    RecordTable,
    RequestFields,
    StrEnumType,
)
from models.errors import InvalidField

NAME_LENGTH = 100
VALUE_LENGTH = 500
MAX_OPTIONS = 100
MAX_PROPERTIES = 50

PropertyName = Annotated[str, StringConstraints(min_length=1, max_length=NAME_LENGTH)]
OptionName = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=NAME_LENGTH)
]
TextValue = Annotated[str, StringConstraints(max_length=VALUE_LENGTH)]
NumberValue = Annotated[Decimal, Field(max_digits=MONEY_DIGITS, decimal_places=MONEY_SCALE)]
# What a line is sent for one property: a number or text (a choice is its option's name).
PropertyInput = NumberValue | TextValue


class PropertyType(StrEnum):
    """Dynamics' data types of a property, as a sales team uses them: single line of text,
    a decimal number, an option set."""

    text = "text"
    number = "number"
    choice = "choice"


class ProductPropertyBase(SQLModel):
    name: str = Field(min_length=1, max_length=NAME_LENGTH, description="Unique on the product.")
    description: str | None = Field(default=None, max_length=2000)
    data_type: PropertyType = Field(
        default=PropertyType.text, sa_type=StrEnumType(PropertyType, 20)
    )
    is_required: bool = Field(default=False, description="A line of the product must fill it.")
    default_value: str | None = Field(
        default=None,
        max_length=VALUE_LENGTH,
        description="What a new line takes when it does not say: a number for a number, one of "
        "the options for a choice.",
    )


class ProductProperty(ProductPropertyBase, RecordTable, table=True):
    __tablename__ = "product_property"

    product_id: uuid.UUID = Field(foreign_key="product.id", index=True)
    options: list[str] = Field(default_factory=list, sa_type=sa.JSON)


class ProductPropertyCreate(ProductPropertyBase, RequestFields):
    options: list[OptionName] = Field(
        default_factory=list, max_length=MAX_OPTIONS, description="The choices of a choice."
    )
    owner_id: uuid.UUID | None = None


class ProductPropertyUpdate(RequestFields):
    """Partial update: only the fields sent are changed. Lines already filled keep their values."""

    name: str | None = Field(default=None, min_length=1, max_length=NAME_LENGTH)
    description: str | None = Field(default=None, max_length=2000)
    data_type: PropertyType | None = None
    is_required: bool | None = None
    default_value: str | None = Field(default=None, max_length=VALUE_LENGTH)
    options: list[OptionName] | None = Field(default=None, max_length=MAX_OPTIONS)
    owner_id: uuid.UUID | None = None


class ProductPropertyRecord(ProductPropertyBase, RecordPublic):
    """A property as plain data: what a deal's step checks a line's values against."""

    product_id: uuid.UUID
    options: list[str] = []


class ProductPropertyPublic(ProductPropertyRecord):
    pass


class ProductPropertyFilters(SQLModel):
    data_type: PropertyType | None = None
    is_required: bool | None = None


class LinePropertyValue(BaseModel):
    """One property's value on a line (Dynamics' dynamicpropertyinstance); a number is written
    as its decimal text, exactly."""

    property_id: uuid.UUID
    name: str
    data_type: PropertyType
    value: str


_VALUES = TypeAdapter(list[LinePropertyValue])


class LinePropertiesType(sa.types.TypeDecorator[list[LinePropertyValue]]):
    """A line's property values, stored as JSON with the line."""

    impl = sa.JSON
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        return _VALUES.dump_python(_VALUES.validate_python(value or []), mode="json")

    def process_result_value(self, value: Any, dialect: Dialect) -> list[LinePropertyValue]:
        return _VALUES.validate_python(value or [])


def property_value(data_type: PropertyType, options: list[str], value: Any, field: str) -> str:
    """`value` as a property of this type holds it, or an `InvalidField` naming `field`: a
    number is a number (sent as one, or as its text), text is text (a number sent is its text),
    a choice one of the options (in the options' own spelling, whatever the case it was sent
    in)."""
    if data_type is PropertyType.number:
        if isinstance(value, bool) or not isinstance(value, int | Decimal | str):
            raise InvalidField(field, "must be a number")
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation:
            raise InvalidField(field, "must be a number") from None
        if not number.is_finite() or number != round(number, MONEY_SCALE):
            raise InvalidField(field, f"must be a number with at most {MONEY_SCALE} decimals")
        if abs(number) > MONEY_MAX:
            raise InvalidField(field, f"must be a number no larger than {MONEY_MAX}")
        return format(number.normalize(), "f")
    if isinstance(value, int | Decimal) and not isinstance(value, bool):
        # A number is text too (a line's values travel to the step as JSON, where a number
        # sent is its text), so either way it reads the same.
        value = str(value)
    if not isinstance(value, str):
        wanted = "text" if data_type is PropertyType.text else f"one of {options}"
        raise InvalidField(field, f"must be {wanted}")
    if data_type is PropertyType.text:
        return value
    chosen = next((o for o in options if o.casefold() == value.strip().casefold()), None)
    if chosen is None:
        raise InvalidField(field, f"must be one of {options}")
    return chosen


def check_property_definition(record: ProductPropertyBase) -> None:
    """A choice has options, and only a choice; the options are told apart; the default is a
    value of the property."""
    options: list[str] = list(getattr(record, "options", None) or [])
    if record.data_type is PropertyType.choice and not options:
        raise InvalidField("options", "a choice needs at least one option")
    if record.data_type is not PropertyType.choice and options:
        raise InvalidField("options", f"only a choice has options, not a {record.data_type}")
    if len({option.casefold() for option in options}) != len(options):
        raise InvalidField("options", "two options have the same name")
    if record.default_value is not None:
        property_value(record.data_type, options, record.default_value, "default_value")
