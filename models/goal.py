"""Goals and goal metrics (Dynamics' goal and metric): a target for a user or a team over a
period, its actual (won) and in-progress (open) figures rolled up from opportunities, and
child goals whose figures roll up into their parent.

The rules here are pure: a period's first and last day, a goal's figures from its own and its
children's, the percentage achieved. The sums over opportunities are SQL (`services.goals`).
"""

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_EVEN, Decimal
from enum import StrEnum
from typing import Self

from pydantic import BaseModel, model_validator
from sqlmodel import Field, SQLModel

from models.base import (
    MONEY_MAX,
    RecordPublic,
    RecordTable,
    RequestFields,
    StrEnumType,
    UTCDateTime,
    money_field,
    money_input,
)
from models.errors import InvalidField

ZERO = Decimal(0)
CENT = Decimal("0.01")


class MetricKind(StrEnum):
    """What a goal counts: a sum of money, or a number of opportunities."""

    amount = "amount"
    count = "count"  # type: ignore[assignment]  # the member, not str.count: Dynamics' word


class RollupField(StrEnum):
    """The opportunity field an amount metric sums."""

    # What the deal is worth: its actual revenue once won; before, the lines' total or the
    # user's estimate (as the opportunity shows it).
    revenue = "revenue"
    actual_revenue = "actual_revenue"
    estimated_revenue = "estimated_revenue"
    total_amount = "total_amount"


class GoalMetricBase(SQLModel):
    name: str = Field(min_length=1, max_length=100, index=True)
    kind: MetricKind = Field(sa_type=StrEnumType(MetricKind, 20))
    # Amount metrics only: the field summed (won revenue: `revenue` of won opportunities).
    amount_field: RollupField | None = Field(default=None, sa_type=StrEnumType(RollupField, 30))
    # Actual: won opportunities, by actual close date. In progress: open ones, by estimated
    # close date. A metric may track either or both (open pipeline: in progress only).
    tracks_actual: bool = True
    tracks_in_progress: bool = True
    # Goals of this metric may name a stretch target beyond their target.
    tracks_stretch_target: bool = False
    description: str | None = Field(default=None, max_length=2000)


class GoalMetric(GoalMetricBase, RecordTable, table=True):
    __tablename__ = "goal_metric"


class GoalMetricCreate(GoalMetricBase, RequestFields):
    owner_id: uuid.UUID | None = None


class GoalMetricUpdate(RequestFields):
    """Partial update: only the fields sent are changed."""

    name: str | None = Field(default=None, min_length=1, max_length=100)
    kind: MetricKind | None = None
    amount_field: RollupField | None = None
    tracks_actual: bool | None = None
    tracks_in_progress: bool | None = None
    tracks_stretch_target: bool | None = None
    description: str | None = Field(default=None, max_length=2000)
    owner_id: uuid.UUID | None = None


class GoalMetricPublic(GoalMetricBase, RecordPublic):
    pass


class GoalMetricFilters(SQLModel):
    kind: MetricKind | None = None
    owner_id: uuid.UUID | None = None


def check_metric(metric: GoalMetricBase) -> None:
    """An amount sums one field, a count none; a metric with nothing to track tracks nothing."""
    if metric.kind is MetricKind.amount and metric.amount_field is None:
        raise InvalidField("amount_field", "an amount metric names the field it sums")
    if metric.kind is MetricKind.count and metric.amount_field is not None:
        raise InvalidField("amount_field", "a count metric counts opportunities: no field")
    if not (metric.tracks_actual or metric.tracks_in_progress):
        raise InvalidField("tracks_actual", "a metric tracks the actual, in progress, or both")


# --- periods ----------------------------------------------------------------------------------


class PeriodKind(StrEnum):
    fiscal_year = "fiscal_year"
    quarter = "quarter"
    month = "month"
    custom = "custom"


FISCAL_YEAR_MIN, FISCAL_YEAR_MAX = 1900, 9998


def _month_start(year: int, month: int) -> date:
    """The first day of `month` counted from January of `year` (month 13 is next January)."""
    year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
    return date(year, month, 1)


def period_dates(
    kind: PeriodKind,
    fiscal_year: int | None,
    fiscal_period: int | None,
    starts_on: date | None,
    ends_on: date | None,
    first_month: int,
) -> tuple[date, date]:
    """A goal period's first and last day, both included.

    Fiscal year 2027 is the one that begins in `first_month` of 2027 (January: the calendar
    year); its quarters and months count from that month. A custom period is its own dates."""
    if kind is PeriodKind.custom:
        for name, value in (("fiscal_year", fiscal_year), ("fiscal_period", fiscal_period)):
            if value is not None:
                raise InvalidField(name, "a custom period has its own dates, no fiscal period")
        if starts_on is None or ends_on is None:
            missing = "starts_on" if starts_on is None else "ends_on"
            raise InvalidField(missing, "a custom period needs both dates")
        if ends_on < starts_on:
            raise InvalidField("ends_on", "may not be before starts_on")
        return starts_on, ends_on
    if fiscal_year is None:
        raise InvalidField("fiscal_year", f"a {kind} period needs its fiscal year")
    months, count = {PeriodKind.fiscal_year: (12, 1), PeriodKind.quarter: (3, 4)}.get(kind, (1, 12))
    if kind is PeriodKind.fiscal_year:
        if fiscal_period is not None:
            raise InvalidField("fiscal_period", "a fiscal year has no period within it")
        number = 1
    elif fiscal_period is None or not 1 <= fiscal_period <= count:
        raise InvalidField("fiscal_period", f"a {kind} is numbered 1 to {count}")
    else:
        number = fiscal_period
    first = first_month + (number - 1) * months
    start = _month_start(fiscal_year, first)
    end = _month_start(fiscal_year, first + months).toordinal() - 1
    return start, date.fromordinal(end)


def fiscal_quarter_of(day: date, first_month: int) -> tuple[int, int]:
    """The fiscal year `day` falls in and its quarter there: what "this quarter" is."""
    year = day.year if day.month >= first_month else day.year - 1
    return year, (day.month - first_month) % 12 // 3 + 1


class PeriodFields(SQLModel):
    """The period a goal is for: a fiscal year, one of its quarters or months, or custom dates."""

    period: PeriodKind = Field(sa_type=StrEnumType(PeriodKind, 20))
    fiscal_year: int | None = Field(default=None, ge=FISCAL_YEAR_MIN, le=FISCAL_YEAR_MAX)
    # The quarter (1-4) or month (1-12) of the fiscal year.
    fiscal_period: int | None = Field(default=None, ge=1, le=12)
    # Given for a custom period, worked out for the others.
    starts_on: date | None = None
    ends_on: date | None = None


def _dates_only_when_custom(body: SQLModel, period: PeriodKind | None) -> None:
    """A fiscal period's dates are worked out: sending them too would be ignored, so it is
    refused; with them, an update says it makes the period custom."""
    for name in ("starts_on", "ends_on"):
        if name in body.model_fields_set and period is not PeriodKind.custom:
            raise InvalidField(name, "is given only with period custom")


# --- goals ------------------------------------------------------------------------------------


class GoalFields(PeriodFields):
    name: str = Field(min_length=1, max_length=100, index=True)
    metric_id: uuid.UUID = Field(foreign_key="goal_metric.id", index=True)
    # A team's goal counts the opportunities of every member; without a team, the goal is its
    # owner's (owner_id) and counts theirs. A team goal's owner is its manager or a member.
    team_id: uuid.UUID | None = Field(default=None, foreign_key="team.id", index=True)
    parent_goal_id: uuid.UUID | None = Field(default=None, foreign_key="goal.id", index=True)
    # The parent counts only what its child goals do, none of its owner's own opportunities
    # (a team goal over its members' goals, which would otherwise count them twice).
    rolls_up_from_children_only: bool = False
    target: Decimal = money_field(gt=0)
    stretch_target: Decimal | None = money_field(default=None, gt=0)
    description: str | None = Field(default=None, max_length=2000)


class GoalFigures(SQLModel):
    """Worked out by the recalculation, never sent."""

    actual: Decimal = money_field(default=ZERO)
    in_progress: Decimal = money_field(default=ZERO)
    percentage_achieved: Decimal = money_field(default=ZERO)
    computed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class Goal(GoalFields, GoalFigures, RecordTable, table=True):
    pass


class GoalCreate(GoalFields, RequestFields):
    owner_id: uuid.UUID | None = None

    @model_validator(mode="after")
    def _dates(self) -> Self:
        _dates_only_when_custom(self, self.period)
        return self


class GoalUpdate(RequestFields):
    """Partial update: only the fields sent are changed."""

    name: str | None = Field(default=None, min_length=1, max_length=100)
    metric_id: uuid.UUID | None = None
    team_id: uuid.UUID | None = None
    parent_goal_id: uuid.UUID | None = None
    rolls_up_from_children_only: bool | None = None
    target: Decimal | None = money_input(default=None, gt=0)
    stretch_target: Decimal | None = money_input(default=None, gt=0)
    description: str | None = Field(default=None, max_length=2000)
    period: PeriodKind | None = None
    fiscal_year: int | None = Field(default=None, ge=FISCAL_YEAR_MIN, le=FISCAL_YEAR_MAX)
    fiscal_period: int | None = Field(default=None, ge=1, le=12)
    starts_on: date | None = None
    ends_on: date | None = None
    owner_id: uuid.UUID | None = None

    @model_validator(mode="after")
    def _dates(self) -> Self:
        _dates_only_when_custom(self, self.period)
        return self


class GoalPublic(GoalFields, GoalFigures, RecordPublic):
    pass


class GoalFilters(SQLModel):
    metric_id: uuid.UUID | None = None
    team_id: uuid.UUID | None = None
    parent_goal_id: uuid.UUID | None = None
    period: PeriodKind | None = None
    fiscal_year: int | None = Field(default=None, ge=FISCAL_YEAR_MIN, le=FISCAL_YEAR_MAX)
    owner_id: uuid.UUID | None = None


def check_targets(goal: GoalFields, metric: GoalMetricBase) -> None:
    """A count's targets are whole numbers; a stretch target only where the metric tracks one,
    and beyond the target."""
    targets = (("target", goal.target), ("stretch_target", goal.stretch_target))
    if metric.kind is MetricKind.count:
        for name, value in targets:
            if value is not None and value != value.to_integral_value():
                raise InvalidField(name, "a count metric's target is a whole number")
    if goal.stretch_target is None:
        return
    if not metric.tracks_stretch_target:
        raise InvalidField("stretch_target", f"metric {metric.name} tracks no stretch target")
    if goal.stretch_target < goal.target:
        raise InvalidField("stretch_target", "may not be below the target")


def check_child(child: GoalFields, child_start: date, child_end: date, parent: Goal) -> None:
    """A child goal measures what its parent does, within the parent's period."""
    if child.metric_id != parent.metric_id:
        raise InvalidField("parent_goal_id", "a child goal has its parent's metric")
    if parent.starts_on is None or parent.ends_on is None:
        raise InvalidField("parent_goal_id", "the parent goal has no period")
    if child_start < parent.starts_on or child_end > parent.ends_on:
        raise InvalidField(
            "parent_goal_id",
            f"a child goal's period is within its parent's ({parent.starts_on} to "
            f"{parent.ends_on})",
        )


# --- figures ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Figures:
    """What a goal has achieved (won) and has in progress (open)."""

    actual: Decimal = ZERO
    in_progress: Decimal = ZERO

    def __add__(self, other: "Figures") -> "Figures":
        return Figures(self.actual + other.actual, self.in_progress + other.in_progress)


@dataclass(frozen=True)
class GoalNode:
    """A goal as the roll-up needs it: its parent, and the figures of its own owner's
    opportunities."""

    id: uuid.UUID
    parent_id: uuid.UUID | None
    children_only: bool
    own: Figures


def roll_up(goals: Iterable[GoalNode]) -> dict[uuid.UUID, Figures]:
    """Each goal's figures: its own (unless it rolls up from its children only) plus its
    children's, theirs including their children's. A parent not among `goals` (deactivated)
    leaves its children standing alone."""
    nodes = {goal.id: goal for goal in goals}
    children: dict[uuid.UUID, list[uuid.UUID]] = {}
    for goal in nodes.values():
        if goal.parent_id in nodes:
            children.setdefault(goal.parent_id, []).append(goal.id)
    done: dict[uuid.UUID, Figures] = {}

    def figures(goal_id: uuid.UUID, path: frozenset[uuid.UUID]) -> Figures:
        if goal_id in path:
            raise InvalidField("parent_goal_id", f"goal {goal_id} is its own ancestor")
        if goal_id not in done:
            node = nodes[goal_id]
            total = Figures() if node.children_only else node.own
            for child in children.get(goal_id, []):
                total += figures(child, path | {goal_id})
            done[goal_id] = total
        return done[goal_id]

    for goal_id in nodes:
        figures(goal_id, frozenset())
    return done


def percentage_achieved(actual: Decimal, target: Decimal) -> Decimal:
    """The actual as a percentage of the target, to two places (above 100 once exceeded), at
    most what storage holds: a goal of a cent with millions won is simply far past it."""
    return min((actual * 100 / target).quantize(CENT, ROUND_HALF_EVEN), MONEY_MAX)


def tree_of(goal_id: uuid.UUID, parents: Mapping[uuid.UUID, uuid.UUID | None]) -> set[uuid.UUID]:
    """Every goal whose figures depend on or feed `goal_id`'s: its root and all below it.
    `parents`: each goal's parent."""
    root, seen = goal_id, {goal_id}
    while (parent := parents.get(root)) is not None and parent in parents and parent not in seen:
        root = parent
        seen.add(root)
    tree, frontier = {root}, [root]
    while frontier:
        current = frontier.pop()
        for child, parent in parents.items():
            if parent == current and child not in tree:
                tree.add(child)
                frontier.append(child)
    return tree


class RecalculateGoals(BaseModel):
    """The recalculation activity's input: one goal's tree, or every active goal."""

    goal_id: uuid.UUID | None = None


class GoalsRecalculated(BaseModel):
    goals: int
    computed_at: datetime
