"""Goal metrics and goals: the standard routes, and a goal's figures worked out on demand.

Everyone reads the metrics; managers and admins define them. Salespeople read their own goals,
managers set their team's, admins everyone's.
"""

from typing import Annotated, Any

from fastapi import APIRouter, Depends

from api.crud import crud_router
from api.deps import SessionDep, allow, record_access
from models.goal import (
    Goal,
    GoalCreate,
    GoalFilters,
    GoalMetricCreate,
    GoalMetricFilters,
    GoalMetricPublic,
    GoalMetricUpdate,
    GoalPublic,
    GoalUpdate,
)
from models.permissions import Area, Operation
from services import goals
from services.goals import metrics

metrics_router = crud_router(
    metrics,
    prefix="/goal-metrics",
    tag="goal metrics",
    area=Area.catalog,
    create=GoalMetricCreate,
    update=GoalMetricUpdate,
    public=GoalMetricPublic,
    filters=GoalMetricFilters,
)


def goals_router(fiscal_year_start_month: int) -> APIRouter:
    """The routes of goals whose fiscal periods begin in `fiscal_year_start_month`."""
    repository = goals.goal_repository(fiscal_year_start_month)
    router = crud_router(
        repository,
        prefix="/goals",
        tag="goals",
        area=Area.goals,
        create=GoalCreate,
        update=GoalUpdate,
        public=GoalPublic,
        filters=GoalFilters,
    )
    Readable = Annotated[Goal, Depends(record_access(repository, Area.goals, Operation.read))]

    @router.post(
        "/{record_id}/recalculate",
        response_model=GoalPublic,
        dependencies=[allow(Area.goals, Operation.read)],
    )
    def recalculate(session: SessionDep, found: Readable) -> Any:
        """Its figures now, rather than at the schedule's next run; its parent's and children's
        with it. Anyone who may read the goal may ask."""
        goals.recalculate(session, found.id)
        return repository.get(session, found.id)

    return router
