"""A deal's invoices and payments (models/deal/invoice.py): entered directly, paid in one payment
or several, payments cancelled, invoices cancelled, overdue; each rule's refusals and each
effect's records."""

import uuid
from decimal import Decimal

import pytest
from pydantic import ValidationError

from models.deal.invoice import (
    CancelInvoice,
    CancelPayment,
    CreateInvoice,
    MarkOverdue,
    Pay,
    apply_cancel_invoice,
    apply_cancel_payment,
    apply_create_invoice,
    apply_mark_overdue,
    apply_pay,
    check_cancel_invoice,
    check_cancel_payment,
    check_create_invoice,
    check_mark_overdue,
    check_pay,
)
from models.deal.order import InvoiceOrder
from models.deal.records import Deal
from models.deal.state import (
    DealState,
    InvoiceSnapshot,
    Outcome,
    PaymentSnapshot,
    Stage,
)
from models.errors import IllegalTransition, InvalidField, NotFound
from models.invoice import (
    InvoiceFields,
    InvoiceRecord,
    InvoiceState,
    InvoiceStatus,
    PaymentFields,
    PaymentRecord,
)
from models.line_item import Document, LineInput, LineItemRecord
from models.order import OrderRecord, OrderState, OrderStatus
from tests.unit.deal.builders import (
    DEAL_ID,
    NOW,
    OWNER,
    SELLER,
    TODAY,
    TOMORROW,
    YESTERDAY,
    invoice_deal,
    new_deal,
    order_deal,
    run,
    step,
    the,
)


def the_invoice(deal: Deal) -> InvoiceRecord:
    (invoice,) = deal.invoices
    return invoice


def pay(deal: Deal, amount: str) -> Pay:
    return Pay(invoice_id=the_invoice(deal).id, payment=PaymentFields(amount=Decimal(amount)))


def settled(records: tuple[object, ...]) -> InvoiceRecord:
    (invoice,) = the(records, InvoiceRecord)
    return invoice


def billed_order(*, fulfilled: bool = False) -> Deal:
    """An order billed whole by one invoice (so Invoiced), fulfilled or not before that."""
    deal = order_deal()
    (order,) = deal.orders
    if fulfilled:
        deal = Deal.of(
            deal.deal_id,
            [
                r.model_copy(
                    update={
                        "state": OrderState.fulfilled,
                        "status_reason": OrderStatus.partial,
                        "fulfillment_status": OrderStatus.partial,
                    }
                )
                if r.id == order.id
                else r
                for r in deal.records()
            ],
        )
    return run(deal, InvoiceOrder(order_id=order.id))


# --- create_invoice ---------------------------------------------------------------------------


def test_an_invoice_entered_directly_opens_the_deal_in_fulfill_until_paid() -> None:
    action = CreateInvoice(
        invoice_id=uuid.uuid4(),
        invoice=InvoiceFields(name="Consulting", due_date=TOMORROW),
        owner_id=OWNER,
        lines=[
            LineInput(write_in_description="Day", quantity=Decimal(2), price_per_unit=Decimal(600)),
            LineInput(
                write_in_description="Travel", quantity=Decimal(1), price_per_unit=Decimal(85)
            ),
        ],
    )
    check_create_invoice(new_deal().snapshot(), action, TODAY)
    effect = apply_create_invoice(new_deal(), action, step())
    invoice, *lines = effect.created
    assert isinstance(invoice, InvoiceRecord)
    assert (invoice.id, invoice.deal_id, invoice.invoice_number) == (
        action.invoice_id,
        DEAL_ID,
        f"INV-{action.invoice_id.hex[:8].upper()}",
    )
    assert (invoice.order_id, invoice.due_date, invoice.owner_id) == (None, TOMORROW, OWNER)
    assert (invoice.state, invoice.status_reason) == (InvoiceState.active, InvoiceStatus.new)
    assert invoice.total_amount == Decimal("1285.00")
    assert [(li.document, li.line_number) for li in the(tuple(lines), LineItemRecord)] == [
        (Document.invoice, 1),
        (Document.invoice, 2),
    ]
    assert effect.summary == f"Invoice {invoice.invoice_number} created"
    after = new_deal().after(effect).snapshot()
    assert (after.stage, after.outcome, after.value) == (
        Stage.fulfill,
        Outcome.open,
        Decimal("1285.00"),
    )
    assert after.main_record == ("invoice", invoice.id)


def test_an_invoice_needs_a_line_and_a_new_deal() -> None:
    line = LineInput(write_in_description="x", quantity=Decimal(1), price_per_unit=Decimal(1))
    with pytest.raises(ValidationError):
        CreateInvoice(invoice_id=uuid.uuid4(), invoice=InvoiceFields(), lines=[])
    action = CreateInvoice(invoice_id=uuid.uuid4(), invoice=InvoiceFields(), lines=[line])
    with pytest.raises(IllegalTransition) as refused:
        check_create_invoice(order_deal().snapshot(), action, TODAY)
    assert (refused.value.record, refused.value.state) == ("invoice", "exists")


# --- pay --------------------------------------------------------------------------------------


def test_a_payment_of_part_of_the_balance_leaves_the_invoice_partially_paid() -> None:
    deal = invoice_deal("100.00")
    action = pay(deal, "30.00")
    check_pay(deal.snapshot(), action, TODAY)
    effect = apply_pay(deal, action, step())
    payment = the(effect.created, PaymentRecord)[0]
    assert (payment.amount, payment.invoice_id, payment.paid_at) == (
        Decimal("30.00"),
        the_invoice(deal).id,
        NOW,
    )
    assert (payment.deal_id, payment.canceled_at, payment.owner_id) == (DEAL_ID, None, OWNER)
    invoice = settled(effect.changed)
    assert (invoice.state, invoice.status_reason) == (
        InvoiceState.active,
        InvoiceStatus.partially_paid,
    )
    assert (invoice.amount_paid, invoice.balance_due, invoice.paid_at) == (
        Decimal("30.00"),
        Decimal("70.00"),
        None,
    )
    assert (effect.record, effect.record_id) == ("payment", payment.id)
    assert effect.summary == f"Payment of 30.00 on invoice {invoice.invoice_number}"
    assert deal.after(effect).snapshot().stage is Stage.fulfill


def test_a_payment_of_the_whole_balance_marks_the_invoice_paid() -> None:
    deal = invoice_deal("100.00", "30.00", "20.00")
    effect = apply_pay(deal, pay(deal, "50.00"), step())
    invoice = settled(effect.changed)
    assert (invoice.state, invoice.status_reason, invoice.paid_at) == (
        InvoiceState.paid,
        InvoiceStatus.complete,
        NOW,
    )
    assert (invoice.amount_paid, invoice.balance_due) == (Decimal("100.00"), Decimal(0))
    after = deal.after(effect).snapshot()
    assert (after.stage, after.outcome) == (Stage.done, Outcome.won)


def test_a_payment_retried_in_the_same_step_is_the_same_payment() -> None:
    deal = invoice_deal()
    step_id = uuid.uuid4()
    first = apply_pay(deal, pay(deal, "10"), step(step_id))
    retry = apply_pay(deal, pay(deal, "10"), step(step_id))
    assert first.record_id == retry.record_id == uuid.uuid5(step_id, "payment")


def test_cancelled_payments_do_not_count_towards_the_amount_paid() -> None:
    deal = invoice_deal("100.00", "30.00", canceled_payments=("70.00",))
    invoice = settled(apply_pay(deal, pay(deal, "20.00"), step()).changed)
    assert invoice.amount_paid == Decimal("50.00")


def test_an_overdue_invoice_stays_overdue_until_it_is_paid() -> None:
    deal = invoice_deal("100.00", status_reason=InvoiceStatus.overdue, due_date=YESTERDAY)
    part = deal.after(apply_pay(deal, pay(deal, "40.00"), step()))
    assert the_invoice(part).status_reason is InvoiceStatus.overdue
    rest = settled(apply_pay(part, pay(part, "60.00"), step()).changed)
    assert (rest.state, rest.status_reason) == (InvoiceState.paid, InvoiceStatus.complete)


def test_payments_never_exceed_the_balance() -> None:
    deal = invoice_deal("50.00", "10.00")
    check_pay(deal.snapshot(), pay(deal, "40.00"), TODAY)
    with pytest.raises(IllegalTransition, match=r"exceeds the balance due 40\.00$") as refused:
        check_pay(deal.snapshot(), pay(deal, "40.01"), TODAY)
    assert refused.value.rule == "the payment of 40.01 exceeds the balance due 40.00"


@pytest.mark.parametrize("amount", ["0", "-5"])
def test_a_payment_is_of_a_positive_amount(amount: str) -> None:
    with pytest.raises(ValidationError):
        PaymentFields(amount=Decimal(amount))


@pytest.mark.parametrize(
    ("deal", "state"),
    [
        (invoice_deal("100.00", "100.00"), InvoiceState.paid),
        (
            invoice_deal(state=InvoiceState.canceled, status_reason=InvoiceStatus.canceled),
            InvoiceState.canceled,
        ),
    ],
    ids=["paid", "cancelled"],
)
def test_only_an_active_invoice_is_paid(deal: Deal, state: InvoiceState) -> None:
    with pytest.raises(IllegalTransition) as refused:
        check_pay(deal.snapshot(), pay(deal, "1"), TODAY)
    assert (refused.value.record, refused.value.state, refused.value.rule) == (
        "invoice",
        state,
        "only an active invoice can change",
    )


def test_an_unknown_invoice_is_not_found() -> None:
    missing = uuid.uuid4()
    action = Pay(invoice_id=missing, payment=PaymentFields(amount=Decimal(1)))
    with pytest.raises(NotFound) as refused:
        check_pay(invoice_deal().snapshot(), action, TODAY)
    assert (refused.value.record, refused.value.record_id) == ("invoice", str(missing))


# --- cancel_payment ---------------------------------------------------------------------------


def test_cancelling_a_payment_keeps_it_on_record_and_restores_the_balance() -> None:
    deal = invoice_deal("200.00", "200.00")
    (payment,) = deal.payments
    action = CancelPayment(payment_id=payment.id)
    check_cancel_payment(deal.snapshot(), action, TODAY)
    effect = apply_cancel_payment(deal, action, step())
    canceled, invoice = effect.changed
    assert isinstance(canceled, PaymentRecord) and isinstance(invoice, InvoiceRecord)
    assert (canceled.id, canceled.amount, canceled.canceled_at) == (
        payment.id,
        Decimal("200.00"),
        NOW,
    )
    assert (invoice.state, invoice.status_reason, invoice.paid_at) == (
        InvoiceState.active,
        InvoiceStatus.new,
        None,
    )
    assert (invoice.amount_paid, invoice.balance_due) == (Decimal(0), Decimal("200.00"))
    assert effect.removed == ()
    assert (effect.record, effect.record_id) == ("payment", payment.id)
    assert effect.summary == "Payment of 200.00 cancelled"
    after = deal.after(effect)
    assert after.payments_of(invoice.id)[0].canceled_at == NOW
    assert after.snapshot().stage is Stage.fulfill


def test_cancelling_one_of_two_payments_leaves_the_invoice_partially_paid() -> None:
    deal = invoice_deal("100.00", "60.00", "40.00")
    first, _ = deal.payments
    invoice = settled(
        apply_cancel_payment(deal, CancelPayment(payment_id=first.id), step()).changed
    )
    assert (invoice.state, invoice.status_reason, invoice.amount_paid) == (
        InvoiceState.active,
        InvoiceStatus.partially_paid,
        Decimal("40.00"),
    )


def test_a_payment_is_cancelled_once() -> None:
    deal = invoice_deal("100.00", canceled_payments=("10.00",))
    (payment,) = deal.payments
    with pytest.raises(IllegalTransition) as refused:
        check_cancel_payment(deal.snapshot(), CancelPayment(payment_id=payment.id), TODAY)
    assert (refused.value.record, refused.value.state, refused.value.rule) == (
        "payment",
        "canceled",
        "the payment is already cancelled",
    )


def test_a_payment_on_a_cancelled_invoice_is_not_cancelled() -> None:
    payment = PaymentSnapshot(id=uuid.uuid4(), amount=Decimal(10))
    invoice = InvoiceSnapshot(
        id=uuid.uuid4(),
        order_id=None,
        state=InvoiceState.canceled,
        status_reason=InvoiceStatus.canceled,
        total_amount=Decimal(50),
        payments=[payment],
    )
    state = DealState(deal_id=DEAL_ID, invoices=[invoice])
    with pytest.raises(IllegalTransition) as refused:
        check_cancel_payment(state, CancelPayment(payment_id=payment.id), TODAY)
    assert (refused.value.record, refused.value.rule) == ("invoice", "the invoice is cancelled")


def test_an_unknown_payment_is_not_found() -> None:
    with pytest.raises(NotFound) as refused:
        check_cancel_payment(
            invoice_deal("10", "5").snapshot(), CancelPayment(payment_id=uuid.uuid4()), TODAY
        )
    assert refused.value.record == "payment"


# --- cancel_invoice ---------------------------------------------------------------------------


def test_a_cancelled_invoice_no_longer_counts_towards_the_deal() -> None:
    deal = invoice_deal("100.00")
    action = CancelInvoice(invoice_id=the_invoice(deal).id)
    check_cancel_invoice(deal.snapshot(), action, TODAY)
    effect = apply_cancel_invoice(deal, action, step())
    (invoice,) = effect.changed
    assert isinstance(invoice, InvoiceRecord)
    assert (invoice.state, invoice.status_reason) == (InvoiceState.canceled, InvoiceStatus.canceled)
    assert (invoice.modified_at, invoice.modified_by) == (NOW, SELLER)
    assert effect.summary == f"Invoice {invoice.invoice_number} cancelled"
    after = deal.after(effect).snapshot()
    assert after.value == Decimal(0)
    assert after.stage is Stage.done


def test_an_invoice_with_payments_cannot_be_cancelled() -> None:
    deal = invoice_deal("50.00", "10.00")
    with pytest.raises(IllegalTransition, match="cancel them first") as refused:
        check_cancel_invoice(deal.snapshot(), CancelInvoice(invoice_id=the_invoice(deal).id), TODAY)
    assert refused.value.rule == "the invoice has payments: cancel them first"
    cancelled_payments_only = invoice_deal("50.00", canceled_payments=("10.00",))
    check_cancel_invoice(
        cancelled_payments_only.snapshot(),
        CancelInvoice(invoice_id=the_invoice(cancelled_payments_only).id),
        TODAY,
    )


def test_cancelling_the_invoice_of_an_invoiced_order_puts_the_order_back_to_active() -> None:
    deal = billed_order()
    (order,) = deal.orders
    assert order.state is OrderState.invoiced
    effect = apply_cancel_invoice(deal, CancelInvoice(invoice_id=the_invoice(deal).id), step())
    (reopened,) = the(effect.changed, OrderRecord)
    assert (reopened.state, reopened.status_reason) == (OrderState.active, OrderStatus.new)
    assert deal.after(effect).snapshot().stage is Stage.fulfill  # to bill again


def test_cancelling_the_invoice_of_a_fulfilled_order_puts_it_back_to_fulfilled() -> None:
    deal = billed_order(fulfilled=True)
    effect = apply_cancel_invoice(deal, CancelInvoice(invoice_id=the_invoice(deal).id), step())
    (reopened,) = the(effect.changed, OrderRecord)
    assert (reopened.state, reopened.status_reason) == (OrderState.fulfilled, OrderStatus.partial)


def test_cancelling_one_invoice_of_an_order_still_to_bill_leaves_the_order_as_it_is() -> None:
    deal = order_deal((2, "100.00"))
    (order,) = deal.orders
    (line,) = deal.lines
    half = InvoiceOrder(order_id=order.id, lines=[{"order_line_id": line.id, "quantity": "1"}])
    billed = run(deal, half)
    effect = apply_cancel_invoice(billed, CancelInvoice(invoice_id=the_invoice(billed).id), step())
    assert the(effect.changed, OrderRecord) == []


@pytest.mark.parametrize(
    "deal",
    [
        invoice_deal("100.00", "100.00"),
        invoice_deal(state=InvoiceState.canceled, status_reason=InvoiceStatus.canceled),
    ],
    ids=["paid", "cancelled"],
)
def test_only_an_active_invoice_is_cancelled(deal: Deal) -> None:
    with pytest.raises(IllegalTransition) as refused:
        check_cancel_invoice(deal.snapshot(), CancelInvoice(invoice_id=the_invoice(deal).id), TODAY)
    assert refused.value.rule == "only an active invoice can change"


# --- mark_overdue -----------------------------------------------------------------------------


def test_an_unpaid_invoice_past_its_due_date_is_overdue() -> None:
    deal = invoice_deal("100.00", "10.00", due_date=YESTERDAY)
    action = MarkOverdue(invoice_id=the_invoice(deal).id)
    check_mark_overdue(deal.snapshot(), action, TODAY)
    effect = apply_mark_overdue(deal, action, step(by=None))
    (invoice,) = effect.changed
    assert isinstance(invoice, InvoiceRecord)
    assert (invoice.state, invoice.status_reason) == (InvoiceState.active, InvoiceStatus.overdue)
    assert invoice.amount_paid == Decimal("10.00")
    assert effect.summary == f"Invoice {invoice.invoice_number} is overdue"


@pytest.mark.parametrize("due_date", [None, TODAY, TOMORROW], ids=["no-date", "today", "tomorrow"])
def test_an_invoice_not_past_its_due_date_is_not_overdue(due_date: object) -> None:
    deal = invoice_deal(due_date=due_date)
    with pytest.raises(IllegalTransition) as refused:
        check_mark_overdue(deal.snapshot(), MarkOverdue(invoice_id=the_invoice(deal).id), TODAY)
    assert refused.value.rule == "the invoice is not due yet"


def test_a_paid_invoice_is_never_overdue() -> None:
    deal = invoice_deal("100.00", "100.00", due_date=YESTERDAY)
    with pytest.raises(IllegalTransition) as refused:
        check_mark_overdue(deal.snapshot(), MarkOverdue(invoice_id=the_invoice(deal).id), TODAY)
    assert refused.value.state == InvoiceState.paid


# --- rules found wrong: what a cancelled invoice owes, money to the cent, the due date ----------


def test_a_cancelled_invoice_owes_nothing() -> None:
    deal = invoice_deal("100.01")
    (invoice,) = deal.invoices
    canceled = run(deal, CancelInvoice(invoice_id=invoice.id))
    (record,) = canceled.invoices
    assert (record.total_amount, record.balance_due) == (Decimal("100.01"), 0)
    assert canceled.snapshot().invoices[0].balance_due == 0
    (public,) = canceled.documents().invoices
    assert public.model_dump(mode="json")["balance_due"] == "0"


def test_a_payment_is_to_the_cent() -> None:
    with pytest.raises(ValidationError) as refused:
        PaymentFields.model_validate({"amount": "10.001"})
    assert refused.value.errors()[0]["loc"] == ("amount",)
    assert PaymentFields.model_validate({"amount": "10.01"}).amount == Decimal("10.01")


def test_an_invoice_is_not_due_before_its_own_date() -> None:
    action = CreateInvoice(
        invoice_id=uuid.uuid4(),
        invoice=InvoiceFields(due_date=YESTERDAY),
        lines=[LineInput(write_in_description="x", quantity=Decimal(1), price_per_unit=Decimal(5))],
    )
    with pytest.raises(InvalidField) as refused:
        check_create_invoice(new_deal().snapshot(), action, TODAY)
    assert refused.value.field == "due_date"
    same_day = action.model_copy(update={"invoice": InvoiceFields(due_date=TODAY)})
    check_create_invoice(new_deal().snapshot(), same_day, TODAY)
