"""How much each invoice of an order bills, to the cent: a payment schedule's parts, a
percentage, or a fixed amount (a deposit).

Pure. The amount comes first; it is then spread over the order's lines pro rata, at full
precision, each share rounded to the cent and the last line taking what is left. A schedule's
parts are worked out the same way from the order total, the last part taking the rounding
remainder. So an order's invoices add up to its total to the cent, and no line is ever billed
beyond its amount.
"""

from collections.abc import Hashable, Sequence
from datetime import date, timedelta
from decimal import ROUND_DOWN, Decimal
from enum import StrEnum
from typing import Any, TypeVar

import sqlalchemy as sa
from pydantic import BaseModel, Field, TypeAdapter, model_validator
from sqlalchemy.engine import Dialect

from models.base import MONEY_SCALE, RequestModel, money_amount, money_input
from models.errors import InvalidField
from models.pricing import ZERO, money_text, to_cents

K = TypeVar("K", bound=Hashable)

# The most parts a schedule has: a deposit, milestones, the balance.
MAX_PARTS = 24
# The furthest after the order or its fulfilment a part may fall due.
MAX_DAYS_AFTER = 3653


class DueAfter(StrEnum):
    """What a part's `days_after` counts from."""

    order = "order"
    fulfillment = "fulfillment"


class PaymentPart(BaseModel):
    """One part of a payment schedule, as the order keeps it: a share of the order (a percentage
    of its total, or a fixed amount) falling due on a date, or a number of days after the order
    or its fulfilment."""

    name: str = Field(min_length=1, max_length=100)
    percent: Decimal | None = money_input(default=None, gt=0, le=100)
    amount: Decimal | None = money_amount(default=None, gt=0)
    due_date: date | None = None
    days_after: int | None = Field(default=None, ge=0, le=MAX_DAYS_AFTER)
    after: DueAfter = DueAfter.order


class PaymentPartInput(PaymentPart, RequestModel):
    """A part as a client sends it: one share, and one way to say when it falls due."""

    @model_validator(mode="after")
    def _one_share_one_due(self) -> "PaymentPartInput":
        if (self.percent is None) == (self.amount is None):
            raise ValueError("give a percent or an amount, not both")
        if (self.due_date is None) == (self.days_after is None):
            raise ValueError("give a due_date or days_after, not both")
        return self


class PaymentScheduleInput(RequestModel):
    """The parts, in the order they are billed; none clears the schedule."""

    parts: list[PaymentPartInput] = Field(max_length=MAX_PARTS)

    @model_validator(mode="after")
    def _no_duplicate(self) -> "PaymentScheduleInput":
        names = [part.name.strip().casefold() for part in self.parts]
        if len(names) != len(set(names)):
            raise ValueError("each part has a name of its own: a part is never given twice")
        return self


_PARTS = TypeAdapter(list[PaymentPart])


class PaymentPartsType(sa.types.TypeDecorator[list[PaymentPart]]):
    """An order's payment schedule, stored as JSON with the order."""

    impl = sa.JSON
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        return _PARTS.dump_python(_PARTS.validate_python(value or []), mode="json")

    def process_result_value(self, value: Any, dialect: Dialect) -> list[PaymentPart]:
        return _PARTS.validate_python(value or [])


def part_amounts(total: Decimal, parts: Sequence[PaymentPart]) -> list[Decimal]:
    """What each part bills: its percentage of `total` (to the cent) or its amount, the last
    part taking the rounding remainder. The parts must come to exactly `total` at full
    precision, each to a cent at least: an `InvalidField` naming `parts` otherwise."""
    nominal = [
        total * part.percent / 100 if part.percent else (part.amount or ZERO) for part in parts
    ]
    if sum(nominal, ZERO) != total:
        raise InvalidField(
            "parts",
            f"the parts come to {format(sum(nominal, ZERO).normalize(), 'f')}, "
            f"not the order total {money_text(total)}: they must come to it exactly",
        )
    amounts = [to_cents(share) for share in nominal[:-1]]
    amounts.append(total - sum(amounts, ZERO))
    for number, amount in enumerate(amounts):
        if amount <= 0:
            raise InvalidField(f"parts.{number}", "comes to less than a cent of the order total")
    return amounts


def part_due_date(part: PaymentPart, ordered_on: date, fulfilled_on: date | None) -> date | None:
    """When the part falls due: its date, or its days after the order or its fulfilment (none
    yet for an order not fulfilled)."""
    if part.due_date is not None:
        return part.due_date
    start = ordered_on if part.after is DueAfter.order else fulfilled_on
    return None if start is None else start + timedelta(days=part.days_after or 0)


def spread(amount: Decimal, left: Sequence[tuple[K, Decimal]]) -> dict[K, Decimal]:
    """`amount` over the lines pro rata to what each has `left` to bill, each share to the cent:
    every share is what is still to spread times the line's part of what the lines still to
    come have left, so the last line takes what is left and no line gets more than it has
    (`amount` is not more than they have together; amounts are in cents)."""
    lines = [(key, remaining) for key, remaining in left if remaining > 0]
    to_spread = amount
    still_left = sum((remaining for _, remaining in lines), ZERO)
    shares: dict[K, Decimal] = {}
    for key, remaining in lines:
        share = to_cents(to_spread * remaining / still_left) if still_left else ZERO
        shares[key] = share
        to_spread -= share
        still_left -= remaining
    return shares


def quantity_for(share: Decimal, left_amount: Decimal, left_quantity: Decimal) -> Decimal:
    """The quantity of a line that `share` of its amount bills: all that is left with the last
    of its amount, else its part of what is left, rounded down to storage's places (so a line's
    quantities never run out before its amount does)."""
    if share >= left_amount:
        return left_quantity
    exact = left_quantity * share / left_amount
    return exact.quantize(Decimal(1).scaleb(-MONEY_SCALE), rounding=ROUND_DOWN)
