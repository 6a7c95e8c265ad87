"""Worked examples of the pricing engine to the cent: each rounding option, tier boundaries of
both kinds of discount list, lines with every discount and tax, and document totals."""

from decimal import Decimal

import pytest

from models.errors import Conflict, InvalidField
from models.pricing import (
    RoundingOption,
    RoundingPolicy,
    VolumeTier,
    VolumeTiers,
    check_tier,
    check_tiers_apart,
    document_totals,
    line_amounts,
    rounded_price,
    volume_discount,
)

D = Decimal


def maybe(text: str | None) -> Decimal | None:
    return None if text is None else D(text)


UP, DOWN, NEAREST, NONE = (
    RoundingPolicy.up,
    RoundingPolicy.down,
    RoundingPolicy.nearest,
    RoundingPolicy.none,
)
ENDS_IN, MULTIPLE_OF = RoundingOption.ends_in, RoundingOption.multiple_of

PERCENT_TIERS = VolumeTiers(
    is_amount_type=False,
    tiers=(
        VolumeTier(D(1), D(10), percentage=D(0)),
        VolumeTier(D(11), D(20), percentage=D(5)),
        VolumeTier(D(21), D(1000), percentage=D(10)),
    ),
)
AMOUNT_TIERS = VolumeTiers(
    is_amount_type=True,
    tiers=(VolumeTier(D(11), D(20), amount=D("2.00")), VolumeTier(D(21), D(99), amount=D(3))),
)


@pytest.mark.parametrize(
    ("price", "policy", "option", "amount", "rounded"),
    [
        ("17.235", NONE, None, None, "17.24"),
        ("17.225", NEAREST, MULTIPLE_OF, "0.05", "17.25"),
        ("17.22", NEAREST, MULTIPLE_OF, "0.05", "17.20"),
        ("17.25", UP, MULTIPLE_OF, "0.05", "17.25"),
        ("171", UP, MULTIPLE_OF, "10", "180.00"),
        ("17.40", NEAREST, ENDS_IN, "0.99", "16.99"),
        ("17.99", DOWN, ENDS_IN, "0.99", "17.99"),
        ("23.40", UP, ENDS_IN, "9", "29.00"),
        ("161", DOWN, ENDS_IN, "49", "149.00"),
        ("0.50", NEAREST, ENDS_IN, "0.99", "0.99"),
    ],
)
def test_a_price_is_rounded_as_its_price_list_item_says(
    price: str,
    policy: RoundingPolicy,
    option: RoundingOption | None,
    amount: str | None,
    rounded: str,
) -> None:
    assert rounded_price(D(price), policy, option, maybe(amount)) == D(rounded)


@pytest.mark.parametrize(
    ("policy", "option", "amount", "field"),
    [
        (UP, None, "0.05", "rounding_option"),
        (UP, MULTIPLE_OF, None, "rounding_amount"),
        (UP, MULTIPLE_OF, "0", "rounding_amount"),
        (UP, MULTIPLE_OF, "0.005", "rounding_amount"),
        (NONE, ENDS_IN, None, "rounding_option"),
        (NONE, None, "0.99", "rounding_amount"),
    ],
)
def test_rounding_fields_that_do_not_go_together_are_refused_naming_the_field(
    policy: RoundingPolicy, option: RoundingOption | None, amount: str | None, field: str
) -> None:
    with pytest.raises(InvalidField) as refused:
        rounded_price(D("10"), policy, option, maybe(amount))
    assert refused.value.field == field


@pytest.mark.parametrize(
    ("quantity", "per_unit"),
    [("1", "0.00"), ("10", "0.00"), ("11", "5.00"), ("20", "5.00"), ("21", "10.00"), ("1001", "0")],
)
def test_a_quantity_earns_the_percentage_of_the_tier_it_falls_in_both_ends_included(
    quantity: str, per_unit: str
) -> None:
    assert volume_discount(D("100.00"), D(quantity), PERCENT_TIERS) == D(per_unit)


@pytest.mark.parametrize(
    ("quantity", "per_unit"), [("10", "0"), ("11", "2.00"), ("20", "2.00"), ("21", "3.00")]
)
def test_an_amount_tier_takes_its_amount_off_each_unit(quantity: str, per_unit: str) -> None:
    assert volume_discount(D("50.00"), D(quantity), AMOUNT_TIERS) == D(per_unit)


def test_a_tiered_line_is_worth_its_quantity_at_the_discounted_price() -> None:
    line = line_amounts(
        quantity=D(11),
        price_per_unit=D("649.00"),
        volume_discount=volume_discount(D("649.00"), D(11), PERCENT_TIERS),
    )
    assert (line.base_amount, line.volume_discount, line.extended_amount) == (
        D("7139.00"),
        D("32.45"),
        D("6782.05"),
    )


@pytest.mark.parametrize(
    ("low", "high"), [("10", "15"), ("1", "1"), ("20", "25"), ("0", "1000"), ("15", "15")]
)
def test_a_tier_overlapping_another_even_at_one_end_is_refused(low: str, high: str) -> None:
    with pytest.raises(Conflict) as refused:
        check_tiers_apart(VolumeTier(D(low), D(high), percentage=D(1)), PERCENT_TIERS.tiers)
    assert refused.value.rule == "discount_tiers_overlap"


def test_a_tier_next_to_another_is_accepted() -> None:
    check_tiers_apart(VolumeTier(D(1001), D(2000), percentage=D(1)), PERCENT_TIERS.tiers)


@pytest.mark.parametrize(
    ("is_amount_type", "tier", "field"),
    [
        (False, VolumeTier(D(5), D(1), percentage=D(1)), "high_quantity"),
        (False, VolumeTier(D(1), D(5)), "percentage"),
        (False, VolumeTier(D(1), D(5), percentage=D(1), amount=D(1)), "amount"),
        (True, VolumeTier(D(1), D(5), percentage=D(1)), "amount"),
    ],
)
def test_a_tier_gives_its_lists_kind_of_discount_over_a_rising_range(
    is_amount_type: bool, tier: VolumeTier, field: str
) -> None:
    with pytest.raises(InvalidField) as refused:
        check_tier(is_amount_type, tier)
    assert refused.value.field == field


@pytest.mark.parametrize(
    ("quantity", "price", "volume", "manual", "tax", "rate", "tax_amount", "extended"),
    [
        ("1", "10.00", "0", "0", "0", None, "0", "10.00"),
        ("3", "19.99", "0", "5.00", "0", None, "0", "54.97"),
        ("1", "10.00", "0", "10.00", "0", None, "0", "0.00"),
        ("12", "54.0833", "0", "0", "0", None, "0", "649.00"),
        ("2.5", "3.33", "0", "0", "0", None, "0", "8.33"),
        ("1", "100.00", "0", "0", "7.50", None, "7.50", "107.50"),
        ("1", "1.15", "0", "0", "0", "10", "0.12", "1.27"),
        ("4", "25.00", "2.50", "10.00", "0", "20", "16.00", "96.00"),
        ("3", "33.33", "0", "0.01", "0", "19.6", "19.60", "119.58"),
    ],
)
def test_a_line_is_price_times_quantity_less_discounts_plus_tax(
    quantity: str,
    price: str,
    volume: str,
    manual: str,
    tax: str,
    rate: str | None,
    tax_amount: str,
    extended: str,
) -> None:
    line = line_amounts(
        quantity=D(quantity),
        price_per_unit=D(price),
        volume_discount=D(volume),
        manual_discount=D(manual),
        tax=D(tax),
        tax_rate=maybe(rate),
    )
    assert (line.tax, line.extended_amount) == (D(tax_amount), D(extended))


def test_a_manual_discount_larger_than_the_line_after_its_volume_discount_is_refused() -> None:
    with pytest.raises(InvalidField):
        line_amounts(
            quantity=D(2), price_per_unit=D(10), volume_discount=D(6), manual_discount=D("8.01")
        )


def test_a_line_discount_of_10_and_a_document_discount_of_10_compound_to_81_percent() -> None:
    line = line_amounts(quantity=D(1), price_per_unit=D("100.00"), manual_discount=D("10.00"))
    totals = document_totals([(line.extended_amount, line.tax)], discount_percentage=D(10))
    assert (totals.total_discount_amount, totals.total_amount_less_freight) == (
        D("9.00"),
        D("81.00"),
    )


def test_tax_is_rounded_on_each_line_so_the_total_can_differ_from_taxing_the_total() -> None:
    lines = [line_amounts(quantity=D(1), price_per_unit=D("1.15"), tax_rate=D(10))] * 3
    totals = document_totals((line.extended_amount, line.tax) for line in lines)
    # Taxing the detail amount of 3.45 at 10 % would give 0.35 (0.345 half up).
    assert (totals.total_line_item_amount, totals.total_tax, totals.total_amount) == (
        D("3.45"),
        D("0.36"),
        D("3.81"),
    )


def test_a_document_totals_its_detail_less_discount_plus_freight_and_tax() -> None:
    totals = document_totals(
        [(D("6782.05"), D("0")), (D("119.58"), D("19.60"))],
        discount_percentage=D("2.5"),
        discount_amount=D("100.00"),
        freight_amount=D("45.00"),
    )
    assert totals.total_line_item_amount == D("6882.03")
    assert totals.total_discount_amount == D("272.05")  # 172.05 (2.5 %) + 100.00
    assert totals.total_amount_less_freight == D("6609.98")
    assert totals.freight_amount == D("45.00")
    assert totals.total_tax == D("19.60")
    assert totals.total_amount == D("6674.58")


def test_a_document_discount_larger_than_its_detail_is_refused() -> None:
    with pytest.raises(InvalidField) as refused:
        document_totals([(D("10.00"), D(0))], discount_amount=D("10.01"))
    assert refused.value.field == "discount_amount"


def test_a_document_without_lines_totals_its_freight() -> None:
    assert document_totals([], freight_amount=D("9.90")).total_amount == D("9.90")
