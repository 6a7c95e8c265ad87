"""Every action a deal takes, by name: its input, its rule and its effect.

The name is the workflow update's and signal's name (`POST /quotes/{id}/accept` sends `accept`).
The rule (`check_accept`) refuses what the deal's state does not allow, before anything is
written; the effect (`apply_accept`) says what the action creates and changes. Both are plain
functions of plain data, in the module of the record the action is asked on.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Annotated, Any, Generic, TypeVar, Union

from pydantic import Field

from models.deal import (
    connections,
    invoice,
    lead,
    lines,
    opportunity,
    order,
    ownership,
    pricing_lock,
    quote,
    steps,
)
from models.deal.records import ActionInput, Deal, Effect, Step
from models.deal.state import DealState

I = TypeVar("I", bound=ActionInput)  # noqa: E741


@dataclass(frozen=True)
class Action(Generic[I]):
    input: type[I]
    check: Callable[[DealState, I, date], None]
    apply: Callable[[Deal, I, Step], Effect]


ACTIONS: dict[str, Action[Any]] = {
    "create_lead": Action(lead.CreateLead, lead.check_create_lead, lead.apply_create_lead),
    "update_lead": Action(lead.UpdateLead, lead.check_update_lead, lead.apply_update_lead),
    "qualify": Action(lead.Qualify, lead.check_qualify, lead.apply_qualify),
    "disqualify": Action(lead.Disqualify, lead.check_disqualify, lead.apply_disqualify),
    "reactivate": Action(lead.Reactivate, lead.check_reactivate, lead.apply_reactivate),
    "flag_stale": Action(lead.FlagStale, lead.check_flag_stale, lead.apply_flag_stale),
    "create_opportunity": Action(
        opportunity.CreateOpportunity,
        opportunity.check_create_opportunity,
        opportunity.apply_create_opportunity,
    ),
    "update_opportunity": Action(
        opportunity.UpdateOpportunity,
        opportunity.check_update_opportunity,
        opportunity.apply_update_opportunity,
    ),
    "win": Action(opportunity.Win, opportunity.check_win, opportunity.apply_win),
    "lose": Action(opportunity.Lose, opportunity.check_lose, opportunity.apply_lose),
    "reopen": Action(opportunity.Reopen, opportunity.check_reopen, opportunity.apply_reopen),
    "link_competitor": Action(
        connections.LinkCompetitor,
        connections.check_link_competitor,
        connections.apply_link_competitor,
    ),
    "unlink_competitor": Action(
        connections.UnlinkCompetitor,
        connections.check_unlink_competitor,
        connections.apply_unlink_competitor,
    ),
    "add_stakeholder": Action(
        connections.AddStakeholder,
        connections.check_add_stakeholder,
        connections.apply_add_stakeholder,
    ),
    "remove_stakeholder": Action(
        connections.RemoveStakeholder,
        connections.check_remove_stakeholder,
        connections.apply_remove_stakeholder,
    ),
    "mark_step": Action(steps.MarkStep, steps.check_mark_step, steps.apply_mark_step),
    "choose_process": Action(
        steps.ChooseProcess, steps.check_choose_process, steps.apply_choose_process
    ),
    "add_line": Action(lines.AddLine, lines.check_add_line, lines.apply_add_line),
    "update_line": Action(lines.UpdateLine, lines.check_update_line, lines.apply_update_line),
    "remove_line": Action(lines.RemoveLine, lines.check_remove_line, lines.apply_remove_line),
    "create_quote": Action(quote.CreateQuote, quote.check_create_quote, quote.apply_create_quote),
    "update_quote": Action(quote.UpdateQuote, quote.check_update_quote, quote.apply_update_quote),
    "activate": Action(quote.Activate, quote.check_activate, quote.apply_activate),
    "revise": Action(quote.Revise, quote.check_revise, quote.apply_revise),
    "close_quote": Action(quote.CloseQuote, quote.check_close_quote, quote.apply_close_quote),
    "accept": Action(quote.Accept, quote.check_accept, quote.apply_accept),
    "expire_quote": Action(quote.ExpireQuote, quote.check_expire_quote, quote.apply_expire_quote),
    "create_order": Action(order.CreateOrder, order.check_create_order, order.apply_create_order),
    "update_order": Action(order.UpdateOrder, order.check_update_order, order.apply_update_order),
    "submit_order": Action(order.SubmitOrder, order.check_submit_order, order.apply_submit_order),
    "fulfill": Action(order.Fulfill, order.check_fulfill, order.apply_fulfill),
    "cancel_order": Action(order.CancelOrder, order.check_cancel_order, order.apply_cancel_order),
    "invoice": Action(order.InvoiceOrder, order.check_invoice, order.apply_invoice),
    "hold_order": Action(order.HoldOrder, order.check_hold_order, order.apply_hold_order),
    "resume_order": Action(order.ResumeOrder, order.check_resume_order, order.apply_resume_order),
    "set_payment_schedule": Action(
        order.SetPaymentSchedule,
        order.check_set_payment_schedule,
        order.apply_set_payment_schedule,
    ),
    "bill_part": Action(order.BillPart, order.check_bill_part, order.apply_bill_part),
    "create_invoice": Action(
        invoice.CreateInvoice, invoice.check_create_invoice, invoice.apply_create_invoice
    ),
    "update_invoice": Action(
        invoice.UpdateInvoice, invoice.check_update_invoice, invoice.apply_update_invoice
    ),
    "pay": Action(invoice.Pay, invoice.check_pay, invoice.apply_pay),
    "cancel_payment": Action(
        invoice.CancelPayment, invoice.check_cancel_payment, invoice.apply_cancel_payment
    ),
    "cancel_invoice": Action(
        invoice.CancelInvoice, invoice.check_cancel_invoice, invoice.apply_cancel_invoice
    ),
    "mark_overdue": Action(
        invoice.MarkOverdue, invoice.check_mark_overdue, invoice.apply_mark_overdue
    ),
    "lock_pricing": Action(
        pricing_lock.LockPricing, pricing_lock.check_lock_pricing, pricing_lock.apply_lock_pricing
    ),
    "unlock_pricing": Action(
        pricing_lock.UnlockPricing,
        pricing_lock.check_unlock_pricing,
        pricing_lock.apply_unlock_pricing,
    ),
    "recalculate_pricing": Action(
        pricing_lock.RecalculatePricing,
        pricing_lock.check_recalculate_pricing,
        pricing_lock.apply_recalculate_pricing,
    ),
    "assign": Action(ownership.Assign, ownership.check_assign, ownership.apply_assign),
}

# Transitions the workflow makes itself when a reminder falls due; not a touch by a person.
AUTOMATIC_ACTIONS = frozenset({"flag_stale", "expire_quote", "mark_overdue"})

if TYPE_CHECKING:
    DealAction = ActionInput
else:
    # Any action's input, told apart by its `action` field: what a workflow update carries.
    DealAction = Annotated[
        Union[tuple(entry.input for entry in ACTIONS.values())],  # noqa: UP007
        Field(discriminator="action"),
    ]


def check_action(deal: DealState, action: ActionInput, today: date) -> None:
    """The rule of `action`, found by its name."""
    ACTIONS[action.action].check(deal, action, today)
