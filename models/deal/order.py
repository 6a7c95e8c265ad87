"""A deal's orders: entered directly or from an accepted quote, submitted, fulfilled, cancelled,
and billed in one invoice or several.

Each action: its input, its rule (`check_<action>`, on the deal's snapshot) and its effect
(`apply_<action>`, on the deal's records). `models.deal.actions` maps the names to them.
"""

import uuid
from datetime import date
from decimal import Decimal
from typing import Literal

from pydantic import Field, model_validator

from models.base import RequestModel, money_input
from models.deal.documents import (
    billed_charges,
    check_lines_storable,
    document_number,
    open_document,
    totalled,
)
from models.deal.guards import MAX_LINES, require_new_deal, require_order
from models.deal.records import ActionInput, Deal, Effect, Step, check_references
from models.deal.state import DealState, LineSnapshot
from models.deal.steps import start_process
from models.errors import IllegalTransition, InvalidField, NotFound
from models.invoice import InvoiceFields, InvoiceRecord, InvoiceState
from models.line_item import Document, LineItemRecord, PricedLine
from models.order import FULFILL_STATUSES, OrderFields, OrderRecord, OrderState, OrderStatus
from models.pricing import ZERO, quantity_text, share


def order_of(deal: Deal, order_id: uuid.UUID) -> OrderRecord:
    order = deal.get(OrderRecord, order_id)
    if order is None:
        raise NotFound("order", order_id)
    return order


# --- create_order -----------------------------------------------------------------------------


class CreateOrder(ActionInput):
    action: Literal["create_order"] = "create_order"
    order_id: uuid.UUID
    order: OrderFields
    owner_id: uuid.UUID | None = None
    # The business process the deal follows (none: the default one).
    process_id: uuid.UUID | None = None
    lines: list[PricedLine] = Field(min_length=1, max_length=MAX_LINES)


def check_create_order(deal: DealState, action: CreateOrder, today: date) -> None:
    require_new_deal(deal, "order", action.action)
    check_lines_storable(action.lines)


def apply_create_order(deal: Deal, action: CreateOrder, step: Step) -> Effect:
    """An order entered directly (the Fulfill stage's shortcut), prices locked now."""
    fields = {
        **action.order.model_dump(),
        "id": action.order_id,
        "order_number": document_number("ORD", action.order_id),
    }
    order, lines = open_document(
        deal, step, OrderRecord, fields, action.owner_id, Document.order, action.lines
    )
    summary = f"Order {order.order_number} created"
    process = start_process(deal, step, action.process_id)
    return Effect("order", order.id, summary, created=(order, *lines, *process))


# --- submit_order -----------------------------------------------------------------------------


class SubmitOrder(ActionInput):
    """Hand the order to fulfilment, as Dynamics' Submitted state records for an ERP to pick up."""

    action: Literal["submit_order"] = "submit_order"
    order_id: uuid.UUID


def check_submit_order(deal: DealState, action: SubmitOrder, today: date) -> None:
    order = require_order(deal, action.order_id)
    if order.state is not OrderState.active:
        raise IllegalTransition(
            "order", order.state, action.action, "only an active order can be submitted"
        )


def apply_submit_order(deal: Deal, action: SubmitOrder, step: Step) -> Effect:
    order = step.change(
        order_of(deal, action.order_id),
        state=OrderState.submitted,
        status_reason=OrderStatus.submitted,
        submitted_at=step.at,
    )
    return Effect("order", order.id, f"Order {order.order_number} submitted", changed=(order,))


# --- fulfill ----------------------------------------------------------------------------------


class Fulfill(ActionInput):
    action: Literal["fulfill"] = "fulfill"
    order_id: uuid.UUID
    status: OrderStatus = OrderStatus.complete


def check_fulfill(deal: DealState, action: Fulfill, today: date) -> None:
    if action.status not in FULFILL_STATUSES:
        raise InvalidField("status", f"must be one of {sorted(FULFILL_STATUSES)}")
    order = require_order(deal, action.order_id)
    if order.state is OrderState.canceled or order.fulfillment_status is OrderStatus.complete:
        raise IllegalTransition(
            "order",
            order.state,
            action.action,
            "a cancelled or completed order cannot be fulfilled",
        )


def apply_fulfill(deal: Deal, action: Fulfill, step: Step) -> Effect:
    """Fulfilled, completely or in part; an order already invoiced stays Invoiced."""
    order = order_of(deal, action.order_id)
    changes: dict[str, object] = {"fulfillment_status": action.status, "fulfilled_at": step.at}
    if order.state is not OrderState.invoiced:
        changes.update(state=OrderState.fulfilled, status_reason=action.status)
    order = step.change(order, **changes)
    summary = f"Order {order.order_number} fulfilled ({action.status})"
    return Effect("order", order.id, summary, changed=(order,))


# --- cancel_order -----------------------------------------------------------------------------


class CancelOrder(ActionInput):
    action: Literal["cancel_order"] = "cancel_order"
    order_id: uuid.UUID


def check_cancel_order(deal: DealState, action: CancelOrder, today: date) -> None:
    order = require_order(deal, action.order_id)
    if any(i.order_id == order.id and i.state is not InvoiceState.canceled for i in deal.invoices):
        raise IllegalTransition(
            "order", order.state, action.action, "the order has invoices that are not cancelled"
        )
    if order.state not in (OrderState.active, OrderState.submitted):
        raise IllegalTransition(
            "order",
            order.state,
            action.action,
            "only an active or submitted order can be cancelled",
        )


def apply_cancel_order(deal: Deal, action: CancelOrder, step: Step) -> Effect:
    order = step.change(
        order_of(deal, action.order_id),
        state=OrderState.canceled,
        status_reason=OrderStatus.canceled,
    )
    return Effect("order", order.id, f"Order {order.order_number} cancelled", changed=(order,))


# --- invoice ----------------------------------------------------------------------------------


class InvoiceLineChoice(RequestModel):
    order_line_id: uuid.UUID
    quantity: Decimal = money_input(gt=0)


class InvoiceChoice(RequestModel):
    """What an invoice bills of its order: everything left (send nothing), the chosen lines and
    quantities, or a percentage of every ordered line (a payment schedule: a 30 % deposit, then
    milestones, then the balance)."""

    lines: list[InvoiceLineChoice] | None = Field(default=None, max_length=MAX_LINES)
    percent: Decimal | None = money_input(default=None, gt=0, le=100)
    invoice: InvoiceFields = InvoiceFields()

    @model_validator(mode="after")
    def _one_way_to_choose(self) -> "InvoiceChoice":
        chosen = [line.order_line_id for line in self.lines or []]
        if len(chosen) != len(set(chosen)):
            raise ValueError("each order line may be chosen once")
        if self.lines is not None and self.percent is not None:
            raise ValueError("give lines or percent, not both")
        return self


class InvoiceOrder(InvoiceChoice, ActionInput):
    """Bill an order."""

    action: Literal["invoice"] = "invoice"
    order_id: uuid.UUID


def quantities_to_bill(
    action: InvoiceOrder, order_lines: list[LineSnapshot]
) -> dict[uuid.UUID, Decimal]:
    """Order line id → quantity the invoice bills: as chosen, a percentage of what was ordered,
    or everything left."""
    if action.lines is not None:
        return {choice.order_line_id: choice.quantity for choice in action.lines}
    if action.percent is not None:
        part = action.percent / 100
        billed = {line.id: round(line.quantity * part, 4) for line in order_lines}
        return {line_id: quantity for line_id, quantity in billed.items() if quantity > 0}
    return {line.id: line.remaining_quantity for line in order_lines if line.remaining_quantity > 0}


def check_invoice(deal: DealState, action: InvoiceOrder, today: date) -> None:
    order = require_order(deal, action.order_id)
    if order.state is OrderState.canceled:
        raise IllegalTransition(
            "order", order.state, action.action, "a cancelled order cannot be billed"
        )
    lines = {line.id: line for line in deal.lines_of(order.id)}
    chosen = quantities_to_bill(action, list(lines.values()))
    if not any(quantity > 0 for quantity in chosen.values()):
        raise IllegalTransition(
            "order", order.state, action.action, "the order has nothing left to bill"
        )
    for line_id, quantity in chosen.items():
        line = lines.get(line_id)
        if line is None:
            raise InvalidField("lines", f"order line {line_id} is not on this order")
        if quantity > line.remaining_quantity:
            raise IllegalTransition(
                "order",
                order.state,
                action.action,
                f"line {line.id} has {quantity_text(line.remaining_quantity)} left to bill, "
                f"not {quantity_text(quantity)}: no invoice bills more than was ordered",
            )


def apply_invoice(deal: Deal, action: InvoiceOrder, step: Step) -> Effect:
    """An invoice of what was chosen; the order is Invoiced once nothing is left to bill."""
    order = order_of(deal, action.order_id)
    billed = {line.id: line for line in deal.snapshot().lines_of(order.id)}
    chosen = quantities_to_bill(action, list(billed.values()))
    check_references(step.shared, action.invoice.model_dump(), "invoice.")
    invoice_id = step.new_id("invoice")
    invoice = step.new(
        InvoiceRecord,
        {
            **action.invoice.model_dump(),
            "id": invoice_id,
            "deal_id": deal.deal_id,
            "invoice_number": document_number("INV", invoice_id),
            "order_id": order.id,
            "name": action.invoice.name or order.name,
            "account_id": action.invoice.account_id or order.account_id,
            "contact_id": action.invoice.contact_id or order.contact_id,
        },
        order.owner_id,
    )
    ordered = [line for line in deal.lines_of(order.id) if line.id in chosen]
    lines = [
        invoice_line(step, invoice, number, line, chosen[line.id], billed[line.id])
        for number, line in enumerate(ordered, start=1)
    ]
    changed: tuple[OrderRecord, ...] = ()
    final = all(
        line.remaining_quantity - chosen.get(line.id, ZERO) <= 0 for line in billed.values()
    )
    if final:
        changed = (
            step.change(order, state=OrderState.invoiced, status_reason=OrderStatus.invoiced),
        )
    live = [i for i in deal.invoices if i.state is not InvoiceState.canceled]
    invoice = step.change(invoice, **billed_charges(order, lines, live, final))
    summary = f"Invoice {invoice.invoice_number} created from order {order.order_number}"
    return Effect(
        "invoice",
        invoice.id,
        summary,
        created=(totalled(step, invoice, lines), *lines),
        changed=changed,
    )


def invoice_line(
    step: Step,
    invoice: InvoiceRecord,
    number: int,
    ordered: LineItemRecord,
    quantity: Decimal,
    billed: LineSnapshot,
) -> LineItemRecord:
    """`quantity` of an order line, its discount and tax in proportion. The invoice billing what
    is left of a line bills what is left of its amount, so the invoices of a line add up to it
    exactly (three thirds of 100.00 are 33.33, 33.33, 33.34)."""
    amount = (
        ordered.extended_amount - billed.invoiced_amount
        if quantity == billed.remaining_quantity
        else share(ordered.extended_amount, quantity, ordered.quantity)
    )
    return step.new(
        LineItemRecord,
        {
            **ordered.model_dump(exclude={"id", "created_at", "created_by", "owner_id"}),
            "id": step.new_id(f"invoice-line-{number}"),
            "document": Document.invoice,
            "document_id": invoice.id,
            "line_number": number,
            "quantity": quantity,
            "base_amount": share(ordered.base_amount, quantity, ordered.quantity),
            "manual_discount": share(ordered.manual_discount, quantity, ordered.quantity),
            "tax": share(ordered.tax, quantity, ordered.quantity),
            "source_line_id": ordered.id,
            "extended_amount": amount,
        },
    )
