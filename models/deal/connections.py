"""Who else is on a deal: competitors linked to its opportunity, and the customer's stakeholders.

Each action: its input, its rule (`check_<action>`, on the deal's snapshot) and its effect
(`apply_<action>`, on the deal's records). `models.deal.actions` maps the names to them.
"""

import uuid
from datetime import date
from typing import Literal

from pydantic import Field

from models.connection import OpportunityCompetitorRecord, StakeholderRecord, StakeholderRole
from models.deal.guards import require_open_opportunity
from models.deal.records import ActionInput, Deal, Effect, Step
from models.deal.state import DealState
from models.errors import IllegalTransition, InvalidField, NotFound
from models.opportunity import OpportunityRecord


def _opportunity(deal: Deal) -> OpportunityRecord:
    if deal.opportunity is None:
        raise IllegalTransition("deal", "without opportunity", "change", "the deal has none")
    return deal.opportunity


def competitor_link(
    deal: Deal, step: Step, competitor_id: uuid.UUID, field: str = "competitor_id"
) -> OpportunityCompetitorRecord:
    """A new link of the opportunity to an active competitor (else a 422 naming `field`)."""
    if not step.shared.competitor_exists(competitor_id):
        raise InvalidField(field, f"no active competitor {competitor_id}")
    opportunity = _opportunity(deal)
    fields = {
        "id": step.new_id(f"competitor:{competitor_id}"),
        "deal_id": deal.deal_id,
        "opportunity_id": opportunity.id,
        "competitor_id": competitor_id,
    }
    return step.new(OpportunityCompetitorRecord, fields, opportunity.owner_id)


# --- link_competitor --------------------------------------------------------------------------


class LinkCompetitor(ActionInput):
    """A competitor bidding for the same deal."""

    action: Literal["link_competitor"] = "link_competitor"
    competitor_id: uuid.UUID


def check_link_competitor(deal: DealState, action: LinkCompetitor, today: date) -> None:
    require_open_opportunity(deal, action.action)
    if action.competitor_id in deal.competitor_ids:
        raise IllegalTransition(
            "opportunity", "open", action.action, "the competitor is already linked"
        )


def apply_link_competitor(deal: Deal, action: LinkCompetitor, step: Step) -> Effect:
    link = competitor_link(deal, step, action.competitor_id)
    return Effect("opportunity_competitor", link.id, "Competitor linked", created=(link,))


# --- unlink_competitor ------------------------------------------------------------------------


class UnlinkCompetitor(ActionInput):
    action: Literal["unlink_competitor"] = "unlink_competitor"
    competitor_id: uuid.UUID


def check_unlink_competitor(deal: DealState, action: UnlinkCompetitor, today: date) -> None:
    require_open_opportunity(deal, action.action)
    if action.competitor_id not in deal.competitor_ids:
        raise NotFound("competitor on the opportunity", action.competitor_id)


def apply_unlink_competitor(deal: Deal, action: UnlinkCompetitor, step: Step) -> Effect:
    link = deal.competitor_link(action.competitor_id)
    if link is None:
        raise NotFound("competitor on the opportunity", action.competitor_id)
    opportunity = _opportunity(deal)
    return Effect("opportunity", opportunity.id, "Competitor unlinked", removed=(link,))


# --- add_stakeholder --------------------------------------------------------------------------


class AddStakeholder(ActionInput):
    """A contact of the customer on the opportunity, in a role (Dynamics: a connection)."""

    action: Literal["add_stakeholder"] = "add_stakeholder"
    contact_id: uuid.UUID
    role: StakeholderRole = StakeholderRole.stakeholder
    description: str | None = Field(default=None, max_length=500)


def check_add_stakeholder(deal: DealState, action: AddStakeholder, today: date) -> None:
    require_open_opportunity(deal, action.action)
    if deal.stakeholder(action.contact_id) is not None:
        raise IllegalTransition(
            "opportunity", "open", action.action, "the contact is already a stakeholder"
        )


def apply_add_stakeholder(deal: Deal, action: AddStakeholder, step: Step) -> Effect:
    if step.shared.active_contact(action.contact_id) is None:
        raise InvalidField("contact_id", f"no active contact {action.contact_id}")
    opportunity = _opportunity(deal)
    fields = {
        "id": step.new_id(f"stakeholder:{action.contact_id}"),
        "deal_id": deal.deal_id,
        "opportunity_id": opportunity.id,
        "contact_id": action.contact_id,
        "role": action.role,
        "description": action.description,
    }
    stakeholder = step.new(StakeholderRecord, fields, opportunity.owner_id)
    summary = f"Stakeholder added: {action.role}"
    return Effect("stakeholder", stakeholder.id, summary, created=(stakeholder,))


# --- remove_stakeholder -----------------------------------------------------------------------


class RemoveStakeholder(ActionInput):
    action: Literal["remove_stakeholder"] = "remove_stakeholder"
    contact_id: uuid.UUID


def check_remove_stakeholder(deal: DealState, action: RemoveStakeholder, today: date) -> None:
    require_open_opportunity(deal, action.action)
    if deal.stakeholder(action.contact_id) is None:
        raise NotFound("stakeholder", action.contact_id)


def apply_remove_stakeholder(deal: Deal, action: RemoveStakeholder, step: Step) -> Effect:
    stakeholder = deal.stakeholder(action.contact_id)
    if stakeholder is None:
        raise NotFound("stakeholder", action.contact_id)
    opportunity = _opportunity(deal)
    return Effect("opportunity", opportunity.id, "Stakeholder removed", removed=(stakeholder,))
