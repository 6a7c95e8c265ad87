"""Locked pricing on orders and invoices (models/deal/pricing_lock.py): locked by default, locked
and unlocked while active, and an unlocked one's catalog lines priced again and totalled."""

import uuid
from decimal import Decimal

import pytest

from models.deal.invoice import CancelInvoice
from models.deal.order import InvoiceOrder, SubmitOrder
from models.deal.pricing_lock import (
    LockPricing,
    RecalculatePricing,
    RepricedLine,
    UnlockPricing,
    check_lock_pricing,
    check_recalculate_pricing,
    check_unlock_pricing,
)
from models.deal.records import Deal
from models.errors import IllegalTransition, InvalidField
from models.invoice import InvoiceRecord, InvoiceState
from models.line_item import LineItemRecord
from models.order import OrderRecord, OrderState
from models.pricing import VolumeTier, VolumeTiers
from tests.unit.deal.builders import (
    TODAY,
    FakeSharedRecords,
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


def lines(deal: Deal, document_id: uuid.UUID) -> list[LineItemRecord]:
    return deal.lines_of(document_id)


def unlocked(deal: Deal, document_id: uuid.UUID) -> Deal:
    return run(deal, UnlockPricing(document_id=document_id))


def repriced(line: LineItemRecord, price: str, **more: object) -> RepricedLine:
    return RepricedLine.model_validate({"line_id": line.id, "price_per_unit": price, **more})


def refused(deal: Deal, action: RecalculatePricing) -> IllegalTransition:
    with pytest.raises(IllegalTransition) as refusal:
        check_recalculate_pricing(deal.snapshot(), action, TODAY)
    return refusal.value


# --- lock_pricing / unlock_pricing ------------------------------------------------------------


def test_an_order_is_locked_until_unlocked_and_locked_again() -> None:
    deal = order_deal()
    order_id = the_order(deal).id
    assert the_order(deal).is_price_locked
    deal = unlocked(deal, order_id)
    assert not the_order(deal).is_price_locked
    deal = run(deal, LockPricing(document_id=order_id))
    assert the_order(deal).is_price_locked


def test_locking_a_locked_document_or_unlocking_an_unlocked_one_is_refused() -> None:
    deal = order_deal()
    order_id = the_order(deal).id
    with pytest.raises(IllegalTransition, match="pricing is locked already"):
        check_lock_pricing(deal.snapshot(), LockPricing(document_id=order_id), TODAY)
    with pytest.raises(IllegalTransition, match="pricing is unlocked already"):
        check_unlock_pricing(
            unlocked(deal, order_id).snapshot(), UnlockPricing(document_id=order_id), TODAY
        )


@pytest.mark.parametrize(
    "state",
    [OrderState.submitted, OrderState.fulfilled, OrderState.invoiced, OrderState.canceled],
)
def test_only_an_active_orders_pricing_changes(state: OrderState) -> None:
    deal = order_deal(state=state)
    order = the_order(deal)
    with pytest.raises(IllegalTransition) as refusal:
        check_unlock_pricing(deal.snapshot(), UnlockPricing(document_id=order.id), TODAY)
    assert (refusal.value.state, refusal.value.rule) == (
        state,
        "only an active order's pricing can change",
    )


def test_a_submitted_order_is_neither_unlocked_nor_recalculated() -> None:
    deal = order_deal()
    order_id = the_order(deal).id
    deal = run(unlocked(deal, order_id), SubmitOrder(order_id=order_id))
    assert refused(deal, RecalculatePricing(document_id=order_id)).state == OrderState.submitted


@pytest.mark.parametrize("state", [InvoiceState.paid, InvoiceState.canceled])
def test_a_paid_or_cancelled_invoices_pricing_does_not_change(state: InvoiceState) -> None:
    deal = invoice_deal(state=state)
    with pytest.raises(IllegalTransition) as refusal:
        check_unlock_pricing(
            deal.snapshot(), UnlockPricing(document_id=the_invoice(deal).id), TODAY
        )
    assert (refusal.value.state, refusal.value.rule) == (
        state,
        "only an active invoice's pricing can change",
    )


# --- recalculate_pricing ----------------------------------------------------------------------


def test_a_locked_order_is_not_recalculated() -> None:
    deal = order_deal()
    refusal = refused(deal, RecalculatePricing(document_id=the_order(deal).id))
    assert (refusal.state, refusal.rule) == (
        OrderState.active,
        "pricing is locked: unlock it first",
    )


def test_an_unlocked_order_takes_the_new_prices_and_is_totalled_again() -> None:
    deal = order_deal((2, "100.00"), (1, "50.00"), freight_amount=D("10.00"))
    order_id = the_order(deal).id
    deal = unlocked(deal, order_id)
    first, second = lines(deal, order_id)
    deal = run(deal, RecalculatePricing(document_id=order_id, lines=[repriced(first, "120.00")]))
    first, second = lines(deal, order_id)
    assert (first.price_per_unit, first.base_amount, first.extended_amount) == (
        D("120.00"),
        D("240.00"),
        D("240.00"),
    )
    assert second.extended_amount == D("50.00")  # not re-priced: as it was
    order = the_order(deal)
    assert (order.total_line_item_amount, order.total_amount) == (D("290.00"), D("300.00"))


def test_a_repriced_line_takes_its_volume_tier_and_tax_rate_again_and_is_not_overridden() -> None:
    shared = FakeSharedRecords()
    tiers = VolumeTiers(is_amount_type=False, tiers=(VolumeTier(D(1), D(5), percentage=D(10)),))
    discount_list_id = shared.add_discount_list(tiers)
    rate = shared.add_tax_rate("20")
    deal = order_deal((2, "100.00"))
    order_id = the_order(deal).id
    (line,) = lines(deal, order_id)
    line = line.model_copy(update={"is_price_overridden": True, "tax_rate_id": rate})
    deal = Deal.of(deal.deal_id, [line if r.id == line.id else r for r in deal.records()])
    deal = unlocked(deal, order_id)
    action = RecalculatePricing(
        document_id=order_id,
        lines=[repriced(line, "50.00", discount_list_id=discount_list_id)],
    )
    (line,) = lines(run(deal, action, shared=shared), order_id)
    # 2 x (50.00 - 5.00 off each) = 90.00, and 20 % tax on it.
    assert (line.volume_discount, line.tax, line.extended_amount) == (
        D("5.00"),
        D("18.00"),
        D("108.00"),
    )
    assert not line.is_price_overridden


def test_an_order_with_invoices_keeps_the_prices_they_billed() -> None:
    deal = order_deal()
    order_id = the_order(deal).id
    billed = run(unlocked(deal, order_id), InvoiceOrder(order_id=order_id, percent=D("50")))
    refusal = refused(billed, RecalculatePricing(document_id=order_id))
    assert refusal.rule == "the order has invoices: it is billed as it stands"
    canceled = run(billed, CancelInvoice(invoice_id=billed.invoices[0].id))
    check_recalculate_pricing(canceled.snapshot(), RecalculatePricing(document_id=order_id), TODAY)


def test_an_invoice_of_an_order_is_not_recalculated_apart_from_it() -> None:
    deal = order_deal()
    order_id = the_order(deal).id
    billed = run(deal, InvoiceOrder(order_id=order_id))
    invoice_id = the_invoice(billed).id
    billed = unlocked(billed, invoice_id)
    assert refused(billed, RecalculatePricing(document_id=invoice_id)).rule == (
        "an invoice of an order bills the order as it stands: change the order"
    )


def test_an_invoice_with_payments_is_not_recalculated() -> None:
    deal = invoice_deal("100.00", "40.00")
    invoice_id = the_invoice(deal).id
    refusal = refused(unlocked(deal, invoice_id), RecalculatePricing(document_id=invoice_id))
    assert refusal.rule == "the invoice has payments: cancel them first"


def test_an_unlocked_invoice_entered_directly_is_repriced() -> None:
    deal = invoice_deal("100.00")
    invoice_id = the_invoice(deal).id
    deal = unlocked(deal, invoice_id)
    (line,) = lines(deal, invoice_id)
    deal = run(deal, RecalculatePricing(document_id=invoice_id, lines=[repriced(line, "80.00")]))
    invoice = the_invoice(deal)
    assert (invoice.total_amount, invoice.balance_due) == (D("80.00"), D("80.00"))


def test_a_line_of_another_document_is_not_repriced_on_this_one() -> None:
    deal = order_deal()
    order_id = the_order(deal).id
    other = invoice_deal()
    (line,) = lines(other, the_invoice(other).id)
    action = RecalculatePricing(document_id=order_id, lines=[repriced(line, "1.00")])
    with pytest.raises(InvalidField) as refusal:
        check_recalculate_pricing(unlocked(deal, order_id).snapshot(), action, TODAY)
    assert refusal.value.field == "lines.0.line_id"
