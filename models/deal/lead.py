"""A deal's lead: created, edited, qualified into an opportunity, disqualified, reactivated.

Each action: its input, its rule (`check_<action>`, on the deal's snapshot) and its effect
(`apply_<action>`, on the deal's records). `models.deal.actions` maps the names to them.
"""

import uuid
from datetime import date
from decimal import Decimal
from typing import Literal

from pydantic import Field

from models.account import AccountRecord
from models.contact import ContactRecord, normalize_email
from models.deal.guards import require_lead, require_new_deal, require_open_lead
from models.deal.records import (
    ActionInput,
    Deal,
    Effect,
    Step,
    check_references,
    validated_changes,
)
from models.deal.state import DealState
from models.deal.steps import start_process
from models.errors import IllegalTransition, InvalidField
from models.lead import (
    DISQUALIFY_REASONS,
    LeadCreate,
    LeadRecord,
    LeadState,
    LeadStatus,
    LeadUpdate,
)
from models.opportunity import OpportunityRecord


def _lead(deal: Deal) -> LeadRecord:
    if deal.lead is None:  # the rule found one; a deal's lead is never removed
        raise IllegalTransition("deal", "empty", "change the lead", "the deal has no lead")
    return deal.lead


# --- create_lead ----------------------------------------------------------------------------


class CreateLead(ActionInput):
    action: Literal["create_lead"] = "create_lead"
    lead_id: uuid.UUID
    lead: LeadCreate
    # The business process the deal follows (none: the default one).
    process_id: uuid.UUID | None = None


def check_create_lead(deal: DealState, action: CreateLead, today: date) -> None:
    require_new_deal(deal, "lead", action.action)


def apply_create_lead(deal: Deal, action: CreateLead, step: Step) -> Effect:
    fields = action.lead.model_dump()
    fields.update(id=action.lead_id, deal_id=deal.deal_id, email=normalize_email(fields["email"]))
    lead = step.new(LeadRecord, fields, action.lead.owner_id)
    process = start_process(deal, step, action.process_id)
    return Effect("lead", lead.id, f"Lead created: {lead.topic}", created=(lead, *process))


# --- update_lead ----------------------------------------------------------------------------


class UpdateLead(ActionInput):
    action: Literal["update_lead"] = "update_lead"
    changes: dict[str, object]


def check_update_lead(deal: DealState, action: UpdateLead, today: date) -> None:
    require_open_lead(deal, action.action)
    validated_changes(LeadUpdate, LeadRecord, action.changes)


def apply_update_lead(deal: Deal, action: UpdateLead, step: Step) -> Effect:
    """A person's edit also clears the stale flag: someone is working the lead again."""
    lead = step.patch(_lead(deal), LeadUpdate, action.changes)
    lead = lead.model_copy(update={"is_stale": False, "email": normalize_email(lead.email)})
    summary = f"Lead updated: {', '.join(sorted(action.changes))}"
    return Effect("lead", lead.id, summary, changed=(lead,))


# --- qualify --------------------------------------------------------------------------------


class Qualify(ActionInput):
    """Dynamics' QualifyLead: create account / contact / opportunity, or use existing ones.

    An existing id wins over its create flag; a created account or contact is first matched
    against active ones (company name, email) so qualifying never makes a duplicate."""

    action: Literal["qualify"] = "qualify"
    create_account: bool = True
    create_contact: bool = True
    create_opportunity: bool = True
    existing_account_id: uuid.UUID | None = None
    existing_contact_id: uuid.UUID | None = None
    opportunity_name: str | None = Field(default=None, max_length=300)
    price_list_id: uuid.UUID | None = None


def check_qualify(deal: DealState, action: Qualify, today: date) -> None:
    require_open_lead(deal, action.action)


def apply_qualify(deal: Deal, action: Qualify, step: Step) -> Effect:
    """The lead closes as Qualified, with the account, contact and opportunity it leads to."""
    lead = _lead(deal)
    account, new_account = qualified_account(action, lead, step)
    contact, new_contact = qualified_contact(action, lead, account, step)
    created: list[AccountRecord | ContactRecord | OpportunityRecord] = [
        *new_account,
        *new_contact,
    ]
    check_references(step.shared, {"price_list_id": action.price_list_id})
    opportunity_id = None
    if action.create_opportunity:
        if account is None and contact is None:
            raise InvalidField(
                "create_opportunity", "an opportunity needs an account or a contact as customer"
            )
        opportunity = step.new(
            OpportunityRecord,
            {
                "id": step.new_id("opportunity"),
                "deal_id": deal.deal_id,
                "name": action.opportunity_name or lead.topic,
                "account_id": account.id if account else None,
                "contact_id": contact.id if contact else None,
                "price_list_id": action.price_list_id,
                "originating_lead_id": lead.id,
                # No budget: the revenue is the lines' total (none yet).
                "estimated_revenue": lead.estimated_budget or Decimal(0),
                "is_revenue_system_calculated": lead.estimated_budget is None,
                "description": lead.description,
            },
            lead.owner_id,
        )
        created.append(opportunity)
        opportunity_id = opportunity.id
    qualified = step.change(
        lead,
        state=LeadState.qualified,
        status_reason=LeadStatus.qualified,
        account_id=account.id if account else None,
        contact_id=contact.id if contact else None,
        opportunity_id=opportunity_id or lead.opportunity_id,
        qualified_at=step.at,
    )
    if qualified.opportunity_id:
        record, record_id, summary = (
            "opportunity",
            qualified.opportunity_id,
            "Lead qualified, opportunity created",
        )
    else:
        record, record_id, summary = "lead", lead.id, "Lead qualified"
    return Effect(record, record_id, summary, created=tuple(created), changed=(qualified,))


def qualified_account(
    action: Qualify, lead: LeadRecord, step: Step
) -> tuple[AccountRecord | None, list[AccountRecord]]:
    """The account the lead's company is: the one named, an active one of its name, or a new
    one (then also in the list of records to create)."""
    if action.existing_account_id:
        found = step.shared.active_account(action.existing_account_id)
        if found is None:
            raise InvalidField(
                "existing_account_id", f"no active account {action.existing_account_id}"
            )
        return found, []
    if not action.create_account or not lead.company_name:
        return None, []
    name = lead.company_name.strip()
    match = step.shared.account_named(name)
    if match:
        return match, []
    fields = {"id": step.new_id("account"), "name": name, "phone": lead.phone}
    account = step.new(AccountRecord, fields, lead.owner_id)
    return account, [account]


def qualified_contact(
    action: Qualify, lead: LeadRecord, account: AccountRecord | None, step: Step
) -> tuple[ContactRecord | None, list[ContactRecord]]:
    """The contact the lead's person is: the one named, an active one with their email, or a
    new one working for the account."""
    if action.existing_contact_id:
        found = step.shared.active_contact(action.existing_contact_id)
        if found is None:
            raise InvalidField(
                "existing_contact_id", f"no active contact {action.existing_contact_id}"
            )
        return found, []
    if not action.create_contact:
        return None, []
    match = step.shared.contact_with_email(lead.email) if lead.email else None
    if match:
        return match, []
    fields = {
        "id": step.new_id("contact"),
        "first_name": lead.first_name,
        "last_name": lead.last_name,
        "email": lead.email,
        "phone": lead.phone,
        "job_title": lead.job_title,
        "parent_account_id": account.id if account else None,
    }
    contact = step.new(ContactRecord, fields, lead.owner_id)
    return contact, [contact]


# --- disqualify -----------------------------------------------------------------------------


class Disqualify(ActionInput):
    action: Literal["disqualify"] = "disqualify"
    reason: LeadStatus
    description: str | None = Field(default=None, max_length=2000)


def check_disqualify(deal: DealState, action: Disqualify, today: date) -> None:
    if action.reason not in DISQUALIFY_REASONS:
        raise InvalidField("reason", f"must be one of {sorted(DISQUALIFY_REASONS)}")
    if deal.lead and deal.lead.opportunity_id:
        raise IllegalTransition(
            "lead", deal.lead.state, action.action, "the lead already has an opportunity"
        )
    require_open_lead(deal, action.action)


def apply_disqualify(deal: Deal, action: Disqualify, step: Step) -> Effect:
    lead = step.change(_lead(deal), state=LeadState.disqualified, status_reason=action.reason)
    return Effect("lead", lead.id, f"Lead disqualified: {action.reason}", changed=(lead,))


# --- reactivate -----------------------------------------------------------------------------


class Reactivate(ActionInput):
    action: Literal["reactivate"] = "reactivate"


def check_reactivate(deal: DealState, action: Reactivate, today: date) -> None:
    lead = require_lead(deal)
    if lead.state is not LeadState.disqualified:
        raise IllegalTransition(
            "lead", lead.state, action.action, "only a disqualified lead can be reactivated"
        )


def apply_reactivate(deal: Deal, action: Reactivate, step: Step) -> Effect:
    """The lead opens again with all its data, as new."""
    lead = step.change(
        _lead(deal), state=LeadState.open, status_reason=LeadStatus.new, is_stale=False
    )
    return Effect("lead", lead.id, "Lead reactivated", changed=(lead,))


# --- flag_stale (a reminder) -----------------------------------------------------------------


class FlagStale(ActionInput):
    """Reminder: an open lead left unanswered after every follow-up."""

    action: Literal["flag_stale"] = "flag_stale"


def check_flag_stale(deal: DealState, action: FlagStale, today: date) -> None:
    require_open_lead(deal, action.action)


def apply_flag_stale(deal: Deal, action: FlagStale, step: Step) -> Effect:
    lead = step.change(_lead(deal), is_stale=True)
    return Effect("lead", lead.id, "Lead flagged stale: no answer to follow-ups", changed=(lead,))
