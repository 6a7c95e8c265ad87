"""Which transition is legal in which state, and why not. Pure: no I/O, no clock (`today` is given).

The workflow's update validator, its handler and the activity all call `check`, so a rule is
written once. A refusal is an `IllegalTransition` naming the record, its state and the rule.
"""

from datetime import date
from decimal import Decimal
from functools import singledispatch
from typing import Any

from models import deal_actions as a
from models.deal import DealState, LineSnapshot, OrderSnapshot
from models.errors import IllegalTransition, InvalidField, NotFound
from models.invoice import InvoiceState
from models.lead import DISQUALIFY_REASONS, LeadState
from models.line_item import Document
from models.opportunity import LOSS_REASONS, OpportunityState
from models.order import FULFILL_STATUSES, OrderState, OrderStatus
from models.pricing import money_text, quantity_text
from models.quote import CLOSE_REASONS, QuoteState


@singledispatch
def check(action: Any, state: DealState, today: date) -> None:
    raise NotImplementedError(f"no rule for {type(action).__name__}")


def _opening(state: DealState, record: str, action: str) -> None:
    if not state.is_empty:
        raise IllegalTransition(record, "exists", action, "the deal already has records")


@check.register
def _(action: a.CreateLead, state: DealState, today: date) -> None:
    _opening(state, "lead", action.action)


@check.register
def _(action: a.CreateOpportunity, state: DealState, today: date) -> None:
    _opening(state, "opportunity", action.action)


@check.register
def _(action: a.CreateOrder, state: DealState, today: date) -> None:
    _opening(state, "order", action.action)


@check.register
def _(action: a.CreateInvoice, state: DealState, today: date) -> None:
    _opening(state, "invoice", action.action)


def _open_lead(state: DealState, action: str) -> None:
    lead = state.lead
    if lead is None:
        raise NotFound("lead", state.deal_id)
    if lead.state is not LeadState.open:
        raise IllegalTransition("lead", lead.state, action, "only an open lead can change")


@check.register
def _(action: a.UpdateLead, state: DealState, today: date) -> None:
    _open_lead(state, action.action)


@check.register
def _(action: a.Qualify, state: DealState, today: date) -> None:
    _open_lead(state, action.action)


@check.register
def _(action: a.Disqualify, state: DealState, today: date) -> None:
    if action.reason not in DISQUALIFY_REASONS:
        raise InvalidField("reason", f"must be one of {sorted(DISQUALIFY_REASONS)}")
    if state.lead and state.lead.opportunity_id:
        raise IllegalTransition(
            "lead", state.lead.state, action.action, "the lead already has an opportunity"
        )
    _open_lead(state, action.action)


@check.register
def _(action: a.Reactivate, state: DealState, today: date) -> None:
    lead = state.lead
    if lead is None:
        raise NotFound("lead", state.deal_id)
    if lead.state is not LeadState.disqualified:
        raise IllegalTransition(
            "lead", lead.state, action.action, "only a disqualified lead can be reactivated"
        )


def _open_opportunity(state: DealState, action: str) -> None:
    opportunity = state.opportunity
    if opportunity is None:
        raise IllegalTransition("deal", state.stage, action, "the deal has no opportunity")
    if opportunity.state is not OpportunityState.open:
        raise IllegalTransition(
            "opportunity", opportunity.state, action, "only an open opportunity can change"
        )


@check.register
def _(action: a.UpdateOpportunity, state: DealState, today: date) -> None:
    _open_opportunity(state, action.action)


def _editable_document(state: DealState, document_id: Any, action: str) -> None:
    """Lines change on an open opportunity or a draft quote; an active quote is revised instead."""
    if state.opportunity and state.opportunity.id == document_id:
        _open_opportunity(state, action)
        return
    quote = state.quote(document_id)
    if quote is None:
        raise NotFound("opportunity or quote", document_id)
    if quote.state is not QuoteState.draft:
        raise IllegalTransition(
            "quote", quote.state, action, "only a draft quote's lines can change (revise it)"
        )


def _line(state: DealState, line_id: Any) -> LineSnapshot:
    line = state.line(line_id)
    if line is None or line.document not in (Document.opportunity, Document.quote):
        raise NotFound("line", line_id)
    return line


@check.register
def _(action: a.AddLine, state: DealState, today: date) -> None:
    _editable_document(state, action.document_id, action.action)


@check.register
def _(action: a.UpdateLine, state: DealState, today: date) -> None:
    _editable_document(state, _line(state, action.line_id).document_id, action.action)


@check.register
def _(action: a.RemoveLine, state: DealState, today: date) -> None:
    _editable_document(state, _line(state, action.line_id).document_id, action.action)


@check.register
def _(action: a.CreateQuote, state: DealState, today: date) -> None:
    _open_opportunity(state, action.action)


def _quote(state: DealState, quote_id: Any, action: str, *allowed: QuoteState) -> None:
    quote = state.quote(quote_id)
    if quote is None:
        raise NotFound("quote", quote_id)
    if quote.state not in allowed:
        names = " or ".join(s.value for s in allowed)
        raise IllegalTransition("quote", quote.state, action, f"the quote must be {names}")


@check.register
def _(action: a.UpdateQuote, state: DealState, today: date) -> None:
    _quote(state, action.quote_id, action.action, QuoteState.draft)


@check.register
def _(action: a.Activate, state: DealState, today: date) -> None:
    _quote(state, action.quote_id, action.action, QuoteState.draft)
    quote = state.quote(action.quote_id)
    assert quote is not None
    if not state.lines_of(quote.id):
        raise IllegalTransition("quote", quote.state, action.action, "the quote has no lines")
    if quote.effective_to and quote.effective_to < today:
        raise IllegalTransition(
            "quote", quote.state, action.action, "the quote's effective-to date has passed"
        )


@check.register
def _(action: a.Revise, state: DealState, today: date) -> None:
    _quote(state, action.quote_id, action.action, QuoteState.active)
    _open_opportunity(state, action.action)


@check.register
def _(action: a.CloseQuote, state: DealState, today: date) -> None:
    if action.reason not in CLOSE_REASONS:
        raise InvalidField("reason", f"must be one of {sorted(CLOSE_REASONS)}")
    _quote(state, action.quote_id, action.action, QuoteState.draft, QuoteState.active)


@check.register
def _(action: a.Accept, state: DealState, today: date) -> None:
    _quote(state, action.quote_id, action.action, QuoteState.active)
    quote = state.quote(action.quote_id)
    assert quote is not None
    if quote.effective_to and quote.effective_to < today:
        raise IllegalTransition(
            "quote", "expired", action.action, "an expired quote cannot be accepted"
        )
    if quote.effective_from and quote.effective_from > today:
        raise IllegalTransition(
            "quote", quote.state, action.action, "the quote is not yet effective"
        )
    _open_opportunity(state, action.action)


@check.register
def _(action: a.Win, state: DealState, today: date) -> None:
    _open_opportunity(state, action.action)


@check.register
def _(action: a.Lose, state: DealState, today: date) -> None:
    if action.reason not in LOSS_REASONS:
        raise InvalidField("reason", f"must be one of {sorted(LOSS_REASONS)}")
    _open_opportunity(state, action.action)


@check.register
def _(action: a.Reopen, state: DealState, today: date) -> None:
    opportunity = state.opportunity
    if opportunity is None:
        raise IllegalTransition("deal", state.stage, action.action, "the deal has no opportunity")
    if opportunity.state is not OpportunityState.lost:
        raise IllegalTransition(
            "opportunity", opportunity.state, action.action, "only a lost opportunity can reopen"
        )


def _order(state: DealState, order_id: Any) -> OrderSnapshot:
    order = state.order(order_id)
    if order is None:
        raise NotFound("order", order_id)
    return order


@check.register
def _(action: a.SubmitOrder, state: DealState, today: date) -> None:
    order = _order(state, action.order_id)
    if order.state is not OrderState.active:
        raise IllegalTransition(
            "order", order.state, action.action, "only an active order can be submitted"
        )


@check.register
def _(action: a.Fulfill, state: DealState, today: date) -> None:
    if action.status not in FULFILL_STATUSES:
        raise InvalidField("status", f"must be one of {sorted(FULFILL_STATUSES)}")
    order = _order(state, action.order_id)
    if order.state is OrderState.canceled or order.fulfillment_status is OrderStatus.complete:
        raise IllegalTransition(
            "order",
            order.state,
            action.action,
            "a cancelled or completed order cannot be fulfilled",
        )


@check.register
def _(action: a.CancelOrder, state: DealState, today: date) -> None:
    order = _order(state, action.order_id)
    if any(i.order_id == order.id and i.state is not InvoiceState.canceled for i in state.invoices):
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


@check.register
def _(action: a.InvoiceOrder, state: DealState, today: date) -> None:
    order = _order(state, action.order_id)
    if order.state is OrderState.canceled:
        raise IllegalTransition(
            "order", order.state, action.action, "a cancelled order cannot be billed"
        )
    lines = {line.id: line for line in state.lines_of(order.id)}
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


def quantities_to_bill(
    action: a.InvoiceOrder, order_lines: list[LineSnapshot]
) -> dict[Any, Decimal]:
    """Order line id → quantity the invoice bills: as chosen, a percentage of what was ordered,
    or everything left."""
    if action.lines is not None:
        return {choice.order_line_id: choice.quantity for choice in action.lines}
    if action.percent is not None:
        share = action.percent / 100
        billed = {line.id: round(line.quantity * share, 4) for line in order_lines}
        return {line_id: quantity for line_id, quantity in billed.items() if quantity > 0}
    return {line.id: line.remaining_quantity for line in order_lines if line.remaining_quantity > 0}


def _invoice(state: DealState, invoice_id: Any, action: str) -> None:
    invoice = state.invoice(invoice_id)
    if invoice is None:
        raise NotFound("invoice", invoice_id)
    if invoice.state is not InvoiceState.active:
        raise IllegalTransition(
            "invoice", invoice.state, action, "only an active invoice can change"
        )


@check.register
def _(action: a.Pay, state: DealState, today: date) -> None:
    _invoice(state, action.invoice_id, action.action)
    invoice = state.invoice(action.invoice_id)
    assert invoice is not None
    if action.payment.amount > invoice.balance_due:
        raise IllegalTransition(
            "invoice",
            invoice.state,
            action.action,
            f"the payment of {money_text(action.payment.amount)} exceeds "
            f"the balance due {money_text(invoice.balance_due)}",
        )


@check.register
def _(action: a.CancelInvoice, state: DealState, today: date) -> None:
    _invoice(state, action.invoice_id, action.action)
    invoice = state.invoice(action.invoice_id)
    assert invoice is not None
    if any(not p.canceled for p in invoice.payments):
        raise IllegalTransition(
            "invoice", invoice.state, action.action, "the invoice has payments: cancel them first"
        )


@check.register
def _(action: a.CancelPayment, state: DealState, today: date) -> None:
    for invoice in state.invoices:
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


@check.register
def _(action: a.FlagStale, state: DealState, today: date) -> None:
    _open_lead(state, action.action)


@check.register
def _(action: a.ExpireQuote, state: DealState, today: date) -> None:
    _quote(state, action.quote_id, action.action, QuoteState.active)
    quote = state.quote(action.quote_id)
    assert quote is not None
    if quote.effective_to is None or quote.effective_to >= today:
        raise IllegalTransition("quote", quote.state, action.action, "the quote has not expired")


@check.register
def _(action: a.MarkOverdue, state: DealState, today: date) -> None:
    _invoice(state, action.invoice_id, action.action)
    invoice = state.invoice(action.invoice_id)
    assert invoice is not None
    if invoice.due_date is None or invoice.due_date >= today:
        raise IllegalTransition(
            "invoice", invoice.state, action.action, "the invoice is not due yet"
        )


@check.register
def _(action: a.Assign, state: DealState, today: date) -> None:
    """Any record of the deal, in any state: a closed deal's records change hands too."""
    records: dict[str, list[Any]] = {
        "lead": [state.lead] if state.lead else [],
        "opportunity": [state.opportunity] if state.opportunity else [],
        "quote": list(state.quotes),
        "order": list(state.orders),
        "invoice": list(state.invoices),
    }
    if not any(record.id == action.record_id for record in records[action.record]):
        raise NotFound(action.record, action.record_id)
