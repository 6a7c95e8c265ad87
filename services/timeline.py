"""Activities (tasks, emails, calls, appointments) and the timelines they make."""

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from pydantic import BaseModel
from sqlalchemy import ColumnElement, or_
from sqlmodel import Session, SQLModel, col, select

from models.account import Account
from models.activity import Activity, ActivityStatus, Regarding
from models.base import RecordTable, utcnow
from models.contact import Contact
from models.deal_event import DealEvent
from models.errors import IllegalTransition, InvalidField, NotFound
from models.invoice import Invoice
from models.lead import Lead
from models.listing import Page, encode_cursor
from models.opportunity import Opportunity
from models.order import SalesOrder
from models.quote import Quote
from services.crud import NO_SCOPE, Repository, Scope, SortKey, after_cursor, bounded_count

REGARDED: dict[Regarding, type[RecordTable]] = {
    Regarding.lead: Lead,
    Regarding.opportunity: Opportunity,
    Regarding.quote: Quote,
    Regarding.order: SalesOrder,
    Regarding.invoice: Invoice,
    Regarding.account: Account,
    Regarding.contact: Contact,
}


def regarded_record(session: Session, regarding: Regarding, record_id: uuid.UUID) -> RecordTable:
    record = session.get(REGARDED[regarding], record_id)
    if record is None:
        raise InvalidField("regarding_id", f"{regarding} {record_id} not found")
    return record


class ActivityRepository(Repository[Activity]):
    def before_save(self, session: Session, record: Activity) -> None:
        regarded = regarded_record(session, record.regarding_type, record.regarding_id)
        record.deal_id = getattr(regarded, "deal_id", None)
        record.rollup_account_id = (
            regarded.parent_account_id if isinstance(regarded, Contact) else None
        )

    def update(
        self,
        session: Session,
        record_id: uuid.UUID,
        patch: SQLModel,
        actor: uuid.UUID | None,
        scope: Scope = NO_SCOPE,
    ) -> Activity:
        self._open(session, record_id, "update")
        return super().update(session, record_id, patch, actor, scope)

    def close(
        self,
        session: Session,
        record_id: uuid.UUID,
        status: ActivityStatus,
        actor: uuid.UUID | None,
    ) -> Activity:
        """Complete or cancel an open activity."""
        activity = self._open(
            session, record_id, "complete" if status is ActivityStatus.completed else "cancel"
        )
        activity.status = status
        activity.completed_at = utcnow() if status is ActivityStatus.completed else None
        return self._touch_and_save(session, activity, actor)

    def _open(self, session: Session, record_id: uuid.UUID, action: str) -> Activity:
        activity = self.get(session, record_id)
        if activity.status is not ActivityStatus.open:
            raise IllegalTransition(
                "activity", activity.status, action, "only an open activity can change"
            )
        return activity


activities = ActivityRepository(
    Activity,
    "activity",
    sortable=frozenset({"due_at", "subject", "status", "kind"}),
    search=("subject",),
)


class TimelineEntry(BaseModel):
    """One line of a record's timeline: an activity, or one of its deal's transitions."""

    id: uuid.UUID
    at: datetime
    kind: str
    subject: str
    status: str | None = None
    activity_id: uuid.UUID | None = None
    action: str | None = None
    by: uuid.UUID | None = None


NEWEST_FIRST = "-at"


def timeline(
    session: Session,
    regarding: Regarding,
    record_id: uuid.UUID,
    limit: int,
    offset: int = 0,
    cursor: str | None = None,
) -> Page[TimelineEntry]:
    """Newest first (ties by id). An account's includes its contacts' activities; a deal record's
    includes the deal's transitions. Both sources are read from the cursor on, `offset + limit`
    rows each at most, and merged, so a deep page costs no more than the first."""
    record = session.get(REGARDED[regarding], record_id)
    if record is None:
        raise NotFound(regarding, record_id)
    wanted = offset + limit + 1
    about = col(Activity.regarding_id) == record_id
    if regarding is Regarding.account:
        about = or_(about, col(Activity.rollup_account_id) == record_id)
    sources: list[tuple[type[Activity | DealEvent], Any, ColumnElement[bool]]] = [
        (Activity, col(Activity.created_at), about)
    ]
    deal_id = getattr(record, "deal_id", None)
    if deal_id:
        sources.append((DealEvent, col(DealEvent.at), col(DealEvent.deal_id) == deal_id))
    entries: list[TimelineEntry] = []
    count = 0
    for model, at, condition in sources:
        keys = [
            SortKey(at, False, False, datetime),
            SortKey(col(model.id), False, False, uuid.UUID),
        ]
        rows: Sequence[Activity | DealEvent] = session.exec(  # type: ignore[assignment]
            select(model)
            .where(condition, *after_cursor(keys, cursor, NEWEST_FIRST))
            .order_by(*(key.order() for key in keys))
            .limit(wanted)
        ).all()
        entries += [_entry(row) for row in rows]
        count += bounded_count(session, select(model.id).where(condition))
    entries.sort(key=lambda entry: (entry.at, entry.id), reverse=True)
    last = entries[offset + limit - 1] if len(entries) > offset + limit else None
    return Page[TimelineEntry].of(
        entries[offset : offset + limit],
        count,
        None if last is None else encode_cursor(NEWEST_FIRST, [last.at, last.id]),
    )


def _entry(row: Activity | DealEvent) -> TimelineEntry:
    if isinstance(row, DealEvent):
        return TimelineEntry(
            id=row.id,
            at=row.at,
            kind="transition",
            subject=row.summary,
            action=row.action,
            by=row.by,
        )
    return TimelineEntry(
        id=row.id,
        at=row.created_at,
        kind=row.kind,
        subject=row.subject,
        status=row.status,
        activity_id=row.id,
        by=row.created_by,
    )
