"""The deal as its workflow sees it: a snapshot of its documents, and the stage that follows.

The workflow keeps this snapshot (what the database holds after every transition) and checks
each requested transition against it before anything is written.
"""

import uuid
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, BaseModel, Field

from models.base import at_money_scale
from models.connection import StakeholderRole
from models.invoice import InvoiceState, InvoiceStatus, balance_due
from models.lead import LeadState, LeadStatus
from models.line_item import Document
from models.opportunity import OpportunityState, OpportunityStatus
from models.order import OrderState, OrderStatus
from models.pricing import ZERO
from models.quote import QuoteState, QuoteStatus

# Whether a snapshot was read from the database or built from the records a step just wrote, its
# amounts read the same: "12.5000", never "12.50" one time and "12.5000" the next.
Amount = Annotated[Decimal, AfterValidator(at_money_scale)]


class Stage(StrEnum):
    qualify = "Qualify"
    develop = "Develop"
    propose = "Propose"
    close = "Close"
    fulfill = "Fulfill"
    done = "Done"


class Outcome(StrEnum):
    open = "open"
    won = "won"
    lost = "lost"
    disqualified = "disqualified"
    qualified = "qualified"
    canceled = "canceled"


class LeadSnapshot(BaseModel):
    id: uuid.UUID
    state: LeadState
    status_reason: LeadStatus
    opportunity_id: uuid.UUID | None = None
    owner_id: uuid.UUID | None = None
    is_stale: bool = False
    source: str | None = None
    # The lead's fields a process step reads that are filled in.
    filled: list[str] = []


class OpportunitySnapshot(BaseModel):
    id: uuid.UUID
    state: OpportunityState
    status_reason: OpportunityStatus
    account_id: uuid.UUID | None = None
    contact_id: uuid.UUID | None = None
    owner_id: uuid.UUID | None = None
    value: Amount = ZERO
    # The opportunity's fields a process step reads that are filled in.
    filled: list[str] = []


class LineSnapshot(BaseModel):
    id: uuid.UUID
    document: Document
    document_id: uuid.UUID
    quantity: Amount
    extended_amount: Amount
    # For order lines: how much of the quantity and amount is on invoices not cancelled.
    invoiced_quantity: Amount = ZERO
    invoiced_amount: Amount = ZERO

    @property
    def remaining_quantity(self) -> Decimal:
        return self.quantity - self.invoiced_quantity


class QuoteSnapshot(BaseModel):
    id: uuid.UUID
    state: QuoteState
    status_reason: QuoteStatus
    revision_number: int
    quote_number: str = ""
    activated_at: datetime | None = None
    effective_from: date | None = None
    effective_to: date | None = None
    total_amount: Amount = ZERO


class PartSnapshot(BaseModel):
    """A part of an order's payment schedule: what it bills (none if the parts no longer come
    to the order total), when it falls due (none before the fulfilment it waits for), and the
    live invoice that billed it."""

    number: int
    name: str
    amount: Amount | None = None
    due_date: date | None = None
    invoice_id: uuid.UUID | None = None


class OrderSnapshot(BaseModel):
    id: uuid.UUID
    state: OrderState
    status_reason: OrderStatus
    order_number: str = ""
    total_amount: Amount = ZERO
    invoiced_amount: Amount = ZERO
    fulfillment_status: OrderStatus | None = None
    hold_reason: str | None = None
    parts: list[PartSnapshot] = []
    is_price_locked: bool = True

    @property
    def is_live(self) -> bool:
        return self.state is not OrderState.canceled

    @property
    def on_hold(self) -> bool:
        return self.state is OrderState.active and self.status_reason is OrderStatus.pending

    def part(self, number: int) -> PartSnapshot | None:
        return next((p for p in self.parts if p.number == number), None)


class PaymentSnapshot(BaseModel):
    id: uuid.UUID
    amount: Amount
    canceled: bool = False


class InvoiceSnapshot(BaseModel):
    id: uuid.UUID
    invoice_number: str = ""
    order_id: uuid.UUID | None
    state: InvoiceState
    status_reason: InvoiceStatus
    total_amount: Amount
    amount_paid: Amount = ZERO
    due_date: date | None = None
    payments: list[PaymentSnapshot] = []
    schedule_part: int | None = None
    is_price_locked: bool = True

    @property
    def balance_due(self) -> Decimal:
        return balance_due(self.state, self.total_amount, self.amount_paid)


# The stages a business process has steps for: a deal's stages up to its close.
PROCESS_STAGES = (Stage.qualify, Stage.develop, Stage.propose, Stage.close)
StepKey = str


class ProcessStep(BaseModel):
    key: StepKey = Field(min_length=1, max_length=50, pattern=r"^[a-z][a-z0-9_]*$")
    name: str = Field(min_length=1, max_length=100)
    # The deal's field that fills the step (one of FIELDS); without one, it is marked done.
    field: str | None = Field(default=None, max_length=50)
    required: bool = False


class StageSteps(BaseModel):
    stage: Stage
    steps: list[ProcessStep] = Field(default_factory=list, max_length=30)


class ProcessDefinition(BaseModel):
    """A process's stages and their steps, as the deal follows it."""

    id: uuid.UUID | None = None
    name: str = Field(min_length=1, max_length=100)
    stages: list[StageSteps] = Field(default_factory=list, max_length=len(PROCESS_STAGES))

    def steps_of(self, stage: Stage) -> list[ProcessStep]:
        return next((s.steps for s in self.stages if s.stage is stage), [])

    def step(self, key: StepKey) -> ProcessStep | None:
        return next((step for s in self.stages for step in s.steps if step.key == key), None)


class StakeholderSnapshot(BaseModel):
    id: uuid.UUID
    contact_id: uuid.UUID
    role: StakeholderRole


class DealState(BaseModel):
    deal_id: str
    lead: LeadSnapshot | None = None
    opportunity: OpportunitySnapshot | None = None
    quotes: list[QuoteSnapshot] = []
    orders: list[OrderSnapshot] = []
    invoices: list[InvoiceSnapshot] = []
    lines: list[LineSnapshot] = []
    # The competitors linked to the opportunity, and its stakeholders, as linked.
    competitor_ids: list[uuid.UUID] = []
    stakeholders: list[StakeholderSnapshot] = []
    # The process the deal follows (none: the default one), and the steps marked done.
    process_id: uuid.UUID | None = None
    process: ProcessDefinition | None = None
    marked_steps: list[str] = []

    def stakeholder(self, contact_id: uuid.UUID) -> StakeholderSnapshot | None:
        return next((s for s in self.stakeholders if s.contact_id == contact_id), None)

    def quote(self, quote_id: uuid.UUID) -> QuoteSnapshot | None:
        return next((q for q in self.quotes if q.id == quote_id), None)

    def order(self, order_id: uuid.UUID) -> OrderSnapshot | None:
        return next((o for o in self.orders if o.id == order_id), None)

    def invoice(self, invoice_id: uuid.UUID) -> InvoiceSnapshot | None:
        return next((i for i in self.invoices if i.id == invoice_id), None)

    def line(self, line_id: uuid.UUID) -> LineSnapshot | None:
        return next((line for line in self.lines if line.id == line_id), None)

    def lines_of(self, document_id: uuid.UUID) -> list[LineSnapshot]:
        return [line for line in self.lines if line.document_id == document_id]

    @property
    def main_record(self) -> tuple[str, uuid.UUID | None]:
        """The record that stands for the deal: reminders about the deal are filed on it."""
        if self.opportunity:
            return "opportunity", self.opportunity.id
        if self.lead:
            return "lead", self.lead.id
        if self.orders:
            return "order", self.orders[0].id
        if self.invoices:
            return "invoice", self.invoices[0].id
        return "deal", None

    @property
    def is_empty(self) -> bool:
        return not (self.lead or self.opportunity or self.orders or self.invoices)

    @property
    def owner_id(self) -> uuid.UUID | None:
        if self.opportunity:
            return self.opportunity.owner_id
        return self.lead.owner_id if self.lead else None

    @property
    def lead_source(self) -> str | None:
        return self.lead.source if self.lead else None

    @property
    def account_id(self) -> uuid.UUID | None:
        return self.opportunity.account_id if self.opportunity else None

    @property
    def value(self) -> Decimal:
        """What the deal is worth: the opportunity's revenue, else its orders' or invoices' sum."""
        if self.opportunity:
            return self.opportunity.value
        live_orders = [o.total_amount for o in self.orders if o.is_live]
        if live_orders:
            return sum(live_orders, ZERO)
        return sum((i.total_amount for i in self.invoices if i.state != "canceled"), ZERO)

    @property
    def outcome(self) -> Outcome:
        if self.lead and self.lead.state is LeadState.disqualified:
            return Outcome.disqualified
        opportunity = self.opportunity
        if opportunity is None and self.lead and self.lead.state is LeadState.qualified:
            return Outcome.qualified
        if opportunity and opportunity.state is OpportunityState.lost:
            return Outcome.lost
        if opportunity and opportunity.state is OpportunityState.open:
            return Outcome.open
        if self.lead and self.lead.state is LeadState.open:
            return Outcome.open
        if self._billing_open:
            return Outcome.open
        if self.orders and not any(o.is_live for o in self.orders) and not self._settled_invoices:
            return Outcome.canceled
        return Outcome.won

    @property
    def stage(self) -> Stage:
        if self.lead and self.lead.state is LeadState.open:
            return Stage.qualify
        if self.opportunity and self.opportunity.state is OpportunityState.open:
            if any(q.state is QuoteState.active for q in self.quotes):
                return Stage.close
            if any(q.state is QuoteState.draft for q in self.quotes):
                return Stage.propose
            return Stage.develop
        if self.outcome is Outcome.open:
            return Stage.fulfill
        return Stage.done

    @property
    def is_done(self) -> bool:
        """Nothing left to happen: completed, lost, disqualified, or never opened at all."""
        return self.is_empty or self.stage is Stage.done

    @property
    def _billing_open(self) -> bool:
        """An order still to invoice, or an invoice still to be paid."""
        order_open = any(
            o.is_live and o.invoiced_amount < o.total_amount and o.state is not OrderState.invoiced
            for o in self.orders
        )
        invoice_open = any(i.state is InvoiceState.active for i in self.invoices)
        return order_open or invoice_open

    @property
    def _settled_invoices(self) -> bool:
        return any(i.state is InvoiceState.paid for i in self.invoices)
