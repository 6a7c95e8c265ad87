"""Every transition a deal accepts, one input model each.

The `action` field names the transition: it is the workflow update's and signal's name, and the
activity's. Field edits are transitions too, so all changes to a deal's records go one way.
"""

import uuid
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, model_validator

from models.invoice import InvoiceFields, PaymentFields
from models.lead import LeadCreate, LeadStatus
from models.line_item import LineInput
from models.opportunity import OpportunityCreate, OpportunityStatus
from models.order import OrderFields, OrderStatus
from models.quote import QuoteFields, QuoteStatus


class CreateLead(BaseModel):
    action: Literal["create_lead"] = "create_lead"
    lead_id: uuid.UUID
    lead: LeadCreate


class UpdateLead(BaseModel):
    action: Literal["update_lead"] = "update_lead"
    changes: dict[str, Any]


class Qualify(BaseModel):
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


class Disqualify(BaseModel):
    action: Literal["disqualify"] = "disqualify"
    reason: LeadStatus
    description: str | None = Field(default=None, max_length=2000)


class Reactivate(BaseModel):
    action: Literal["reactivate"] = "reactivate"


class CreateOpportunity(BaseModel):
    action: Literal["create_opportunity"] = "create_opportunity"
    opportunity_id: uuid.UUID
    opportunity: OpportunityCreate
    lines: list[LineInput] = []


class UpdateOpportunity(BaseModel):
    action: Literal["update_opportunity"] = "update_opportunity"
    changes: dict[str, Any]


class AddLine(BaseModel):
    """A product on the opportunity or on a draft quote."""

    action: Literal["add_line"] = "add_line"
    document_id: uuid.UUID
    line: LineInput


class UpdateLine(BaseModel):
    action: Literal["update_line"] = "update_line"
    line_id: uuid.UUID
    changes: dict[str, Any]


class RemoveLine(BaseModel):
    action: Literal["remove_line"] = "remove_line"
    line_id: uuid.UUID


class CreateQuote(BaseModel):
    action: Literal["create_quote"] = "create_quote"
    quote: QuoteFields = QuoteFields()


class UpdateQuote(BaseModel):
    action: Literal["update_quote"] = "update_quote"
    quote_id: uuid.UUID
    changes: dict[str, Any]


class Activate(BaseModel):
    action: Literal["activate"] = "activate"
    quote_id: uuid.UUID


class Revise(BaseModel):
    action: Literal["revise"] = "revise"
    quote_id: uuid.UUID


class CloseQuote(BaseModel):
    action: Literal["close_quote"] = "close_quote"
    quote_id: uuid.UUID
    reason: QuoteStatus = QuoteStatus.canceled
    description: str | None = Field(default=None, max_length=2000)


class Accept(BaseModel):
    """Dynamics' Create Order: the quote is won, and so is the opportunity."""

    action: Literal["accept"] = "accept"
    quote_id: uuid.UUID


class Win(BaseModel):
    action: Literal["win"] = "win"
    actual_revenue: Decimal | None = Field(default=None, ge=0)
    actual_close_date: date | None = None
    description: str | None = Field(default=None, max_length=2000)


class Lose(BaseModel):
    action: Literal["lose"] = "lose"
    reason: OpportunityStatus = OpportunityStatus.out_sold
    competitor_id: uuid.UUID | None = None
    actual_close_date: date | None = None
    description: str | None = Field(default=None, max_length=2000)


class Reopen(BaseModel):
    action: Literal["reopen"] = "reopen"


class CreateOrder(BaseModel):
    action: Literal["create_order"] = "create_order"
    order_id: uuid.UUID
    order: OrderFields
    owner_id: uuid.UUID | None = None
    lines: list[LineInput] = Field(min_length=1)


class SubmitOrder(BaseModel):
    """Hand the order to fulfilment, as Dynamics' Submitted state records for an ERP to pick up."""

    action: Literal["submit_order"] = "submit_order"
    order_id: uuid.UUID


class Fulfill(BaseModel):
    action: Literal["fulfill"] = "fulfill"
    order_id: uuid.UUID
    status: OrderStatus = OrderStatus.complete


class CancelOrder(BaseModel):
    action: Literal["cancel_order"] = "cancel_order"
    order_id: uuid.UUID


class InvoiceLineChoice(BaseModel):
    order_line_id: uuid.UUID
    quantity: Decimal = Field(gt=0)


class InvoiceChoice(BaseModel):
    """What an invoice bills of its order: everything left (send nothing), the chosen lines and
    quantities, or a percentage of every ordered line (a payment schedule: a 30 % deposit, then
    milestones, then the balance)."""

    lines: list[InvoiceLineChoice] | None = None
    percent: Decimal | None = Field(default=None, gt=0, le=100, decimal_places=4)
    invoice: InvoiceFields = InvoiceFields()

    @model_validator(mode="after")
    def _one_way_to_choose(self) -> "InvoiceChoice":
        chosen = [line.order_line_id for line in self.lines or []]
        if len(chosen) != len(set(chosen)):
            raise ValueError("each order line may be chosen once")
        if self.lines is not None and self.percent is not None:
            raise ValueError("give lines or percent, not both")
        return self


class InvoiceOrder(InvoiceChoice):
    """Bill an order."""

    action: Literal["invoice"] = "invoice"
    order_id: uuid.UUID


class CreateInvoice(BaseModel):
    """An invoice entered directly, with no order behind it."""

    action: Literal["create_invoice"] = "create_invoice"
    invoice_id: uuid.UUID
    invoice: InvoiceFields
    owner_id: uuid.UUID | None = None
    lines: list[LineInput] = Field(min_length=1)


class Pay(BaseModel):
    action: Literal["pay"] = "pay"
    invoice_id: uuid.UUID
    payment: PaymentFields


class CancelPayment(BaseModel):
    action: Literal["cancel_payment"] = "cancel_payment"
    payment_id: uuid.UUID


class CancelInvoice(BaseModel):
    action: Literal["cancel_invoice"] = "cancel_invoice"
    invoice_id: uuid.UUID


class FlagStale(BaseModel):
    """Reminder: an open lead left unanswered after every follow-up."""

    action: Literal["flag_stale"] = "flag_stale"


class ExpireQuote(BaseModel):
    """Reminder: an active quote past its effective-to date closes as Expired."""

    action: Literal["expire_quote"] = "expire_quote"
    quote_id: uuid.UUID


class MarkOverdue(BaseModel):
    """Reminder: an unpaid invoice past its due date."""

    action: Literal["mark_overdue"] = "mark_overdue"
    invoice_id: uuid.UUID


class Assign(BaseModel):
    """Hand the deal to a new owner: its lead, opportunity, quotes, orders, invoices and payments
    (Dynamics cascades Assign from an opportunity to its quotes, orders and invoices), so a deal
    has one owner, the one its reminders go to. `record` is the record it was asked on."""

    action: Literal["assign"] = "assign"
    owner_id: uuid.UUID
    record: Literal["lead", "opportunity", "quote", "order", "invoice"]
    record_id: uuid.UUID


DealAction = Annotated[
    CreateLead
    | UpdateLead
    | Qualify
    | Disqualify
    | Reactivate
    | CreateOpportunity
    | UpdateOpportunity
    | AddLine
    | UpdateLine
    | RemoveLine
    | CreateQuote
    | UpdateQuote
    | Activate
    | Revise
    | CloseQuote
    | Accept
    | Win
    | Lose
    | Reopen
    | CreateOrder
    | SubmitOrder
    | Fulfill
    | CancelOrder
    | InvoiceOrder
    | CreateInvoice
    | Pay
    | CancelPayment
    | CancelInvoice
    | FlagStale
    | ExpireQuote
    | MarkOverdue
    | Assign,
    Field(discriminator="action"),
]

ACTIONS: dict[str, type[BaseModel]] = {
    model.model_fields["action"].default: model
    for model in DealAction.__origin__.__args__  # type: ignore[attr-defined]
}

# Transitions the workflow makes itself when a reminder falls due; not a touch by a person.
AUTOMATIC_ACTIONS = frozenset({"flag_stale", "expire_quote", "mark_overdue"})
