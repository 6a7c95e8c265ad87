"""SQL for what an opportunity is worth and which stage it is at, shared by goals and reports:
the same figures the deal shows (`models.deal.records.opportunity_value`, `DealState.stage`)."""

from typing import Any

from sqlalchemy import ColumnElement, case, exists, or_, type_coerce
from sqlmodel import col

from models.base import ExactDecimal
from models.deal.state import Stage
from models.opportunity import Opportunity
from models.quote import Quote, QuoteState


def opportunity_value() -> ColumnElement[Any]:
    """Actual revenue once won; before, the lines' total or the user's estimate."""
    return type_coerce(
        case(
            (col(Opportunity.actual_revenue).is_not(None), col(Opportunity.actual_revenue)),
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


def _has_quote(state: QuoteState) -> ColumnElement[bool]:
    return exists().where(
        col(Quote.opportunity_id) == col(Opportunity.id), col(Quote.state) == state
    )


def opportunity_stage() -> ColumnElement[str]:
    """An open opportunity's stage: Close with an active quote, Propose with a draft, else
    Develop."""
    return case(
        (_has_quote(QuoteState.active), Stage.close.value),
        (_has_quote(QuoteState.draft), Stage.propose.value),
        else_=Stage.develop.value,
    )
