"""Locked pricing on orders and invoices, as Dataverse's Lock/UnlockSalesOrderPricing and
Lock/UnlockInvoicePricing: locked (the default), a document keeps the prices it was made with;
unlocked, `recalculate_pricing` prices its catalog lines again from its price list.

Each action: its input, its rule (`check_<action>`, on the deal's snapshot) and its effect
(`apply_<action>`, on the deal's records). `models.deal.actions` maps the names to them.
"""

import uuid
from datetime import date
from decimal import Decimal
from typing import Literal

from pydantic import Field

from models.base import RequestModel, money_input
from models.deal.documents import priced_amounts, totalled
from models.deal.guards import MAX_LINES, require_active_order, require_editable_lines
from models.deal.records import ActionInput, Deal, Effect, Step
from models.deal.state import DealState, InvoiceSnapshot, OrderSnapshot
from models.errors import IllegalTransition, InvalidField, NotFound
from models.invoice import InvoiceRecord, InvoiceState
from models.line_item import LineItemRecord
from models.order import OrderRecord


def pricing_document(
    deal: DealState, document_id: uuid.UUID, action: str
) -> tuple[str, OrderSnapshot | InvoiceSnapshot]:
    """The order or invoice whose pricing may change, and what it is: an active order (not yet
    submitted, fulfilled, invoiced or cancelled) or an active invoice (not paid or cancelled)."""
    order = deal.order(document_id)
    if order is not None:
        require_active_order(order, action, "only an active order's pricing can change")
        return "order", order
    invoice = deal.invoice(document_id)
    if invoice is None:
        raise NotFound("order or invoice", document_id)
    if invoice.state is not InvoiceState.active:
        raise IllegalTransition(
            "invoice", invoice.state, action, "only an active invoice's pricing can change"
        )
    return "invoice", invoice


def priced_document(deal: Deal, document_id: uuid.UUID) -> OrderRecord | InvoiceRecord:
    record = deal.get(OrderRecord, document_id) or deal.get(InvoiceRecord, document_id)
    if record is None:
        raise NotFound("order or invoice", document_id)
    return record


def title(record: OrderRecord | InvoiceRecord) -> str:
    if isinstance(record, OrderRecord):
        return f"Order {record.order_number}"
    return f"Invoice {record.invoice_number}"


def require_lock(deal: DealState, document_id: uuid.UUID, action: str, locked: bool) -> None:
    kind, document = pricing_document(deal, document_id, action)
    if document.is_price_locked is locked:
        state = "locked" if locked else "unlocked"
        raise IllegalTransition(kind, document.state, action, f"pricing is {state} already")


def locked_pricing(deal: Deal, document_id: uuid.UUID, step: Step, locked: bool) -> Effect:
    record = step.change(priced_document(deal, document_id), is_price_locked=locked)
    kind = "order" if isinstance(record, OrderRecord) else "invoice"
    summary = f"{title(record)}: pricing {'locked' if locked else 'unlocked'}"
    return Effect(kind, record.id, summary, changed=(record,))


# --- lock_pricing / unlock_pricing ------------------------------------------------------------


class LockPricing(ActionInput):
    """Keep the order's or invoice's prices as they are, whatever the price list says later."""

    action: Literal["lock_pricing"] = "lock_pricing"
    document_id: uuid.UUID


def check_lock_pricing(deal: DealState, action: LockPricing, today: date) -> None:
    require_lock(deal, action.document_id, action.action, True)


def apply_lock_pricing(deal: Deal, action: LockPricing, step: Step) -> Effect:
    return locked_pricing(deal, action.document_id, step, True)


class UnlockPricing(ActionInput):
    """Let the order's or invoice's prices follow its price list when it is recalculated."""

    action: Literal["unlock_pricing"] = "unlock_pricing"
    document_id: uuid.UUID


def check_unlock_pricing(deal: DealState, action: UnlockPricing, today: date) -> None:
    require_lock(deal, action.document_id, action.action, False)


def apply_unlock_pricing(deal: Deal, action: UnlockPricing, step: Step) -> Effect:
    return locked_pricing(deal, action.document_id, step, False)


# --- recalculate_pricing ----------------------------------------------------------------------


class RepricedLine(RequestModel):
    """A catalog line's price as the price list gives it today, and the discount list of the
    price list's item, which its volume discount comes from."""

    line_id: uuid.UUID
    price_per_unit: Decimal = money_input(ge=0)
    discount_list_id: uuid.UUID | None = None


class RecalculatePricing(ActionInput):
    """Price an unlocked order's or invoice's catalog lines again (the API looks the prices up
    first); write-ins and prices overridden by hand keep theirs."""

    action: Literal["recalculate_pricing"] = "recalculate_pricing"
    document_id: uuid.UUID
    lines: list[RepricedLine] = Field(default_factory=list, max_length=MAX_LINES)


def check_recalculate_pricing(deal: DealState, action: RecalculatePricing, today: date) -> None:
    """As the document's lines may change: an order billed already keeps the prices its
    invoices billed, and an invoice of an order bills the order's, so the invoices of an order
    always add up to it."""
    kind, document = pricing_document(deal, action.document_id, action.action)
    if document.is_price_locked:
        raise IllegalTransition(
            kind, document.state, action.action, "pricing is locked: unlock it first"
        )
    require_editable_lines(deal, document.id, action.action)
    on_it = {line.id for line in deal.lines_of(document.id)}
    for index, line in enumerate(action.lines):
        if line.line_id not in on_it:
            raise InvalidField(
                f"lines.{index}.line_id", f"line {line.line_id} is not on the {kind}"
            )


def apply_recalculate_pricing(deal: Deal, action: RecalculatePricing, step: Step) -> Effect:
    """Each line re-priced gets the price list's price again (no longer overridden), its volume
    discount and tax worked out anew; the document is totalled again."""
    record = priced_document(deal, action.document_id)
    prices = {line.line_id: line for line in action.lines}
    lines: list[LineItemRecord] = []
    repriced: list[LineItemRecord] = []
    for line in deal.lines_of(record.id):
        price = prices.get(line.id)
        if price is not None:
            line = step.change(
                line,
                price_per_unit=price.price_per_unit,
                discount_list_id=price.discount_list_id,
                is_price_overridden=False,
            )
            line = line.model_copy(update=priced_amounts(step.shared, line))
            repriced.append(line)
        lines.append(line)
    totalled_record = totalled(step, record, lines)
    kind = "order" if isinstance(record, OrderRecord) else "invoice"
    summary = f"{title(record)}: {len(repriced)} lines priced again from the price list"
    return Effect(kind, record.id, summary, changed=(totalled_record, *repriced))
