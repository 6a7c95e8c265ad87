"""A deal's records in the database: read as plain data (`Deal`), and an action's `Effect` written
back. Generic: which table a record goes to is told by its type, whatever the action was."""

import uuid
from collections.abc import Iterable, Sequence
from typing import Any, cast

from sqlalchemy import Table, delete, insert, inspect, select, update
from sqlmodel import Session, SQLModel

from models.account import Account, AccountRecord
from models.connection import (
    OpportunityCompetitor,
    OpportunityCompetitorRecord,
    Stakeholder,
    StakeholderRecord,
)
from models.contact import Contact, ContactRecord
from models.deal.records import Deal, Effect, Record
from models.deal_event import DealEvent
from models.deal_process import DealProcess, DealProcessRecord
from models.invoice import Invoice, InvoiceRecord, Payment, PaymentRecord
from models.lead import Lead, LeadRecord
from models.line_item import LineItem, LineItemRecord
from models.opportunity import Opportunity, OpportunityRecord
from models.order import OrderRecord, SalesOrder
from models.quote import Quote, QuoteRecord


def _table(model: type[SQLModel]) -> Table:
    return cast(Table, inspect(model).local_table)


# The table of each kind of record an effect writes; a deal's own records first, in read order.
TABLES: dict[type[SQLModel], Table] = {
    LeadRecord: _table(Lead),
    OpportunityRecord: _table(Opportunity),
    QuoteRecord: _table(Quote),
    OrderRecord: _table(SalesOrder),
    InvoiceRecord: _table(Invoice),
    PaymentRecord: _table(Payment),
    LineItemRecord: _table(LineItem),
    OpportunityCompetitorRecord: _table(OpportunityCompetitor),
    StakeholderRecord: _table(Stakeholder),
    DealProcessRecord: _table(DealProcess),
    AccountRecord: _table(Account),
    ContactRecord: _table(Contact),
}
DEAL_TABLES = [(model, table) for model, table in TABLES.items() if "deal_id" in table.c]
JOURNAL = _table(DealEvent)


def read_deal(session: Session, deal_id: str) -> Deal:
    """Every record of the deal, one query per table."""
    records: list[Any] = []
    for model, table in DEAL_TABLES:
        rows = session.execute(select(table).where(table.c.deal_id == deal_id))
        records.extend(model.model_validate(dict(row._mapping)) for row in rows)
    return Deal.of(deal_id, records)


def step_done(session: Session, step_id: uuid.UUID) -> DealEvent | None:
    """The journal row of a step that committed, if it did."""
    row = session.execute(select(JOURNAL).where(JOURNAL.c.id == step_id)).first()
    return DealEvent.model_validate(dict(row._mapping)) if row else None


def write_step(session: Session, before: Deal, effect: Effect, event: DealEvent) -> None:
    """What a step did, in the caller's transaction: inserts, then updates of the columns that
    changed, then deletes, then its journal row. Inserts keep the effect's order, so a record
    comes after those it refers to."""
    for table, rows in _by_table(effect.created):
        session.execute(insert(table), [_columns(table, record) for record in rows])
    for record in effect.changed:
        old = before.get(type(record), record.id)
        new = _columns(TABLES[type(record)], record)
        changed = new if old is None else {k: v for k, v in new.items() if getattr(old, k) != v}
        if changed:
            table = TABLES[type(record)]
            session.execute(update(table).where(table.c.id == record.id).values(changed))
    for record in effect.removed:
        table = TABLES[type(record)]
        session.execute(delete(table).where(table.c.id == record.id))
    session.execute(insert(JOURNAL).values(event.model_dump()))


def _columns(table: Table, record: SQLModel) -> dict[str, Any]:
    return record.model_dump(include=set(table.c.keys()))


def _by_table(records: Iterable[Record]) -> Sequence[tuple[Table, list[Record]]]:
    grouped: dict[Table, list[Record]] = {}
    for record in records:
        grouped.setdefault(TABLES[type(record)], []).append(record)
    return list(grouped.items())
