"""Reports over the deals the caller may see."""

from typing import Annotated, Any

from fastapi import APIRouter, Query

from api.deps import PrincipalDep, SessionDep, allow
from models.permissions import Area, Operation, visible_owners
from models.pipeline import PipelineFilters, PipelineReport
from services.pipeline import pipeline

router = APIRouter(prefix="/reports", tags=["reports"])


@router.get(
    "/pipeline", response_model=PipelineReport, dependencies=[allow(Area.deals, Operation.read)]
)
def pipeline_report(
    session: SessionDep, principal: PrincipalDep, where: Annotated[PipelineFilters, Query()]
) -> Any:
    """Open deals by stage (Qualify: leads; Develop, Propose, Close: opportunities), their
    count, estimated revenue and probability-weighted revenue, of the deals the caller sees."""
    return pipeline(session, where, visible_owners(principal, Area.deals))
