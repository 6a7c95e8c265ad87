"""Every side effect the workflows need, as idempotent Temporal activities."""

from collections.abc import Callable
from datetime import UTC, tzinfo
from typing import Any

from sqlalchemy import Engine

from activities.deal import DealActivities
from activities.goals import GoalActivities
from activities.notify import Notifiers
from activities.reminders import ReminderActivities


def build_activities(
    engine: Engine,
    notifiers: Notifiers,
    remembered_deals: int = 500,
    zone: tzinfo = UTC,
    *,
    enforce_process_steps: bool = False,
    escalation_hands_off: bool = False,
) -> list[Callable[..., Any]]:
    """The activities the worker registers, bound to the database and notifier they use;
    `remembered_deals`: as many as the worker keeps deals in memory; `zone`: the
    organisation's, whose date a deal's step is on; `enforce_process_steps`: leaving a stage
    needs its required process steps; `escalation_hands_off`: a stalled deal escalated to the
    owner's manager is handed to them."""
    reminders = ReminderActivities(engine, notifiers, escalation_hands_off)
    return [
        *DealActivities(engine, remembered_deals, zone, enforce_process_steps).all(),
        reminders.create_reminder_task,
        reminders.escalate_stalled_deal,
        reminders.notification_channels,
        reminders.deliver_notification,
        reminders.send_notification,
        GoalActivities(engine).recalculate_goals,
    ]
