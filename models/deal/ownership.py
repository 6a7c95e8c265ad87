"""A deal changes hands: every document of it gets the new owner, who gets its reminders.

The action: its input, its rule (`check_assign`, on the deal's snapshot) and its effect
(`apply_assign`, on the deal's records). `models.deal.actions` maps the name to them.
"""

import uuid
from datetime import date
from typing import Any, Literal

from models.deal.records import ActionInput, Deal, Effect, Step
from models.deal.state import DealState
from models.errors import InvalidField, NotFound
from models.line_item import LineItemRecord


class Assign(ActionInput):
    """Hand the deal to a new owner: its lead, opportunity, quotes, orders, invoices and payments
    (Dynamics cascades Assign from an opportunity to its quotes, orders and invoices), so a deal
    has one owner, the one its reminders go to. `record` is the record it was asked on."""

    action: Literal["assign"] = "assign"
    owner_id: uuid.UUID
    record: Literal["lead", "opportunity", "quote", "order", "invoice"]
    record_id: uuid.UUID


def check_assign(deal: DealState, action: Assign, today: date) -> None:
    """Any record of the deal, in any state: a closed deal's records change hands too."""
    records: dict[str, list[Any]] = {
        "lead": [deal.lead] if deal.lead else [],
        "opportunity": [deal.opportunity] if deal.opportunity else [],
        "quote": list(deal.quotes),
        "order": list(deal.orders),
        "invoice": list(deal.invoices),
    }
    if not any(record.id == action.record_id for record in records[action.record]):
        raise NotFound(action.record, action.record_id)


def apply_assign(deal: Deal, action: Assign, step: Step) -> Effect:
    """Lines are not owned apart from their document: they keep who entered them."""
    name = step.shared.active_user_name(action.owner_id)
    if name is None:
        raise InvalidField("owner_id", "must be an active user")
    handed = tuple(
        step.change(record, owner_id=action.owner_id)
        for record in deal.records()
        if not isinstance(record, LineItemRecord)
    )
    return Effect(action.record, action.record_id, f"Deal assigned to {name}", changed=handed)
