"""The deal's reminder activities: the follow-up task in the database, and its notification."""

import asyncio
import uuid

from sqlalchemy import Engine
from sqlmodel import Session, col, select
from temporalio import activity

from activities.notify import Notifiers
from core.failures import to_failure
from models.activity import Activity, ActivityKind, Priority, Regarding
from models.errors import InvalidField
from models.notification import Delivery, Notification, ReminderTask
from models.user import User


class ReminderActivities:
    def __init__(self, engine: Engine, notifiers: Notifiers) -> None:
        self._engine = engine
        self._notifiers = notifiers

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
    async def notification_channels(self) -> list[str]:
        """The channels this worker delivers to: the workflow sends one activity to each."""
        return list(self._notifiers.channels)

    @activity.defn
    async def deliver_notification(self, delivery: Delivery) -> None:
        """To one channel, so a retry after its failure sends nothing through any other; the
        email goes to the deal's owner."""
        channel = self._notifiers.channels.get(delivery.channel)
        if channel is None:  # configured on the worker that asked, not on this one
            raise to_failure(InvalidField("channel", f"{delivery.channel} is not configured"))
        await channel.send(await self._addressed(delivery.notification))

    @activity.defn
    async def send_notification(self, notification: Notification) -> None:
        """To every channel at once: scheduled by runs that reached a reminder before one
        activity per channel (`notify-per-channel` in workflows/deal.py)."""
        await self._notifiers.send(await self._addressed(notification))

    async def _addressed(self, notification: Notification) -> Notification:
        email = await asyncio.to_thread(self._email_of, notification.owner_id)
        return notification.model_copy(update={"owner_email": email})

    def _email_of(self, user_id: uuid.UUID | None) -> str | None:
        if user_id is None:
            return None
        with Session(self._engine) as session:
            user = session.get(User, user_id)
            return user.email if user is not None and user.is_active else None
