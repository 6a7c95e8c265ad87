"""The pipeline report: open deals by stage, what they are worth, and weighted by probability."""

import uuid
from collections.abc import Iterable
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Self

from pydantic import BaseModel, Field, model_validator

from models.deal.state import Stage
from models.errors import InvalidField

CENT = Decimal("0.01")
# The stages of an open deal before it is won: a lead at Qualify, its opportunity after.
PIPELINE_STAGES = (Stage.qualify, Stage.develop, Stage.propose, Stage.close)


class PipelineFilters(BaseModel):
    """`GET /reports/pipeline` query: whose deals, and which estimated close dates."""

    owner_id: uuid.UUID | None = None
    team_id: uuid.UUID | None = None
    close_from: date | None = Field(default=None, description="Estimated close on or after.")
    close_to: date | None = Field(default=None, description="Estimated close on or before.")

    @model_validator(mode="after")
    def _range(self) -> Self:
        if self.close_from and self.close_to and self.close_to < self.close_from:
            raise InvalidField("close_to", "is before close_from", "query")
        return self

    @property
    def by_close_date(self) -> bool:
        return self.close_from is not None or self.close_to is not None


class StageFigures(BaseModel):
    stage: Stage | None = None
    count: int = 0
    estimated_revenue: Decimal = Decimal("0.00")
    weighted_revenue: Decimal = Decimal("0.00")


class PipelineReport(BaseModel):
    stages: list[StageFigures]
    total: StageFigures


class StageGroup(BaseModel):
    """One group the SQL answers: deals at a stage with the same probability."""

    stage: Stage
    probability: int | None
    count: int
    revenue: Decimal


def to_cent(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, ROUND_HALF_EVEN)


def pipeline_report(groups: Iterable[StageGroup]) -> PipelineReport:
    """Every stage, with none left out: its deals' count, their estimated revenue, and that
    revenue weighted by each deal's probability (none given: it weighs nothing), to the cent."""
    count = dict.fromkeys(PIPELINE_STAGES, 0)
    revenue = dict.fromkeys(PIPELINE_STAGES, Decimal(0))
    weighted = dict.fromkeys(PIPELINE_STAGES, Decimal(0))
    for group in groups:
        count[group.stage] += group.count
        revenue[group.stage] += group.revenue
        weighted[group.stage] += group.revenue * (group.probability or 0) / 100
    stages = [
        StageFigures(
            stage=stage,
            count=count[stage],
            estimated_revenue=to_cent(revenue[stage]),
            weighted_revenue=to_cent(weighted[stage]),
        )
        for stage in PIPELINE_STAGES
    ]
    total = StageFigures(
        count=sum(count.values()),
        estimated_revenue=to_cent(sum(revenue.values(), Decimal(0))),
        weighted_revenue=to_cent(sum(weighted.values(), Decimal(0))),
    )
    return PipelineReport(stages=stages, total=total)
