"""The pipeline report's SQL: open leads and opportunities, grouped by stage and probability."""

from typing import Any

from sqlalchemy import ColumnElement, func
from sqlmodel import Session, col, select

from models.deal.state import Stage
from models.lead import Lead, LeadState
from models.opportunity import Opportunity, OpportunityState
from models.permissions import Owners
from models.pipeline import PipelineFilters, PipelineReport, StageGroup, pipeline_report
from models.user import User
from services.crud import owned_by
from services.figures import opportunity_stage, opportunity_value


def _whose(model: type[Lead] | type[Opportunity], where: PipelineFilters) -> list[Any]:
    conditions: list[ColumnElement[bool]] = []
    if where.owner_id is not None:
        conditions.append(col(model.owner_id) == where.owner_id)
    if where.team_id is not None:
        members = select(User.id).where(col(User.team_id) == where.team_id)
        conditions.append(col(model.owner_id).in_(members))
    return conditions


def pipeline(session: Session, where: PipelineFilters, owners: Owners) -> PipelineReport:
    """Open deals of `owners` that `where` selects. Leads (Qualify) have no close date, so a
    close-date range leaves them out."""
    stage = opportunity_stage()
    closes = col(Opportunity.estimated_close_date)
    dates = [
        *([closes >= where.close_from] if where.close_from else []),
        *([closes <= where.close_to] if where.close_to else []),
    ]
    opportunities = session.exec(
        select(stage, col(Opportunity.probability), func.count(), func.sum(opportunity_value()))
        .where(
            col(Opportunity.state) == OpportunityState.open,
            *dates,
            *_whose(Opportunity, where),
            *owned_by(Opportunity, owners),
        )
        .group_by(stage, col(Opportunity.probability))
    ).all()
    groups = [
        StageGroup(stage=Stage(row[0]), probability=row[1], count=row[2], revenue=row[3])
        for row in opportunities
    ]
    if not where.by_close_date:
        leads, budget = session.exec(
            select(func.count(), func.coalesce(func.sum(col(Lead.estimated_budget)), 0)).where(
                col(Lead.state) == LeadState.open, *_whose(Lead, where), *owned_by(Lead, owners)
            )
        ).one()
        groups.append(
            StageGroup(stage=Stage.qualify, probability=None, count=leads, revenue=budget)
        )
    return pipeline_report(groups)
