"""A deal's quotes: drafted from the opportunity, activated, revised, accepted, closed, expired.

Each action: its input, its rule (`check_<action>`, on the deal's snapshot) and its effect
(`apply_<action>`, on the deal's records). `models.deal.actions` maps the names to them.
"""

import uuid
from datetime import date
from typing import Any, Literal

from pydantic import Field

from models.deal.documents import CHARGES, copied_lines, document_number, totalled
from models.deal.guards import require_customer, require_open_opportunity, require_quote
from models.deal.opportunity import closed_open_quotes, the_opportunity, won
from models.deal.records import ActionInput, Deal, Effect, Step, validated_changes
from models.deal.state import DealState
from models.errors import IllegalTransition, InvalidField, NotFound
from models.line_item import Document
from models.order import OrderRecord
from models.quote import CLOSE_REASONS, QuoteBase, QuoteFields, QuoteRecord, QuoteState, QuoteStatus


def quote_of(deal: Deal, quote_id: uuid.UUID) -> QuoteRecord:
    quote = deal.get(QuoteRecord, quote_id)
    if quote is None:
        raise NotFound("quote", quote_id)
    return quote


def closed(step: Step, quote: QuoteRecord, reason: QuoteStatus) -> QuoteRecord:
    return step.change(quote, state=QuoteState.closed, status_reason=reason, closed_at=step.at)


# --- create_quote -----------------------------------------------------------------------------


class CreateQuote(ActionInput):
    action: Literal["create_quote"] = "create_quote"
    quote: QuoteFields = QuoteFields()


def check_create_quote(deal: DealState, action: CreateQuote, today: date) -> None:
    require_customer(deal, action.action)


def apply_create_quote(deal: Deal, action: CreateQuote, step: Step) -> Effect:
    """A draft with the opportunity's lines copied, at revision 0."""
    opportunity = the_opportunity(deal)
    quote_id = step.new_id("quote")
    fields = {
        **action.quote.model_dump(),
        "id": quote_id,
        "deal_id": deal.deal_id,
        "opportunity_id": opportunity.id,
        "quote_number": document_number("QUO", quote_id),
        "name": action.quote.name or opportunity.name,
        **{
            name: getattr(action.quote, name)
            if getattr(action.quote, name) is not None
            else getattr(opportunity, name)
            for name in CHARGES
        },
    }
    quote = step.new(QuoteRecord, fields, opportunity.owner_id)
    lines = copied_lines(deal, step, opportunity.id, Document.quote, quote.id)
    quote = totalled(step, quote, lines)
    summary = f"Quote {quote.quote_number} created"
    return Effect("quote", quote.id, summary, created=(quote, *lines))


# --- update_quote -----------------------------------------------------------------------------


class UpdateQuote(ActionInput):
    action: Literal["update_quote"] = "update_quote"
    quote_id: uuid.UUID
    changes: dict[str, Any]


def check_update_quote(deal: DealState, action: UpdateQuote, today: date) -> None:
    require_quote(deal, action.quote_id, action.action, QuoteState.draft)
    validated_changes(QuoteFields, QuoteRecord, action.changes)


def apply_update_quote(deal: Deal, action: UpdateQuote, step: Step) -> Effect:
    quote = step.patch(quote_of(deal, action.quote_id), QuoteFields, action.changes)
    QuoteBase.model_validate(quote.model_dump())  # the effective range, with both ends known
    quote = totalled(step, quote, deal.lines_of(quote.id))
    summary = f"Quote updated: {', '.join(sorted(action.changes))}"
    return Effect("quote", quote.id, summary, changed=(quote,))


# --- activate ---------------------------------------------------------------------------------


class Activate(ActionInput):
    action: Literal["activate"] = "activate"
    quote_id: uuid.UUID


def check_activate(deal: DealState, action: Activate, today: date) -> None:
    quote = require_quote(deal, action.quote_id, action.action, QuoteState.draft)
    if not deal.lines_of(quote.id):
        raise IllegalTransition("quote", quote.state, action.action, "the quote has no lines")
    if quote.effective_to and quote.effective_to < today:
        raise IllegalTransition(
            "quote", quote.state, action.action, "the quote's effective-to date has passed"
        )


def apply_activate(deal: Deal, action: Activate, step: Step) -> Effect:
    """Active: sendable to the customer, and read-only."""
    quote = step.change(
        quote_of(deal, action.quote_id),
        state=QuoteState.active,
        status_reason=QuoteStatus.in_progress,
        activated_at=step.at,
    )
    return Effect("quote", quote.id, f"Quote {quote.quote_number} activated", changed=(quote,))


# --- revise -----------------------------------------------------------------------------------


class Revise(ActionInput):
    action: Literal["revise"] = "revise"
    quote_id: uuid.UUID


def check_revise(deal: DealState, action: Revise, today: date) -> None:
    require_quote(deal, action.quote_id, action.action, QuoteState.active)
    require_open_opportunity(deal, action.action)


def apply_revise(deal: Deal, action: Revise, step: Step) -> Effect:
    """The active quote closes as Revised; a draft copy of it, revision + 1, takes its place."""
    old = quote_of(deal, action.quote_id)
    fields = {
        **old.model_dump(
            exclude={"id", "created_at", "created_by", "modified_at", "activated_at", "closed_at"}
        ),
        "id": step.new_id("quote"),
        "revision_number": old.revision_number + 1,
        "revises_quote_id": old.id,
        "state": QuoteState.draft,
        "status_reason": QuoteStatus.in_progress,
    }
    revision = step.new(QuoteRecord, fields, old.owner_id)
    lines = copied_lines(deal, step, old.id, Document.quote, revision.id)
    summary = f"Quote {old.quote_number} revised to revision {revision.revision_number}"
    return Effect(
        "quote",
        revision.id,
        summary,
        created=(revision, *lines),
        changed=(closed(step, old, QuoteStatus.revised),),
    )


# --- close_quote ------------------------------------------------------------------------------


class CloseQuote(ActionInput):
    action: Literal["close_quote"] = "close_quote"
    quote_id: uuid.UUID
    reason: QuoteStatus = QuoteStatus.canceled
    description: str | None = Field(default=None, max_length=2000)


def check_close_quote(deal: DealState, action: CloseQuote, today: date) -> None:
    if action.reason not in CLOSE_REASONS:
        raise InvalidField("reason", f"must be one of {sorted(CLOSE_REASONS)}")
    require_quote(deal, action.quote_id, action.action, QuoteState.draft, QuoteState.active)


def apply_close_quote(deal: Deal, action: CloseQuote, step: Step) -> Effect:
    quote = closed(step, quote_of(deal, action.quote_id), action.reason)
    summary = f"Quote {quote.quote_number} closed: {action.reason}"
    return Effect("quote", quote.id, summary, changed=(quote,))


# --- accept -----------------------------------------------------------------------------------


class Accept(ActionInput):
    """Dynamics' Create Order: the quote is won, and so is the opportunity."""

    action: Literal["accept"] = "accept"
    quote_id: uuid.UUID


def check_accept(deal: DealState, action: Accept, today: date) -> None:
    quote = require_quote(deal, action.quote_id, action.action, QuoteState.active)
    if quote.effective_to and quote.effective_to < today:
        raise IllegalTransition(
            "quote", "expired", action.action, "an expired quote cannot be accepted"
        )
    if quote.effective_from and quote.effective_from > today:
        raise IllegalTransition(
            "quote", quote.state, action.action, "the quote is not yet effective"
        )
    require_customer(deal, action.action)


def apply_accept(deal: Deal, action: Accept, step: Step) -> Effect:
    """The quote is Won, the opportunity Won at the quote's total, its other open quotes close,
    and the order is created with the quote's lines, prices locked."""
    quote = quote_of(deal, action.quote_id)
    accepted = step.change(
        quote, state=QuoteState.won, status_reason=QuoteStatus.won, closed_at=step.at
    )
    others = closed_open_quotes(deal, step, QuoteStatus.canceled, keep=quote.id)
    opportunity = the_opportunity(deal)
    order_id = step.new_id("order")
    order = step.new(
        OrderRecord,
        {
            "id": order_id,
            "deal_id": deal.deal_id,
            "order_number": document_number("ORD", order_id),
            "name": quote.name,
            "account_id": opportunity.account_id,
            "contact_id": opportunity.contact_id,
            "price_list_id": opportunity.price_list_id,
            "ship_to_address": quote.ship_to_address,
            "opportunity_id": opportunity.id,
            "quote_id": quote.id,
            **{name: getattr(quote, name) for name in CHARGES},
        },
        opportunity.owner_id,
    )
    lines = copied_lines(deal, step, quote.id, Document.order, order.id)
    order = totalled(step, order, lines)
    summary = f"Quote {quote.quote_number} accepted, order {order.order_number} created"
    return Effect(
        "order",
        order.id,
        summary,
        created=(order, *lines),
        changed=(accepted, *others, won(step, opportunity, quote.total_amount, None)),
    )


# --- expire_quote (a reminder) ----------------------------------------------------------------


class ExpireQuote(ActionInput):
    """Reminder: an active quote past its effective-to date closes as Expired."""

    action: Literal["expire_quote"] = "expire_quote"
    quote_id: uuid.UUID


def check_expire_quote(deal: DealState, action: ExpireQuote, today: date) -> None:
    quote = require_quote(deal, action.quote_id, action.action, QuoteState.active)
    if quote.effective_to is None or quote.effective_to >= today:
        raise IllegalTransition("quote", quote.state, action.action, "the quote has not expired")


def apply_expire_quote(deal: Deal, action: ExpireQuote, step: Step) -> Effect:
    quote = closed(step, quote_of(deal, action.quote_id), QuoteStatus.expired)
    return Effect("quote", quote.id, f"Quote {quote.quote_number} expired", changed=(quote,))
