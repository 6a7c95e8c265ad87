"""The goals' figures, kept fresh: a Temporal Schedule starts `GoalRecalculationWorkflow` every
few minutes, and the worker creates (or updates) that schedule when it starts."""

from datetime import timedelta

from temporalio import workflow
from temporalio.client import (
    Client,
    Schedule,
    ScheduleActionStartWorkflow,
    ScheduleAlreadyRunningError,
    ScheduleIntervalSpec,
    ScheduleOverlapPolicy,
    SchedulePolicy,
    ScheduleSpec,
    ScheduleUpdate,
    ScheduleUpdateInput,
)
from temporalio.common import RetryPolicy

with workflow.unsafe.imports_passed_through():
    from activities.goals import GoalActivities
    from models.goal import GoalsRecalculated, RecalculateGoals

SCHEDULE_ID = "goal-recalculation"


@workflow.defn
class GoalRecalculationWorkflow:
    """One recalculation of the goals' figures, as one activity."""

    @workflow.run
    async def run(self, request: RecalculateGoals) -> GoalsRecalculated:
        return await workflow.execute_activity_method(
            GoalActivities.recalculate_goals,
            request,
            start_to_close_timeout=timedelta(minutes=5),
            retry_policy=RetryPolicy(maximum_attempts=5, maximum_interval=timedelta(minutes=1)),
        )


def goal_schedule(task_queue: str, every: timedelta) -> Schedule:
    """Every `every`; a run still going when the next is due makes that one skip."""
    return Schedule(
        action=ScheduleActionStartWorkflow(
            GoalRecalculationWorkflow.run,
            RecalculateGoals(),
            id=SCHEDULE_ID,
            task_queue=task_queue,
        ),
        spec=ScheduleSpec(intervals=[ScheduleIntervalSpec(every=every)]),
        policy=SchedulePolicy(overlap=ScheduleOverlapPolicy.SKIP),
    )


async def ensure_goal_schedule(client: Client, task_queue: str, every: timedelta) -> None:
    """Create the schedule, or bring an existing one to this task queue and interval: every
    worker start may call it, and there stays one schedule."""
    schedule = goal_schedule(task_queue, every)
    try:
        await client.create_schedule(SCHEDULE_ID, schedule)
    except ScheduleAlreadyRunningError:

        def replace(_: ScheduleUpdateInput) -> ScheduleUpdate:
            return ScheduleUpdate(schedule=schedule)

        await client.get_schedule_handle(SCHEDULE_ID).update(replace)
