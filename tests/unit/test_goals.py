"""Goal periods, targets and roll-ups: the pure rules, against figures worked out by hand."""

import uuid
from datetime import date
from decimal import Decimal

import pytest

from models.base import MONEY_MAX
from models.errors import InvalidField
from models.goal import (
    Figures,
    GoalCreate,
    GoalMetricBase,
    GoalNode,
    GoalUpdate,
    MetricKind,
    PeriodKind,
    RollupField,
    check_metric,
    check_targets,
    fiscal_quarter_of,
    percentage_achieved,
    period_dates,
    roll_up,
    tree_of,
)

D = Decimal
METRIC = uuid.uuid4()


@pytest.mark.parametrize(
    ("kind", "number", "first_month", "expected"),
    [
        (PeriodKind.fiscal_year, None, 1, (date(2027, 1, 1), date(2027, 12, 31))),
        (PeriodKind.quarter, 1, 1, (date(2027, 1, 1), date(2027, 3, 31))),
        (PeriodKind.quarter, 4, 1, (date(2027, 10, 1), date(2027, 12, 31))),
        (PeriodKind.month, 2, 1, (date(2027, 2, 1), date(2027, 2, 28))),
        # A fiscal year from July: FY 2027 runs July 2027 to June 2028.
        (PeriodKind.fiscal_year, None, 7, (date(2027, 7, 1), date(2028, 6, 30))),
        (PeriodKind.quarter, 3, 7, (date(2028, 1, 1), date(2028, 3, 31))),
        (PeriodKind.quarter, 2, 7, (date(2027, 10, 1), date(2027, 12, 31))),
        (PeriodKind.month, 8, 7, (date(2028, 2, 1), date(2028, 2, 29))),
        (PeriodKind.month, 12, 7, (date(2028, 6, 1), date(2028, 6, 30))),
    ],
)
def test_a_fiscal_period_runs_from_its_first_to_its_last_day(
    kind: PeriodKind, number: int | None, first_month: int, expected: tuple[date, date]
) -> None:
    assert period_dates(kind, 2027, number, None, None, first_month) == expected


@pytest.mark.parametrize(
    ("day", "first_month", "quarter"),
    [
        (date(2027, 3, 31), 1, (2027, 1)),
        (date(2027, 4, 1), 1, (2027, 2)),
        (date(2027, 6, 30), 7, (2026, 4)),
        (date(2027, 7, 1), 7, (2027, 1)),
        (date(2027, 1, 15), 10, (2026, 2)),
    ],
)
def test_a_day_falls_in_the_fiscal_quarter_whose_dates_hold_it(
    day: date, first_month: int, quarter: tuple[int, int]
) -> None:
    assert fiscal_quarter_of(day, first_month) == quarter
    starts, ends = period_dates(PeriodKind.quarter, *quarter, None, None, first_month)
    assert starts <= day <= ends


def test_a_custom_period_is_its_own_dates() -> None:
    dates = (date(2027, 2, 15), date(2027, 5, 14))
    assert period_dates(PeriodKind.custom, None, None, *dates, 1) == dates


@pytest.mark.parametrize(
    ("kind", "year", "number", "starts", "ends", "field"),
    [
        (PeriodKind.quarter, 2027, 5, None, None, "fiscal_period"),
        (PeriodKind.quarter, 2027, None, None, None, "fiscal_period"),
        (PeriodKind.month, None, 3, None, None, "fiscal_year"),
        (PeriodKind.fiscal_year, 2027, 1, None, None, "fiscal_period"),
        (PeriodKind.custom, None, None, date(2027, 1, 1), None, "ends_on"),
        (PeriodKind.custom, None, None, date(2027, 3, 1), date(2027, 2, 1), "ends_on"),
        (PeriodKind.custom, 2027, None, date(2027, 1, 1), date(2027, 2, 1), "fiscal_year"),
    ],
)
def test_a_period_missing_or_contradicting_its_parts_names_the_field(
    kind: PeriodKind,
    year: int | None,
    number: int | None,
    starts: date | None,
    ends: date | None,
    field: str,
) -> None:
    with pytest.raises(InvalidField) as refused:
        period_dates(kind, year, number, starts, ends, 1)
    assert refused.value.field == field


def test_a_fiscal_periods_dates_are_worked_out_so_sending_them_is_refused() -> None:
    with pytest.raises(InvalidField) as refused:
        GoalCreate(
            name="Q1",
            metric_id=METRIC,
            period=PeriodKind.quarter,
            fiscal_year=2027,
            fiscal_period=1,
            starts_on=date(2027, 1, 1),
            target=D(100),
        )
    assert refused.value.field == "starts_on"
    with pytest.raises(InvalidField):
        GoalUpdate(ends_on=date(2027, 5, 1))
    assert GoalUpdate(period=PeriodKind.custom, ends_on=date(2027, 5, 1)).ends_on


def metric(kind: MetricKind = MetricKind.amount, **fields: object) -> GoalMetricBase:
    field = RollupField.revenue if kind is MetricKind.amount else None
    return GoalMetricBase.model_validate(
        {"name": "Won revenue", "kind": kind, "amount_field": field, **fields}
    )


def test_an_amount_metric_names_its_field_and_a_count_none() -> None:
    check_metric(metric())
    check_metric(metric(MetricKind.count))
    for wrong in (
        metric(amount_field=None),
        metric(MetricKind.count, amount_field=RollupField.total_amount),
        metric(tracks_actual=False, tracks_in_progress=False),
    ):
        with pytest.raises(InvalidField):
            check_metric(wrong)


def goal(**fields: object) -> GoalCreate:
    return GoalCreate.model_validate(
        {
            "name": "Q1",
            "metric_id": METRIC,
            "period": "quarter",
            "fiscal_year": 2027,
            "fiscal_period": 1,
            "target": "10",
            **fields,
        }
    )


def test_a_count_targets_whole_opportunities() -> None:
    check_targets(goal(target="12"), metric(MetricKind.count))
    with pytest.raises(InvalidField) as refused:
        check_targets(goal(target="12.5"), metric(MetricKind.count))
    assert refused.value.field == "target"


def test_a_stretch_target_needs_a_metric_that_tracks_one_and_lies_beyond_the_target() -> None:
    check_targets(goal(stretch_target="15"), metric(tracks_stretch_target=True))
    for wrong, tracks in ((goal(stretch_target="15"), False), (goal(stretch_target="9"), True)):
        with pytest.raises(InvalidField) as refused:
            check_targets(wrong, metric(tracks_stretch_target=tracks))
        assert refused.value.field == "stretch_target"


def node(parent: uuid.UUID | None, actual: str, open_: str, only: bool = False) -> GoalNode:
    return GoalNode(uuid.uuid4(), parent, only, Figures(D(actual), D(open_)))


def test_a_parent_counts_its_own_figures_and_its_childrens_all_the_way_down() -> None:
    manager = node(None, "1000.00", "500.00")
    seller = node(manager.id, "2500.00", "0.00")
    junior = node(seller.id, "300.50", "120.25")
    figures = roll_up([junior, manager, seller])
    assert figures[junior.id] == Figures(D("300.50"), D("120.25"))
    assert figures[seller.id] == Figures(D("2800.50"), D("120.25"))
    assert figures[manager.id] == Figures(D("3800.50"), D("620.25"))


def test_a_parent_rolling_up_only_from_children_leaves_its_own_figures_out() -> None:
    team = node(None, "9999.00", "9999.00", only=True)
    first, second = node(team.id, "100.00", "10.00"), node(team.id, "250.00", "0.00")
    assert roll_up([team, first, second])[team.id] == Figures(D("350.00"), D("10.00"))


def test_a_goal_whose_parent_is_not_counted_stands_alone() -> None:
    orphan = node(uuid.uuid4(), "40.00", "2.00")
    assert roll_up([orphan])[orphan.id] == Figures(D("40.00"), D("2.00"))


def test_a_cycle_of_goals_is_refused() -> None:
    first_id, second_id = uuid.uuid4(), uuid.uuid4()
    first = GoalNode(first_id, second_id, False, Figures())
    second = GoalNode(second_id, first_id, False, Figures())
    with pytest.raises(InvalidField):
        roll_up([first, second])


def test_percentage_achieved_is_to_two_places_and_passes_100_when_exceeded() -> None:
    assert percentage_achieved(D("1000"), D("3000")) == D("33.33")
    assert percentage_achieved(D("2"), D("3")) == D("66.67")
    assert percentage_achieved(D("4500"), D("3000")) == D("150.00")
    assert percentage_achieved(MONEY_MAX, D("0.0001")) == MONEY_MAX


def test_recalculating_one_goal_takes_its_whole_tree_and_nothing_else() -> None:
    root, child, grandchild, other = (uuid.uuid4() for _ in range(4))
    parents = {root: None, child: root, grandchild: child, other: None}
    assert tree_of(grandchild, parents) == {root, child, grandchild}
    assert tree_of(other, parents) == {other}
