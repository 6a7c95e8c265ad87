"""The pipeline report's figures from the groups the SQL answers."""

from decimal import Decimal

from models.deal.state import Stage
from models.pipeline import StageGroup, pipeline_report

D = Decimal


def test_each_stage_sums_its_deals_and_weighs_them_by_probability_to_the_cent() -> None:
    report = pipeline_report(
        [
            StageGroup(stage=Stage.develop, probability=10, count=2, revenue=D("1000.0000")),
            StageGroup(stage=Stage.develop, probability=None, count=1, revenue=D("500.0000")),
            StageGroup(stage=Stage.close, probability=85, count=1, revenue=D("333.3300")),
        ]
    )
    by_stage = {figures.stage: figures for figures in report.stages}
    assert [figures.stage for figures in report.stages] == [
        Stage.qualify,
        Stage.develop,
        Stage.propose,
        Stage.close,
    ]
    assert (by_stage[Stage.develop].count, by_stage[Stage.develop].estimated_revenue) == (
        3,
        D("1500.00"),
    )
    # 10% of 1000; the deal with no probability weighs nothing.
    assert by_stage[Stage.develop].weighted_revenue == D("100.00")
    # 85% of 333.33 is 283.3305.
    assert by_stage[Stage.close].weighted_revenue == D("283.33")
    assert (by_stage[Stage.propose].count, by_stage[Stage.propose].estimated_revenue) == (0, 0)
    assert (report.total.count, report.total.estimated_revenue) == (4, D("1833.33"))
    assert report.total.weighted_revenue == D("383.33")
