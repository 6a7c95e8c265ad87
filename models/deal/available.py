"""The transitions a deal allows now, worked out by asking each action's own rule.

Nothing here restates a rule: every candidate is the action's input with plain defaults (a
write-in line, the whole balance paid, every remaining line billed) passed to its
`check_<action>` from `ACTIONS`. What the rule refuses is not offered; what it lets through is,
and the person's own values (a product, an amount) are judged again when the action is sent.
"""

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from models.deal.actions import ACTIONS
from models.deal.invoice import CancelInvoice, Pay
from models.deal.lead import Disqualify, Qualify, Reactivate
from models.deal.lines import AddLine
from models.deal.opportunity import Lose, Reopen, Win
from models.deal.order import CancelOrder, Fulfill, InvoiceOrder, SubmitOrder
from models.deal.quote import Accept, Activate, CloseQuote, CreateQuote, Revise
from models.deal.records import ActionInput
from models.deal.state import DealState
from models.errors import DomainError
from models.invoice import PaymentFields
from models.lead import LeadStatus
from models.line_item import LineInput
from models.opportunity import OpportunityStatus

# The smallest payment: what a probe pays on an invoice with nothing left due.
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Available:
    """`action` may be asked now on the deal's `record` (lead, opportunity, quote, order,
    invoice) `record_id`."""

    action: str
    record: str
    record_id: uuid.UUID


def _candidates(deal: DealState) -> Iterator[tuple[str, uuid.UUID, ActionInput]]:
    if deal.lead:
        lead = deal.lead.id
        yield "lead", lead, Qualify()
        yield "lead", lead, Disqualify(reason=LeadStatus.lost)
        yield "lead", lead, Reactivate()
    if deal.opportunity:
        opportunity = deal.opportunity.id
        probe_line = LineInput(
            write_in_description="probe", quantity=Decimal(1), price_per_unit=Decimal(0)
        )
        yield "opportunity", opportunity, AddLine(document_id=opportunity, line=probe_line)
        yield "opportunity", opportunity, CreateQuote()
        yield "opportunity", opportunity, Win()
        yield "opportunity", opportunity, Lose(reason=OpportunityStatus.out_sold)
        yield "opportunity", opportunity, Reopen()
    for quote in deal.quotes:
        yield "quote", quote.id, Activate(quote_id=quote.id)
        yield "quote", quote.id, Revise(quote_id=quote.id)
        yield "quote", quote.id, Accept(quote_id=quote.id)
        yield "quote", quote.id, CloseQuote(quote_id=quote.id)
    for order in deal.orders:
        yield "order", order.id, SubmitOrder(order_id=order.id)
        yield "order", order.id, Fulfill(order_id=order.id)
        yield "order", order.id, InvoiceOrder(order_id=order.id)
        yield "order", order.id, CancelOrder(order_id=order.id)
    for invoice in deal.invoices:
        payment = PaymentFields(amount=max(invoice.balance_due, CENT))
        yield "invoice", invoice.id, Pay(invoice_id=invoice.id, payment=payment)
        yield "invoice", invoice.id, CancelInvoice(invoice_id=invoice.id)


def available_actions(deal: DealState, today: date) -> list[Available]:
    """Each transition the deal's rules allow today, on the record it is asked on."""
    allowed: list[Available] = []
    for record, record_id, action in _candidates(deal):
        try:
            ACTIONS[action.action].check(deal, action, today)
        except DomainError:
            continue
        allowed.append(Available(action.action, record, record_id))
    return allowed
