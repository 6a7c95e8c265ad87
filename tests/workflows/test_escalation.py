"""Stalled deals escalated on the time-skipping server: once the owner's follow-ups all went
unanswered, their manager gets a task and a notification, and the deal if the worker says so;
a touch before then stops it."""

import uuid
from datetime import timedelta

from sqlalchemy import Engine
from sqlmodel import Session, col, select
from temporalio.testing import WorkflowEnvironment

from activities import build_activities
from activities.notify import Notifiers
from core.settings import Settings
from models.deal_command import ActivityRecorded
from models.lead import Lead
from models.user import Role
from tests.auth import add_team, add_user
from tests.workflows.test_reminders import (
    DAY,
    POLICY,
    RecordingNotifier,
    eventually,
    open_lead,
    settle,
    tasks,
)
from worker import build_worker
from workflows.client import Deals

ESCALATED = "Stalled lead: 2 follow-ups unanswered"


def team_of_two(settings: Settings) -> tuple[uuid.UUID, uuid.UUID]:
    """A salesperson and the manager of their team."""
    manager = add_user(settings, Role.sales_manager)
    team = add_team(settings, "North", manager)
    return add_user(settings, team_id=team.id).id, manager.id


async def wait_out_the_follow_ups(
    server: WorkflowEnvironment, engine: Engine, deal_id: str
) -> None:
    for expected in (1, 2, 3):
        await server.sleep(DAY + timedelta(minutes=1))
        await eventually(lambda n=expected: len(tasks(engine, deal_id)) >= n)  # type: ignore[misc]
    await settle()


async def test_a_stalled_lead_is_escalated_to_the_owners_manager_once(
    time_skipping_server: WorkflowEnvironment, settings: Settings, engine: Engine
) -> None:
    owner_id, manager_id = team_of_two(settings)
    notifier = RecordingNotifier()
    activities = build_activities(engine, Notifiers({"webhook": notifier}))
    deals = Deals(time_skipping_server.client, settings.task_queue, POLICY)
    async with build_worker(time_skipping_server.client, settings, activities=activities):
        deal_id = await open_lead(deals, owner_id)
        await wait_out_the_follow_ups(time_skipping_server, engine, deal_id)
        (escalation,) = await eventually(
            lambda: [t for t in tasks(engine, deal_id) if t.subject == ESCALATED]
        )
        assert escalation.owner_id == manager_id
        await eventually(lambda: any(n.kind == "escalation" for n in notifier.sent))
        (sent,) = [n for n in notifier.sent if n.kind == "escalation"]
        assert sent.owner_id == manager_id
        await time_skipping_server.sleep(10 * DAY)
        await settle()
        assert len([t for t in tasks(engine, deal_id) if t.subject == ESCALATED]) == 1
        with Session(engine) as session:
            lead = session.exec(select(Lead).where(col(Lead.deal_id) == deal_id)).one()
            assert (lead.is_stale, lead.owner_id) == (True, owner_id)


async def test_an_escalated_deal_is_handed_to_the_manager_when_the_setting_says_so(
    time_skipping_server: WorkflowEnvironment, settings: Settings, engine: Engine
) -> None:
    owner_id, manager_id = team_of_two(settings)
    activities = build_activities(
        engine, Notifiers({"webhook": RecordingNotifier()}), escalation_hands_off=True
    )
    deals = Deals(time_skipping_server.client, settings.task_queue, POLICY)
    async with build_worker(time_skipping_server.client, settings, activities=activities):
        deal_id = await open_lead(deals, owner_id)
        await wait_out_the_follow_ups(time_skipping_server, engine, deal_id)

        def handed() -> bool:
            with Session(engine) as session:
                lead = session.exec(select(Lead).where(col(Lead.deal_id) == deal_id)).one()
                return lead.owner_id == manager_id

        await eventually(handed)


async def test_a_touch_before_the_last_follow_up_stops_the_escalation(
    time_skipping_server: WorkflowEnvironment, settings: Settings, engine: Engine
) -> None:
    owner_id, _ = team_of_two(settings)
    activities = build_activities(engine, Notifiers({"webhook": RecordingNotifier()}))
    deals = Deals(time_skipping_server.client, settings.task_queue, POLICY)
    async with build_worker(time_skipping_server.client, settings, activities=activities):
        deal_id = await open_lead(deals, owner_id)
        for expected in (1, 2):
            await time_skipping_server.sleep(DAY + timedelta(minutes=1))
            await eventually(lambda n=expected: len(tasks(engine, deal_id)) == n)  # type: ignore[misc]
        await deals.touch(deal_id, ActivityRecorded(activity_id=uuid.uuid4()))
        await time_skipping_server.sleep(DAY - timedelta(hours=1))
        await settle()
        assert all(t.subject != ESCALATED for t in tasks(engine, deal_id))
