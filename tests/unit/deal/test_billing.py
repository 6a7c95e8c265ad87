"""Billing an order to the cent (models/deal/order.py, models/payment_schedule.py): on hold and
resumed, a payment schedule's parts, a fixed amount or a percentage; the invoices of an order add
up to its total exactly and never bill a line beyond its amount."""

import uuid
from collections.abc import Mapping, Sequence
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from models.deal.documents import totalled
from models.deal.invoice import CancelInvoice
from models.deal.order import (
    BillPart,
    Fulfill,
    HoldOrder,
    InvoiceOrder,
    ResumeOrder,
    SetPaymentSchedule,
    SubmitOrder,
    check_bill_part,
    check_fulfill,
    check_hold_order,
    check_invoice,
    check_resume_order,
    check_set_payment_schedule,
    check_submit_order,
)
from models.deal.records import Deal
from models.errors import IllegalTransition, InvalidField
from models.line_item import Document
from models.order import OrderRecord, OrderState, OrderStatus
from models.payment_schedule import PaymentPart, part_amounts, spread
from models.pricing import to_cents
from tests.unit.deal.builders import (
    NOW,
    TODAY,
    deal_of,
    line_record,
    order_deal,
    order_record,
    run,
    step,
)


def the_order(deal: Deal) -> OrderRecord:
    (order,) = deal.orders
    return order


def held(deal: Deal) -> Deal:
    return run(deal, HoldOrder(order_id=the_order(deal).id, reason="credit check"))


def schedule(deal: Deal, *parts: Mapping[str, object]) -> SetPaymentSchedule:
    return SetPaymentSchedule.model_validate({"order_id": the_order(deal).id, "parts": parts})


def invoice_totals(deal: Deal) -> list[Decimal]:
    return [invoice.total_amount for invoice in deal.invoices]


def charged_order(lines: Sequence[tuple[int, str, str]], **charges: Decimal | None) -> Deal:
    """An order of (quantity, price, tax) lines with a document discount and freight
    (`charges`), its totals worked out from them."""
    order = order_record(**charges)
    records = [
        line_record(Document.order, order.id, number, quantity, price, tax=tax)
        for number, (quantity, price, tax) in enumerate(lines, start=1)
    ]
    return deal_of(totalled(step(), order, records), *records)


CHARGED = ((10, "10.00", "1.25"), (4, "25.00", "1.25"))


# --- hold and resume ---------------------------------------------------------------------------


def test_a_held_order_is_pending_with_its_reason() -> None:
    order = the_order(held(order_deal()))
    assert (order.state, order.status_reason, order.hold_reason) == (
        OrderState.active,
        OrderStatus.pending,
        "credit check",
    )


def test_an_order_on_hold_is_not_submitted_fulfilled_or_invoiced() -> None:
    deal = held(order_deal())
    order_id = the_order(deal).id
    for check, action in (
        (check_submit_order, SubmitOrder(order_id=order_id)),
        (check_fulfill, Fulfill(order_id=order_id)),
        (check_invoice, InvoiceOrder(order_id=order_id)),
    ):
        with pytest.raises(IllegalTransition) as refused:
            check(deal.snapshot(), action, TODAY)  # type: ignore[arg-type]
        assert refused.value.state == "on hold"
        assert refused.value.rule == "the order is on hold (credit check): resume it first"


def test_a_resumed_order_is_new_again_and_billable() -> None:
    on_hold = held(order_deal())
    deal = run(on_hold, ResumeOrder(order_id=the_order(on_hold).id))
    order = the_order(deal)
    assert (order.status_reason, order.hold_reason) == (OrderStatus.new, None)
    check_invoice(deal.snapshot(), InvoiceOrder(order_id=order.id), TODAY)


def test_only_an_active_order_is_held_and_only_a_held_one_resumed() -> None:
    deal = order_deal()
    order_id = the_order(deal).id
    with pytest.raises(IllegalTransition, match="not on hold"):
        check_resume_order(deal.snapshot(), ResumeOrder(order_id=order_id), TODAY)
    submitted = run(deal, SubmitOrder(order_id=order_id))
    with pytest.raises(IllegalTransition, match="only an active order"):
        check_hold_order(submitted.snapshot(), HoldOrder(order_id=order_id, reason="x"), TODAY)
    with pytest.raises(IllegalTransition, match="on hold"):
        check_hold_order(held(deal).snapshot(), HoldOrder(order_id=order_id, reason="x"), TODAY)


def test_a_hold_needs_a_reason() -> None:
    with pytest.raises(ValidationError):
        HoldOrder.model_validate({"order_id": str(uuid.uuid4()), "reason": ""})


# --- a percentage or a fixed amount ------------------------------------------------------------


def test_a_percentage_is_the_amount_first_then_the_lines() -> None:
    deal = order_deal((3, "436.9967"))
    assert the_order(deal).total_amount == Decimal("1310.99")
    billed = run(deal, InvoiceOrder(order_id=the_order(deal).id, percent=Decimal("33.333")))
    assert invoice_totals(billed) == [Decimal("436.99")]


def test_a_deposit_by_amount_is_spread_over_the_lines_pro_rata() -> None:
    deal = order_deal((10, "10.00"), (4, "25.00"))
    billed = run(deal, InvoiceOrder(order_id=the_order(deal).id, amount=Decimal("50.00")))
    assert invoice_totals(billed) == [Decimal("50.00")]
    laptop, mouse = billed.snapshot().lines_of(the_order(deal).id)
    assert (laptop.invoiced_amount, mouse.invoiced_amount) == (25, 25)
    assert (laptop.invoiced_quantity, mouse.invoiced_quantity) == (Decimal("2.5"), 1)
    rest = run(billed, InvoiceOrder(order_id=the_order(deal).id))
    assert invoice_totals(rest) == [Decimal("50.00"), Decimal("150.00")]
    assert the_order(rest).state is OrderState.invoiced


@pytest.mark.parametrize(
    "charges",
    [
        {"discount_amount": Decimal("10.00")},
        {"freight_amount": Decimal("5.00")},
        {"discount_percentage": Decimal(10), "freight_amount": Decimal("7.50")},
    ],
    ids=["discount", "freight", "both"],
)
def test_a_deposit_comes_to_its_amount_whatever_the_orders_discount_and_freight(
    charges: dict[str, Decimal],
) -> None:
    deal = charged_order(CHARGED, **charges)
    order = the_order(deal)
    billed = run(deal, InvoiceOrder(order_id=order.id, amount=Decimal("50.00")))
    rest = run(billed, InvoiceOrder(order_id=order.id))
    assert invoice_totals(rest) == [Decimal("50.00"), order.total_amount - 50]
    assert the_order(rest).state is OrderState.invoiced


def test_an_order_with_freight_is_billed_whole_by_a_percentage() -> None:
    deal = charged_order(CHARGED, freight_amount=Decimal("5.00"))
    order = the_order(deal)
    billed = run(deal, InvoiceOrder(order_id=order.id, percent=Decimal(100)))
    assert invoice_totals(billed) == [Decimal("207.50")]
    assert the_order(billed).state is OrderState.invoiced


def test_no_amount_bills_more_than_the_order_has_left() -> None:
    deal = order_deal((2, "100.00"))
    with pytest.raises(IllegalTransition) as refused:
        check_invoice(
            deal.snapshot(), InvoiceOrder(order_id=the_order(deal).id, amount=Decimal(201)), TODAY
        )
    assert refused.value.rule == (
        "the order has 200.00 left to bill, not 201.00: no invoice bills more than was ordered"
    )


@pytest.mark.parametrize(
    "body",
    [{"amount": "50.001"}, {"amount": "0"}, {"amount": "-5"}, {"amount": "5", "percent": "5"}],
    ids=["3-decimals", "zero", "negative", "amount-and-percent"],
)
def test_an_amount_is_positive_to_the_cent_and_the_one_way_chosen(body: dict[str, str]) -> None:
    with pytest.raises(ValidationError):
        InvoiceOrder.model_validate({"order_id": str(uuid.uuid4()), **body})


def test_an_unknown_key_next_to_an_amount_is_refused() -> None:
    with pytest.raises(ValidationError) as refused:
        InvoiceOrder.model_validate(
            {"order_id": str(uuid.uuid4()), "amount": "50.00", "amout": "1"}
        )
    assert refused.value.errors()[0]["type"] == "extra_forbidden"


def test_an_invoice_of_an_order_is_not_due_before_its_date() -> None:
    deal = order_deal()
    action = InvoiceOrder.model_validate(
        {"order_id": the_order(deal).id, "invoice": {"due_date": TODAY - timedelta(days=1)}}
    )
    with pytest.raises(InvalidField) as refused:
        check_invoice(deal.snapshot(), action, TODAY)
    assert refused.value.field == "invoice.due_date"


# --- payment schedules --------------------------------------------------------------------------


DEPOSIT_THEN_BALANCE: tuple[dict[str, Any], ...] = (
    {"name": "Deposit", "amount": "100.00", "days_after": 0},
    {"name": "Delivery", "percent": "50", "days_after": 10, "after": "fulfillment"},
    {"name": "Balance", "amount": "555.50", "due_date": str(TODAY + timedelta(days=60))},
)


def test_the_parts_must_come_to_exactly_the_order_total() -> None:
    deal = order_deal((1, "1311.00"))
    check_set_payment_schedule(deal.snapshot(), schedule(deal, *DEPOSIT_THEN_BALANCE), TODAY)
    short = ({**DEPOSIT_THEN_BALANCE[0], "amount": "99.99"}, *DEPOSIT_THEN_BALANCE[1:])
    with pytest.raises(InvalidField) as refused:
        check_set_payment_schedule(deal.snapshot(), schedule(deal, *short), TODAY)
    assert refused.value.field == "parts"
    assert "come to 1310.99, not the order total 1311.00" in refused.value.message


@pytest.mark.parametrize(
    "parts",
    [
        [
            {"name": "A", "percent": "50", "days_after": 1},
            {"name": "a", "percent": "50", "days_after": 2},
        ],
        [{"name": "A", "amount": "-1", "days_after": 1}],
        [{"name": "A", "percent": "100", "amount": "1", "days_after": 1}],
        [{"name": "A", "percent": "100"}],
        [{"name": "A", "amount": "1.001", "days_after": 1}],
    ],
    ids=["duplicate", "negative", "percent-and-amount", "no-due", "3-decimals"],
)
def test_a_duplicate_negative_or_unclear_part_is_refused(parts: list[dict[str, str]]) -> None:
    with pytest.raises(ValidationError):
        SetPaymentSchedule.model_validate({"order_id": str(uuid.uuid4()), "parts": parts})


def test_each_part_bills_its_share_and_the_last_the_remainder() -> None:
    deal = order_deal((3, "33.3333"))
    thirds = [
        {"name": f"Third {n}", "percent": p, "days_after": 30 * n}
        for n, p in ((1, "33.3333"), (2, "33.3333"), (3, "33.3334"))
    ]
    order_id = the_order(deal).id
    billed = run(
        deal,
        schedule(deal, *thirds),
        BillPart(order_id=order_id, part=3),
        BillPart(order_id=order_id, part=1),
        BillPart(order_id=order_id, part=2),
    )
    assert invoice_totals(billed) == [Decimal("33.34"), Decimal("33.33"), Decimal("33.33")]
    assert [i.schedule_part for i in billed.invoices] == [3, 1, 2]
    assert [i.due_date for i in billed.invoices] == [
        NOW.date() - timedelta(days=30) + timedelta(days=90),
        NOW.date(),  # due before it was billed: due on the day it is
        NOW.date() - timedelta(days=30) + timedelta(days=60),
    ]
    assert the_order(billed).state is OrderState.invoiced


def test_each_part_of_an_order_with_discount_and_freight_bills_its_amount() -> None:
    deal = charged_order(CHARGED, discount_amount=Decimal(10), freight_amount=Decimal(5))
    order = the_order(deal)
    thirty_seventy = (
        {"name": "Deposit", "percent": "30", "days_after": 0},
        {"name": "Balance", "percent": "70", "days_after": 30},
    )
    billed = run(
        deal,
        schedule(deal, *thirty_seventy),
        BillPart(order_id=order.id, part=1),
        BillPart(order_id=order.id, part=2),
    )
    assert order.total_amount == Decimal("197.50")
    assert invoice_totals(billed) == [Decimal("59.25"), Decimal("138.25")]
    assert the_order(billed).state is OrderState.invoiced


def test_a_part_is_never_billed_twice_and_its_invoice_cancelled_frees_it() -> None:
    deal = order_deal((2, "100.00"))
    order_id = the_order(deal).id
    billed = run(
        deal,
        schedule(
            deal, *DEPOSIT_THEN_BALANCE[:1], {"name": "Rest", "amount": "100.00", "days_after": 5}
        ),
        BillPart(order_id=order_id, part=1),
    )
    with pytest.raises(IllegalTransition, match=r"part 1 \(Deposit\) is billed already"):
        check_bill_part(billed.snapshot(), BillPart(order_id=order_id, part=1), TODAY)
    (invoice,) = billed.invoices
    again = run(billed, CancelInvoice(invoice_id=invoice.id))
    check_bill_part(again.snapshot(), BillPart(order_id=order_id, part=1), TODAY)


def test_an_order_with_a_schedule_is_billed_by_its_parts_only() -> None:
    deal = order_deal((2, "100.00"))
    scheduled = run(deal, schedule(deal, {"name": "All", "percent": "100", "days_after": 0}))
    with pytest.raises(IllegalTransition, match="billed by its payment schedule"):
        check_invoice(scheduled.snapshot(), InvoiceOrder(order_id=the_order(deal).id), TODAY)


def test_a_schedule_is_set_before_the_order_is_billed() -> None:
    deal = order_deal((2, "100.00"))
    billed = run(deal, InvoiceOrder(order_id=the_order(deal).id, amount=Decimal(10)))
    whole = schedule(deal, {"name": "All", "percent": "100", "days_after": 0})
    with pytest.raises(IllegalTransition, match="set before it is billed"):
        check_set_payment_schedule(billed.snapshot(), whole, TODAY)


def test_a_part_due_after_fulfilment_has_no_date_until_the_order_is_fulfilled() -> None:
    deal = order_deal((1, "1311.00"))
    scheduled = run(deal, schedule(deal, *DEPOSIT_THEN_BALANCE))
    deposit, delivery, balance = scheduled.snapshot().orders[0].parts
    assert (deposit.amount, delivery.amount, balance.amount) == (
        100,
        Decimal("655.50"),
        Decimal("555.50"),
    )
    assert delivery.due_date is None
    fulfilled = run(scheduled, Fulfill(order_id=the_order(deal).id))
    assert fulfilled.snapshot().orders[0].parts[1].due_date == TODAY + timedelta(days=10)


# --- properties: to the cent, whatever the order ------------------------------------------------

cents = st.integers(min_value=1, max_value=10**9).map(lambda n: Decimal(n).scaleb(-2))


@settings(max_examples=300, deadline=None)
@given(
    lines=st.lists(cents, min_size=1, max_size=8),
    weights=st.lists(st.integers(min_value=1, max_value=10_000), min_size=1, max_size=6),
)
def test_the_parts_always_sum_to_the_total_and_no_line_is_billed_beyond_its_amount(
    lines: list[Decimal], weights: list[int]
) -> None:
    total = sum(lines, Decimal(0))
    # Percentages at 4 places that come to exactly 100: the last takes what the others leave.
    raw = [Decimal(w) * 100 / sum(weights) for w in weights]
    percents = [p.quantize(Decimal("0.0001")) for p in raw[:-1]]
    percents.append(Decimal(100) - sum(percents, Decimal(0)))
    if any(p <= 0 for p in percents):
        return
    parts = [PaymentPart(name=str(n), percent=p, days_after=0) for n, p in enumerate(percents)]
    try:
        amounts = part_amounts(total, parts)
    except InvalidField:  # a part under a cent
        return
    assert sum(amounts) == total
    left = dict(enumerate(lines))
    billed = dict.fromkeys(left, Decimal(0))
    for amount in amounts:
        shares = spread(amount, [(k, left[k] - billed[k]) for k in left])
        assert sum(shares.values()) == amount
        for key, share in shares.items():
            assert share >= 0
            billed[key] += share
            assert billed[key] <= left[key]
    assert billed == left


@settings(max_examples=300, deadline=None)
@given(lines=st.lists(cents, min_size=1, max_size=8), data=st.data())
def test_any_amount_spread_over_the_lines_sums_exactly_within_each_line(
    lines: list[Decimal], data: st.DataObject
) -> None:
    total = sum(lines, Decimal(0))
    amount = data.draw(st.integers(min_value=1, max_value=int(total * 100))).__index__()
    shares = spread(Decimal(amount).scaleb(-2), list(enumerate(lines)))
    assert sum(shares.values()) == Decimal(amount).scaleb(-2)
    assert all(0 <= shares[k] <= lines[k] for k in shares)


@settings(max_examples=100, deadline=None)
@given(
    quantities=st.lists(st.integers(min_value=1, max_value=50), min_size=1, max_size=4),
    price_cents=st.lists(st.integers(min_value=1, max_value=10**6), min_size=4, max_size=4),
    deposits=st.lists(st.integers(min_value=1, max_value=99), min_size=1, max_size=3),
)
def test_an_order_billed_by_amounts_then_the_rest_adds_up_to_its_total(
    quantities: list[int], price_cents: list[int], deposits: list[int]
) -> None:
    lines = [(q, str(Decimal(p).scaleb(-2))) for q, p in zip(quantities, price_cents, strict=False)]
    deal = order_deal(*lines)
    order = the_order(deal)
    for percent in deposits:
        amount = (order.total_amount * percent / 100 / len(deposits)).quantize(Decimal("0.01"))
        if amount > 0:
            deal = run(deal, InvoiceOrder(order_id=order.id, amount=amount))
    if the_order(deal).state is not OrderState.invoiced:  # deposits rounded up to the whole
        deal = run(deal, InvoiceOrder(order_id=order.id))
    assert sum(invoice_totals(deal)) == order.total_amount
    for line in deal.snapshot().lines_of(order.id):
        assert (line.invoiced_amount, line.invoiced_quantity) == (
            line.extended_amount,
            line.quantity,
        )
    assert the_order(deal).state is OrderState.invoiced


@st.composite
def taxed_line(draw: st.DrawFn) -> tuple[int, str, str]:
    """(quantity, price, tax): a tax of up to 30% of the line's amount, to the cent."""
    quantity = draw(st.integers(min_value=1, max_value=50))
    price = Decimal(draw(st.integers(min_value=1, max_value=10**6))).scaleb(-2)
    rate = Decimal(draw(st.integers(min_value=0, max_value=3000))).scaleb(-2)
    return quantity, str(price), str(to_cents(quantity * price * rate / 100))


charged_lines = st.lists(taxed_line(), min_size=1, max_size=4)
charges = st.fixed_dictionaries(
    {
        "discount_percentage": st.none() | st.integers(0, 10_000).map(lambda n: Decimal(n) / 100),
        "discount_amount": st.none() | cents,
        "freight_amount": st.none() | cents,
    }
)


def checked_order(lines: list[tuple[int, str, str]], document: dict[str, Decimal | None]) -> Deal:
    """The order, when its discount is at most half its detail amount: a discount of nearly
    all of it leaves an invoice's lines too few cents to carry their share of it."""
    try:
        deal = charged_order(lines, **document)
    except InvalidField:  # a discount beyond the detail amount: no such order
        assume(False)
        raise
    order = the_order(deal)
    assume(order.total_discount_amount * 2 <= order.total_line_item_amount)
    return deal


def assert_billed_whole(deal: Deal, order: OrderRecord) -> None:
    assert sum(invoice_totals(deal)) == order.total_amount
    assert the_order(deal).state is OrderState.invoiced
    for line in deal.snapshot().lines_of(order.id):
        assert line.invoiced_amount == line.extended_amount


@settings(max_examples=200, deadline=None)
@given(lines=charged_lines, document=charges, data=st.data())
def test_each_deposit_comes_to_its_amount_and_the_rest_to_the_orders_total(
    lines: list[tuple[int, str, str]], document: dict[str, Decimal | None], data: st.DataObject
) -> None:
    deal = checked_order(lines, document)
    order = the_order(deal)
    for _ in range(data.draw(st.integers(min_value=1, max_value=3))):
        left = order.total_amount - sum(invoice_totals(deal), Decimal(0))
        if left < Decimal("0.01"):
            break
        cents_asked = data.draw(st.integers(min_value=1, max_value=int(left * 100)))
        amount = Decimal(cents_asked).scaleb(-2)
        deal = run(deal, InvoiceOrder(order_id=order.id, amount=amount))
        assert deal.invoices[-1].total_amount == amount
    if the_order(deal).state is not OrderState.invoiced:
        deal = run(deal, InvoiceOrder(order_id=order.id))
    assert_billed_whole(deal, order)


@settings(max_examples=200, deadline=None)
@given(
    lines=charged_lines,
    document=charges,
    weights=st.lists(st.integers(min_value=1, max_value=10_000), min_size=1, max_size=5),
)
def test_each_part_comes_to_its_amount_and_the_parts_to_the_orders_total(
    lines: list[tuple[int, str, str]], document: dict[str, Decimal | None], weights: list[int]
) -> None:
    deal = checked_order(lines, document)
    order = the_order(deal)
    percents = [(Decimal(w) * 100 / sum(weights)).quantize(Decimal("0.0001")) for w in weights]
    percents[-1] = Decimal(100) - sum(percents[:-1], Decimal(0))
    assume(all(p > 0 for p in percents))
    parts = [{"name": str(n), "percent": str(p), "days_after": 0} for n, p in enumerate(percents)]
    try:
        amounts = part_amounts(order.total_amount, [PaymentPart.model_validate(p) for p in parts])
    except InvalidField:  # a part under a cent
        assume(False)
        raise
    deal = run(deal, schedule(deal, *parts))
    for number in range(1, len(parts) + 1):
        deal = run(deal, BillPart(order_id=order.id, part=number))
    assert invoice_totals(deal) == amounts
    assert_billed_whole(deal, order)
