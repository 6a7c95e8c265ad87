"""Activities (tasks, emails, calls, appointments) and the timelines they make."""

import uuid
from collections.abc import Sequence
from datetime import datetime

from pydantic import BaseModel
from sqlalchemy import or_
from sqlmodel import Session, SQLModel, col, func, select

from models.account import Account
from models.activity import Activity, ActivityStatus, Regarding
from models.base import RecordTable, utcnow
from models.contact import Contact
from models.deal_event import DealEvent
from models.errors import IllegalTransition, InvalidField, NotFound
from models.invoice import Invoice
from models.lead import Lead
from models.opportunity import Opportunity
from models.order import SalesOrder
from models.quote import Quote
from services.crud import NO_SCOPE, Repository, Scope

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

    at: datetime
    kind: str
    subject: str
    status: str | None = None
    activity_id: uuid.UUID | None = None
    action: str | None = None
    by: uuid.UUID | None = None


def timeline(
    session: Session, regarding: Regarding, record_id: uuid.UUID, limit: int, offset: int
) -> tuple[list[TimelineEntry], int]:
    """Newest first. An account's includes its contacts' activities; a deal record's includes the
    deal's transitions."""
    record = session.get(REGARDED[regarding], record_id)
    if record is None:
        raise NotFound(regarding, record_id)
    about = col(Activity.regarding_id) == record_id
    if regarding is Regarding.account:
        about = or_(about, col(Activity.rollup_account_id) == record_id)
    newest = limit + offset
    activities_found: Sequence[Activity] = session.exec(
        select(Activity).where(about).order_by(col(Activity.created_at).desc()).limit(newest)
    ).all()
    count = session.exec(select(func.count()).select_from(Activity).where(about)).one()
    entries = [
        TimelineEntry(
            at=a.created_at,
            kind=a.kind,
            subject=a.subject,
            status=a.status,
            activity_id=a.id,
            by=a.created_by,
        )
        for a in activities_found
    ]
    deal_id = getattr(record, "deal_id", None)
    if deal_id:
        events = session.exec(
            select(DealEvent)
            .where(col(DealEvent.deal_id) == deal_id)
            .order_by(col(DealEvent.at).desc())
            .limit(newest)
        ).all()
        count += session.exec(
            select(func.count()).select_from(DealEvent).where(col(DealEvent.deal_id) == deal_id)
        ).one()
        entries += [
            TimelineEntry(at=e.at, kind="transition", subject=e.summary, action=e.action, by=e.by)
            for e in events
        ]
    entries.sort(key=lambda entry: entry.at, reverse=True)
    return entries[offset:newest], count
