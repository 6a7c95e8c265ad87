"""A deal's invoices and payments: entered directly or billed from an order, paid in one
payment or several, cancelled, overdue.

Each action: its input, its rule (`check_<action>`, on the deal's snapshot) and its effect
(`apply_<action>`, on the deal's records). `models.deal.actions` maps the names to them.
"""

import uuid
from collections.abc import Iterable
from datetime import date
from typing import Any, Literal

from pydantic import Field

from models.deal.documents import check_lines_storable, document_number, open_document, totalled
from models.deal.guards import (
    MAX_LINES,
    require_active_invoice,
    require_editable_invoice,
    require_new_deal,
)
from models.deal.records import ActionInput, Deal, DealRecord, Effect, Step, validated_changes
from models.deal.state import DealState
from models.deal.steps import start_process
from models.errors import IllegalTransition, InvalidField, NotFound
from models.invoice import (
    InvoiceEntry,
    InvoiceRecord,
    InvoiceState,
    InvoiceStatus,
    InvoiceUpdate,
    PaymentFields,
    PaymentRecord,
)
from models.line_item import Document, PricedLine
from models.order import OrderRecord, OrderState, OrderStatus
from models.pricing import money_text, total


def invoice_of(deal: Deal, invoice_id: uuid.UUID) -> InvoiceRecord:
    invoice = deal.get(InvoiceRecord, invoice_id)
    if invoice is None:
        raise NotFound("invoice", invoice_id)
    return invoice


def settled(step: Step, invoice: InvoiceRecord, payments: Iterable[PaymentRecord]) -> InvoiceRecord:
    """State and status follow the amount paid: Paid when nothing is due, else Active (and
    Overdue stays Overdue until it is settled)."""
    paid = total(p.amount for p in payments if p.invoice_id == invoice.id and p.canceled_at is None)
    if paid >= invoice.total_amount:
        return step.change(
            invoice,
            amount_paid=paid,
            state=InvoiceState.paid,
            status_reason=InvoiceStatus.complete,
            paid_at=step.at,
        )
    status = invoice.status_reason
    if status is not InvoiceStatus.overdue:
        status = InvoiceStatus.partially_paid if paid > 0 else InvoiceStatus.new
    return step.change(
        invoice, amount_paid=paid, state=InvoiceState.active, status_reason=status, paid_at=None
    )


# --- create_invoice ---------------------------------------------------------------------------


class CreateInvoice(ActionInput):
    """An invoice entered directly, with no order behind it."""

    action: Literal["create_invoice"] = "create_invoice"
    invoice_id: uuid.UUID
    invoice: InvoiceEntry
    owner_id: uuid.UUID | None = None
    # The business process the deal follows (none: the default one).
    process_id: uuid.UUID | None = None
    lines: list[PricedLine] = Field(min_length=1, max_length=MAX_LINES)


def check_create_invoice(deal: DealState, action: CreateInvoice, today: date) -> None:
    require_new_deal(deal, "invoice", action.action)
    check_due_date(action.invoice.due_date, today, "due_date")
    check_lines_storable(action.lines)


def check_due_date(due_date: date | None, invoice_date: date, field: str) -> None:
    """An invoice falls due on or after the day it is made, never before its own date."""
    if due_date is not None and due_date < invoice_date:
        raise InvalidField(field, f"{due_date} is before the invoice's date {invoice_date}")


def apply_create_invoice(deal: Deal, action: CreateInvoice, step: Step) -> Effect:
    fields = {
        **action.invoice.model_dump(),
        "id": action.invoice_id,
        "invoice_number": document_number("INV", action.invoice_id),
    }
    invoice, lines = open_document(
        deal, step, InvoiceRecord, fields, action.owner_id, Document.invoice, action.lines
    )
    summary = f"Invoice {invoice.invoice_number} created"
    process = start_process(deal, step, action.process_id)
    return Effect("invoice", invoice.id, summary, created=(invoice, *lines, *process))


# --- update_invoice ---------------------------------------------------------------------------


class UpdateInvoice(ActionInput):
    action: Literal["update_invoice"] = "update_invoice"
    invoice_id: uuid.UUID
    changes: dict[str, Any]


def check_update_invoice(deal: DealState, action: UpdateInvoice, today: date) -> None:
    require_editable_invoice(deal, action.invoice_id, action.action)
    validated_changes(InvoiceUpdate, InvoiceRecord, action.changes)


def apply_update_invoice(deal: Deal, action: UpdateInvoice, step: Step) -> Effect:
    """The fields sent change (a due date not before the invoice's own); the totals follow a new
    discount or freight."""
    invoice = step.patch(invoice_of(deal, action.invoice_id), InvoiceUpdate, action.changes)
    made_on = invoice.created_at.astimezone(step.zone).date()
    check_due_date(invoice.due_date, made_on, "due_date")
    invoice = totalled(step, invoice, deal.lines_of(invoice.id))
    summary = f"Invoice {invoice.invoice_number} updated: {', '.join(sorted(action.changes))}"
    return Effect("invoice", invoice.id, summary, changed=(invoice,))


# --- pay --------------------------------------------------------------------------------------


class Pay(ActionInput):
    action: Literal["pay"] = "pay"
    invoice_id: uuid.UUID
    payment: PaymentFields


def check_pay(deal: DealState, action: Pay, today: date) -> None:
    invoice = require_active_invoice(deal, action.invoice_id, action.action)
    if action.payment.amount > invoice.balance_due:
        raise IllegalTransition(
            "invoice",
            invoice.state,
            action.action,
            f"the payment of {money_text(action.payment.amount)} exceeds "
            f"the balance due {money_text(invoice.balance_due)}",
        )


def apply_pay(deal: Deal, action: Pay, step: Step) -> Effect:
    """A payment recorded; fully paid, the invoice is Paid."""
    invoice = invoice_of(deal, action.invoice_id)
    fields = {
        **action.payment.model_dump(),
        "id": step.new_id("payment"),
        "deal_id": deal.deal_id,
        "invoice_id": invoice.id,
        "paid_at": step.at,
    }
    payment = step.new(PaymentRecord, fields, invoice.owner_id)
    paid = settled(step, invoice, [*deal.payments, payment])
    summary = f"Payment of {money_text(payment.amount)} on invoice {invoice.invoice_number}"
    return Effect("payment", payment.id, summary, created=(payment,), changed=(paid,))


# --- cancel_payment ---------------------------------------------------------------------------


class CancelPayment(ActionInput):
    action: Literal["cancel_payment"] = "cancel_payment"
    payment_id: uuid.UUID


def check_cancel_payment(deal: DealState, action: CancelPayment, today: date) -> None:
    for invoice in deal.invoices:
        for payment in invoice.payments:
            if payment.id == action.payment_id:
                if payment.canceled:
                    raise IllegalTransition(
                        "payment", "canceled", action.action, "the payment is already cancelled"
                    )
                if invoice.state is InvoiceState.canceled:
                    raise IllegalTransition(
                        "invoice", invoice.state, action.action, "the invoice is cancelled"
                    )
                return
    raise NotFound("payment", action.payment_id)


def apply_cancel_payment(deal: Deal, action: CancelPayment, step: Step) -> Effect:
    """The payment stays on record, cancelled; the invoice's balance due is restored."""
    payment = deal.get(PaymentRecord, action.payment_id)
    if payment is None:
        raise NotFound("payment", action.payment_id)
    canceled = step.change(payment, canceled_at=step.at)
    payments = [canceled if p.id == payment.id else p for p in deal.payments]
    invoice = settled(step, invoice_of(deal, payment.invoice_id), payments)
    summary = f"Payment of {money_text(payment.amount)} cancelled"
    return Effect("payment", payment.id, summary, changed=(canceled, invoice))


# --- cancel_invoice ---------------------------------------------------------------------------


class CancelInvoice(ActionInput):
    action: Literal["cancel_invoice"] = "cancel_invoice"
    invoice_id: uuid.UUID


def check_cancel_invoice(deal: DealState, action: CancelInvoice, today: date) -> None:
    invoice = require_active_invoice(deal, action.invoice_id, action.action)
    if any(not p.canceled for p in invoice.payments):
        raise IllegalTransition(
            "invoice", invoice.state, action.action, "the invoice has payments: cancel them first"
        )


def apply_cancel_invoice(deal: Deal, action: CancelInvoice, step: Step) -> Effect:
    """Cancelled; its order has something left to bill again, so an Invoiced order goes back
    to where it was before (Fulfilled, or Active)."""
    invoice = step.change(
        invoice_of(deal, action.invoice_id),
        state=InvoiceState.canceled,
        status_reason=InvoiceStatus.canceled,
    )
    changed: list[DealRecord] = [invoice]
    order = deal.get(OrderRecord, invoice.order_id)
    if order is not None and order.state is OrderState.invoiced:
        if order.fulfillment_status:
            state, status = OrderState.fulfilled, order.fulfillment_status
        else:
            state, status = OrderState.active, OrderStatus.new
        changed.append(step.change(order, state=state, status_reason=status))
    summary = f"Invoice {invoice.invoice_number} cancelled"
    return Effect("invoice", invoice.id, summary, changed=tuple(changed))


# --- mark_overdue (a reminder) ----------------------------------------------------------------


class MarkOverdue(ActionInput):
    """Reminder: an unpaid invoice past its due date."""

    action: Literal["mark_overdue"] = "mark_overdue"
    invoice_id: uuid.UUID


def check_mark_overdue(deal: DealState, action: MarkOverdue, today: date) -> None:
    invoice = require_active_invoice(deal, action.invoice_id, action.action)
    if invoice.due_date is None or invoice.due_date >= today:
        raise IllegalTransition(
            "invoice", invoice.state, action.action, "the invoice is not due yet"
        )


def apply_mark_overdue(deal: Deal, action: MarkOverdue, step: Step) -> Effect:
    invoice = step.change(invoice_of(deal, action.invoice_id), status_reason=InvoiceStatus.overdue)
    summary = f"Invoice {invoice.invoice_number} is overdue"
    return Effect("invoice", invoice.id, summary, changed=(invoice,))
