"""The pricing engine: what a line is worth and what a document totals, as Dynamics 365 works
them out. Plain functions of Decimal amounts (no database, no workflow); amounts round to the
cent, half up, as invoices do.

- A price list item's computed price may be rounded (`rounded_price`): up, down or to the
  nearest price that ends in an amount (9.99) or is a multiple of one (0.05).
- A discount list's tiers give a line its volume discount per unit (`volume_discount`), from
  the tier its quantity falls in, both ends included.
- A line (`line_amounts`): price per unit x quantity - volume discount per unit x quantity -
  manual discount, never below zero, + tax (an amount, or a rate of that, rounded on the line).
- A document (`document_totals`): its lines' amounts before tax (the detail amount), less the
  document's discount, plus freight, plus the sum of the lines' tax.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal
from enum import StrEnum

from models.errors import Conflict, InvalidField

CENT = Decimal("0.01")
ZERO = Decimal("0")
HUNDRED = Decimal(100)


def to_cents(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def money_text(amount: Decimal) -> str:
    """An amount in a message, to the cent, however many decimals storage gave it."""
    return str(to_cents(amount))


def quantity_text(quantity: Decimal) -> str:
    """A quantity in a message without storage's padding: 3, not 3.0000."""
    return format(quantity.normalize(), "f")


def total(amounts: Iterable[Decimal]) -> Decimal:
    return to_cents(sum(amounts, ZERO))


def share(amount: Decimal, part: Decimal, whole: Decimal) -> Decimal:
    """`amount * part / whole` to the cent: what a partial quantity of a line is worth."""
    if whole == ZERO:
        return ZERO
    return to_cents(amount * part / whole)


def percent_of(amount: Decimal, percentage: Decimal) -> Decimal:
    return to_cents(amount * percentage / HUNDRED)


# --- price list rounding ----------------------------------------------------------------------


class RoundingPolicy(StrEnum):
    """Dynamics' roundingpolicycode of a price list item."""

    none = "none"
    up = "up"
    down = "down"
    nearest = "nearest"


class RoundingOption(StrEnum):
    """Dynamics' roundingoptioncode: the price ends in the amount, or is a multiple of it."""

    ends_in = "ends_in"
    multiple_of = "multiple_of"


_STEP = {RoundingPolicy.up: ROUND_CEILING, RoundingPolicy.down: ROUND_FLOOR}


def _steps(value: Decimal, policy: RoundingPolicy) -> Decimal:
    """`value` to a whole number as the policy rounds (nearest: half up)."""
    return value.quantize(Decimal(1), rounding=_STEP.get(policy, ROUND_HALF_UP))


def ends_in_period(amount: Decimal) -> Decimal:
    """How far apart the prices ending in `amount` are: the smallest power of ten above it,
    at least 1 (ends in 0.99: 17.99, 18.99; ends in 9: 19, 29; ends in 49: 149, 249)."""
    period = Decimal(1)
    while period <= amount:
        period *= 10
    return period


def check_rounding(
    policy: RoundingPolicy, option: RoundingOption | None, amount: Decimal | None
) -> None:
    """The three rounding fields make sense together, as Dynamics asks them."""
    if policy is RoundingPolicy.none:
        if option is not None or amount is not None:
            field = "rounding_option" if option is not None else "rounding_amount"
            raise InvalidField(field, "is only for a rounding_policy other than none")
        return
    if option is None:
        raise InvalidField("rounding_option", f"is required with rounding_policy {policy}")
    if amount is None:
        raise InvalidField("rounding_amount", f"is required with rounding_policy {policy}")
    if option is RoundingOption.multiple_of and amount <= ZERO:
        raise InvalidField("rounding_amount", "a price is a multiple of an amount above 0")
    if amount != to_cents(amount):
        raise InvalidField("rounding_amount", "is an amount to the cent")


def rounded_price(
    price: Decimal,
    policy: RoundingPolicy,
    option: RoundingOption | None = None,
    amount: Decimal | None = None,
) -> Decimal:
    """`price` rounded as a price list item says, to the cent.

    Multiple of 0.05, up: 17.23 → 17.25. Ends in 0.99, down: 17.23 → 16.99; nearest: 17.60 →
    17.99 (a tie goes up). Rounding down below the first price ending in the amount is refused:
    there is none."""
    check_rounding(policy, option, amount)
    if policy is RoundingPolicy.none or option is None or amount is None:
        return to_cents(price)
    if option is RoundingOption.multiple_of:
        return to_cents(_steps(price / amount, policy) * amount)
    period = ends_in_period(amount)
    position = (price - amount) / period
    if policy is RoundingPolicy.nearest:
        below = position.quantize(Decimal(1), rounding=ROUND_FLOOR)
        above = position.quantize(Decimal(1), rounding=ROUND_CEILING)
        closer_above = (above - position) <= (position - below)
        count = above if closer_above or below < 0 else below
    else:
        count = _steps(position, policy)
    if count < 0:
        raise InvalidField(
            "rounding_policy",
            f"no price at or below {money_text(price)} ends in {money_text(amount)}",
        )
    return to_cents(count * period + amount)


# --- discount lists ---------------------------------------------------------------------------


@dataclass(frozen=True)
class VolumeTier:
    """One discount of a discount list: quantities from `low_quantity` to `high_quantity`, both
    included, get `percentage` off the price, or `amount` off each unit (Dynamics' discount)."""

    low_quantity: Decimal
    high_quantity: Decimal
    percentage: Decimal | None = None
    amount: Decimal | None = None


@dataclass(frozen=True)
class VolumeTiers:
    """A discount list as the engine reads it (Dynamics' discounttype and its discounts)."""

    is_amount_type: bool
    tiers: Sequence[VolumeTier] = ()


def check_tier(is_amount_type: bool, tier: VolumeTier) -> None:
    """A tier's range runs upward and it gives the kind of discount its list is of."""
    if tier.high_quantity < tier.low_quantity:
        raise InvalidField("high_quantity", "is below low_quantity")
    given, missing = ("amount", "percentage") if is_amount_type else ("percentage", "amount")
    if getattr(tier, given) is None:
        raise InvalidField(given, f"is required in a discount list of {given}s")
    if getattr(tier, missing) is not None:
        raise InvalidField(missing, f"is not used in a discount list of {given}s")


def check_tiers_apart(tier: VolumeTier, others: Iterable[VolumeTier]) -> None:
    """No quantity falls in two tiers of one list (the ends are included: 1-10 and 10-20
    overlap at 10)."""
    for other in others:
        if tier.low_quantity <= other.high_quantity and other.low_quantity <= tier.high_quantity:
            raise Conflict(
                "discount_tiers_overlap",
                f"quantities {quantity_text(tier.low_quantity)}-"
                f"{quantity_text(tier.high_quantity)} overlap the tier "
                f"{quantity_text(other.low_quantity)}-{quantity_text(other.high_quantity)}",
                field="low_quantity",
            )


def volume_discount(
    price_per_unit: Decimal, quantity: Decimal, discounts: VolumeTiers | None
) -> Decimal:
    """The discount per unit a quantity earns, to the cent, as Dynamics' volumediscountamount:
    a percentage tier takes that percentage of the price, an amount tier that amount (never
    more than the price). No list, or no tier for the quantity: 0."""
    if discounts is None:
        return ZERO
    tier = next((t for t in discounts.tiers if t.low_quantity <= quantity <= t.high_quantity), None)
    if tier is None:
        return ZERO
    if discounts.is_amount_type:
        return min(to_cents(tier.amount or ZERO), to_cents(price_per_unit))
    return percent_of(price_per_unit, tier.percentage or ZERO)


# --- lines ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LineAmounts:
    """What a line is worth, as Dynamics' quote detail has it."""

    base_amount: Decimal  # price per unit x quantity
    volume_discount: Decimal  # per unit
    manual_discount: Decimal
    tax: Decimal
    extended_amount: Decimal

    @property
    def amount_before_tax(self) -> Decimal:
        return self.extended_amount - self.tax


def line_amounts(
    *,
    quantity: Decimal,
    price_per_unit: Decimal,
    volume_discount: Decimal = ZERO,
    manual_discount: Decimal = ZERO,
    tax: Decimal = ZERO,
    tax_rate: Decimal | None = None,
) -> LineAmounts:
    """Price x quantity - volume discount per unit x quantity - manual discount, + tax: the
    extended amount. A manual discount larger than what is left of the line is refused (a line
    is never below zero). With `tax_rate` (a percentage) the tax is that share of the amount
    after discounts, rounded on this line: a document's tax is the sum of its lines'."""
    base = to_cents(quantity * price_per_unit)
    discounted = to_cents(quantity * (price_per_unit - volume_discount))
    if manual_discount > discounted:
        raise InvalidField(
            "manual_discount",
            f"{money_text(manual_discount)} is more than the line's {money_text(discounted)} "
            "after its volume discount: a line is never below zero",
        )
    net = discounted - manual_discount
    if tax_rate is not None:
        tax = percent_of(net, tax_rate)
    return LineAmounts(
        base_amount=base,
        volume_discount=volume_discount,
        manual_discount=manual_discount,
        tax=tax,
        extended_amount=to_cents(net + tax),
    )


def extended_amount(
    *,
    quantity: Decimal,
    price_per_unit: Decimal,
    volume_discount: Decimal = ZERO,
    manual_discount: Decimal = ZERO,
    tax: Decimal = ZERO,
) -> Decimal:
    """Dynamics' extended amount of a line whose tax is an amount."""
    return line_amounts(
        quantity=quantity,
        price_per_unit=price_per_unit,
        volume_discount=volume_discount,
        manual_discount=manual_discount,
        tax=tax,
    ).extended_amount


# --- documents --------------------------------------------------------------------------------


@dataclass(frozen=True)
class DocumentTotals:
    """A document's totals, named as Dynamics' quote, order and invoice have them."""

    total_line_item_amount: Decimal  # the lines' extended amounts before tax (detail amount)
    total_discount_amount: Decimal  # the document's discount: percentage of detail + amount
    total_amount_less_freight: Decimal
    freight_amount: Decimal
    total_tax: Decimal  # the sum of the lines' tax, each rounded on its line
    total_amount: Decimal


def document_totals(
    lines: Iterable[tuple[Decimal, Decimal]],
    discount_percentage: Decimal | None = None,
    discount_amount: Decimal | None = None,
    freight_amount: Decimal | None = None,
) -> DocumentTotals:
    """The totals of a document whose lines are (extended amount, tax) pairs.

    The document's discount applies to the detail amount (before tax, as Dynamics does): its
    percentage of it plus its amount, never more than it. Tax is the lines' (a document
    discount does not change it, as in Dynamics); freight comes on top."""
    pairs = list(lines)
    detail = total(amount - tax for amount, tax in pairs)
    tax_total = total(tax for _, tax in pairs)
    discount = percent_of(detail, discount_percentage or ZERO) + to_cents(discount_amount or ZERO)
    if discount > detail:
        field = "discount_amount" if discount_amount else "discount_percentage"
        raise InvalidField(
            field,
            f"the document's discount of {money_text(discount)} is more than its detail amount "
            f"{money_text(detail)}",
        )
    freight = to_cents(freight_amount or ZERO)
    less_freight = detail - discount
    return DocumentTotals(
        total_line_item_amount=detail,
        total_discount_amount=discount,
        total_amount_less_freight=less_freight,
        freight_amount=freight,
        total_tax=tax_total,
        total_amount=less_freight + freight + tax_total,
    )
