"""A deal's records as plain data, what one step of it may change, and what it did change.

An action's effect (`apply_accept`, ...) reads a `Deal` and returns an `Effect`: the records it
creates, changes or removes, as plain data. Nothing here touches a database: the transition
activity reads the `Deal` from the database and writes the `Effect` back.
"""

import uuid
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, tzinfo
from decimal import Decimal
from typing import Any, Literal, Protocol, TypeVar, cast

from pydantic import BaseModel, ValidationError
from sqlmodel import SQLModel

from models.account import AccountRecord
from models.base import RecordPublic, RequestModel, as_stored, check_patch, check_storable
from models.connection import (
    OpportunityCompetitorPublic,
    OpportunityCompetitorRecord,
    StakeholderPublic,
    StakeholderRecord,
)
from models.contact import ContactRecord
from models.deal.state import (
    DealState,
    InvoiceSnapshot,
    LeadSnapshot,
    LineSnapshot,
    OpportunitySnapshot,
    OrderSnapshot,
    PartSnapshot,
    PaymentSnapshot,
    ProcessDefinition,
    QuoteSnapshot,
    StakeholderSnapshot,
)
from models.deal_process import DealProcessRecord
from models.errors import InvalidField
from models.invoice import InvoicePublic, InvoiceRecord, InvoiceState, PaymentRecord
from models.lead import LeadPublic, LeadRecord
from models.line_item import Document, LineItemRecord
from models.opportunity import OpportunityPublic, OpportunityRecord
from models.order import OrderPublic, OrderRecord
from models.payment_schedule import part_amounts, part_due_date
from models.pricing import ZERO, VolumeTiers
from models.product_property import ProductPropertyRecord
from models.quote import QuotePublic, QuoteRecord

# Every kind of record a deal's step may write. Accounts and contacts are shared, not the deal's:
# qualifying a lead may create them, and nothing else of a deal changes them.
DealRecord = (
    LeadRecord
    | OpportunityRecord
    | QuoteRecord
    | OrderRecord
    | InvoiceRecord
    | PaymentRecord
    | LineItemRecord
    | OpportunityCompetitorRecord
    | StakeholderRecord
    | DealProcessRecord
)
Record = DealRecord | AccountRecord | ContactRecord
R = TypeVar("R", bound=RecordPublic)


class ActionInput(RequestModel):
    """The input of one deal action; `action` is its name (a literal in each subclass). What the
    caller sends, over HTTP or in a raw signal: a field the action does not know is refused."""

    action: str


class DealDocuments(BaseModel):
    """A deal's documents, as a transition answers them (lines and payments are read apart)."""

    lead: LeadPublic | None = None
    opportunity: OpportunityPublic | None = None
    quotes: list[QuotePublic] = []
    orders: list[OrderPublic] = []
    invoices: list[InvoicePublic] = []
    # The competitors linked to the opportunity and its stakeholders (empty from a step of a
    # worker that did not know them).
    competitors: list[OpportunityCompetitorPublic] = []
    stakeholders: list[StakeholderPublic] = []


# The shared records a deal's records name, by the field that names them.
Reference = Literal[
    "account", "contact", "price list", "product", "unit", "tax rate", "discount list"
]
REFERENCES: dict[str, Reference] = {
    "account_id": "account",
    "contact_id": "contact",
    "price_list_id": "price list",
    "product_id": "product",
    "unit_id": "unit",
    "tax_rate_id": "tax rate",
    "discount_list_id": "discount list",
}


class SharedRecords(Protocol):
    """What an effect may look up beyond its deal: shared records, read as they are now. The
    activity answers from the database; unit tests from a dictionary."""

    def active_account(self, account_id: uuid.UUID) -> AccountRecord | None: ...

    def account_named(self, name: str) -> AccountRecord | None:
        """The active account of this name, ignoring case."""
        ...

    def active_contact(self, contact_id: uuid.UUID) -> ContactRecord | None: ...

    def contact_with_email(self, email: str) -> ContactRecord | None:
        """The active contact with this (normalized) email."""
        ...

    def competitor_exists(self, competitor_id: uuid.UUID) -> bool:
        """An active competitor has this id."""
        ...

    def active_user_name(self, user_id: uuid.UUID) -> str | None:
        """The name of the active user with this id."""
        ...

    def exists(self, kind: Reference, record_id: uuid.UUID) -> bool:
        """A record of this kind has this id, active or not (what a foreign key asks)."""
        ...

    def process_to_follow(self, process_id: uuid.UUID | None) -> ProcessDefinition | None:
        """The active business process of this id; without an id, the default one."""
        ...

    def product_properties(self, product_id: uuid.UUID) -> list[ProductPropertyRecord]:
        """The active properties defined on the product, in the order they were defined."""
        ...

    def tax_rate(self, tax_rate_id: uuid.UUID) -> Decimal | None:
        """The percentage of the active tax rate of this id."""
        ...

    def volume_tiers(self, discount_list_id: uuid.UUID) -> VolumeTiers | None:
        """The active discount list of this id, with its active tiers."""
        ...


def check_references(shared: SharedRecords, fields: Mapping[str, Any], prefix: str = "") -> None:
    """Every shared record `fields` name exists: an unknown id is a 422 naming its field before
    anything is written, not a foreign-key error when the step commits (which a retry meets
    again, 8 times over). `prefix` places the fields in the body (`lines.0.`)."""
    for name, kind in REFERENCES.items():
        record_id = fields.get(name)
        if record_id is not None and not shared.exists(kind, record_id):
            raise InvalidField(f"{prefix}{name}", f"no {kind} {record_id}")


@dataclass(frozen=True)
class Step:
    """One transition of one deal: when, by whom, and the key every record it creates derives
    its id from, so a retried step creates the same records (and the database refuses twins)."""

    deal_id: str
    step_id: uuid.UUID
    at: datetime
    by: uuid.UUID | None
    shared: SharedRecords
    # The organisation's time zone: a deal closed late in the evening there closes that day.
    zone: tzinfo = UTC

    @property
    def today(self) -> date:
        return self.at.astimezone(self.zone).date()

    def new_id(self, name: str) -> uuid.UUID:
        """The id of a record this step creates: the same on every retry of the step."""
        return uuid.uuid5(self.step_id, name)

    def new(self, model: type[R], fields: dict[str, Any], owner_id: uuid.UUID | None = None) -> R:
        """A record this step creates (`fields` name its id, from `new_id`), validated, with its
        audit columns; its owner is `owner_id`, else whoever made the step."""
        audit = {
            "is_active": True,
            "created_at": self.at,
            "modified_at": self.at,
            "created_by": self.by,
            "modified_by": self.by,
            "owner_id": owner_id or self.by,
        }
        try:
            return model.model_validate({**fields, **audit})
        except ValidationError as error:
            raise invalid_field(error) from None

    def change(self, record: R, **changes: Any) -> R:
        """`record` with `changes`, stamped as modified by this step; an amount it works out
        (a total) that storage cannot hold is refused here, before anything is written."""
        for name, value in changes.items():
            if isinstance(value, Decimal):
                check_storable(name, value)
        return record.model_copy(update={**changes, "modified_at": self.at, "modified_by": self.by})

    def patch(self, record: R, schema: type[Any], changes: dict[str, Any]) -> R:
        """A partial update as a person sends it: validated by the record's Update schema, and
        only the fields sent change."""
        return self.change(record, **validated_changes(schema, type(record), changes))


@dataclass(frozen=True)
class Effect:
    """What one action did: the records it created, changed and removed, and the one it is
    about (`record`, `record_id`: the order an accept created) with a line for the journal."""

    record: str
    record_id: uuid.UUID
    summary: str
    created: tuple[Record, ...] = ()
    changed: tuple[DealRecord, ...] = ()
    removed: tuple[DealRecord, ...] = ()


@dataclass(frozen=True)
class Deal:
    """Every record of one deal, in the order the deal lists them (documents as created, lines
    by number)."""

    deal_id: str
    lead: LeadRecord | None = None
    opportunity: OpportunityRecord | None = None
    quotes: tuple[QuoteRecord, ...] = ()
    orders: tuple[OrderRecord, ...] = ()
    invoices: tuple[InvoiceRecord, ...] = ()
    payments: tuple[PaymentRecord, ...] = ()
    lines: tuple[LineItemRecord, ...] = ()
    competitors: tuple[OpportunityCompetitorRecord, ...] = ()
    stakeholders: tuple[StakeholderRecord, ...] = ()
    process: DealProcessRecord | None = None
    _by_id: dict[uuid.UUID, DealRecord] = field(init=False, repr=False, compare=False)
    _snapshot: DealState | None = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_id = {record.id: record for record in self.records()}
        object.__setattr__(self, "_by_id", by_id)

    def records(self) -> Iterable[DealRecord]:
        single = [r for r in (self.lead, self.opportunity, self.process) if r is not None]
        return [
            *single,
            *self.quotes,
            *self.orders,
            *self.invoices,
            *self.payments,
            *self.lines,
            *self.competitors,
            *self.stakeholders,
        ]

    def get(self, model: type[R], record_id: uuid.UUID | None) -> R | None:
        found = self._by_id.get(record_id) if record_id else None
        return found if isinstance(found, model) else None

    def lines_of(self, document_id: uuid.UUID) -> list[LineItemRecord]:
        return [line for line in self.lines if line.document_id == document_id]

    def competitor_link(self, competitor_id: uuid.UUID) -> OpportunityCompetitorRecord | None:
        return next((c for c in self.competitors if c.competitor_id == competitor_id), None)

    def stakeholder(self, contact_id: uuid.UUID) -> StakeholderRecord | None:
        return next((s for s in self.stakeholders if s.contact_id == contact_id), None)

    def payments_of(self, invoice_id: uuid.UUID) -> list[PaymentRecord]:
        return [payment for payment in self.payments if payment.invoice_id == invoice_id]

    def after(self, effect: Effect) -> "Deal":
        """The deal once `effect` is written: what a fresh read of the database would give."""
        removed = {record.id for record in effect.removed}
        changed = {record.id: as_stored(record) for record in effect.changed}
        kept = [changed.get(r.id, r) for r in self.records() if r.id not in removed]
        mine = [as_stored(r) for r in effect.created if getattr(r, "deal_id", None) == self.deal_id]
        return Deal.of(self.deal_id, [*kept, *mine])

    def documents(self) -> DealDocuments:
        """The deal's documents as the API shows them."""
        return DealDocuments(
            lead=self.lead and _public(LeadPublic, self.lead),
            opportunity=self.opportunity and _public(OpportunityPublic, self.opportunity),
            quotes=[_public(QuotePublic, q) for q in self.quotes],
            orders=[_public(OrderPublic, o) for o in self.orders],
            invoices=[_public(InvoicePublic, i) for i in self.invoices],
            competitors=[_public(OpportunityCompetitorPublic, c) for c in self.competitors],
            stakeholders=[_public(StakeholderPublic, s) for s in self.stakeholders],
        )

    @classmethod
    def of(cls, deal_id: str, records: Iterable[Any]) -> "Deal":
        """A deal from its records in any order."""
        kinds: dict[type, list[Any]] = defaultdict(list)
        for record in records:
            kinds[type(record)].append(record)

        def by_created(model: type) -> tuple[Any, ...]:
            return tuple(sorted(kinds[model], key=lambda r: (r.created_at, r.id)))

        return cls(
            deal_id,
            next(iter(kinds[LeadRecord]), None),
            next(iter(kinds[OpportunityRecord]), None),
            by_created(QuoteRecord),
            by_created(OrderRecord),
            by_created(InvoiceRecord),
            by_created(PaymentRecord),
            tuple(sorted(kinds[LineItemRecord], key=line_order)),
            by_created(OpportunityCompetitorRecord),
            by_created(StakeholderRecord),
            next(iter(kinds[DealProcessRecord]), None),
        )

    def snapshot(self) -> DealState:
        """What the workflow keeps of the deal to check the next transition against (built once:
        a deal never changes, `after` makes a new one)."""
        if self._snapshot is None:
            object.__setattr__(self, "_snapshot", self._build_snapshot())
        return cast(DealState, self._snapshot)

    def _build_snapshot(self) -> DealState:
        live_invoices = {i.id for i in self.invoices if i.state is not InvoiceState.canceled}
        invoiced_quantity: dict[object, Decimal] = defaultdict(lambda: ZERO)
        invoiced_amount: dict[object, Decimal] = defaultdict(lambda: ZERO)
        line_billed: dict[object, Decimal] = defaultdict(lambda: ZERO)
        for line in self.lines:
            if line.document == Document.invoice and line.document_id in live_invoices:
                invoiced_quantity[line.source_line_id] += line.quantity
                line_billed[line.source_line_id] += line.extended_amount
        for invoice in self.invoices:
            if invoice.id in live_invoices and invoice.order_id:
                invoiced_amount[invoice.order_id] += invoice.total_amount
        lead, opportunity = self.lead, self.opportunity
        return DealState(
            deal_id=self.deal_id,
            lead=lead
            and LeadSnapshot.model_validate({**lead.model_dump(), "filled": lead_filled(lead)}),
            opportunity=opportunity
            and OpportunitySnapshot.model_validate(
                {
                    **opportunity.model_dump(),
                    "value": opportunity_value(opportunity),
                    "filled": filled(opportunity, OPPORTUNITY_STEP_FIELDS),
                }
            ),
            quotes=[QuoteSnapshot.model_validate(q, from_attributes=True) for q in self.quotes],
            orders=[
                OrderSnapshot.model_validate(
                    {
                        **o.model_dump(),
                        "invoiced_amount": invoiced_amount[o.id],
                        "parts": schedule_parts(o, self.invoices),
                    }
                )
                for o in self.orders
            ],
            invoices=[
                InvoiceSnapshot.model_validate(
                    {
                        **i.model_dump(),
                        "payments": [
                            PaymentSnapshot(
                                id=p.id, amount=p.amount, canceled=p.canceled_at is not None
                            )
                            for p in self.payments_of(i.id)
                        ],
                    }
                )
                for i in self.invoices
            ],
            lines=[
                LineSnapshot.model_validate(
                    {
                        **line.model_dump(),
                        "invoiced_quantity": invoiced_quantity[line.id],
                        "invoiced_amount": line_billed[line.id],
                    }
                )
                for line in self.lines
            ],
            competitor_ids=[link.competitor_id for link in self.competitors],
            stakeholders=[
                StakeholderSnapshot(id=s.id, contact_id=s.contact_id, role=s.role)
                for s in self.stakeholders
            ],
            process_id=self.process and self.process.process_id,
            process=self._process_followed(),
            marked_steps=self.process.steps_done if self.process else [],
        )

    def _process_followed(self) -> ProcessDefinition | None:
        chosen = self.process
        if chosen is None or chosen.process_id is None or chosen.process_name is None:
            return None
        return ProcessDefinition.model_validate(
            {"id": chosen.process_id, "name": chosen.process_name, "stages": chosen.stages}
        )


def schedule_parts(order: OrderRecord, invoices: Iterable[InvoiceRecord]) -> list[PartSnapshot]:
    """The order's payment schedule as the deal's rules and reminders read it."""
    parts = order.payment_schedule
    try:
        amounts: list[Decimal | None] = list(part_amounts(order.total_amount, parts))
    except InvalidField:  # the order's total changed since: nothing bills until it is set again
        amounts = [None] * len(parts)
    billed = {
        i.schedule_part: i.id
        for i in invoices
        if i.order_id == order.id and i.schedule_part and i.state is not InvoiceState.canceled
    }
    ordered_on = order.created_at.date()
    fulfilled_on = order.fulfilled_at.date() if order.fulfilled_at else None
    return [
        PartSnapshot(
            number=number,
            name=part.name,
            amount=amount,
            due_date=part_due_date(part, ordered_on, fulfilled_on),
            invoice_id=billed.get(number),
        )
        for number, (part, amount) in enumerate(zip(parts, amounts, strict=True), start=1)
    ]


def validated_changes(
    schema: type[SQLModel], record: type[SQLModel], changes: dict[str, Any]
) -> dict[str, Any]:
    """The fields of a partial update, as `schema` (the record's Update) reads them. An unknown
    field, a bad value or a null for a required field is an `InvalidField` naming it, so an
    update's rule refuses it before anything runs (a raw update or signal is not checked by the
    API's body model)."""
    try:
        sent = schema.model_validate(changes).model_dump(exclude_unset=True)
    except ValidationError as error:
        raise invalid_field(error) from None
    check_patch(record, sent)
    return sent


def invalid_field(error: ValidationError) -> InvalidField:
    """A validation error of a step's input as the refusal the API answers: 422 naming the
    field (an exception of another kind would be retried, and fail the same way each time)."""
    first = error.errors()[0]
    return InvalidField(".".join(str(part) for part in first["loc"]), first["msg"])


def _public(model: type[R], record: RecordPublic) -> R:
    """A record as its API view, which has the same fields: no need to validate them again."""
    return cast(R, model.model_construct(**record.__dict__))


def line_order(line: LineItemRecord) -> tuple[Any, ...]:
    """How a deal lists its lines: by number, then as created."""
    return (line.line_number, line.created_at, line.id)


# The fields of a lead and an opportunity that business-process steps read (models.process).
LEAD_STEP_FIELDS = (
    "purchase_timeframe",
    "estimated_budget",
    "purchase_process",
    "description",
)
OPPORTUNITY_STEP_FIELDS = (
    "account_id",
    "contact_id",
    "customer_need",
    "proposed_solution",
    "estimated_close_date",
    "description",
)


def filled(record: Any, names: Iterable[str]) -> list[str]:
    """Those of `names` the record has a value for (not empty text)."""
    return [n for n in names if getattr(record, n, None) not in (None, "", False)]


def lead_filled(lead: LeadRecord) -> list[str]:
    """What the Qualify stage's steps read: who the person and company are, and the purchase."""
    found = filled(lead, LEAD_STEP_FIELDS)
    if lead.contact_id or lead.email or lead.phone:
        found.append("contact")
    if lead.account_id or lead.company_name:
        found.append("account")
    if lead.decision_maker_identified:
        found.append("decision_maker_identified")
    return found


def opportunity_value(opportunity: OpportunityRecord) -> Decimal:
    """Actual revenue once won; before, the lines' total or the user's estimate."""
    if opportunity.actual_revenue is not None:
        return opportunity.actual_revenue
    if opportunity.is_revenue_system_calculated or opportunity.estimated_revenue is None:
        return opportunity.total_amount
    return opportunity.estimated_revenue
