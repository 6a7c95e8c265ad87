"""Goal metrics and goals: their repositories, and the SQL sums that give a goal its figures."""

import uuid
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, func
from sqlmodel import Session, col, select

from models.base import utcnow
from models.errors import InvalidField
from models.goal import (
    ZERO,
    Figures,
    Goal,
    GoalMetric,
    GoalNode,
    MetricKind,
    RollupField,
    check_child,
    check_metric,
    check_targets,
    percentage_achieved,
    period_dates,
    roll_up,
    tree_of,
)
from models.opportunity import Opportunity, OpportunityState
from models.user import Team, User
from services.crud import Repository, ancestry
from services.figures import opportunity_value

metrics = Repository(
    GoalMetric,
    "goal metric",
    sortable=frozenset({"name", "kind"}),
    search=("name",),
    checks=(check_metric,),
)


@dataclass
class GoalRepository(Repository[Goal]):
    """Goals, whose fiscal periods start in the organisation's first fiscal month."""

    fiscal_year_start_month: int = 1

    def before_save(self, session: Session, record: Goal) -> None:
        record.starts_on, record.ends_on = period_dates(
            record.period,
            record.fiscal_year,
            record.fiscal_period,
            record.starts_on,
            record.ends_on,
            self.fiscal_year_start_month,
        )
        metric = session.get(GoalMetric, record.metric_id)
        if metric is None or not metric.is_active:
            raise InvalidField("metric_id", f"no active goal metric {record.metric_id}")
        check_targets(record, metric)
        if record.team_id is not None:
            self._check_team_owner(session, record)
        if record.parent_goal_id is not None:
            parent = session.get(Goal, record.parent_goal_id)
            if parent is None:
                raise InvalidField("parent_goal_id", f"no goal {record.parent_goal_id}")
            if record.id in ancestry(session, Goal, "parent_goal_id", parent.id):
                raise InvalidField("parent_goal_id", "would make the goal its own ancestor")
            check_child(record, record.starts_on, record.ends_on, parent)

    def _check_team_owner(self, session: Session, record: Goal) -> None:
        """A team goal is kept by the team's manager or one of its members."""
        team = session.get(Team, record.team_id)
        owner = session.get(User, record.owner_id) if record.owner_id else None
        if team is None:
            raise InvalidField("team_id", f"no team {record.team_id}")
        if owner is None or (owner.team_id != team.id and team.manager_user_id != owner.id):
            raise InvalidField(
                "team_id", "a team goal's owner is the team's manager or one of its members"
            )


def goal_repository(fiscal_year_start_month: int) -> GoalRepository:
    return GoalRepository(
        Goal,
        "goal",
        sortable=frozenset({"name", "target", "actual", "percentage_achieved", "starts_on"}),
        search=("name",),
        fiscal_year_start_month=fiscal_year_start_month,
    )


_FIELDS: dict[RollupField, Any] = {
    RollupField.actual_revenue: col(Opportunity.actual_revenue),
    RollupField.estimated_revenue: col(Opportunity.estimated_revenue),
    RollupField.total_amount: col(Opportunity.total_amount),
}


def _summed(metric: GoalMetric) -> ColumnElement[Any]:
    """What the metric adds up over the opportunities: a field, or how many there are."""
    if metric.kind is MetricKind.count:
        return func.count()
    if metric.amount_field is RollupField.revenue:
        return func.sum(opportunity_value())
    return func.sum(_FIELDS[RollupField(str(metric.amount_field))])


def _owned_by_goal_owner(goal: Goal) -> ColumnElement[bool]:
    if goal.team_id is not None:
        members = select(User.id).where(col(User.team_id) == goal.team_id)
        return col(Opportunity.owner_id).in_(members)
    return col(Opportunity.owner_id) == goal.owner_id


def own_figures(session: Session, goal: Goal, metric: GoalMetric) -> Figures:
    """The goal owner's opportunities in the goal's period: won ones by actual close date
    (actual), open ones by estimated close date (in progress), as the metric tracks them."""

    def total(state: OpportunityState, closes: Any) -> Any:
        found = session.exec(
            select(_summed(metric)).where(
                _owned_by_goal_owner(goal),
                col(Opportunity.state) == state,
                closes.between(goal.starts_on, goal.ends_on),
            )
        ).one()
        return ZERO if found is None else Decimal(found)

    return Figures(
        actual=total(OpportunityState.won, col(Opportunity.actual_close_date))
        if metric.tracks_actual
        else ZERO,
        in_progress=total(OpportunityState.open, col(Opportunity.estimated_close_date))
        if metric.tracks_in_progress
        else ZERO,
    )


def recalculate(session: Session, goal_id: uuid.UUID | None = None) -> tuple[int, datetime]:
    """Work out and store the figures of every active goal, or of `goal_id`'s tree (its root
    and all below it, whose figures depend on it). Answers how many goals, and when."""
    goals = {goal.id: goal for goal in session.exec(select(Goal).where(col(Goal.is_active)))}
    if goal_id is not None:
        tree = tree_of(goal_id, {goal.id: goal.parent_goal_id for goal in goals.values()})
        goals = {found: goals[found] for found in tree if found in goals}
    metric_ids = {goal.metric_id for goal in goals.values()}
    by_id = {
        metric.id: metric
        for metric in session.exec(select(GoalMetric).where(col(GoalMetric.id).in_(metric_ids)))
    }
    figures = roll_up(
        GoalNode(
            goal.id,
            goal.parent_goal_id,
            goal.rolls_up_from_children_only,
            own_figures(session, goal, by_id[goal.metric_id]),
        )
        for goal in goals.values()
    )
    now = utcnow()
    for found, goal in goals.items():
        goal.actual = figures[found].actual
        goal.in_progress = figures[found].in_progress
        goal.percentage_achieved = percentage_achieved(goal.actual, goal.target)
        goal.computed_at = now
        session.add(goal)
    session.commit()
    return len(goals), now
