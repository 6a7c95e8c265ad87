"""The deal's reminder activities: the follow-up task in the database, and its notification."""

import asyncio
import uuid

from sqlalchemy import Engine
from sqlmodel import Session, col, select
from temporalio import activity

from activities.notify import Notifier
from models.activity import Activity, ActivityKind, Priority, Regarding
from models.notification import Notification, ReminderTask
from models.user import User


class ReminderActivities:
    def __init__(self, engine: Engine, notifier: Notifier) -> None:
        self._engine = engine
        self._notifier = notifier

    @activity.defn
    def create_reminder_task(self, task: ReminderTask) -> uuid.UUID:
        """A task for the deal's owner; keyed by the reminder, so a retry never makes two."""
        key = f"{task.deal_id}:{task.key}"
        with Session(self._engine) as session:
            existing = session.exec(
                select(Activity.id).where(col(Activity.reminder_key) == key)
            ).first()
            if existing is not None:
                return existing
            created = Activity(
                kind=ActivityKind.task,
                subject=task.subject,
                regarding_type=Regarding(task.regarding_type),
                regarding_id=task.regarding_id,
                deal_id=task.deal_id,
                owner_id=task.owner_id,
                due_at=task.due_at,
                priority=Priority.high,
                reminder_key=key,
            )
            session.add(created)
            session.commit()
            return created.id

    @activity.defn
    async def send_notification(self, notification: Notification) -> None:
        """To every configured channel; the email goes to the deal's owner."""
        email = await asyncio.to_thread(self._email_of, notification.owner_id)
        await self._notifier.send(notification.model_copy(update={"owner_email": email}))

    def _email_of(self, user_id: uuid.UUID | None) -> str | None:
        if user_id is None:
            return None
        with Session(self._engine) as session:
            user = session.get(User, user_id)
            return user.email if user is not None and user.is_active else None
