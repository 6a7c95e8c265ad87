"""The goals' recalculation: every figure worked out again by SQL sums over opportunities."""

from sqlalchemy import Engine
from sqlmodel import Session
from temporalio import activity

from models.goal import GoalsRecalculated, RecalculateGoals
from services.goals import recalculate


class GoalActivities:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    @activity.defn
    def recalculate_goals(self, request: RecalculateGoals) -> GoalsRecalculated:
        """Idempotent: figures are worked out from the opportunities as they are, so a retry
        writes the same figures (or newer ones)."""
        with Session(self._engine) as session:
            count, at = recalculate(session, request.goal_id)
        return GoalsRecalculated(goals=count, computed_at=at)
