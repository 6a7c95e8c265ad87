"""Active orders and invoices edited as the spec has it (models/deal/lines.py, order.py,
invoice.py): their lines and fields change until they are submitted, fulfilled, billed or paid,
and their totals follow."""

from datetime import timedelta
from decimal import Decimal

import pytest

from models.deal.invoice import UpdateInvoice, check_update_invoice
from models.deal.lines import (
    AddLine,
    RemoveLine,
    UpdateLine,
    check_add_line,
    check_remove_line,
    check_update_line,
)
from models.deal.order import InvoiceOrder, UpdateOrder, check_update_order
from models.deal.records import Deal
from models.errors import IllegalTransition, InvalidField
from models.invoice import InvoiceRecord, InvoiceState
from models.line_item import PricedLine
from models.order import OrderRecord, OrderState
from tests.unit.deal.builders import (
    TODAY,
    invoice_deal,
    order_deal,
    run,
)

D = Decimal


def the_order(deal: Deal) -> OrderRecord:
    (order,) = deal.orders
    return order


def the_invoice(deal: Deal) -> InvoiceRecord:
    (invoice,) = deal.invoices
    return invoice


def chair(price: str = "50.00") -> PricedLine:
    return PricedLine.model_validate(
        {"write_in_description": "Chair", "quantity": "2", "price_per_unit": price}
    )


def test_an_active_orders_lines_are_added_edited_and_removed_and_its_total_follows() -> None:
    deal = order_deal((2, "100.00"))
    order_id = the_order(deal).id
    deal = run(deal, AddLine(document_id=order_id, line=chair()))
    assert the_order(deal).total_amount == D("300.00")
    first, added = deal.lines_of(order_id)
    deal = run(deal, UpdateLine(line_id=first.id, changes={"quantity": "3"}))
    assert the_order(deal).total_amount == D("400.00")
    deal = run(deal, RemoveLine(line_id=added.id))
    assert the_order(deal).total_amount == D("300.00")
    assert [line.id for line in deal.lines_of(order_id)] == [first.id]


def test_an_invoice_entered_directly_has_its_lines_changed_until_paid() -> None:
    deal = invoice_deal("100.00")
    invoice_id = the_invoice(deal).id
    deal = run(deal, AddLine(document_id=invoice_id, line=chair("10.00")))
    assert (the_invoice(deal).total_amount, the_invoice(deal).balance_due) == (
        D("120.00"),
        D("120.00"),
    )
    paid = invoice_deal("100.00", "100.00")
    with pytest.raises(IllegalTransition) as refused:
        check_add_line(
            paid.snapshot(), AddLine(document_id=the_invoice(paid).id, line=chair()), TODAY
        )
    assert (refused.value.state, refused.value.rule) == (
        InvoiceState.paid,
        "only an active invoice can change",
    )


@pytest.mark.parametrize(
    "state",
    [OrderState.submitted, OrderState.fulfilled, OrderState.invoiced, OrderState.canceled],
)
def test_an_order_past_active_is_not_edited(state: OrderState) -> None:
    deal = order_deal(state=state)
    order_id = the_order(deal).id
    (line,) = deal.lines
    snapshot = deal.snapshot()
    for check, action in (
        (check_add_line, AddLine(document_id=order_id, line=chair())),
        (check_update_line, UpdateLine(line_id=line.id, changes={"quantity": "1"})),
        (check_remove_line, RemoveLine(line_id=line.id)),
        (check_update_order, UpdateOrder(order_id=order_id, changes={"name": "x"})),
    ):
        with pytest.raises(IllegalTransition) as refused:
            check(snapshot, action, TODAY)  # type: ignore[arg-type]
        assert (refused.value.state, refused.value.rule) == (
            state,
            "only an active order can change",
        )


def test_a_billed_order_and_the_invoice_of_an_order_are_not_edited() -> None:
    deal = order_deal()
    order_id = the_order(deal).id
    billed = run(deal, InvoiceOrder(order_id=order_id, percent=D("50")))
    with pytest.raises(IllegalTransition, match="the order has invoices: it is billed as it"):
        check_update_order(
            billed.snapshot(), UpdateOrder(order_id=order_id, changes={"name": "x"}), TODAY
        )
    invoice_line = next(line for line in billed.lines if line.document_id != order_id)
    with pytest.raises(IllegalTransition, match="an invoice of an order bills the order"):
        check_remove_line(billed.snapshot(), RemoveLine(line_id=invoice_line.id), TODAY)


def test_an_invoice_with_a_payment_is_not_edited() -> None:
    deal = invoice_deal("100.00", "40.00")
    action = UpdateInvoice(invoice_id=the_invoice(deal).id, changes={"name": "x"})
    with pytest.raises(IllegalTransition, match="the invoice has payments: cancel them first"):
        check_update_invoice(deal.snapshot(), action, TODAY)


def test_an_orders_discount_and_freight_change_and_its_totals_follow() -> None:
    deal = order_deal((2, "100.00"))
    changes = {"discount_percentage": "10", "freight_amount": "15.00", "name": "Desks"}
    order = the_order(run(deal, UpdateOrder(order_id=the_order(deal).id, changes=changes)))
    assert (order.name, order.total_discount_amount, order.total_amount) == (
        "Desks",
        D("20.00"),
        D("195.00"),
    )


def test_an_order_update_refuses_an_unknown_field_or_a_discount_past_the_lines() -> None:
    deal = order_deal((2, "100.00"))
    order_id = the_order(deal).id
    with pytest.raises(InvalidField) as refused:
        check_update_order(
            deal.snapshot(), UpdateOrder(order_id=order_id, changes={"state": "x"}), TODAY
        )
    assert refused.value.field == "state"
    with pytest.raises(InvalidField, match="discount_amount"):
        run(deal, UpdateOrder(order_id=order_id, changes={"discount_amount": "500.00"}))


def test_an_invoices_due_date_is_not_before_its_own_date() -> None:
    deal = invoice_deal("100.00")
    invoice = the_invoice(deal)
    made_on = invoice.created_at.date()
    early = made_on - timedelta(days=1)
    with pytest.raises(InvalidField) as refused:
        run(deal, UpdateInvoice(invoice_id=invoice.id, changes={"due_date": early.isoformat()}))
    assert refused.value.field == "due_date"
    same_day = UpdateInvoice(invoice_id=invoice.id, changes={"due_date": made_on.isoformat()})
    assert the_invoice(run(deal, same_day)).due_date == made_on
