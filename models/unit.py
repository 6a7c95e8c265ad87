"""Unit groups and units: how a product is counted and sold (each, box of 12, hour).

As Dynamics' unit groups: every group has one base unit, made with the group, holding 1 of itself;
every other unit is a multiple of a unit of the same group (a box holds 12 each, a case 10 boxes).
"""

import uuid
from collections.abc import Iterable
from decimal import Decimal

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from models.base import RecordPublic, RecordTable, RequestFields, money_field
from models.errors import Conflict

UNIT_NAME_LENGTH = 100


class UnitGroupBase(SQLModel):
    name: str = Field(min_length=1, max_length=200, index=True)
    base_unit_name: str = Field(
        min_length=1,
        max_length=UNIT_NAME_LENGTH,
        description="Name of the group's base unit (e.g. `each`), renamed with it.",
    )
    description: str | None = Field(default=None, max_length=2000)


class UnitGroup(UnitGroupBase, RecordTable, table=True):
    pass


class UnitGroupCreate(UnitGroupBase, RequestFields):
    owner_id: uuid.UUID | None = None


class UnitGroupUpdate(RequestFields):
    """Partial update: only the fields sent are changed."""

    name: str | None = Field(default=None, min_length=1, max_length=200)
    base_unit_name: str | None = Field(
        default=None,
        min_length=1,
        max_length=UNIT_NAME_LENGTH,
        description="Name of the group's base unit (e.g. `each`), renamed with it.",
    )
    description: str | None = Field(default=None, max_length=2000)
    owner_id: uuid.UUID | None = None


class UnitGroupPublic(UnitGroupBase, RecordPublic):
    pass


class UnitGroupFilters(SQLModel):
    owner_id: uuid.UUID | None = None


class UnitBase(SQLModel):
    name: str = Field(min_length=1, max_length=UNIT_NAME_LENGTH)
    quantity: Decimal = money_field(
        gt=0, description="How many of `base_unit_id` this unit holds (the base unit: 1)."
    )
    base_unit_id: uuid.UUID | None = Field(
        default=None,
        foreign_key="unit.id",
        index=True,
        description="The unit of the same group this one is a multiple of; the group's base unit "
        "if not given.",
    )


class Unit(UnitBase, RecordTable, table=True):
    # Names are unique within a group; the database holds the line too, against races.
    __table_args__ = (sa.Index("uq_unit_group_name", "unit_group_id", "name", unique=True),)

    unit_group_id: uuid.UUID = Field(foreign_key="unitgroup.id", index=True)
    is_base_unit: bool = False


class UnitCreate(UnitBase, RequestFields):
    owner_id: uuid.UUID | None = None


class UnitUpdate(RequestFields):
    """Partial update: only the fields sent are changed."""

    name: str | None = Field(default=None, min_length=1, max_length=UNIT_NAME_LENGTH)
    quantity: Decimal | None = money_field(
        default=None,
        gt=0,
        description="How many of `base_unit_id` this unit holds (the base unit: 1).",
    )
    base_unit_id: uuid.UUID | None = Field(
        default=None,
        description="The unit of the same group this one is a multiple of; the group's base unit "
        "if not given.",
    )
    owner_id: uuid.UUID | None = None


class UnitPublic(UnitBase, RecordPublic):
    unit_group_id: uuid.UUID
    is_base_unit: bool


class UnitFilters(SQLModel):
    base_unit_id: uuid.UUID | None = None


def check_base_unit_fixed(
    is_base_unit: bool, quantity: Decimal, base_unit_id: uuid.UUID | None
) -> None:
    """A group's base unit holds exactly 1 of itself and is a multiple of nothing else."""
    if not is_base_unit:
        return
    if quantity != 1:
        raise Conflict(
            "base_unit_quantity_fixed",
            f"the base unit holds 1 of itself; its quantity cannot become {quantity}",
            field="quantity",
        )
    if base_unit_id is not None:
        raise Conflict(
            "base_unit_quantity_fixed",
            "the base unit is not a multiple of another unit",
            field="base_unit_id",
        )


def check_base_unit_allowed(unit_id: uuid.UUID, base_ancestry: Iterable[uuid.UUID]) -> None:
    """A unit may not be a multiple of itself: its new base unit's chain must not contain it.

    `base_ancestry` is the proposed base unit followed by that unit's own base units, nearest first.
    """
    if unit_id in base_ancestry:
        raise Conflict(
            "unit_base_cycle",
            "base_unit_id would make the unit a multiple of itself",
            field="base_unit_id",
        )
