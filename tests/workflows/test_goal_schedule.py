"""Goals kept fresh by Temporal: the schedule the worker creates at start, and the workflow it
starts, which works out every goal's figures again.

The time-skipping server has no schedules, so there the schedule's own action (its workflow and
argument) is started by hand; the dev server runs the schedule itself."""

import asyncio
import uuid
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import Engine
from sqlmodel import Session
from temporalio.client import ScheduleActionStartWorkflow, ScheduleIntervalSpec
from temporalio.testing import WorkflowEnvironment

from core.settings import Settings
from models.goal import (
    Goal,
    GoalCreate,
    GoalMetricCreate,
    GoalsRecalculated,
    MetricKind,
    RollupField,
)
from models.opportunity import Opportunity, OpportunityState
from models.user import User
from services.goals import goal_repository, metrics
from worker import build_worker
from workflows.goals import SCHEDULE_ID, ensure_goal_schedule, goal_schedule


def seeded_goal(engine: Engine) -> uuid.UUID:
    """A seller's Q1 2027 goal of won revenue, and one deal won in it for 4200.00."""
    with Session(engine) as session:
        seller = User(name="Ann", email=f"ann-{uuid.uuid4().hex[:6]}@example.com")
        session.add(seller)
        session.commit()
        metric = metrics.create(
            session,
            GoalMetricCreate(
                name="Won revenue", kind=MetricKind.amount, amount_field=RollupField.revenue
            ),
            seller.id,
        )
        goal = goal_repository(1).create(
            session,
            GoalCreate.model_validate(
                {
                    "name": "Q1",
                    "metric_id": metric.id,
                    "period": "quarter",
                    "fiscal_year": 2027,
                    "fiscal_period": 1,
                    "target": "6000",
                }
            ),
            seller.id,
        )
        session.add(
            Opportunity(
                name="Desks",
                deal_id="deal-1",
                owner_id=seller.id,
                state=OpportunityState.won,
                actual_revenue=Decimal("4200.00"),
                actual_close_date=date(2027, 2, 1),
            )
        )
        session.commit()
        return goal.id


def figures(engine: Engine, goal_id: uuid.UUID) -> tuple[Decimal, Decimal] | None:
    with Session(engine) as session:
        goal = session.get(Goal, goal_id)
        assert goal is not None
        return None if goal.computed_at is None else (goal.actual, goal.percentage_achieved)


async def test_the_schedules_workflow_works_out_every_goals_figures(
    settings: Settings, engine: Engine, time_skipping_server: WorkflowEnvironment
) -> None:
    goal_id = seeded_goal(engine)
    action = goal_schedule(settings.task_queue, timedelta(minutes=15)).action
    assert isinstance(action, ScheduleActionStartWorkflow)
    client = time_skipping_server.client
    async with build_worker(client, settings):
        done = await client.execute_workflow(
            action.workflow,
            args=action.args,
            id=f"goal-recalculation-{uuid.uuid4()}",
            task_queue=settings.task_queue,
            result_type=GoalsRecalculated,
        )
    assert done.goals == 1
    assert figures(engine, goal_id) == (Decimal("4200.00"), Decimal("70.00"))


async def test_the_worker_keeps_one_schedule_which_fires_the_recalculation(
    settings: Settings, engine: Engine, dev_server: WorkflowEnvironment
) -> None:
    client = dev_server.client
    await ensure_goal_schedule(client, "elsewhere", timedelta(hours=1))
    # A later start, with other settings: the same schedule, brought up to date.
    await ensure_goal_schedule(client, settings.task_queue, timedelta(minutes=15))
    handle = client.get_schedule_handle(SCHEDULE_ID)
    try:
        described = await handle.describe()
        assert described.schedule.spec.intervals == [
            ScheduleIntervalSpec(every=timedelta(minutes=15))
        ]
        action = described.schedule.action
        assert isinstance(action, ScheduleActionStartWorkflow)
        assert action.task_queue == settings.task_queue
        goal_id = seeded_goal(engine)
        async with build_worker(client, settings):
            await handle.trigger()
            for _ in range(100):
                if (found := figures(engine, goal_id)) is not None:
                    break
                await asyncio.sleep(0.1)
        assert found == (Decimal("4200.00"), Decimal("70.00"))
    finally:
        await handle.delete()
