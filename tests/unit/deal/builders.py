"""Deals of plain records at each stage, a fake of the shared records an effect looks up, and the
step an action runs in: what the tests of the pure core (models/deal/) build on.

The records are written out here, not made by the actions under test, so a test of `accept`
does not depend on `create_quote` being right. `run` is for the few tests that follow a deal
through several actions.
"""

import itertools
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from models.account import AccountRecord
from models.contact import ContactRecord
from models.deal.actions import ACTIONS
from models.deal.records import ActionInput, Deal, Effect, Reference, Step
from models.deal.state import ProcessDefinition
from models.invoice import InvoiceRecord, InvoiceState, InvoiceStatus, PaymentRecord
from models.lead import LeadRecord, LeadState, LeadStatus
from models.line_item import Document, LineItemRecord
from models.opportunity import OpportunityRecord
from models.order import OrderRecord
from models.pricing import VolumeTiers, extended_amount, total
from models.product_property import ProductPropertyRecord
from models.quote import QuoteRecord, QuoteState

DEAL_ID = "deal-1"
NOW = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
TODAY = NOW.date()
YESTERDAY = TODAY - timedelta(days=1)
TOMORROW = TODAY + timedelta(days=1)
# Who owns the deal's records, and who makes the steps of the tests.
OWNER = uuid.UUID("00000000-0000-4000-8000-00000000000a")
SELLER = uuid.UUID("00000000-0000-4000-8000-00000000000b")

# Records are listed as created: each builder's record is created a second after the last one.
_seconds = itertools.count()
_later = itertools.count(1)


def _audit(owner_id: uuid.UUID | None = OWNER) -> dict[str, Any]:
    created = NOW - timedelta(days=30) + timedelta(seconds=next(_seconds))
    return {
        "id": uuid.uuid4(),
        "owner_id": owner_id,
        "is_active": True,
        "created_at": created,
        "modified_at": created,
        "created_by": owner_id,
        "modified_by": owner_id,
    }


# --- shared records ---------------------------------------------------------------------------


@dataclass
class FakeSharedRecords:
    """The accounts, contacts, competitors and users a step may look up, in dictionaries."""

    accounts: dict[uuid.UUID, AccountRecord] = field(default_factory=dict)
    contacts: dict[uuid.UUID, ContactRecord] = field(default_factory=dict)
    competitors: dict[uuid.UUID, bool] = field(default_factory=dict)  # id → active
    users: dict[uuid.UUID, tuple[str, bool]] = field(default_factory=dict)  # id → name, active
    # Price lists, products and units, by kind: a deal's records may only name these.
    catalog: set[tuple[Reference, uuid.UUID]] = field(default_factory=set)
    # Business processes by id, and the default one (none here unless a test defines it).
    processes: dict[uuid.UUID, ProcessDefinition] = field(default_factory=dict)
    default_process: ProcessDefinition | None = None
    # The properties defined on each product, active or not, in the order defined.
    properties: dict[uuid.UUID, list[ProductPropertyRecord]] = field(default_factory=dict)
    # Tax rates (percentages) and discount lists, by id.
    tax_rates: dict[uuid.UUID, Decimal] = field(default_factory=dict)
    discount_lists: dict[uuid.UUID, VolumeTiers] = field(default_factory=dict)

    def add_account(self, name: str, *, active: bool = True) -> AccountRecord:
        account = AccountRecord.model_validate({**_audit(), "name": name, "is_active": active})
        self.accounts[account.id] = account
        return account

    def add_contact(
        self, last_name: str, email: str | None = None, *, active: bool = True
    ) -> ContactRecord:
        contact = ContactRecord.model_validate(
            {**_audit(), "last_name": last_name, "email": email, "is_active": active}
        )
        self.contacts[contact.id] = contact
        return contact

    def add_competitor(self, *, active: bool = True) -> uuid.UUID:
        competitor_id = uuid.uuid4()
        self.competitors[competitor_id] = active
        return competitor_id

    def add_user(self, name: str, *, active: bool = True) -> uuid.UUID:
        user_id = uuid.uuid4()
        self.users[user_id] = (name, active)
        return user_id

    def add_to_catalog(self, kind: Reference) -> uuid.UUID:
        record_id = uuid.uuid4()
        self.catalog.add((kind, record_id))
        return record_id

    def add_product(self, *properties: dict[str, Any]) -> uuid.UUID:
        """A product in the catalog with these properties (each its fields: name, data_type,
        is_required, default_value, options, is_active)."""
        product_id = self.add_to_catalog("product")
        self.properties[product_id] = [
            ProductPropertyRecord.model_validate({**_audit(), "product_id": product_id, **fields})
            for fields in properties
        ]
        return product_id

    def product_properties(self, product_id: uuid.UUID) -> list[ProductPropertyRecord]:
        return [p for p in self.properties.get(product_id, []) if p.is_active]

    def add_tax_rate(self, percentage: str) -> uuid.UUID:
        tax_rate_id = self.add_to_catalog("tax rate")
        self.tax_rates[tax_rate_id] = Decimal(percentage)
        return tax_rate_id

    def tax_rate(self, tax_rate_id: uuid.UUID) -> Decimal | None:
        return self.tax_rates.get(tax_rate_id)

    def add_discount_list(self, discounts: VolumeTiers) -> uuid.UUID:
        discount_list_id = self.add_to_catalog("discount list")
        self.discount_lists[discount_list_id] = discounts
        return discount_list_id

    def volume_tiers(self, discount_list_id: uuid.UUID) -> VolumeTiers | None:
        return self.discount_lists.get(discount_list_id)

    def exists(self, kind: Reference, record_id: uuid.UUID) -> bool:
        if kind == "account":
            return record_id in self.accounts
        if kind == "contact":
            return record_id in self.contacts
        return (kind, record_id) in self.catalog

    def active_account(self, account_id: uuid.UUID) -> AccountRecord | None:
        account = self.accounts.get(account_id)
        return account if account and account.is_active else None

    def account_named(self, name: str) -> AccountRecord | None:
        wanted = name.strip().lower()
        return next(
            (a for a in self.accounts.values() if a.is_active and a.name.lower() == wanted), None
        )

    def active_contact(self, contact_id: uuid.UUID) -> ContactRecord | None:
        contact = self.contacts.get(contact_id)
        return contact if contact and contact.is_active else None

    def contact_with_email(self, email: str) -> ContactRecord | None:
        return next((c for c in self.contacts.values() if c.is_active and c.email == email), None)

    def competitor_exists(self, competitor_id: uuid.UUID) -> bool:
        return self.competitors.get(competitor_id, False)

    def add_process(self, definition: ProcessDefinition, *, default: bool = False) -> uuid.UUID:
        process_id = uuid.uuid4()
        self.processes[process_id] = definition.model_copy(update={"id": process_id})
        if default:
            self.default_process = self.processes[process_id]
        return process_id

    def process_to_follow(self, process_id: uuid.UUID | None) -> ProcessDefinition | None:
        if process_id is None:
            return self.default_process
        return self.processes.get(process_id)

    def active_user_name(self, user_id: uuid.UUID) -> str | None:
        name, active = self.users.get(user_id, ("", False))
        return name if active else None


def step(
    step_id: uuid.UUID | None = None,
    *,
    at: datetime = NOW,
    by: uuid.UUID | None = SELLER,
    shared: FakeSharedRecords | None = None,
) -> Step:
    """One step of the deal `DEAL_ID`, made by `SELLER` at `NOW` unless told otherwise."""
    return Step(DEAL_ID, step_id or uuid.uuid4(), at, by, shared or FakeSharedRecords())


def apply(deal: Deal, action: ActionInput, in_step: Step | None = None) -> Effect:
    """The effect of `action` on `deal`, found by its name, as the transition activity runs it
    (after its rule)."""
    in_step = in_step or step()
    entry = ACTIONS[action.action]
    entry.check(deal.snapshot(), action, in_step.today)
    return entry.apply(deal, action, in_step)


def run(deal: Deal, *actions: ActionInput, shared: FakeSharedRecords | None = None) -> Deal:
    """The deal after each action in turn, each checked and applied in a step of its own, later
    on the day of `NOW` than any step `run` made before (so what they create lists in order)."""
    for action in actions:
        at = NOW + timedelta(seconds=next(_later))
        deal = deal.after(apply(deal, action, step(at=at, shared=shared)))
    return deal


def deal_of(*records: Any) -> Deal:
    return Deal.of(DEAL_ID, records)


def the(records: tuple[Any, ...], model: type[Any]) -> list[Any]:
    """The records of one kind among an effect's."""
    return [record for record in records if isinstance(record, model)]


# --- records ----------------------------------------------------------------------------------


def lead_record(**fields: Any) -> LeadRecord:
    return LeadRecord.model_validate(
        {
            **_audit(),
            "deal_id": DEAL_ID,
            "topic": "10 desks",
            "first_name": "Sam",
            "last_name": "Okafor",
            "job_title": "Buyer",
            "company_name": "Northwind",
            "email": "sam@northwind.example",
            "phone": "+33 1 23",
            **fields,
        }
    )


def opportunity_record(**fields: Any) -> OpportunityRecord:
    return OpportunityRecord.model_validate(
        {**_audit(), "deal_id": DEAL_ID, "name": "10 desks", **fields}
    )


def line_record(
    document: Document,
    document_id: uuid.UUID,
    number: int,
    quantity: str | int = 2,
    price: str | int = "100.00",
    *,
    discount: str | int = 0,
    tax: str | int = 0,
    **fields: Any,
) -> LineItemRecord:
    """A write-in line priced as Dynamics does: quantity x price - discount + tax."""
    amounts = {
        "quantity": Decimal(quantity),
        "price_per_unit": Decimal(price),
        "manual_discount": Decimal(discount),
        "tax": Decimal(tax),
    }
    return LineItemRecord.model_validate(
        {
            **_audit(),
            "deal_id": DEAL_ID,
            "document": document,
            "document_id": document_id,
            "line_number": number,
            "write_in_description": f"Item {number}",
            **amounts,
            "extended_amount": extended_amount(**amounts),
            **fields,
        }
    )


def copies(
    lines: list[LineItemRecord], document: Document, document_id: uuid.UUID
) -> list[LineItemRecord]:
    """The lines copied onto the next document, each remembering the line it came from."""
    return [
        line.model_copy(
            update={
                **_audit(),
                "document": document,
                "document_id": document_id,
                "source_line_id": line.id,
            }
        )
        for line in lines
    ]


def quote_record(opportunity: OpportunityRecord, **fields: Any) -> QuoteRecord:
    audit = _audit()
    return QuoteRecord.model_validate(
        {
            **audit,
            "deal_id": DEAL_ID,
            "opportunity_id": opportunity.id,
            "name": opportunity.name,
            "quote_number": f"QUO-{audit['id'].hex[:8].upper()}",
            **fields,
        }
    )


def order_record(**fields: Any) -> OrderRecord:
    audit = _audit()
    return OrderRecord.model_validate(
        {
            **audit,
            "deal_id": DEAL_ID,
            "name": "10 desks",
            "order_number": f"ORD-{audit['id'].hex[:8].upper()}",
            **fields,
        }
    )


def invoice_record(**fields: Any) -> InvoiceRecord:
    audit = _audit()
    return InvoiceRecord.model_validate(
        {
            **audit,
            "deal_id": DEAL_ID,
            "name": "10 desks",
            "invoice_number": f"INV-{audit['id'].hex[:8].upper()}",
            **fields,
        }
    )


def payment_record(
    invoice: InvoiceRecord, amount: str | int, *, canceled: bool = False
) -> PaymentRecord:
    return PaymentRecord.model_validate(
        {
            **_audit(),
            "deal_id": DEAL_ID,
            "invoice_id": invoice.id,
            "amount": Decimal(amount),
            "paid_at": NOW - timedelta(days=2),
            "canceled_at": NOW - timedelta(days=1) if canceled else None,
        }
    )


# --- deals ------------------------------------------------------------------------------------


def new_deal() -> Deal:
    """A deal with no records yet: what a request that opens a deal starts from."""
    return Deal(DEAL_ID)


def lead_deal(**lead_fields: Any) -> Deal:
    """An open lead (Qualify stage)."""
    return deal_of(lead_record(**lead_fields))


def qualified_deal(
    *prices: str,
    quantity: str | int = 2,
    opportunity: dict[str, Any] | None = None,
) -> Deal:
    """A qualified lead and its open opportunity (Develop stage) with one line per price
    (`quantity` each; one line at 100.00 if no price is given), totalled."""
    lead = lead_record(state=LeadState.qualified, status_reason=LeadStatus.qualified)
    fields = {"originating_lead_id": lead.id, "account_id": uuid.uuid4(), **(opportunity or {})}
    record = opportunity_record(**fields)
    lines = [
        line_record(Document.opportunity, record.id, number, quantity, price)
        for number, price in enumerate(prices or ("100.00",), start=1)
    ]
    record = record.model_copy(update={"total_amount": total(li.extended_amount for li in lines)})
    lead = lead.model_copy(update={"opportunity_id": record.id})
    return deal_of(lead, record, *lines)


def with_quote(deal: Deal, state: QuoteState = QuoteState.draft, **fields: Any) -> Deal:
    """`deal` with one more quote of its opportunity, its lines copied from the opportunity's."""
    opportunity = deal.opportunity
    assert opportunity is not None
    quote = quote_record(opportunity, state=state, **fields)
    lines = copies(deal.lines_of(opportunity.id), Document.quote, quote.id)
    quote = quote.model_copy(update={"total_amount": total(li.extended_amount for li in lines)})
    if state is QuoteState.active:
        quote = quote.model_copy(update={"activated_at": NOW - timedelta(days=3)})
    return deal_of(*deal.records(), quote, *lines)


def quoted_deal(*prices: str, state: QuoteState = QuoteState.draft, **quote_fields: Any) -> Deal:
    """An open opportunity with one quote (Propose stage if a draft, Close if active)."""
    return with_quote(qualified_deal(*prices), state, **quote_fields)


def order_deal(
    *lines: tuple[str | int, str | int], discount: str | int = 0, tax: str | int = 0, **fields: Any
) -> Deal:
    """An active order entered directly (Fulfill stage), one line per (quantity, price), each
    with `discount` and `tax`; one line of 2 x 100.00 if none is given."""
    order = order_record(**fields)
    records = [
        line_record(Document.order, order.id, number, quantity, price, discount=discount, tax=tax)
        for number, (quantity, price) in enumerate(lines or ((2, "100.00"),), start=1)
    ]
    order = order.model_copy(
        update={"total_amount": total(line.extended_amount for line in records)}
    )
    return deal_of(order, *records)


def invoice_deal(
    amount: str = "100.00",
    *payments: str,
    canceled_payments: tuple[str, ...] = (),
    **fields: Any,
) -> Deal:
    """An invoice entered directly with one line of `amount`, and payments of it (live ones and
    cancelled ones); its amount paid, state and status follow them."""
    invoice = invoice_record(total_amount=Decimal(amount), **fields)
    line = line_record(Document.invoice, invoice.id, 1, 1, amount)
    paid = [payment_record(invoice, payment) for payment in payments]
    canceled = [payment_record(invoice, payment, canceled=True) for payment in canceled_payments]
    amount_paid = total(p.amount for p in paid)
    settled: dict[str, Any] = {"amount_paid": amount_paid}
    if amount_paid >= invoice.total_amount:
        settled.update(state=InvoiceState.paid, status_reason=InvoiceStatus.complete, paid_at=NOW)
    elif amount_paid > 0 and "status_reason" not in fields:
        settled.update(status_reason=InvoiceStatus.partially_paid)
    return deal_of(invoice.model_copy(update=settled), line, *paid, *canceled)
