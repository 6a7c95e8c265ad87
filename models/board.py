"""The pipeline board: open deals as cards by stage, and each column's figures.

A column's count, value and weighted value are the pipeline report's (`pipeline_report`, the
same weighting by probability) for the stages it has; Fulfill, past the report, holds won deals
still to bill or be paid, each weighing its whole value.
"""

import uuid
from collections.abc import Iterable
from datetime import datetime, timedelta
from decimal import Decimal

from pydantic import BaseModel

from models.deal.state import Stage
from models.pipeline import PIPELINE_STAGES, StageFigures, StageGroup, pipeline_report, to_cent

BOARD_STAGES = (*PIPELINE_STAGES, Stage.fulfill)


class BoardCard(BaseModel):
    deal_id: str
    stage: Stage
    title: str
    customer: str | None
    value: Decimal
    probability: int | None = None
    owner_id: uuid.UUID | None
    owner_name: str | None = None
    last_activity_at: datetime

    def idle_for(self, now: datetime) -> timedelta:
        return max(now - self.last_activity_at, timedelta(0))


class BoardColumn(BaseModel):
    figures: StageFigures
    cards: list[BoardCard]


def board_columns(cards: Iterable[BoardCard]) -> list[BoardColumn]:
    """Every board stage in order, none left out, its cards most valuable first."""
    by_stage: dict[Stage, list[BoardCard]] = {stage: [] for stage in BOARD_STAGES}
    for card in cards:
        by_stage[card.stage].append(card)
    report = pipeline_report(
        StageGroup(stage=card.stage, probability=card.probability, count=1, revenue=card.value)
        for stage in PIPELINE_STAGES
        for card in by_stage[stage]
    )
    figures = {f.stage: f for f in report.stages}
    billed = sum((card.value for card in by_stage[Stage.fulfill]), Decimal(0))
    figures[Stage.fulfill] = StageFigures(
        stage=Stage.fulfill,
        count=len(by_stage[Stage.fulfill]),
        estimated_revenue=to_cent(billed),
        weighted_revenue=to_cent(billed),
    )
    return [
        BoardColumn(
            figures=figures[stage],
            cards=sorted(by_stage[stage], key=lambda c: (-c.value, c.deal_id)),
        )
        for stage in BOARD_STAGES
    ]
