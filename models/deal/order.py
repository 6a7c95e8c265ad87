"""A deal's orders: entered directly or from an accepted quote, submitted, fulfilled, cancelled,
and billed in one invoice or several.

Each action: its input, its rule (`check_<action>`, on the deal's snapshot) and its effect
(`apply_<action>`, on the deal's records). `models.deal.actions` maps the names to them.
"""

import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, Literal

from pydantic import Field, model_validator

from models.base import RequestModel, money_amount, money_input
from models.deal.documents import (
    billed_charges,
    check_lines_storable,
    document_number,
    open_document,
    order_share,
    totalled,
)
from models.deal.guards import (
    MAX_LINES,
    require_active_order,
    require_editable_order,
    require_new_deal,
    require_order,
)
from models.deal.invoice import check_due_date
from models.deal.records import (
    ActionInput,
    Deal,
    Effect,
    Step,
    check_references,
    validated_changes,
)
from models.deal.state import DealState, LineSnapshot, OrderSnapshot
from models.deal.steps import start_process
from models.errors import IllegalTransition, InvalidField, NotFound
from models.invoice import InvoiceFields, InvoiceRecord, InvoiceState
from models.line_item import Document, LineItemRecord, PricedLine
from models.order import (
    FULFILL_STATUSES,
    OrderFields,
    OrderRecord,
    OrderState,
    OrderStatus,
    OrderUpdate,
)
from models.payment_schedule import (
    MAX_PARTS,
    PaymentPart,
    PaymentScheduleInput,
    part_amounts,
    quantity_for,
    spread,
)
from models.pricing import ZERO, money_text, quantity_text, share, to_cents


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


# --- update_order -----------------------------------------------------------------------------


class UpdateOrder(ActionInput):
    action: Literal["update_order"] = "update_order"
    order_id: uuid.UUID
    changes: dict[str, Any]


def check_update_order(deal: DealState, action: UpdateOrder, today: date) -> None:
    require_editable_order(deal, action.order_id, action.action)
    validated_changes(OrderUpdate, OrderRecord, action.changes)


def apply_update_order(deal: Deal, action: UpdateOrder, step: Step) -> Effect:
    """The fields sent change; the totals follow a new discount or freight."""
    order = step.patch(order_of(deal, action.order_id), OrderUpdate, action.changes)
    order = totalled(step, order, deal.lines_of(order.id))
    summary = f"Order {order.order_number} updated: {', '.join(sorted(action.changes))}"
    return Effect("order", order.id, summary, changed=(order,))


# --- submit_order -----------------------------------------------------------------------------


class SubmitOrder(ActionInput):
    """Hand the order to fulfilment, as Dynamics' Submitted state records for an ERP to pick up."""

    action: Literal["submit_order"] = "submit_order"
    order_id: uuid.UUID


def check_submit_order(deal: DealState, action: SubmitOrder, today: date) -> None:
    order = require_order(deal, action.order_id)
    require_not_on_hold(order, action.action)
    require_active_order(order, action.action, "only an active order can be submitted")


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
    require_not_on_hold(order, action.action)
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
    quantities, a percentage of the order's total, or a fixed amount (a deposit); a share is
    spread over the lines pro rata."""

    lines: list[InvoiceLineChoice] | None = Field(default=None, max_length=MAX_LINES)
    percent: Decimal | None = money_input(default=None, gt=0, le=100)
    amount: Decimal | None = money_amount(default=None, gt=0)
    invoice: InvoiceFields = InvoiceFields()

    @model_validator(mode="after")
    def _one_way_to_choose(self) -> "InvoiceChoice":
        chosen = [line.order_line_id for line in self.lines or []]
        if len(chosen) != len(set(chosen)):
            raise ValueError("each order line may be chosen once")
        if sum(way is not None for way in (self.lines, self.percent, self.amount)) > 1:
            raise ValueError("give lines, percent or amount: one of them")
        return self


class InvoiceOrder(InvoiceChoice, ActionInput):
    """Bill an order."""

    action: Literal["invoice"] = "invoice"
    order_id: uuid.UUID


@dataclass(frozen=True)
class Billed:
    """What an invoice bills of one order line: a quantity, and the amount when a share of the
    order fixes it (else the quantity's share of the line)."""

    quantity: Decimal
    amount: Decimal | None = None


def amount_left(order_lines: list[LineSnapshot]) -> Decimal:
    """What the order's lines have left to bill, together."""
    return sum((line.extended_amount - line.invoiced_amount for line in order_lines), ZERO)


def share_billed(amount: Decimal, order_lines: list[LineSnapshot]) -> dict[uuid.UUID, Billed]:
    """`amount` of the order spread over its lines (`spread`), each line's quantity in
    proportion; a line with nothing left of its amount but a quantity (a free item) goes whole."""
    left = [(line.id, line.extended_amount - line.invoiced_amount) for line in order_lines]
    shares = spread(amount, left)
    billed: dict[uuid.UUID, Billed] = {}
    for line in order_lines:
        left_amount = line.extended_amount - line.invoiced_amount
        share = shares.get(line.id, ZERO)
        if share > 0 or (left_amount <= 0 and line.remaining_quantity > 0):
            quantity = quantity_for(share, left_amount, line.remaining_quantity)
            billed[line.id] = Billed(quantity, share)
    return billed


def share_of_order(action: InvoiceOrder, total_amount: Decimal) -> Decimal | None:
    """The amount a percentage or a fixed amount bills: the amount first, to the cent."""
    if action.percent is not None:
        return to_cents(total_amount * action.percent / 100)
    return action.amount


def to_bill(action: InvoiceOrder, order_lines: list[LineSnapshot]) -> dict[uuid.UUID, Billed]:
    """Order line id → what the invoice bills of it: as chosen, or everything left (a share of
    the order is `share_invoice`'s)."""
    if action.lines is not None:
        return {choice.order_line_id: Billed(choice.quantity) for choice in action.lines}
    return {
        line.id: Billed(line.remaining_quantity)
        for line in order_lines
        if line.remaining_quantity > 0
    }


def require_billable(order: OrderSnapshot, action: str) -> None:
    if order.state is OrderState.canceled:
        raise IllegalTransition("order", order.state, action, "a cancelled order cannot be billed")
    require_not_on_hold(order, action)


def check_invoice(deal: DealState, action: InvoiceOrder, today: date) -> None:
    order = require_order(deal, action.order_id)
    require_billable(order, action.action)
    if order.parts:
        raise IllegalTransition(
            "order",
            order.state,
            action.action,
            "the order is billed by its payment schedule: bill its parts",
        )
    check_due_date(action.invoice.due_date, today, "invoice.due_date")
    lines = {line.id: line for line in deal.lines_of(order.id)}
    share = share_of_order(action, order.total_amount)
    if share is not None:
        left = order.total_amount - order.invoiced_amount
        if share > left:
            raise IllegalTransition(
                "order",
                order.state,
                action.action,
                f"the order has {money_text(left)} left to bill, not {money_text(share)}: "
                "no invoice bills more than was ordered",
            )
        if share == 0:
            raise IllegalTransition(
                "order", order.state, action.action, "the share comes to less than a cent"
            )
        return
    chosen = to_bill(action, list(lines.values()))
    if not any(billed.quantity > 0 or billed.amount for billed in chosen.values()):
        raise IllegalTransition(
            "order", order.state, action.action, "the order has nothing left to bill"
        )
    for line_id, billed in chosen.items():
        line = lines.get(line_id)
        if line is None:
            raise InvalidField("lines", f"order line {line_id} is not on this order")
        if billed.quantity > line.remaining_quantity:
            raise IllegalTransition(
                "order",
                order.state,
                action.action,
                f"line {line.id} has {quantity_text(line.remaining_quantity)} left to bill, "
                f"not {quantity_text(billed.quantity)}: no invoice bills more than was ordered",
            )


def apply_invoice(deal: Deal, action: InvoiceOrder, step: Step) -> Effect:
    """An invoice of what was chosen; the order is Invoiced once nothing is left to bill."""
    order = order_of(deal, action.order_id)
    share = share_of_order(action, order.total_amount)
    if share is not None:
        return share_invoice(deal, step, order, share, action.invoice)
    lines = deal.snapshot().lines_of(order.id)
    return billed_invoice(deal, step, order, to_bill(action, lines), action.invoice)


def live_invoices(deal: Deal) -> list[InvoiceRecord]:
    return [i for i in deal.invoices if i.state is not InvoiceState.canceled]


def share_invoice(
    deal: Deal,
    step: Step,
    order: OrderRecord,
    amount: Decimal,
    fields: InvoiceFields,
    **more: object,
) -> Effect:
    """An invoice of `amount` of the order's total: its lines' part of it (`order_share`: the
    discount and freight are in the total, not in the lines) spread over them, so the invoice
    comes to `amount` exactly."""
    lines = deal.snapshot().lines_of(order.id)
    lines_amount, charges = order_share(order, amount, amount_left(lines), live_invoices(deal))
    chosen = share_billed(lines_amount, lines)
    return billed_invoice(deal, step, order, chosen, fields, charges, **more)


def billed_invoice(
    deal: Deal,
    step: Step,
    order: OrderRecord,
    chosen: dict[uuid.UUID, Billed],
    fields: InvoiceFields,
    charges: tuple[Decimal, Decimal] | None = None,
    **more: object,
) -> Effect:
    """An invoice of `chosen` of the order's lines (with `more` of its fields, and `charges`
    of the order's discount and freight when a share of the order fixed them); the order is
    Invoiced once nothing is left to bill."""
    billed = {line.id: line for line in deal.snapshot().lines_of(order.id)}
    check_references(step.shared, fields.model_dump(), "invoice.")
    invoice_id = step.new_id("invoice")
    invoice = step.new(
        InvoiceRecord,
        {
            **fields.model_dump(),
            **more,
            "id": invoice_id,
            "deal_id": deal.deal_id,
            "invoice_number": document_number("INV", invoice_id),
            "order_id": order.id,
            "price_list_id": order.price_list_id,
            "name": fields.name or order.name,
            "account_id": fields.account_id or order.account_id,
            "contact_id": fields.contact_id or order.contact_id,
        },
        order.owner_id,
    )
    ordered = [line for line in deal.lines_of(order.id) if line.id in chosen]
    taxed = {line.id: line.tax for line in ordered}
    for earlier in live_invoices(deal):
        for part in deal.lines_of(earlier.id):
            if part.source_line_id in taxed:
                taxed[part.source_line_id] -= part.tax
    lines = [
        invoice_line(step, invoice, number, line, chosen[line.id], billed[line.id], taxed[line.id])
        for number, line in enumerate(ordered, start=1)
    ]
    changed: tuple[OrderRecord, ...] = ()
    nothing = Billed(ZERO)
    final = all(
        line.remaining_quantity - chosen.get(line.id, nothing).quantity <= 0
        for line in billed.values()
    )
    if final:
        changed = (
            step.change(order, state=OrderState.invoiced, status_reason=OrderStatus.invoiced),
        )
    invoice = step.change(
        invoice, **billed_charges(order, lines, live_invoices(deal), final, charges)
    )
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
    chosen: Billed,
    billed: LineSnapshot,
    tax_left: Decimal,
) -> LineItemRecord:
    """`chosen` of an order line, its discount and tax in proportion. The invoice billing what
    is left of a line bills what is left of its amount and of its tax (`tax_left`), so the
    invoices of a line add up to it exactly (three thirds of 100.00 are 33.33, 33.33, 33.34)."""
    quantity, amount = chosen.quantity, chosen.amount
    # The discount and tax go with the part of the line billed: of its quantity, or of its
    # amount when a share of the order fixed that.
    part, whole = quantity, ordered.quantity
    if amount is None:
        amount = (
            ordered.extended_amount - billed.invoiced_amount
            if quantity == billed.remaining_quantity
            else share(ordered.extended_amount, quantity, ordered.quantity)
        )
    elif ordered.extended_amount:
        part, whole = amount, ordered.extended_amount
    return step.new(
        LineItemRecord,
        {
            **ordered.model_dump(exclude={"id", "created_at", "created_by", "owner_id"}),
            "id": step.new_id(f"invoice-line-{number}"),
            "document": Document.invoice,
            "document_id": invoice.id,
            "line_number": number,
            "quantity": quantity,
            "base_amount": share(ordered.base_amount, part, whole),
            "manual_discount": share(ordered.manual_discount, part, whole),
            "tax": (
                tax_left
                if quantity == billed.remaining_quantity
                else share(ordered.tax, part, whole)
            ),
            "source_line_id": ordered.id,
            "extended_amount": amount,
        },
    )


# --- hold_order / resume_order ----------------------------------------------------------------


class HoldOrder(ActionInput):
    """Put an active order on hold (status Pending): not submitted, fulfilled or billed until
    it is resumed."""

    action: Literal["hold_order"] = "hold_order"
    order_id: uuid.UUID
    reason: str = Field(min_length=1, max_length=500)


def require_not_on_hold(order: OrderSnapshot, action: str) -> None:
    if order.on_hold:
        raise IllegalTransition(
            "order",
            "on hold",
            action,
            f"the order is on hold ({order.hold_reason}): resume it first",
        )


def check_hold_order(deal: DealState, action: HoldOrder, today: date) -> None:
    order = require_order(deal, action.order_id)
    require_not_on_hold(order, action.action)
    require_active_order(order, action.action, "only an active order can be put on hold")


def apply_hold_order(deal: Deal, action: HoldOrder, step: Step) -> Effect:
    order = step.change(
        order_of(deal, action.order_id),
        status_reason=OrderStatus.pending,
        hold_reason=action.reason,
    )
    summary = f"Order {order.order_number} on hold: {action.reason}"
    return Effect("order", order.id, summary, changed=(order,))


class ResumeOrder(ActionInput):
    action: Literal["resume_order"] = "resume_order"
    order_id: uuid.UUID


def check_resume_order(deal: DealState, action: ResumeOrder, today: date) -> None:
    order = require_order(deal, action.order_id)
    if not order.on_hold:
        raise IllegalTransition("order", order.state, action.action, "the order is not on hold")


def apply_resume_order(deal: Deal, action: ResumeOrder, step: Step) -> Effect:
    order = step.change(
        order_of(deal, action.order_id), status_reason=OrderStatus.new, hold_reason=None
    )
    return Effect("order", order.id, f"Order {order.order_number} resumed", changed=(order,))


# --- set_payment_schedule ---------------------------------------------------------------------


class SetPaymentSchedule(PaymentScheduleInput, ActionInput):
    """How the order is billed, part by part; no parts clears the schedule."""

    action: Literal["set_payment_schedule"] = "set_payment_schedule"
    order_id: uuid.UUID


def check_set_payment_schedule(deal: DealState, action: SetPaymentSchedule, today: date) -> None:
    order = require_order(deal, action.order_id)
    if order.state in (OrderState.canceled, OrderState.invoiced):
        raise IllegalTransition(
            "order", order.state, action.action, "a cancelled or invoiced order has no schedule"
        )
    if any(i.order_id == order.id and i.state is not InvoiceState.canceled for i in deal.invoices):
        raise IllegalTransition(
            "order",
            order.state,
            action.action,
            "the order has invoices: its schedule is set before it is billed",
        )
    if action.parts:
        part_amounts(order.total_amount, action.parts)


def apply_set_payment_schedule(deal: Deal, action: SetPaymentSchedule, step: Step) -> Effect:
    parts = [PaymentPart.model_validate(part.model_dump()) for part in action.parts]
    order = step.change(order_of(deal, action.order_id), payment_schedule=parts)
    summary = (
        f"Order {order.order_number} billed in {len(parts)} parts"
        if parts
        else f"Order {order.order_number} has no payment schedule"
    )
    return Effect("order", order.id, summary, changed=(order,))


# --- bill_part --------------------------------------------------------------------------------


class BillPartFields(RequestModel):
    """An invoice of one part of the payment schedule; its due date comes from the part."""

    name: str | None = Field(default=None, max_length=300)
    account_id: uuid.UUID | None = None
    contact_id: uuid.UUID | None = None
    description: str | None = Field(default=None, max_length=2000)


class BillPart(ActionInput):
    action: Literal["bill_part"] = "bill_part"
    order_id: uuid.UUID
    part: int = Field(ge=1, le=MAX_PARTS)
    invoice: BillPartFields = BillPartFields()


def check_bill_part(deal: DealState, action: BillPart, today: date) -> None:
    order = require_order(deal, action.order_id)
    require_billable(order, action.action)
    part = order.part(action.part)
    if part is None:
        raise NotFound("payment schedule part", str(action.part))
    if part.invoice_id is not None:
        raise IllegalTransition(
            "order",
            order.state,
            action.action,
            f"part {part.number} ({part.name}) is billed already: nothing is billed twice",
        )
    if part.amount is None:
        raise IllegalTransition(
            "order",
            order.state,
            action.action,
            "the payment schedule no longer comes to the order total: set it again",
        )
    left = order.total_amount - order.invoiced_amount
    if part.amount > left:
        raise IllegalTransition(
            "order",
            order.state,
            action.action,
            f"the order has {money_text(left)} left to bill, not {money_text(part.amount)}",
        )


def apply_bill_part(deal: Deal, action: BillPart, step: Step) -> Effect:
    """An invoice of the part's share of every line, due when the part is (or on the day it is
    billed, if that is later)."""
    order = order_of(deal, action.order_id)
    snapshot = deal.snapshot()
    part = (snapshot.order(order.id) or require_order(snapshot, order.id)).part(action.part)
    if part is None or part.amount is None:
        raise NotFound("payment schedule part", str(action.part))
    schedule = order.payment_schedule[action.part - 1]
    due = part.due_date or step.today + timedelta(days=schedule.days_after or 0)
    fields = InvoiceFields.model_validate(
        {**action.invoice.model_dump(), "due_date": max(due, step.today)}
    )
    return share_invoice(deal, step, order, part.amount, fields, schedule_part=action.part)
