"""Document totals over any priced lines, document discount (percentage and amount) and
freight: the sum of their parts, never negative, whatever the order of the lines."""

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from models.pricing import ZERO, LineAmounts, document_totals, line_amounts, percent_of, to_cents

CENT = Decimal("0.01")

money = st.decimals(min_value=0, max_value=100_000, places=2)
quantities = st.decimals(min_value=CENT, max_value=1_000, places=2)
rates = st.one_of(st.none(), st.decimals(min_value=0, max_value=30, places=2))


@st.composite
def lines(draw: st.DrawFn) -> LineAmounts:
    quantity, price = draw(quantities), draw(money)
    volume = draw(st.decimals(min_value=0, max_value=price, places=2))
    room = to_cents(quantity * (price - volume))
    manual = draw(st.decimals(min_value=0, max_value=room, places=2))
    rate = draw(rates)
    tax = ZERO if rate is not None else draw(money)
    return line_amounts(
        quantity=quantity,
        price_per_unit=price,
        volume_discount=volume,
        manual_discount=manual,
        tax=tax,
        tax_rate=rate,
    )


documents = st.lists(lines(), max_size=8)


@given(
    document=documents,
    percentage=st.decimals(min_value=0, max_value=100, places=2),
    share=st.decimals(min_value=0, max_value=1, places=2),
    freight=money,
)
def test_totals_are_lines_less_discount_plus_freight_and_tax_in_any_order(
    document: list[LineAmounts], percentage: Decimal, share: Decimal, freight: Decimal
) -> None:
    detail = sum((line.amount_before_tax for line in document), ZERO)
    left = detail - percent_of(detail, percentage)
    amount = to_cents(left * share)
    pairs = [(line.extended_amount, line.tax) for line in document]
    totals = document_totals(pairs, percentage, amount, freight)
    tax = sum((line.tax for line in document), ZERO)
    assert totals.total_line_item_amount == detail
    assert totals.total_discount_amount == percent_of(detail, percentage) + amount
    assert totals.total_amount == detail - totals.total_discount_amount + freight + tax
    assert totals.total_amount_less_freight >= ZERO
    assert totals.total_amount >= ZERO
    assert document_totals(reversed(pairs), percentage, amount, freight) == totals
