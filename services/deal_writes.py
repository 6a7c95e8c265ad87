"""The database side of each deal transition: one function per action, in one transaction.

`apply_transition` is what the deal activities run. It is idempotent: the step id is the id of the
journal row written in the same transaction, and every record a step creates gets an id derived
from the step id, so a retried step finds its work done and writes nothing twice.
"""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from functools import singledispatch
from typing import Any, TypeVar

from sqlalchemy import func
from sqlmodel import Session, SQLModel, col, select

from models import deal_actions as a
from models.account import Account
from models.base import RecordTable
from models.competitor import Competitor
from models.contact import Contact, normalize_email
from models.deal import DealState
from models.deal_event import DealEvent
from models.deal_rules import check, quantities_to_bill
from models.errors import InvalidField, NotFound
from models.invoice import Invoice, InvoiceState, InvoiceStatus, Payment
from models.lead import Lead, LeadState, LeadStatus, LeadUpdate
from models.line_item import Document, LineInput, LineItem, LineUpdate
from models.opportunity import Opportunity, OpportunityState, OpportunityStatus, OpportunityUpdate
from models.order import OrderState, OrderStatus, SalesOrder
from models.pricing import ZERO, extended_amount, money_text, share, total
from models.quote import Quote, QuoteFields, QuoteState, QuoteStatus
from models.transition import TransitionRequest, TransitionResult
from models.user import User
from services.crud import apply_patch
from services.deal_state import LoadedDeal, load_state


@dataclass
class Step:
    session: Session
    request: TransitionRequest
    state: DealState
    # Every record the step creates or changes (held here: the session's map of them is weak).
    saved: list[RecordTable] = field(default_factory=list)

    @property
    def at(self) -> datetime:
        return self.request.at

    def new_id(self, name: str) -> uuid.UUID:
        """The id of a record this step creates: the same on every retry of the step."""
        return uuid.uuid5(self.request.step_id, name)

    def stamp(self, record: RecordTable, owner_id: uuid.UUID | None = None) -> None:
        """Audit columns of a record this step creates or changes."""
        if record.created_by is None and record.owner_id is None:
            record.created_at = self.at
            record.created_by = self.request.by
            record.owner_id = owner_id or self.request.by
        record.modified_at = self.at
        record.modified_by = self.request.by
        self.session.add(record)
        self.saved.append(record)


@dataclass(frozen=True)
class Written:
    record: str
    record_id: uuid.UUID
    summary: str


def apply_transition(session: Session, request: TransitionRequest) -> TransitionResult:
    done = session.get(DealEvent, request.step_id)
    if done is not None:  # a retry of a step that committed: its work is there already
        after = load_state(session, request.deal_id)
    else:
        loaded = LoadedDeal.read(session, request.deal_id)
        step = Step(session, request, loaded.state())
        check(request.action, step.state, request.at.date())
        written = write(request.action, step)
        session.flush()
        after = loaded.after(step.saved).state()
        done = DealEvent(
            id=request.step_id,
            deal_id=request.deal_id,
            action=request.action.action,
            record=written.record,
            record_id=written.record_id,
            stage=after.stage,
            summary=written.summary,
            by=request.by,
            at=request.at,
        )
        session.add(done)
        session.commit()
    return TransitionResult(state=after, record=done.record, record_id=done.record_id)


@singledispatch
def write(action: Any, step: Step) -> Written:
    raise NotImplementedError(f"no writer for {type(action).__name__}")


# --- lead ---------------------------------------------------------------------------------


@write.register
def _(action: a.CreateLead, step: Step) -> Written:
    lead = Lead.model_validate(
        {**action.lead.model_dump(), "id": action.lead_id, "deal_id": step.request.deal_id}
    )
    lead.email = normalize_email(lead.email)
    step.stamp(lead, action.lead.owner_id)
    return Written("lead", lead.id, f"Lead created: {lead.topic}")


def _lead(step: Step) -> Lead:
    assert step.state.lead is not None
    lead = step.session.get(Lead, step.state.lead.id)
    assert lead is not None
    return lead


def _apply_changes(record: SQLModel, schema: type[SQLModel], changes: dict[str, Any]) -> None:
    """Partial update: validate the sent fields with the Update schema, then set only those."""
    apply_patch(record, schema.model_validate(changes).model_dump(exclude_unset=True))


@write.register
def _(action: a.UpdateLead, step: Step) -> Written:
    lead = _lead(step)
    _apply_changes(lead, LeadUpdate, action.changes)
    lead.is_stale = False
    lead.email = normalize_email(lead.email)
    step.stamp(lead)
    return Written("lead", lead.id, f"Lead updated: {', '.join(sorted(action.changes))}")


@write.register
def _(action: a.Qualify, step: Step) -> Written:
    lead = _lead(step)
    account = _qualify_account(action, lead, step)
    contact = _qualify_contact(action, lead, account, step)
    if action.create_opportunity:
        if account is None and contact is None:
            raise InvalidField(
                "create_opportunity", "an opportunity needs an account or a contact as customer"
            )
        opportunity = Opportunity(
            id=step.new_id("opportunity"),
            deal_id=step.request.deal_id,
            name=action.opportunity_name or lead.topic,
            account_id=account.id if account else None,
            contact_id=contact.id if contact else None,
            price_list_id=action.price_list_id,
            originating_lead_id=lead.id,
            estimated_revenue=lead.estimated_budget,
            is_revenue_system_calculated=lead.estimated_budget is None,
            description=lead.description,
        )
        step.stamp(opportunity, lead.owner_id)
        lead.opportunity_id = opportunity.id
    lead.state, lead.status_reason = LeadState.qualified, LeadStatus.qualified
    lead.account_id = account.id if account else None
    lead.contact_id = contact.id if contact else None
    lead.qualified_at = step.at
    step.stamp(lead)
    if lead.opportunity_id:
        return Written("opportunity", lead.opportunity_id, "Lead qualified, opportunity created")
    return Written("lead", lead.id, "Lead qualified")


def _existing(step: Step, model: type[RecordTable], record_id: uuid.UUID, field: str) -> Any:
    found = step.session.get(model, record_id)
    if found is None or not found.is_active:
        raise InvalidField(field, f"no active {model.__name__.lower()} {record_id}")
    return found


def _qualify_account(action: a.Qualify, lead: Lead, step: Step) -> Account | None:
    if action.existing_account_id:
        return _existing(step, Account, action.existing_account_id, "existing_account_id")
    if not action.create_account or not lead.company_name:
        return None
    match = step.session.exec(
        select(Account).where(
            func.lower(col(Account.name)) == lead.company_name.strip().lower(),
            col(Account.is_active),
        )
    ).first()
    if match:
        return match
    account = Account(id=step.new_id("account"), name=lead.company_name.strip(), phone=lead.phone)
    step.stamp(account, lead.owner_id)
    return account


def _qualify_contact(
    action: a.Qualify, lead: Lead, account: Account | None, step: Step
) -> Contact | None:
    if action.existing_contact_id:
        return _existing(step, Contact, action.existing_contact_id, "existing_contact_id")
    if not action.create_contact:
        return None
    if lead.email:
        match = step.session.exec(
            select(Contact).where(col(Contact.email) == lead.email, col(Contact.is_active))
        ).first()
        if match:
            return match
    contact = Contact(
        id=step.new_id("contact"),
        first_name=lead.first_name,
        last_name=lead.last_name,
        email=lead.email,
        phone=lead.phone,
        job_title=lead.job_title,
        parent_account_id=account.id if account else None,
    )
    step.stamp(contact, lead.owner_id)
    return contact


@write.register
def _(action: a.Disqualify, step: Step) -> Written:
    lead = _lead(step)
    lead.state, lead.status_reason = LeadState.disqualified, action.reason
    step.stamp(lead)
    return Written("lead", lead.id, f"Lead disqualified: {action.reason}")


@write.register
def _(action: a.Reactivate, step: Step) -> Written:
    lead = _lead(step)
    lead.state, lead.status_reason, lead.is_stale = LeadState.open, LeadStatus.new, False
    step.stamp(lead)
    return Written("lead", lead.id, "Lead reactivated")


# --- opportunity and lines ----------------------------------------------------------------


def _opportunity(step: Step) -> Opportunity:
    assert step.state.opportunity is not None
    opportunity = step.session.get(Opportunity, step.state.opportunity.id)
    assert opportunity is not None
    return opportunity


@write.register
def _(action: a.CreateOpportunity, step: Step) -> Written:
    opportunity = _open_document(
        step,
        Opportunity,
        {**action.opportunity.model_dump(), "id": action.opportunity_id},
        action.opportunity.owner_id,
        Document.opportunity,
        action.lines,
    )
    return Written("opportunity", opportunity.id, f"Opportunity created: {opportunity.name}")


@write.register
def _(action: a.UpdateOpportunity, step: Step) -> Written:
    opportunity = _opportunity(step)
    _apply_changes(opportunity, OpportunityUpdate, action.changes)
    step.stamp(opportunity)
    return Written(
        "opportunity", opportunity.id, f"Opportunity updated: {', '.join(sorted(action.changes))}"
    )


def _document(step: Step, document_id: uuid.UUID) -> tuple[Document, Opportunity | Quote]:
    if step.state.opportunity and step.state.opportunity.id == document_id:
        return Document.opportunity, _opportunity(step)
    quote = step.session.get(Quote, document_id)
    if quote is None:
        raise NotFound("quote", document_id)
    return Document.quote, quote


@write.register
def _(action: a.AddLine, step: Step) -> Written:
    document, record = _document(step, action.document_id)
    (line,) = _insert_lines(step, document, record.id, [action.line])
    step.session.flush()
    _retotal(step.session, record, document)
    step.stamp(record)
    return Written("line", line.id, f"Line added to the {document}")


@write.register
def _(action: a.UpdateLine, step: Step) -> Written:
    line = step.session.get(LineItem, action.line_id)
    assert line is not None
    _apply_changes(line, LineUpdate, action.changes)
    line.extended_amount = _extended(line)
    step.stamp(line)
    document, record = _document(step, line.document_id)
    step.session.flush()
    _retotal(step.session, record, document)
    step.stamp(record)
    return Written("line", line.id, f"Line updated: {', '.join(sorted(action.changes))}")


@write.register
def _(action: a.RemoveLine, step: Step) -> Written:
    line = step.session.get(LineItem, action.line_id)
    assert line is not None
    document, record = _document(step, line.document_id)
    step.session.delete(line)
    step.session.flush()
    _retotal(step.session, record, document)
    step.stamp(record)
    return Written(str(document), record.id, "Line removed")


def _extended(line: LineItem | LineInput) -> Decimal:
    assert line.price_per_unit is not None
    return extended_amount(
        quantity=line.quantity,
        price_per_unit=line.price_per_unit,
        manual_discount=line.manual_discount,
        tax=line.tax,
    )


def _insert_lines(
    step: Step, document: Document, document_id: uuid.UUID, lines: Sequence[LineInput]
) -> list[LineItem]:
    """Lines arrive priced: the API looked the price up in the catalog before the transition."""
    first = 1 + len(step.state.lines_of(document_id))
    inserted = []
    for number, line in enumerate(lines, start=first):
        if line.price_per_unit is None:
            raise InvalidField("price_per_unit", "no price for the line")
        item = LineItem(
            id=step.new_id(f"{document}-{document_id}-line-{number}"),
            deal_id=step.request.deal_id,
            document=document,
            document_id=document_id,
            line_number=number,
            **line.model_dump(),
            extended_amount=_extended(line),
        )
        step.stamp(item)
        inserted.append(item)
    return inserted


def _copy_lines(
    step: Step, source_id: uuid.UUID, document: Document, document_id: uuid.UUID
) -> None:
    for source in step.session.exec(
        select(LineItem)
        .where(col(LineItem.document_id) == source_id)
        .order_by(col(LineItem.line_number))
    ).all():
        copy = LineItem.model_validate(
            {
                **source.model_dump(exclude={"id", "created_at", "created_by", "owner_id"}),
                "id": step.new_id(f"{document}-{document_id}-line-{source.line_number}"),
                "document": document,
                "document_id": document_id,
                "source_line_id": source.id,
            }
        )
        step.stamp(copy)


D = TypeVar("D", Opportunity, SalesOrder, Invoice)


def _open_document(
    step: Step,
    model: type[D],
    fields: dict[str, Any],
    owner_id: uuid.UUID | None,
    document: Document,
    lines: Sequence[LineInput],
) -> D:
    """The record a deal created directly starts from (a shortcut), with its lines and total."""
    record = model.model_validate({**fields, "deal_id": step.request.deal_id})
    step.stamp(record, owner_id)
    _insert_lines(step, document, record.id, lines)
    step.session.flush()
    _retotal(step.session, record, document)
    return record


def _retotal(session: Session, record: Any, document: Document) -> None:
    amounts: Sequence[Decimal] = session.exec(
        select(col(LineItem.extended_amount)).where(
            col(LineItem.document_id) == record.id, col(LineItem.document) == document
        )
    ).all()
    record.total_amount = total(amounts)


# --- quotes -------------------------------------------------------------------------------


def _quote(step: Step, quote_id: uuid.UUID) -> Quote:
    quote = step.session.get(Quote, quote_id)
    assert quote is not None
    return quote


def _number(prefix: str, record_id: uuid.UUID) -> str:
    return f"{prefix}-{record_id.hex[:8].upper()}"


@write.register
def _(action: a.CreateQuote, step: Step) -> Written:
    opportunity = _opportunity(step)
    quote_id = step.new_id("quote")
    quote = Quote.model_validate(
        {
            **action.quote.model_dump(),
            "id": quote_id,
            "deal_id": step.request.deal_id,
            "opportunity_id": opportunity.id,
            "quote_number": _number("QUO", quote_id),
            "name": action.quote.name or opportunity.name,
        }
    )
    step.stamp(quote, opportunity.owner_id)
    _copy_lines(step, opportunity.id, Document.quote, quote.id)
    step.session.flush()
    _retotal(step.session, quote, Document.quote)
    return Written("quote", quote.id, f"Quote {quote.quote_number} created")


@write.register
def _(action: a.UpdateQuote, step: Step) -> Written:
    quote = _quote(step, action.quote_id)
    _apply_changes(quote, QuoteFields, action.changes)
    QuoteFields.model_validate(quote.model_dump())  # the effective range, with both ends known
    step.stamp(quote)
    return Written("quote", quote.id, f"Quote updated: {', '.join(sorted(action.changes))}")


@write.register
def _(action: a.Activate, step: Step) -> Written:
    quote = _quote(step, action.quote_id)
    quote.state, quote.status_reason, quote.activated_at = (
        QuoteState.active,
        QuoteStatus.in_progress,
        step.at,
    )
    step.stamp(quote)
    return Written("quote", quote.id, f"Quote {quote.quote_number} activated")


def _close(step: Step, quote: Quote, reason: QuoteStatus) -> None:
    quote.state, quote.status_reason, quote.closed_at = QuoteState.closed, reason, step.at
    step.stamp(quote)


@write.register
def _(action: a.Revise, step: Step) -> Written:
    old = _quote(step, action.quote_id)
    _close(step, old, QuoteStatus.revised)
    revision = Quote.model_validate(
        {
            **old.model_dump(
                exclude={"id", "created_at", "created_by", "activated_at", "closed_at"}
            ),
            "id": step.new_id("quote"),
            "revision_number": old.revision_number + 1,
            "revises_quote_id": old.id,
            "state": QuoteState.draft,
            "status_reason": QuoteStatus.in_progress,
        }
    )
    step.stamp(revision)
    _copy_lines(step, old.id, Document.quote, revision.id)
    return Written(
        "quote",
        revision.id,
        f"Quote {old.quote_number} revised to revision {revision.revision_number}",
    )


@write.register
def _(action: a.CloseQuote, step: Step) -> Written:
    quote = _quote(step, action.quote_id)
    _close(step, quote, action.reason)
    return Written("quote", quote.id, f"Quote {quote.quote_number} closed: {action.reason}")


def _close_open_quotes(step: Step, reason: QuoteStatus, keep: uuid.UUID | None = None) -> None:
    for snapshot in step.state.quotes:
        if snapshot.id != keep and snapshot.state in (QuoteState.draft, QuoteState.active):
            _close(step, _quote(step, snapshot.id), reason)


def _win(step: Step, opportunity: Opportunity, revenue: Decimal, close_date: Any) -> None:
    opportunity.state, opportunity.status_reason = OpportunityState.won, OpportunityStatus.won
    opportunity.actual_revenue = revenue
    opportunity.actual_close_date = close_date or step.at.date()
    step.stamp(opportunity)


@write.register
def _(action: a.Accept, step: Step) -> Written:
    quote = _quote(step, action.quote_id)
    quote.state, quote.status_reason, quote.closed_at = QuoteState.won, QuoteStatus.won, step.at
    step.stamp(quote)
    _close_open_quotes(step, QuoteStatus.canceled, keep=quote.id)
    opportunity = _opportunity(step)
    _win(step, opportunity, quote.total_amount, None)
    order_id = step.new_id("order")
    order = SalesOrder(
        id=order_id,
        deal_id=step.request.deal_id,
        order_number=_number("ORD", order_id),
        name=quote.name,
        account_id=opportunity.account_id,
        contact_id=opportunity.contact_id,
        price_list_id=opportunity.price_list_id,
        ship_to_address=quote.ship_to_address,
        opportunity_id=opportunity.id,
        quote_id=quote.id,
        total_amount=quote.total_amount,
    )
    step.stamp(order, opportunity.owner_id)
    _copy_lines(step, quote.id, Document.order, order.id)
    return Written(
        "order",
        order.id,
        f"Quote {quote.quote_number} accepted, order {order.order_number} created",
    )


@write.register
def _(action: a.Win, step: Step) -> Written:
    opportunity = _opportunity(step)
    _close_open_quotes(step, QuoteStatus.canceled)
    revenue = action.actual_revenue
    if revenue is None:
        revenue = step.state.opportunity.value if step.state.opportunity else ZERO
    _win(step, opportunity, revenue, action.actual_close_date)
    opportunity.close_description = action.description
    return Written("opportunity", opportunity.id, "Opportunity won")


@write.register
def _(action: a.Lose, step: Step) -> Written:
    opportunity = _opportunity(step)
    if action.competitor_id:
        _existing(step, Competitor, action.competitor_id, "competitor_id")
    _close_open_quotes(step, QuoteStatus.lost)
    opportunity.state, opportunity.status_reason = OpportunityState.lost, action.reason
    opportunity.actual_revenue = ZERO
    opportunity.actual_close_date = action.actual_close_date or step.at.date()
    opportunity.winning_competitor_id = action.competitor_id
    opportunity.close_description = action.description
    step.stamp(opportunity)
    return Written("opportunity", opportunity.id, f"Opportunity lost: {action.reason}")


@write.register
def _(action: a.Reopen, step: Step) -> Written:
    opportunity = _opportunity(step)
    opportunity.state, opportunity.status_reason = (
        OpportunityState.open,
        OpportunityStatus.in_progress,
    )
    opportunity.actual_revenue = opportunity.actual_close_date = None
    opportunity.winning_competitor_id = opportunity.close_description = None
    step.stamp(opportunity)
    return Written("opportunity", opportunity.id, "Opportunity reopened")


# --- orders and invoices ------------------------------------------------------------------


def _order(step: Step, order_id: uuid.UUID) -> SalesOrder:
    order = step.session.get(SalesOrder, order_id)
    assert order is not None
    return order


@write.register
def _(action: a.CreateOrder, step: Step) -> Written:
    fields = {
        **action.order.model_dump(),
        "id": action.order_id,
        "order_number": _number("ORD", action.order_id),
    }
    order = _open_document(step, SalesOrder, fields, action.owner_id, Document.order, action.lines)
    return Written("order", order.id, f"Order {order.order_number} created")


@write.register
def _(action: a.SubmitOrder, step: Step) -> Written:
    order = _order(step, action.order_id)
    order.state, order.status_reason = OrderState.submitted, OrderStatus.submitted
    order.submitted_at = step.at
    step.stamp(order)
    return Written("order", order.id, f"Order {order.order_number} submitted")


@write.register
def _(action: a.Fulfill, step: Step) -> Written:
    order = _order(step, action.order_id)
    order.fulfillment_status, order.fulfilled_at = action.status, step.at
    if order.state is not OrderState.invoiced:
        order.state, order.status_reason = OrderState.fulfilled, action.status
    step.stamp(order)
    return Written("order", order.id, f"Order {order.order_number} fulfilled ({action.status})")


@write.register
def _(action: a.CancelOrder, step: Step) -> Written:
    order = _order(step, action.order_id)
    order.state, order.status_reason = OrderState.canceled, OrderStatus.canceled
    step.stamp(order)
    return Written("order", order.id, f"Order {order.order_number} cancelled")


@write.register
def _(action: a.InvoiceOrder, step: Step) -> Written:
    order = _order(step, action.order_id)
    order_lines = step.state.lines_of(order.id)
    chosen = quantities_to_bill(action, order_lines)
    invoice_id = step.new_id("invoice")
    invoice = Invoice.model_validate(
        {
            **action.invoice.model_dump(),
            "id": invoice_id,
            "deal_id": step.request.deal_id,
            "invoice_number": _number("INV", invoice_id),
            "order_id": order.id,
            "name": action.invoice.name or order.name,
            "account_id": action.invoice.account_id or order.account_id,
            "contact_id": action.invoice.contact_id or order.contact_id,
        }
    )
    step.stamp(invoice, order.owner_id)
    for number, source in enumerate((line for line in order_lines if line.id in chosen), start=1):
        stored = step.session.get(LineItem, source.id)
        assert stored is not None
        quantity = chosen[source.id]
        line = LineItem.model_validate(
            {
                **stored.model_dump(exclude={"id", "created_at", "created_by", "owner_id"}),
                "id": step.new_id(f"invoice-line-{number}"),
                "document": Document.invoice,
                "document_id": invoice.id,
                "line_number": number,
                "quantity": quantity,
                "manual_discount": share(stored.manual_discount, quantity, stored.quantity),
                "tax": share(stored.tax, quantity, stored.quantity),
                "source_line_id": stored.id,
            }
        )
        # The invoice billing what is left of a line bills what is left of its amount, so the
        # invoices of a line add up to it exactly (three thirds of 100.00 are 33.33, 33.33, 33.34).
        line.extended_amount = (
            stored.extended_amount - source.invoiced_amount
            if quantity == source.remaining_quantity
            else share(stored.extended_amount, quantity, stored.quantity)
        )
        step.stamp(line)
    step.session.flush()
    _retotal(step.session, invoice, Document.invoice)
    fully_billed = all(
        line.remaining_quantity - chosen.get(line.id, ZERO) <= 0 for line in order_lines
    )
    if fully_billed:
        order.state, order.status_reason = OrderState.invoiced, OrderStatus.invoiced
        step.stamp(order)
    return Written(
        "invoice",
        invoice.id,
        f"Invoice {invoice.invoice_number} created from order {order.order_number}",
    )


@write.register
def _(action: a.CreateInvoice, step: Step) -> Written:
    fields = {
        **action.invoice.model_dump(),
        "id": action.invoice_id,
        "invoice_number": _number("INV", action.invoice_id),
    }
    invoice = _open_document(step, Invoice, fields, action.owner_id, Document.invoice, action.lines)
    return Written("invoice", invoice.id, f"Invoice {invoice.invoice_number} created")


def _invoice(step: Step, invoice_id: uuid.UUID) -> Invoice:
    invoice = step.session.get(Invoice, invoice_id)
    assert invoice is not None
    return invoice


def _settle(step: Step, invoice: Invoice) -> None:
    """State and status follow the amount paid: Paid when nothing is due, else Active."""
    paid = step.session.exec(
        select(col(Payment.amount)).where(
            col(Payment.invoice_id) == invoice.id, col(Payment.canceled_at).is_(None)
        )
    ).all()
    invoice.amount_paid = total(paid)
    if invoice.amount_paid >= invoice.total_amount:
        invoice.state, invoice.status_reason, invoice.paid_at = (
            InvoiceState.paid,
            InvoiceStatus.complete,
            step.at,
        )
    else:
        invoice.state, invoice.paid_at = InvoiceState.active, None
        if invoice.status_reason is not InvoiceStatus.overdue:  # still overdue until settled
            invoice.status_reason = (
                InvoiceStatus.partially_paid if invoice.amount_paid > 0 else InvoiceStatus.new
            )
    step.stamp(invoice)


@write.register
def _(action: a.Pay, step: Step) -> Written:
    invoice = _invoice(step, action.invoice_id)
    payment = Payment(
        id=step.new_id("payment"),
        deal_id=step.request.deal_id,
        invoice_id=invoice.id,
        paid_at=step.at,
        **action.payment.model_dump(),
    )
    step.stamp(payment, invoice.owner_id)
    step.session.flush()
    _settle(step, invoice)
    summary = f"Payment of {money_text(payment.amount)} on invoice {invoice.invoice_number}"
    return Written("payment", payment.id, summary)


@write.register
def _(action: a.CancelPayment, step: Step) -> Written:
    payment = step.session.get(Payment, action.payment_id)
    assert payment is not None
    payment.canceled_at = step.at
    step.stamp(payment)
    step.session.flush()
    invoice = _invoice(step, payment.invoice_id)
    _settle(step, invoice)
    return Written("payment", payment.id, f"Payment of {money_text(payment.amount)} cancelled")


@write.register
def _(action: a.CancelInvoice, step: Step) -> Written:
    invoice = _invoice(step, action.invoice_id)
    invoice.state, invoice.status_reason = InvoiceState.canceled, InvoiceStatus.canceled
    step.stamp(invoice)
    if invoice.order_id:
        order = _order(step, invoice.order_id)
        if order.state is OrderState.invoiced:
            # It has something left to bill again: back to where it was before the last invoice.
            if order.fulfillment_status:
                order.state, order.status_reason = OrderState.fulfilled, order.fulfillment_status
            else:
                order.state, order.status_reason = OrderState.active, OrderStatus.new
            step.stamp(order)
    return Written("invoice", invoice.id, f"Invoice {invoice.invoice_number} cancelled")


# --- reminders ----------------------------------------------------------------------------


@write.register
def _(action: a.FlagStale, step: Step) -> Written:
    lead = _lead(step)
    lead.is_stale = True
    step.stamp(lead)
    return Written("lead", lead.id, "Lead flagged stale: no answer to follow-ups")


@write.register
def _(action: a.ExpireQuote, step: Step) -> Written:
    quote = _quote(step, action.quote_id)
    _close(step, quote, QuoteStatus.expired)
    return Written("quote", quote.id, f"Quote {quote.quote_number} expired")


@write.register
def _(action: a.MarkOverdue, step: Step) -> Written:
    invoice = _invoice(step, action.invoice_id)
    invoice.status_reason = InvoiceStatus.overdue
    step.stamp(invoice)
    return Written("invoice", invoice.id, f"Invoice {invoice.invoice_number} is overdue")


# --- ownership ----------------------------------------------------------------------------


@write.register
def _(action: a.Assign, step: Step) -> Written:
    owner = step.session.get(User, action.owner_id)
    if owner is None or not owner.is_active:
        raise InvalidField("owner_id", "must be an active user")
    for model in (Lead, Opportunity, Quote, SalesOrder, Invoice, Payment):
        records = step.session.exec(
            select(model).where(col(model.deal_id) == step.request.deal_id)
        ).all()
        for record in records:
            record.owner_id = owner.id
            step.stamp(record)
    return Written(action.record, action.record_id, f"Deal assigned to {owner.name}")
