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
from models.notification import Delivery, Escalated, Escalation, Notification, ReminderTask
from models.user import Team, User


class ReminderActivities:
    def __init__(self, engine: Engine, notifiers: Notifiers, hand_off: bool = False) -> None:
        """`hand_off`: an escalated deal is handed to the owner's manager."""
        self._engine = engine
        self._notifiers = notifiers
        self._hand_off = hand_off

    @activity.defn
    def escalate_stalled_deal(self, escalation: Escalation) -> Escalated:
        """A task for the deal owner's manager (their team's manager, not themselves); keyed by
        the escalation, so a retry never makes two. No manager: nobody to escalate to."""
        with Session(self._engine) as session:
            manager_id = _manager_of(session, escalation.owner_id)
            if manager_id is None:
                return Escalated()
        task_id = self.create_reminder_task(
            ReminderTask(**{**escalation.model_dump(), "owner_id": manager_id})
        )
        hand_to = manager_id if self._hand_off else None
        return Escalated(manager_id=manager_id, task_id=task_id, hand_to=hand_to)

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


def _manager_of(session: Session, owner_id: uuid.UUID | None) -> uuid.UUID | None:
    """The active manager of the owner's team, unless the owner manages it."""
    owner = session.get(User, owner_id) if owner_id else None
    team = session.get(Team, owner.team_id) if owner and owner.team_id else None
    manager = session.get(User, team.manager_user_id) if team and team.manager_user_id else None
    if manager is None or not manager.is_active or manager.id == owner_id:
        return None
    return manager.id
