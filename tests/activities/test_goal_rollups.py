"""Goals' figures worked out by SQL over a seeded set of opportunities across owners, teams,
states and periods, against figures worked out by hand (the comments show the sums)."""

import uuid
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from sqlmodel import Session

from models.errors import InvalidField
from models.goal import Goal, GoalCreate, GoalMetric, GoalUpdate, MetricKind, RollupField
from models.opportunity import Opportunity, OpportunityState
from models.user import Role, Team, User
from services.goals import goal_repository, metrics, recalculate

D = Decimal
goals = goal_repository(fiscal_year_start_month=1)


class Company:
    """North: manager Maya, sellers Ann and Bo. South: seller Cy."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.north, self.south = Team(name="North"), Team(name="South")
        session.add_all([self.north, self.south])
        session.flush()
        self.maya = self._user("Maya", Role.sales_manager, self.north)
        self.ann = self._user("Ann", Role.salesperson, self.north)
        self.bo = self._user("Bo", Role.salesperson, self.north)
        self.cy = self._user("Cy", Role.salesperson, self.south)
        self.north.manager_user_id = self.maya.id
        session.add(self.north)
        session.commit()

    def _user(self, name: str, role: Role, team: Team) -> User:
        user = User(name=name, email=f"{name.lower()}@example.com", role=role, team_id=team.id)
        self.session.add(user)
        self.session.flush()
        return user

    def won(self, owner: User, revenue: str, closed: date) -> None:
        self._add(owner, OpportunityState.won, actual_revenue=D(revenue), actual_close_date=closed)

    def open(self, owner: User, total: str, closes: date | None, **fields: Any) -> None:
        self._add(
            owner,
            OpportunityState.open,
            total_amount=D(total),
            estimated_close_date=closes,
            **fields,
        )

    def _add(self, owner: User, state: OpportunityState, **fields: Any) -> None:
        self.session.add(
            Opportunity(
                name=f"deal of {owner.name}",
                deal_id=f"deal-{uuid.uuid4()}",
                owner_id=owner.id,
                state=state,
                **fields,
            )
        )
        self.session.commit()

    def metric(
        self, kind: MetricKind, field: RollupField | None = None, **fields: Any
    ) -> GoalMetric:
        body = {"name": f"{kind} {field}", "kind": kind, "amount_field": field, **fields}
        return metrics.create(self.session, GoalMetric.model_validate(body), self.maya.id)

    def goal(self, metric: GoalMetric, owner: User, **fields: Any) -> Goal:
        body = {
            "name": f"{owner.name}'s goal",
            "metric_id": metric.id,
            "period": "quarter",
            "fiscal_year": 2027,
            "fiscal_period": 1,
            "target": "1000",
            "owner_id": owner.id,
            **fields,
        }
        return goals.create(self.session, GoalCreate.model_validate(body), owner.id)

    def figures(self, goal: Goal) -> tuple[Decimal, Decimal, Decimal]:
        self.session.refresh(goal)
        return goal.actual, goal.in_progress, goal.percentage_achieved


@pytest.fixture
def company(session: Session) -> Company:
    company = Company(session)
    ann, bo, cy, maya = company.ann, company.bo, company.cy, company.maya
    company.won(ann, "1000.00", date(2027, 3, 31))  # Q1's last day: in Q1
    company.won(ann, "250.50", date(2027, 4, 1))  # Q2's first day: not in Q1
    company.won(ann, "400.00", date(2027, 1, 1))  # Q1's first day: in Q1
    company._add(
        ann, OpportunityState.lost, actual_revenue=D(0), actual_close_date=date(2027, 2, 10)
    )
    company.open(ann, "300.00", date(2027, 3, 15))
    # Its user's estimate, not its lines' 100.00, is what it is worth.
    company.open(
        ann,
        "100.00",
        date(2027, 2, 1),
        estimated_revenue=D("750.00"),
        is_revenue_system_calculated=False,
    )
    company.open(ann, "999.00", None)  # no close date: in no period
    company.won(bo, "2000.00", date(2027, 2, 14))
    company.open(bo, "500.00", date(2027, 4, 2))  # closes in Q2
    company.won(cy, "5000.00", date(2027, 3, 1))  # South
    company.won(maya, "100.00", date(2026, 12, 31))  # last year's Q4
    return company


def test_a_sellers_quarter_counts_won_deals_closed_within_it_and_open_ones_due_in_it(
    company: Company,
) -> None:
    revenue = company.metric(MetricKind.amount, RollupField.revenue)
    ann = company.goal(revenue, company.ann, target="2000")
    bo = company.goal(revenue, company.bo, target="1500")
    recalculate(company.session)
    # Ann: won 1000.00 + 400.00; open 300.00 + 750.00 (estimate); 1400 / 2000 = 70 %.
    assert company.figures(ann) == (D("1400.00"), D("1050.00"), D("70.00"))
    # Bo: won 2000.00; his open deal closes in Q2; 2000 / 1500 = 133.33 %.
    assert company.figures(bo) == (D("2000.00"), D("0"), D("133.33"))
    assert ann.computed_at is not None


def test_a_team_goal_counts_every_members_deals_and_no_other_teams(company: Company) -> None:
    revenue = company.metric(MetricKind.amount, RollupField.revenue)
    north = company.goal(revenue, company.maya, team_id=company.north.id, target="10000")
    recalculate(company.session)
    # Ann 1400.00 + Bo 2000.00 + Maya 0 (her deal closed in 2026); Cy's 5000.00 is South's.
    assert company.figures(north) == (D("3400.00"), D("1050.00"), D("34.00"))


def test_a_count_metric_counts_the_deals(company: Company) -> None:
    count = company.metric(MetricKind.count)
    ann = company.goal(count, company.ann, target="4")
    north = company.goal(count, company.maya, team_id=company.north.id, target="4")
    recalculate(company.session)
    assert company.figures(ann) == (D(2), D(2), D("50.00"))
    assert company.figures(north) == (D(3), D(2), D("75.00"))


def test_a_metric_may_sum_another_field_and_track_only_the_open_pipeline(company: Company) -> None:
    pipeline = company.metric(MetricKind.amount, RollupField.total_amount, tracks_actual=False)
    ann = company.goal(pipeline, company.ann, target="800")
    recalculate(company.session)
    # The lines' totals 300.00 + 100.00, whatever the estimate; nothing won is counted.
    assert company.figures(ann) == (D(0), D("400.00"), D("0.00"))


def test_fiscal_years_and_custom_periods_end_on_their_last_day(company: Company) -> None:
    revenue = company.metric(MetricKind.amount, RollupField.revenue)
    year = company.goal(revenue, company.cy, period="fiscal_year", fiscal_period=None)
    edges = company.goal(
        revenue,
        company.ann,
        period="custom",
        fiscal_year=None,
        fiscal_period=None,
        starts_on="2027-03-31",
        ends_on="2027-04-01",
    )
    recalculate(company.session)
    assert company.figures(year)[0] == D("5000.00")
    # 1000.00 won on 31 March, 250.50 on 1 April.
    assert company.figures(edges)[0] == D("1250.50")
    assert (edges.starts_on, edges.ends_on) == (date(2027, 3, 31), date(2027, 4, 1))


def test_a_parent_goal_adds_its_childrens_figures_to_its_own(company: Company) -> None:
    revenue = company.metric(MetricKind.amount, RollupField.revenue)
    maya = company.goal(
        revenue, company.maya, target="5000", period="fiscal_year", fiscal_period=None
    )
    ann = company.goal(revenue, company.ann, parent_goal_id=maya.id)
    bo = company.goal(revenue, company.bo, parent_goal_id=maya.id)
    company.won(company.maya, "600.00", date(2027, 6, 30))
    recalculate(company.session, ann.id)
    # Maya's own 600.00 (June) + Ann's Q1 1400.00 + Bo's Q1 2000.00; her 2026 deal is out.
    assert company.figures(maya) == (D("4000.00"), D("1050.00"), D("80.00"))
    assert company.figures(bo)[0] == D("2000.00")


def test_a_team_goal_may_roll_up_from_its_members_goals_only(company: Company) -> None:
    revenue = company.metric(MetricKind.amount, RollupField.revenue)
    north = company.goal(
        revenue, company.maya, team_id=company.north.id, rolls_up_from_children_only=True
    )
    company.goal(revenue, company.ann, parent_goal_id=north.id)
    recalculate(company.session)
    # Ann's goal only: Bo has none under it, so his 2000.00 is not counted.
    assert company.figures(north) == (D("1400.00"), D("1050.00"), D("140.00"))


def test_recalculating_one_goal_leaves_other_trees_alone(company: Company) -> None:
    revenue = company.metric(MetricKind.amount, RollupField.revenue)
    ann = company.goal(revenue, company.ann)
    bo = company.goal(revenue, company.bo)
    recalculate(company.session, ann.id)
    assert company.figures(ann)[0] == D("1400.00")
    assert company.figures(bo)[0] == D(0) and bo.computed_at is None


def test_a_deactivated_child_no_longer_counts_in_its_parent(company: Company) -> None:
    revenue = company.metric(MetricKind.amount, RollupField.revenue)
    maya = company.goal(revenue, company.maya)
    ann = company.goal(revenue, company.ann, parent_goal_id=maya.id)
    goals.set_active(company.session, ann.id, False, company.maya.id)
    recalculate(company.session)
    assert company.figures(maya)[0] == D(0)


def test_a_child_goal_is_within_its_parents_period_and_metric(company: Company) -> None:
    revenue = company.metric(MetricKind.amount, RollupField.revenue)
    count = company.metric(MetricKind.count)
    q1 = company.goal(revenue, company.maya)
    for wrong in ({"fiscal_period": 2}, {"metric_id": count.id}):
        with pytest.raises(InvalidField) as refused:
            company.goal(revenue, company.ann, parent_goal_id=q1.id, **wrong)
        assert refused.value.field == "parent_goal_id"


def test_a_goal_cannot_become_its_own_ancestor(company: Company) -> None:
    revenue = company.metric(MetricKind.amount, RollupField.revenue)
    parent = company.goal(revenue, company.maya)
    child = company.goal(revenue, company.ann, parent_goal_id=parent.id)
    with pytest.raises(InvalidField) as refused:
        goals.update(company.session, parent.id, GoalUpdate(parent_goal_id=child.id), None)
    assert refused.value.field == "parent_goal_id"


def test_a_team_goal_is_kept_by_the_teams_manager_or_a_member(company: Company) -> None:
    revenue = company.metric(MetricKind.amount, RollupField.revenue)
    with pytest.raises(InvalidField) as refused:
        company.goal(revenue, company.cy, team_id=company.north.id)
    assert refused.value.field == "team_id"
