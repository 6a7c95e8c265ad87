"""A deal's orders (models/deal/order.py): entered directly, submitted, fulfilled, cancelled, and
billed in one invoice or several, to the cent; each rule's refusals and each effect's records."""

import uuid
from decimal import Decimal

import pytest
from pydantic import ValidationError

from models.deal.invoice import CancelInvoice, Pay
from models.deal.order import (
    CancelOrder,
    CreateOrder,
    Fulfill,
    InvoiceOrder,
    SubmitOrder,
    apply_cancel_order,
    apply_create_order,
    apply_fulfill,
    apply_invoice,
    apply_submit_order,
    check_cancel_order,
    check_create_order,
    check_fulfill,
    check_invoice,
    check_submit_order,
)
from models.deal.records import Deal
from models.deal.state import Outcome, Stage
from models.errors import IllegalTransition, InvalidField, NotFound
from models.invoice import InvoiceFields, InvoiceRecord, InvoiceState, PaymentFields
from models.line_item import Document, LineInput, LineItemRecord
from models.order import OrderFields, OrderRecord, OrderState, OrderStatus
from tests.unit.deal.builders import (
    DEAL_ID,
    NOW,
    OWNER,
    SELLER,
    TODAY,
    TOMORROW,
    FakeSharedRecords,
    lead_deal,
    new_deal,
    order_deal,
    run,
    step,
    the,
)


def the_order(deal: Deal) -> OrderRecord:
    (order,) = deal.orders
    return order


def in_state(deal: Deal, state: OrderState, **more: object) -> Deal:
    """`deal` with its order in `state`."""
    order = the_order(deal)
    changed = order.model_copy(update={"state": state, **more})
    return Deal.of(deal.deal_id, [changed if r.id == order.id else r for r in deal.records()])


def bill(deal: Deal, *quantities: tuple[LineItemRecord, str]) -> InvoiceOrder:
    """An invoice of the order of `deal` for these quantities of its lines."""
    return InvoiceOrder(
        order_id=the_order(deal).id,
        lines=[{"order_line_id": line.id, "quantity": quantity} for line, quantity in quantities],
    )


def bill_all(deal: Deal, **choice: object) -> InvoiceOrder:
    return InvoiceOrder.model_validate({"order_id": the_order(deal).id, **choice})


def invoice_totals(deal: Deal) -> list[Decimal]:
    return [invoice.total_amount for invoice in deal.invoices]


# --- create_order -----------------------------------------------------------------------------


def test_an_order_entered_directly_opens_the_deal_in_fulfill_with_prices_locked() -> None:
    action = CreateOrder(
        order_id=uuid.uuid4(),
        order=OrderFields(name="Rack", ship_to_address="1 Quay St"),
        owner_id=OWNER,
        lines=[
            LineInput(
                write_in_description="Rack", quantity=Decimal(3), price_per_unit=Decimal("33.3333")
            )
        ],
    )
    check_create_order(new_deal().snapshot(), action, TODAY)
    effect = apply_create_order(new_deal(), action, step())
    order, line = effect.created
    assert isinstance(order, OrderRecord) and isinstance(line, LineItemRecord)
    assert (order.id, order.deal_id, order.order_number) == (
        action.order_id,
        DEAL_ID,
        f"ORD-{action.order_id.hex[:8].upper()}",
    )
    assert (order.state, order.status_reason) == (OrderState.active, OrderStatus.new)
    assert (order.name, order.ship_to_address, order.owner_id) == ("Rack", "1 Quay St", OWNER)
    assert (line.document, line.document_id, line.line_number) == (Document.order, order.id, 1)
    assert line.extended_amount == order.total_amount == Decimal("100.00")
    assert effect.summary == f"Order {order.order_number} created"
    after = new_deal().after(effect).snapshot()
    assert (after.stage, after.outcome, after.value) == (Stage.fulfill, Outcome.open, Decimal(100))
    assert after.main_record == ("order", order.id)


def test_an_order_entered_without_owner_is_owned_by_whoever_entered_it() -> None:
    action = CreateOrder(
        order_id=uuid.uuid4(),
        order=OrderFields(),
        lines=[LineInput(write_in_description="x", quantity=Decimal(1), price_per_unit=Decimal(1))],
    )
    order, _ = apply_create_order(new_deal(), action, step()).created
    assert order.owner_id == SELLER


def test_an_order_needs_a_line() -> None:
    with pytest.raises(ValidationError):
        CreateOrder(order_id=uuid.uuid4(), order=OrderFields(), lines=[])


def test_cannot_enter_an_order_on_a_deal_that_has_records() -> None:
    action = CreateOrder(
        order_id=uuid.uuid4(),
        order=OrderFields(),
        lines=[LineInput(write_in_description="x", quantity=Decimal(1), price_per_unit=Decimal(1))],
    )
    with pytest.raises(IllegalTransition) as refused:
        check_create_order(lead_deal().snapshot(), action, TODAY)
    assert (refused.value.record, refused.value.state) == ("order", "exists")


# --- submit_order -----------------------------------------------------------------------------


def test_a_submitted_order_is_handed_to_fulfilment_and_stays_in_fulfill() -> None:
    deal = order_deal()
    action = SubmitOrder(order_id=the_order(deal).id)
    check_submit_order(deal.snapshot(), action, TODAY)
    effect = apply_submit_order(deal, action, step())
    (order,) = effect.changed
    assert isinstance(order, OrderRecord)
    assert (order.state, order.status_reason, order.submitted_at) == (
        OrderState.submitted,
        OrderStatus.submitted,
        NOW,
    )
    assert effect.summary == f"Order {order.order_number} submitted"
    assert deal.after(effect).snapshot().stage is Stage.fulfill


@pytest.mark.parametrize(
    "state",
    [OrderState.submitted, OrderState.canceled, OrderState.fulfilled, OrderState.invoiced],
)
def test_only_an_active_order_can_be_submitted(state: OrderState) -> None:
    deal = in_state(order_deal(), state)
    with pytest.raises(IllegalTransition) as refused:
        check_submit_order(deal.snapshot(), SubmitOrder(order_id=the_order(deal).id), TODAY)
    assert (refused.value.state, refused.value.rule) == (
        state,
        "only an active order can be submitted",
    )


def test_an_unknown_order_is_not_found() -> None:
    missing = uuid.uuid4()
    with pytest.raises(NotFound) as refused:
        check_submit_order(order_deal().snapshot(), SubmitOrder(order_id=missing), TODAY)
    assert (refused.value.record, refused.value.record_id) == ("order", str(missing))


# --- fulfill ----------------------------------------------------------------------------------


@pytest.mark.parametrize("state", [OrderState.active, OrderState.submitted])
def test_an_order_is_fulfilled_completely_by_default(state: OrderState) -> None:
    deal = in_state(order_deal(), state)
    action = Fulfill(order_id=the_order(deal).id)
    check_fulfill(deal.snapshot(), action, TODAY)
    effect = apply_fulfill(deal, action, step())
    (order,) = effect.changed
    assert isinstance(order, OrderRecord)
    assert (order.state, order.status_reason) == (OrderState.fulfilled, OrderStatus.complete)
    assert (order.fulfillment_status, order.fulfilled_at) == (OrderStatus.complete, NOW)
    assert effect.summary == f"Order {order.order_number} fulfilled (complete)"
    assert deal.after(effect).snapshot().stage is Stage.fulfill  # still to bill


def test_a_partly_fulfilled_order_can_be_fulfilled_completely_later() -> None:
    deal = order_deal()
    order_id = the_order(deal).id
    partly = run(deal, Fulfill(order_id=order_id, status=OrderStatus.partial))
    assert (the_order(partly).state, the_order(partly).status_reason) == (
        OrderState.fulfilled,
        OrderStatus.partial,
    )
    complete = run(partly, Fulfill(order_id=order_id))
    assert the_order(complete).fulfillment_status is OrderStatus.complete


def test_an_order_invoiced_before_it_is_fulfilled_stays_invoiced() -> None:
    deal = in_state(order_deal(), OrderState.invoiced, status_reason=OrderStatus.invoiced)
    (order,) = apply_fulfill(deal, Fulfill(order_id=the_order(deal).id), step()).changed
    assert isinstance(order, OrderRecord)
    assert (order.state, order.status_reason) == (OrderState.invoiced, OrderStatus.invoiced)
    assert order.fulfillment_status is OrderStatus.complete


@pytest.mark.parametrize("status", [OrderStatus.new, OrderStatus.submitted, OrderStatus.invoiced])
def test_an_order_is_fulfilled_completely_or_in_part_only(status: OrderStatus) -> None:
    deal = order_deal()
    with pytest.raises(InvalidField) as refused:
        check_fulfill(deal.snapshot(), Fulfill(order_id=the_order(deal).id, status=status), TODAY)
    assert refused.value.field == "status"


@pytest.mark.parametrize(
    "deal",
    [
        in_state(order_deal(), OrderState.canceled),
        in_state(order_deal(), OrderState.fulfilled, fulfillment_status=OrderStatus.complete),
    ],
    ids=["cancelled", "complete"],
)
def test_a_cancelled_or_completed_order_cannot_be_fulfilled(deal: Deal) -> None:
    with pytest.raises(IllegalTransition) as refused:
        check_fulfill(deal.snapshot(), Fulfill(order_id=the_order(deal).id), TODAY)
    assert refused.value.rule == "a cancelled or completed order cannot be fulfilled"


# --- cancel_order -----------------------------------------------------------------------------


@pytest.mark.parametrize("state", [OrderState.active, OrderState.submitted])
def test_a_cancelled_order_closes_the_deal_as_cancelled(state: OrderState) -> None:
    deal = in_state(order_deal(), state)
    action = CancelOrder(order_id=the_order(deal).id)
    check_cancel_order(deal.snapshot(), action, TODAY)
    effect = apply_cancel_order(deal, action, step())
    (order,) = effect.changed
    assert isinstance(order, OrderRecord)
    assert (order.state, order.status_reason) == (OrderState.canceled, OrderStatus.canceled)
    assert effect.summary == f"Order {order.order_number} cancelled"
    after = deal.after(effect).snapshot()
    assert (after.stage, after.outcome) == (Stage.done, Outcome.canceled)


def test_an_order_with_live_invoices_cannot_be_cancelled() -> None:
    deal = order_deal()
    billed = run(deal, bill_all(deal))
    cancel = CancelOrder(order_id=the_order(deal).id)
    with pytest.raises(IllegalTransition) as refused:
        check_cancel_order(billed.snapshot(), cancel, TODAY)
    assert (refused.value.state, refused.value.rule) == (
        OrderState.invoiced,
        "the order has invoices that are not cancelled",
    )
    (invoice,) = billed.invoices
    cancelled = run(billed, CancelInvoice(invoice_id=invoice.id), cancel)
    assert the_order(cancelled).state is OrderState.canceled
    snapshot = cancelled.snapshot()
    assert (snapshot.stage, snapshot.outcome) == (Stage.done, Outcome.canceled)


@pytest.mark.parametrize("state", [OrderState.fulfilled, OrderState.canceled])
def test_only_an_active_or_submitted_order_can_be_cancelled(state: OrderState) -> None:
    deal = in_state(order_deal(), state)
    with pytest.raises(IllegalTransition) as refused:
        check_cancel_order(deal.snapshot(), CancelOrder(order_id=the_order(deal).id), TODAY)
    assert (refused.value.state, refused.value.rule) == (
        state,
        "only an active or submitted order can be cancelled",
    )


# --- invoice ----------------------------------------------------------------------------------


def test_billing_an_order_bills_everything_left_and_marks_it_invoiced() -> None:
    deal = order_deal((2, "100.00"), (2, "50.00"), owner_id=OWNER, account_id=uuid.uuid4())
    order = the_order(deal)
    action = bill_all(deal, invoice={"due_date": TOMORROW.isoformat()})
    check_invoice(deal.snapshot(), action, TODAY)
    effect = apply_invoice(deal, action, step())

    invoice, *lines = effect.created
    assert isinstance(invoice, InvoiceRecord)
    assert invoice.invoice_number == f"INV-{invoice.id.hex[:8].upper()}"
    assert (invoice.order_id, invoice.name, invoice.account_id) == (
        order.id,
        order.name,
        order.account_id,
    )
    assert (invoice.state, invoice.due_date, invoice.owner_id) == (
        InvoiceState.active,
        TOMORROW,
        OWNER,
    )
    assert invoice.total_amount == Decimal("300.00")
    order_lines = deal.lines_of(order.id)
    assert [
        (li.document, li.document_id, li.line_number, li.quantity, li.source_line_id)
        for li in the(tuple(lines), LineItemRecord)
    ] == [
        (Document.invoice, invoice.id, n, Decimal(2), ol.id) for n, ol in enumerate(order_lines, 1)
    ]
    (invoiced,) = effect.changed
    assert isinstance(invoiced, OrderRecord)
    assert (invoiced.state, invoiced.status_reason) == (OrderState.invoiced, OrderStatus.invoiced)
    assert (effect.record, effect.record_id) == ("invoice", invoice.id)
    assert effect.summary == (
        f"Invoice {invoice.invoice_number} created from order {order.order_number}"
    )
    after = deal.after(effect).snapshot()
    assert after.stage is Stage.fulfill  # still to be paid
    assert after.orders[0].invoiced_amount == Decimal("300.00")


def test_an_invoice_may_name_its_own_customer_and_name() -> None:
    deal = order_deal(account_id=uuid.uuid4())
    shared = FakeSharedRecords()
    account_id, contact_id = shared.add_account("Fabrikam").id, shared.add_contact("Okafor").id
    choice = InvoiceFields(name="Deposit", account_id=account_id, contact_id=contact_id)
    effect = apply_invoice(deal, bill_all(deal, invoice=choice), step(shared=shared))
    invoice, _ = effect.created
    assert isinstance(invoice, InvoiceRecord)
    assert (invoice.name, invoice.account_id, invoice.contact_id) == (
        "Deposit",
        account_id,
        contact_id,
    )


def test_an_invoice_billed_again_in_the_same_step_is_the_same_invoice() -> None:
    deal = order_deal((2, "100.00"), (2, "50.00"))
    step_id = uuid.uuid4()
    first = apply_invoice(deal, bill_all(deal), step(step_id))
    retry = apply_invoice(deal, bill_all(deal), step(step_id))
    assert [r.id for r in first.created] == [r.id for r in retry.created]
    assert first.record_id == uuid.uuid5(step_id, "invoice")


def test_two_invoices_on_one_order_never_bill_more_than_ordered() -> None:
    deal = order_deal((2, "100.00"), (2, "50.00"))
    laptop, _mouse = deal.lines
    first = run(deal, bill(deal, (laptop, "1")))
    assert invoice_totals(first) == [Decimal("100.00")]
    assert the_order(first).state is OrderState.active
    (laptop_left, mouse_left) = first.snapshot().lines_of(the_order(deal).id)
    assert (laptop_left.invoiced_quantity, laptop_left.remaining_quantity) == (1, 1)
    assert (laptop_left.invoiced_amount, mouse_left.invoiced_quantity) == (Decimal(100), 0)

    with pytest.raises(IllegalTransition) as refused:
        check_invoice(first.snapshot(), bill(deal, (laptop, "2")), TODAY)
    assert "no invoice bills more than was ordered" in refused.value.rule

    rest = run(first, bill_all(deal))
    assert invoice_totals(rest) == [Decimal("100.00"), Decimal("200.00")]
    assert [li.quantity for li in rest.lines_of(rest.invoices[1].id)] == [1, 2]
    assert the_order(rest).state is OrderState.invoiced
    with pytest.raises(IllegalTransition) as refused:
        check_invoice(rest.snapshot(), bill_all(deal), TODAY)
    assert refused.value.rule == "the order has nothing left to bill"


def test_invoicing_never_bills_more_than_is_left() -> None:
    deal = order_deal((10, "10.00"))
    (line,) = deal.lines
    billed = run(deal, bill(deal, (line, "7")))
    check_invoice(billed.snapshot(), bill(deal, (line, "3")), TODAY)
    with pytest.raises(IllegalTransition, match="has 3 left to bill") as refused:
        check_invoice(billed.snapshot(), bill(deal, (line, "4")), TODAY)
    assert refused.value.rule == (
        f"line {line.id} has 3 left to bill, not 4: no invoice bills more than was ordered"
    )


def test_invoicing_a_third_three_times_bills_33_33_33_33_33_34() -> None:
    deal = order_deal((3, "33.3333"))
    (line,) = deal.lines
    assert the_order(deal).total_amount == Decimal("100.00")
    third = bill(deal, (line, "1"))
    billed = run(deal, third, third, third)
    assert invoice_totals(billed) == [Decimal("33.33"), Decimal("33.33"), Decimal("33.34")]
    assert sum(invoice_totals(billed)) == line.extended_amount
    assert the_order(billed).state is OrderState.invoiced


def test_percentages_bill_a_deposit_then_the_balance_to_the_cent() -> None:
    deal = order_deal((3, "33.3333"))
    third = bill_all(deal, percent="33.3333")
    two_thirds = run(deal, third, third)
    assert invoice_totals(two_thirds) == [Decimal("33.33"), Decimal("33.33")]
    assert the_order(two_thirds).state is OrderState.active
    with pytest.raises(IllegalTransition) as refused:
        check_invoice(two_thirds.snapshot(), bill_all(deal, percent="50"), TODAY)
    assert refused.value.rule == (
        "the order has 33.34 left to bill, not 50.00: no invoice bills more than was ordered"
    )
    last = run(two_thirds, bill_all(deal))
    assert invoice_totals(last) == [Decimal("33.33"), Decimal("33.33"), Decimal("33.34")]
    assert the_order(last).state is OrderState.invoiced


def test_a_percentage_bills_that_share_of_every_ordered_line() -> None:
    deal = order_deal((10, "10.00"), (4, "25.00"))
    effect = apply_invoice(deal, bill_all(deal, percent="30"), step())
    invoice, *lines = effect.created
    assert [(li.quantity, li.extended_amount) for li in the(tuple(lines), LineItemRecord)] == [
        (Decimal("3"), Decimal("30.00")),
        (Decimal("1.2"), Decimal("30.00")),
    ]
    assert isinstance(invoice, InvoiceRecord)
    assert invoice.total_amount == Decimal("60.00")
    assert effect.changed == ()  # the order has more to bill


def test_an_invoice_line_bills_its_share_of_the_discount_and_tax() -> None:
    deal = order_deal((4, "10.00"), discount="4", tax="2")
    (line,) = deal.lines
    assert line.extended_amount == Decimal("38.00")
    _, billed = apply_invoice(deal, bill(deal, (line, "1")), step()).created
    assert isinstance(billed, LineItemRecord)
    assert (billed.quantity, billed.manual_discount, billed.tax, billed.extended_amount) == (
        Decimal(1),
        Decimal("1.00"),
        Decimal("0.50"),
        Decimal("9.50"),
    )
    assert billed.price_per_unit == Decimal("10.00")


def test_lines_not_chosen_are_not_billed() -> None:
    deal = order_deal((2, "100.00"), (2, "50.00"))
    _laptop, mouse = deal.lines
    _, billed = apply_invoice(deal, bill(deal, (mouse, "2")), step()).created
    assert isinstance(billed, LineItemRecord)
    assert (billed.source_line_id, billed.line_number, billed.extended_amount) == (
        mouse.id,
        1,
        Decimal("100.00"),
    )


def test_a_cancelled_invoice_leaves_its_quantities_to_bill_again() -> None:
    deal = order_deal((2, "100.00"))
    billed = run(deal, bill_all(deal))
    (invoice,) = billed.invoices
    again = run(billed, CancelInvoice(invoice_id=invoice.id))
    (line,) = again.snapshot().lines_of(the_order(deal).id)
    assert (line.invoiced_quantity, line.invoiced_amount) == (0, 0)
    assert again.snapshot().orders[0].invoiced_amount == 0
    rebilled = run(again, bill_all(deal))
    assert invoice_totals(rebilled) == [Decimal("200.00"), Decimal("200.00")]
    assert [i.state for i in rebilled.invoices] == [InvoiceState.canceled, InvoiceState.active]


def test_a_submitted_order_is_fulfilled_and_billed() -> None:
    deal = order_deal()
    order_id = the_order(deal).id
    done = run(deal, SubmitOrder(order_id=order_id), Fulfill(order_id=order_id))
    assert the_order(done).state is OrderState.fulfilled
    billed = run(done, bill_all(deal))
    assert the_order(billed).state is OrderState.invoiced
    (invoice,) = billed.invoices
    paid = run(billed, Pay(invoice_id=invoice.id, payment=PaymentFields(amount=Decimal(200))))
    assert (paid.snapshot().stage, paid.snapshot().outcome) == (Stage.done, Outcome.won)


def test_a_cancelled_order_cannot_be_billed() -> None:
    deal = in_state(order_deal(), OrderState.canceled)
    with pytest.raises(IllegalTransition) as refused:
        check_invoice(deal.snapshot(), bill_all(deal), TODAY)
    assert (refused.value.state, refused.value.rule) == (
        OrderState.canceled,
        "a cancelled order cannot be billed",
    )


def test_a_line_of_another_order_names_the_lines_field() -> None:
    deal = order_deal()
    action = InvoiceOrder(
        order_id=the_order(deal).id, lines=[{"order_line_id": uuid.uuid4(), "quantity": "1"}]
    )
    with pytest.raises(InvalidField) as refused:
        check_invoice(deal.snapshot(), action, TODAY)
    assert refused.value.field == "lines"


@pytest.mark.parametrize(
    "choice",
    [
        {"percent": "10", "lines": []},
        {"percent": "0"},
        {"percent": "100.01"},
        {"percent": "33.33333"},
        {"lines": [{"order_line_id": str(uuid.UUID(int=1)), "quantity": "0"}]},
        {
            "lines": [
                {"order_line_id": str(uuid.UUID(int=1)), "quantity": "1"},
                {"order_line_id": str(uuid.UUID(int=1)), "quantity": "1"},
            ]
        },
    ],
    ids=["lines-and-percent", "0%", "over-100%", "5-decimals", "zero-quantity", "a-line-twice"],
)
def test_an_invoice_chooses_lines_or_a_percentage_in_one_way(choice: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        InvoiceOrder.model_validate({"order_id": str(uuid.uuid4()), **choice})
