"""Competitors: the companies bidding for the same deals."""

import uuid
from typing import Any

from sqlalchemy import ColumnElement, case, func, or_, type_coerce
from sqlmodel import Session, col, select

from models.base import ExactDecimal
from models.competitor import Competitor, CompetitorRecordAgainst
from models.connection import OpportunityCompetitor
from models.opportunity import Opportunity, OpportunityState
from models.pricing import ZERO
from services.crud import Repository

competitors = Repository(
    Competitor,
    "competitor",
    sortable=frozenset({"name", "reported_revenue", "ticker_symbol"}),
    search=("name", "ticker_symbol"),
)


def estimated_value() -> ColumnElement[Any]:
    """What an opportunity was worth before it closed: the lines' total or the user's estimate
    (a lost one's actual revenue is 0)."""
    return type_coerce(
        case(
            (
                or_(
                    col(Opportunity.is_revenue_system_calculated).is_(True),
                    col(Opportunity.estimated_revenue).is_(None),
                ),
                col(Opportunity.total_amount),
            ),
            else_=col(Opportunity.estimated_revenue),
        ),
        ExactDecimal(),
    )


def record_against(session: Session, competitor_id: uuid.UUID) -> CompetitorRecordAgainst:
    """Deals won and lost against a competitor: opportunities it was linked to, or that named
    it the winner, closed as won (their actual revenue) or lost (what they were worth)."""
    against = or_(
        col(Opportunity.id).in_(
            select(col(OpportunityCompetitor.opportunity_id)).where(
                col(OpportunityCompetitor.competitor_id) == competitor_id
            )
        ),
        col(Opportunity.winning_competitor_id) == competitor_id,
    )
    amount = type_coerce(
        case(
            (col(Opportunity.state) == OpportunityState.won, col(Opportunity.actual_revenue)),
            else_=estimated_value(),
        ),
        ExactDecimal(),
    )
    rows = session.execute(
        select(col(Opportunity.state), func.count(), type_coerce(func.sum(amount), ExactDecimal()))
        .where(against, col(Opportunity.state).in_([OpportunityState.won, OpportunityState.lost]))
        .group_by(col(Opportunity.state))
    ).all()
    figures = {OpportunityState(state): (count, total or ZERO) for state, count, total in rows}
    won_count, won_amount = figures.get(OpportunityState.won, (0, ZERO))
    lost_count, lost_amount = figures.get(OpportunityState.lost, (0, ZERO))
    return CompetitorRecordAgainst(
        won_count=won_count,
        won_amount=won_amount,
        lost_count=lost_count,
        lost_amount=lost_amount,
    )
