"""Line and document totals. Decimal only; amounts round to the cent, half up, as invoices do."""

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0")


def to_cents(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def money_text(amount: Decimal) -> str:
    """An amount in a message, to the cent, however many decimals storage gave it."""
    return str(to_cents(amount))


def quantity_text(quantity: Decimal) -> str:
    """A quantity in a message without storage's padding: 3, not 3.0000."""
    return format(quantity.normalize(), "f")


def extended_amount(
    *,
    quantity: Decimal,
    price_per_unit: Decimal,
    volume_discount: Decimal = ZERO,
    manual_discount: Decimal = ZERO,
    tax: Decimal = ZERO,
) -> Decimal:
    """Dynamics' formula: quantity * (price - volume discount per unit) - manual discount + tax."""
    base = quantity * (price_per_unit - volume_discount)
    return to_cents(base - manual_discount + tax)


def total(amounts: Iterable[Decimal]) -> Decimal:
    return to_cents(sum(amounts, ZERO))


def share(amount: Decimal, part: Decimal, whole: Decimal) -> Decimal:
    """`amount * part / whole` to the cent: what a partial quantity of a line is worth."""
    if whole == ZERO:
        return ZERO
    return to_cents(amount * part / whole)
