"""The pricing engine (models/pricing.py): rounding, volume tiers, line amounts and document
totals, by example and as properties that hold for any amounts."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from models.errors import Conflict, InvalidField
from models.pricing import (
    RoundingOption,
    RoundingPolicy,
    VolumeTier,
    VolumeTiers,
    check_tiers_apart,
    document_totals,
    ends_in_period,
    line_amounts,
    rounded_price,
    volume_discount,
)

D = Decimal
money = st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False)
quantities = st.decimals(min_value=D("0.01"), max_value=10**4, places=2, allow_nan=False)
rates = st.decimals(min_value=0, max_value=100, places=2, allow_nan=False)
TIERS = VolumeTiers(
    is_amount_type=False,
    tiers=(VolumeTier(D(1), D(10), percentage=D(0)), VolumeTier(D(11), D(20), percentage=D(10))),
)


@pytest.mark.parametrize(
    ("policy", "option", "amount", "price", "expected"),
    [
        (RoundingPolicy.up, RoundingOption.multiple_of, "0.05", "17.23", "17.25"),
        (RoundingPolicy.down, RoundingOption.multiple_of, "0.05", "17.23", "17.20"),
        (RoundingPolicy.nearest, RoundingOption.multiple_of, "1", "17.50", "18.00"),
        (RoundingPolicy.up, RoundingOption.ends_in, "0.99", "17.23", "17.99"),
        (RoundingPolicy.down, RoundingOption.ends_in, "0.99", "17.23", "16.99"),
        (RoundingPolicy.nearest, RoundingOption.ends_in, "0.99", "17.60", "17.99"),
        (RoundingPolicy.up, RoundingOption.ends_in, "9", "123.00", "129.00"),
        (RoundingPolicy.none, None, None, "17.234", "17.23"),
    ],
)
def test_rounding_as_the_price_list_item_says(
    policy: RoundingPolicy,
    option: RoundingOption | None,
    amount: str | None,
    price: str,
    expected: str,
) -> None:
    assert rounded_price(D(price), policy, option, None if amount is None else D(amount)) == D(
        expected
    )


def test_rounding_down_below_the_first_price_ending_in_the_amount_is_refused() -> None:
    with pytest.raises(InvalidField):
        rounded_price(D("0.50"), RoundingPolicy.down, RoundingOption.ends_in, D("0.99"))


@given(price=money, amount=st.decimals(min_value=D("0.01"), max_value=100, places=2))
def test_rounding_to_a_multiple_moves_the_price_less_than_the_amount(
    price: Decimal, amount: Decimal
) -> None:
    for policy in (RoundingPolicy.up, RoundingPolicy.down, RoundingPolicy.nearest):
        rounded = rounded_price(price, policy, RoundingOption.multiple_of, amount)
        assert abs(rounded - price) < amount
        assert rounded % amount == 0
    assert rounded_price(price, RoundingPolicy.up, RoundingOption.multiple_of, amount) >= price


@given(price=money, amount=st.decimals(min_value=0, max_value=100, places=2))
def test_rounding_to_an_ending_moves_the_price_less_than_its_period(
    price: Decimal, amount: Decimal
) -> None:
    rounded = rounded_price(price, RoundingPolicy.up, RoundingOption.ends_in, amount)
    assert price <= rounded < price + ends_in_period(amount)
    assert (rounded - amount) % ends_in_period(amount) == 0


@pytest.mark.parametrize(
    ("quantity", "discount"), [("10", "0.00"), ("11", "1.00"), ("20", "1.00"), ("21", "0")]
)
def test_a_quantity_gets_the_tier_it_falls_in_both_ends_included(
    quantity: str, discount: str
) -> None:
    assert volume_discount(D("10.00"), D(quantity), TIERS) == D(discount)


def test_an_amount_tier_never_takes_more_than_the_price() -> None:
    amounts = VolumeTiers(is_amount_type=True, tiers=(VolumeTier(D(1), D(5), amount=D(50)),))
    assert volume_discount(D("10.00"), D(2), amounts) == D("10.00")


def test_overlapping_tiers_are_refused() -> None:
    with pytest.raises(Conflict):
        check_tiers_apart(VolumeTier(D(20), D(30), percentage=D(5)), TIERS.tiers)
    check_tiers_apart(VolumeTier(D(21), D(30), percentage=D(5)), TIERS.tiers)


def test_a_manual_discount_larger_than_the_line_is_refused() -> None:
    with pytest.raises(InvalidField) as refused:
        line_amounts(quantity=D(1), price_per_unit=D("10.00"), manual_discount=D(50))
    assert refused.value.field == "manual_discount"


def test_a_line_discount_and_a_document_discount_of_ten_percent_compound() -> None:
    line = line_amounts(
        quantity=D(15), price_per_unit=D("100.00"), volume_discount=D("10.00")
    )  # 10 % off each unit
    totals = document_totals([(line.extended_amount, line.tax)], discount_percentage=D(10))
    assert totals.total_amount == D("1500.00") * D("0.81")


def test_tax_is_rounded_on_each_line() -> None:
    lines = [line_amounts(quantity=D(1), price_per_unit=D("1.10"), tax_rate=D(5))] * 3
    totals = document_totals([(line.extended_amount, line.tax) for line in lines])
    assert totals.total_tax == D("0.18")  # 3.30 x 5 % rounded once would be 0.17


@given(
    quantity=quantities,
    price=money,
    discount_share=st.decimals(min_value=0, max_value=1, places=2),
    rate=rates,
)
def test_a_line_is_never_below_zero(
    quantity: Decimal, price: Decimal, discount_share: Decimal, rate: Decimal
) -> None:
    volume = volume_discount(price, quantity, TIERS)
    room = (quantity * (price - volume)).quantize(D("0.01"))
    line = line_amounts(
        quantity=quantity,
        price_per_unit=price,
        volume_discount=volume,
        manual_discount=(room * discount_share).quantize(D("0.01"), rounding="ROUND_DOWN"),
        tax_rate=rate,
    )
    assert line.extended_amount >= 0
    assert line.tax >= 0
    assert line.extended_amount == line.amount_before_tax + line.tax


@given(
    lines=st.lists(st.tuples(quantities, money, rates), max_size=20),
    percentage=rates,
    freight=money,
)
def test_totals_are_the_sum_of_the_lines_to_the_cent(
    lines: list[tuple[Decimal, Decimal, Decimal]], percentage: Decimal, freight: Decimal
) -> None:
    priced = [line_amounts(quantity=q, price_per_unit=p, tax_rate=r) for q, p, r in lines]
    totals = document_totals(
        [(line.extended_amount, line.tax) for line in priced],
        discount_percentage=percentage,
        freight_amount=freight,
    )
    assert totals.total_line_item_amount == sum((line.amount_before_tax for line in priced), D(0))
    assert totals.total_tax == sum((line.tax for line in priced), D(0))
    assert totals.total_amount == (
        totals.total_line_item_amount - totals.total_discount_amount + freight + totals.total_tax
    )
    assert 0 <= totals.total_amount_less_freight <= totals.total_line_item_amount
