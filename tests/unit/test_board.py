"""The board's columns (models/board.py): every stage, its cards, and the pipeline report's
figures for them."""

import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from models.board import BoardCard, board_columns
from models.deal.state import Stage

NOW = datetime(2027, 3, 1, 12, tzinfo=UTC)


def card(stage: Stage, value: str, probability: int | None = None) -> BoardCard:
    return BoardCard(
        deal_id=f"deal-{uuid.uuid4()}",
        stage=stage,
        title="A deal",
        customer="Contoso",
        value=Decimal(value),
        probability=probability,
        owner_id=None,
        last_activity_at=NOW - timedelta(hours=5),
    )


def test_every_stage_has_a_column_even_with_no_deals() -> None:
    columns = board_columns([])
    assert [c.figures.stage for c in columns] == [
        Stage.qualify,
        Stage.develop,
        Stage.propose,
        Stage.close,
        Stage.fulfill,
    ]
    assert all(c.figures.count == 0 and not c.cards for c in columns)


def test_a_column_weighs_each_deal_by_its_probability_and_none_as_nothing() -> None:
    columns = board_columns(
        [card(Stage.propose, "1000.00", 25), card(Stage.propose, "500.00"), card(Stage.close, "9")]
    )
    propose = columns[2]
    assert propose.figures.count == 2
    assert propose.figures.estimated_revenue == Decimal("1500.00")
    assert propose.figures.weighted_revenue == Decimal("250.00")
    assert [c.value for c in propose.cards] == [Decimal("1000.00"), Decimal("500.00")]


def test_won_deals_still_to_bill_weigh_their_whole_value() -> None:
    fulfill = board_columns([card(Stage.fulfill, "300.005", 100)])[4]
    assert (fulfill.figures.estimated_revenue, fulfill.figures.weighted_revenue) == (
        Decimal("300.00"),
        Decimal("300.00"),
    )


def test_a_card_is_idle_since_its_last_activity() -> None:
    assert card(Stage.qualify, "1").idle_for(NOW) == timedelta(hours=5)
