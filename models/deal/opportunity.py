"""A deal's opportunity: opened directly or by qualifying, edited, won, lost, reopened.

Each action: its input, its rule (`check_<action>`, on the deal's snapshot) and its effect
(`apply_<action>`, on the deal's records). `models.deal.actions` maps the names to them.
"""

import uuid
from datetime import date
from decimal import Decimal
from typing import Any, Literal

from pydantic import Field

from models.base import money_amount
from models.connection import OpportunityCompetitorRecord
from models.deal.connections import competitor_link
from models.deal.documents import check_lines_storable, open_document, totalled
from models.deal.guards import (
    MAX_LINES,
    require_new_deal,
    require_open_opportunity,
    require_opportunity,
)
from models.deal.records import (
    ActionInput,
    Deal,
    Effect,
    Step,
    check_references,
    opportunity_value,
    validated_changes,
)
from models.deal.state import DealState
from models.deal.steps import start_process
from models.errors import IllegalTransition, InvalidField
from models.line_item import Document, PricedLine
from models.opportunity import (
    LOSS_REASONS,
    OpportunityCreate,
    OpportunityRecord,
    OpportunityState,
    OpportunityStatus,
    OpportunityUpdate,
    system_revenue,
)
from models.pricing import ZERO
from models.quote import QuoteRecord, QuoteState, QuoteStatus


def the_opportunity(deal: Deal) -> OpportunityRecord:
    """The deal's opportunity, which its rule made sure of."""
    if deal.opportunity is None:
        raise IllegalTransition("deal", "without opportunity", "change", "the deal has none")
    return deal.opportunity


def closed_open_quotes(
    deal: Deal, step: Step, reason: QuoteStatus, keep: uuid.UUID | None = None
) -> list[QuoteRecord]:
    """The deal's draft and active quotes (but `keep`), closed for `reason`."""
    return [
        step.change(quote, state=QuoteState.closed, status_reason=reason, closed_at=step.at)
        for quote in deal.quotes
        if quote.id != keep and quote.state in (QuoteState.draft, QuoteState.active)
    ]


def won(
    step: Step, opportunity: OpportunityRecord, revenue: Decimal, close_date: date | None
) -> OpportunityRecord:
    return step.change(
        opportunity,
        state=OpportunityState.won,
        status_reason=OpportunityStatus.won,
        actual_revenue=revenue,
        actual_close_date=close_date or step.today,
    )


# --- create_opportunity -----------------------------------------------------------------------


class CreateOpportunity(ActionInput):
    action: Literal["create_opportunity"] = "create_opportunity"
    opportunity_id: uuid.UUID
    opportunity: OpportunityCreate
    # The business process the deal follows (none: the default one).
    process_id: uuid.UUID | None = None
    lines: list[PricedLine] = Field(default_factory=list, max_length=MAX_LINES)


def check_create_opportunity(deal: DealState, action: CreateOpportunity, today: date) -> None:
    require_new_deal(deal, "opportunity", action.action)
    fields = action.opportunity
    check_customer(fields.account_id, fields.contact_id)
    check_revenue_given(fields.is_revenue_system_calculated, fields.estimated_revenue)
    check_lines_storable(action.lines)


def check_customer(account_id: uuid.UUID | None, contact_id: uuid.UUID | None) -> None:
    """An opportunity is a sale to someone: an account or a contact (Dynamics' customerid)."""
    if account_id is None and contact_id is None:
        raise InvalidField(
            "account_id", "an opportunity needs a customer: account_id or contact_id"
        )


def check_revenue_given(system_calculated: bool | None, estimated_revenue: Decimal | None) -> None:
    """While the revenue is system-calculated it is the lines' total: a figure sent for it would
    be lost, so it is refused rather than ignored."""
    if system_calculated and estimated_revenue is not None:
        raise InvalidField(
            "estimated_revenue",
            "is the lines' total while is_revenue_system_calculated is true: "
            "set is_revenue_system_calculated to false to enter it",
        )


def apply_create_opportunity(deal: Deal, action: CreateOpportunity, step: Step) -> Effect:
    """An opportunity without a lead (the Develop stage's shortcut), with its lines."""
    fields = {**action.opportunity.model_dump(), "id": action.opportunity_id}
    opportunity, lines = open_document(
        deal,
        step,
        OpportunityRecord,
        fields,
        action.opportunity.owner_id,
        Document.opportunity,
        action.lines,
    )
    summary = f"Opportunity created: {opportunity.name}"
    process = start_process(deal, step, action.process_id)
    return Effect("opportunity", opportunity.id, summary, created=(opportunity, *lines, *process))


# --- update_opportunity -----------------------------------------------------------------------


class UpdateOpportunity(ActionInput):
    action: Literal["update_opportunity"] = "update_opportunity"
    changes: dict[str, Any]


def check_update_opportunity(deal: DealState, action: UpdateOpportunity, today: date) -> None:
    opportunity = require_open_opportunity(deal, action.action)
    changes = validated_changes(OpportunityUpdate, OpportunityRecord, action.changes)
    check_customer(
        changes.get("account_id", opportunity.account_id),
        changes.get("contact_id", opportunity.contact_id),
    )


def apply_update_opportunity(deal: Deal, action: UpdateOpportunity, step: Step) -> Effect:
    """Only the fields sent change; a system-calculated revenue stays the lines' total (and
    becomes it again when switched back on)."""
    record = the_opportunity(deal)
    changes = validated_changes(OpportunityUpdate, OpportunityRecord, action.changes)
    calculated = changes.get("is_revenue_system_calculated", record.is_revenue_system_calculated)
    check_revenue_given(calculated, changes.get("estimated_revenue"))
    opportunity = step.change(record, **system_revenue(record, record.total_amount, **changes))
    check_references(step.shared, {name: getattr(opportunity, name) for name in action.changes})
    opportunity = totalled(step, opportunity, deal.lines_of(opportunity.id))
    summary = f"Opportunity updated: {', '.join(sorted(action.changes))}"
    return Effect("opportunity", opportunity.id, summary, changed=(opportunity,))


# --- win ------------------------------------------------------------------------------------


class Win(ActionInput):
    action: Literal["win"] = "win"
    actual_revenue: Decimal | None = money_amount(default=None, ge=0)
    actual_close_date: date | None = None
    description: str | None = Field(default=None, max_length=2000)


def check_win(deal: DealState, action: Win, today: date) -> None:
    require_open_opportunity(deal, action.action)


def apply_win(deal: Deal, action: Win, step: Step) -> Effect:
    """Won without a quote: its open quotes close; revenue as given, else what it was worth."""
    opportunity = the_opportunity(deal)
    revenue = action.actual_revenue
    if revenue is None:
        revenue = opportunity_value(opportunity)
    closed = won(step, opportunity, revenue, action.actual_close_date)
    closed = closed.model_copy(update={"close_description": action.description})
    quotes = closed_open_quotes(deal, step, QuoteStatus.canceled)
    return Effect("opportunity", opportunity.id, "Opportunity won", changed=(*quotes, closed))


# --- lose -----------------------------------------------------------------------------------


class Lose(ActionInput):
    action: Literal["lose"] = "lose"
    # Required, as Dynamics' LoseOpportunity: lost as out-sold or cancelled, never silently.
    reason: OpportunityStatus
    competitor_id: uuid.UUID | None = None
    actual_close_date: date | None = None
    description: str | None = Field(default=None, max_length=2000)


def check_lose(deal: DealState, action: Lose, today: date) -> None:
    if action.reason not in LOSS_REASONS:
        raise InvalidField("reason", f"must be one of {sorted(LOSS_REASONS)}")
    require_open_opportunity(deal, action.action)


def apply_lose(deal: Deal, action: Lose, step: Step) -> Effect:
    """Lost, with the reason and the competitor who won (any known one: linked to the
    opportunity now if it was not); its open quotes close as lost."""
    links: tuple[OpportunityCompetitorRecord, ...] = ()
    if action.competitor_id and deal.competitor_link(action.competitor_id) is None:
        links = (competitor_link(deal, step, action.competitor_id),)
    opportunity = step.change(
        the_opportunity(deal),
        state=OpportunityState.lost,
        status_reason=action.reason,
        actual_revenue=ZERO,
        actual_close_date=action.actual_close_date or step.today,
        winning_competitor_id=action.competitor_id,
        close_description=action.description,
    )
    quotes = closed_open_quotes(deal, step, QuoteStatus.lost)
    summary = f"Opportunity lost: {action.reason}"
    return Effect(
        "opportunity", opportunity.id, summary, created=links, changed=(*quotes, opportunity)
    )


# --- reopen ---------------------------------------------------------------------------------


class Reopen(ActionInput):
    action: Literal["reopen"] = "reopen"


def check_reopen(deal: DealState, action: Reopen, today: date) -> None:
    opportunity = require_opportunity(deal, action.action)
    if opportunity.state is not OpportunityState.lost:
        raise IllegalTransition(
            "opportunity", opportunity.state, action.action, "only a lost opportunity can reopen"
        )


def apply_reopen(deal: Deal, action: Reopen, step: Step) -> Effect:
    """Open again, as if it had never closed."""
    opportunity = step.change(
        the_opportunity(deal),
        state=OpportunityState.open,
        status_reason=OpportunityStatus.in_progress,
        actual_revenue=None,
        actual_close_date=None,
        winning_competitor_id=None,
        close_description=None,
    )
    return Effect("opportunity", opportunity.id, "Opportunity reopened", changed=(opportunity,))
