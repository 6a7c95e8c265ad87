"""Conditions several actions' rules share: the record is there, and in a state that allows it.

Each raises the refusal the API answers with (404 `NotFound`, 409 `IllegalTransition` naming the
record's state and the rule) and returns the record's snapshot for the rule to look at further.
"""

import uuid

from models.deal.state import (
    DealState,
    InvoiceSnapshot,
    LeadSnapshot,
    LineSnapshot,
    OpportunitySnapshot,
    OrderSnapshot,
    QuoteSnapshot,
)
from models.errors import IllegalTransition, NotFound
from models.invoice import InvoiceState
from models.lead import LeadState
from models.opportunity import OpportunityState
from models.order import OrderState
from models.quote import QuoteState

# The most lines a document is entered with, or an invoice chooses from its order, in one request:
# each is a row written in the step's one transaction.
MAX_LINES = 500


def require_new_deal(deal: DealState, record: str, action: str) -> None:
    """A deal opens once, with the record it is named after."""
    if not deal.is_empty:
        raise IllegalTransition(record, "exists", action, "the deal already has records")


def require_lead(deal: DealState) -> LeadSnapshot:
    if deal.lead is None:
        raise NotFound("lead", deal.deal_id)
    return deal.lead


def require_open_lead(deal: DealState, action: str) -> LeadSnapshot:
    lead = require_lead(deal)
    if lead.state is not LeadState.open:
        raise IllegalTransition("lead", lead.state, action, "only an open lead can change")
    return lead


def require_opportunity(deal: DealState, action: str) -> OpportunitySnapshot:
    if deal.opportunity is None:
        raise IllegalTransition("deal", deal.stage, action, "the deal has no opportunity")
    return deal.opportunity


def require_open_opportunity(deal: DealState, action: str) -> OpportunitySnapshot:
    opportunity = require_opportunity(deal, action)
    if opportunity.state is not OpportunityState.open:
        raise IllegalTransition(
            "opportunity", opportunity.state, action, "only an open opportunity can change"
        )
    return opportunity


def require_customer(deal: DealState, action: str) -> OpportunitySnapshot:
    """An open opportunity with a customer: one recorded before a customer was required is
    neither quoted nor turned into an order until it has one."""
    opportunity = require_open_opportunity(deal, action)
    if opportunity.account_id is None and opportunity.contact_id is None:
        raise IllegalTransition(
            "opportunity", opportunity.state, action, "the opportunity has no customer: set one"
        )
    return opportunity


def require_quote(
    deal: DealState, quote_id: uuid.UUID, action: str, *allowed: QuoteState
) -> QuoteSnapshot:
    quote = deal.quote(quote_id)
    if quote is None:
        raise NotFound("quote", quote_id)
    if quote.state not in allowed:
        names = " or ".join(state.value for state in allowed)
        raise IllegalTransition("quote", quote.state, action, f"the quote must be {names}")
    return quote


def require_editable_lines(deal: DealState, document_id: uuid.UUID, action: str) -> None:
    """Lines change on an open opportunity, a draft quote (an active quote is revised instead),
    and an active order or invoice that nothing has billed or paid yet."""
    if deal.opportunity and deal.opportunity.id == document_id:
        require_open_opportunity(deal, action)
        return
    quote = deal.quote(document_id)
    if quote is not None:
        if quote.state is not QuoteState.draft:
            raise IllegalTransition(
                "quote", quote.state, action, "only a draft quote's lines can change (revise it)"
            )
        return
    if deal.order(document_id) is not None:
        require_editable_order(deal, document_id, action)
        return
    if deal.invoice(document_id) is None:
        raise NotFound("document", document_id)
    require_editable_invoice(deal, document_id, action)


def require_editable_line(deal: DealState, line_id: uuid.UUID, action: str) -> LineSnapshot:
    line = deal.line(line_id)
    if line is None:
        raise NotFound("line", line_id)
    require_editable_lines(deal, line.document_id, action)
    return line


def require_editable_order(deal: DealState, order_id: uuid.UUID, action: str) -> OrderSnapshot:
    """An order changes while it is Active and not billed: its invoices bill it as it was."""
    order = require_order(deal, order_id)
    require_active_order(order, action, "only an active order can change")
    if any(i.order_id == order.id and i.state is not InvoiceState.canceled for i in deal.invoices):
        raise IllegalTransition(
            "order", order.state, action, "the order has invoices: it is billed as it stands"
        )
    return order


def require_editable_invoice(
    deal: DealState, invoice_id: uuid.UUID, action: str
) -> InvoiceSnapshot:
    """An invoice changes while it is Active, unpaid, and entered directly: an invoice of an
    order bills the order's lines, so the order's invoices always add up to it."""
    invoice = require_active_invoice(deal, invoice_id, action)
    if invoice.order_id is not None:
        raise IllegalTransition(
            "invoice",
            invoice.state,
            action,
            "an invoice of an order bills the order as it stands: change the order",
        )
    if any(not payment.canceled for payment in invoice.payments):
        raise IllegalTransition(
            "invoice", invoice.state, action, "the invoice has payments: cancel them first"
        )
    return invoice


def require_order(deal: DealState, order_id: uuid.UUID) -> OrderSnapshot:
    order = deal.order(order_id)
    if order is None:
        raise NotFound("order", order_id)
    return order


def require_active_order(order: OrderSnapshot, action: str, rule: str) -> None:
    """Submitting, holding, editing and re-pricing are for an Active order only, each refused
    with its own rule."""
    if order.state is not OrderState.active:
        raise IllegalTransition("order", order.state, action, rule)


def require_active_invoice(deal: DealState, invoice_id: uuid.UUID, action: str) -> InvoiceSnapshot:
    invoice = deal.invoice(invoice_id)
    if invoice is None:
        raise NotFound("invoice", invoice_id)
    if invoice.state is not InvoiceState.active:
        raise IllegalTransition(
            "invoice", invoice.state, action, "only an active invoice can change"
        )
    return invoice
