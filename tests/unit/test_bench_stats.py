"""The bench's pure helpers: percentiles, summaries, ratios and tables."""

import pytest

from bench.stats import Latencies, fmt, percentile, ratio, summarize, table


def test_percentile_interpolates_between_ranks() -> None:
    values = [40.0, 10.0, 30.0, 20.0]  # order does not matter
    assert percentile(values, 0) == 10.0
    assert percentile(values, 100) == 40.0
    assert percentile(values, 50) == 25.0
    assert percentile(values, 99) == pytest.approx(39.7)
    assert percentile([7.0], 99) == 7.0


def test_percentile_of_nothing_is_none_and_p_is_checked() -> None:
    assert percentile([], 50) is None
    with pytest.raises(ValueError):
        percentile([1.0], 101)


def test_summary_of_latencies() -> None:
    summary = summarize([float(v) for v in range(1, 101)])
    assert summary["count"] == 100
    assert summary["mean"] == 50.5
    assert summary["p50"] == 50.5
    assert summary["p95"] == pytest.approx(95.05)
    assert summary["p99"] == pytest.approx(99.01)
    assert summary["max"] == 100.0
    assert summarize([]) == {
        "count": 0, "mean": None, "p50": None, "p95": None, "p99": None, "max": None
    }  # fmt: skip


def test_ratio_is_none_without_a_denominator() -> None:
    assert ratio(3.0, 2.0) == 1.5
    assert ratio(None, 2.0) is None
    assert ratio(3.0, None) is None
    assert ratio(3.0, 0.0) is None


def test_latencies_by_kind_and_all() -> None:
    latencies = Latencies()
    latencies.add("qualify", 10.0)
    latencies.add("pay", 30.0)
    latencies.add("qualify", 20.0)
    assert latencies.kinds() == ["qualify", "pay"]
    assert latencies.of("qualify") == [10.0, 20.0]
    assert latencies.of("accept") == []
    summary = latencies.summary()
    assert summary["qualify"]["p50"] == 15.0
    assert summary["all"]["count"] == 3
    assert summary["all"]["max"] == 30.0


def test_cells_and_table() -> None:
    assert fmt(None) == "-"
    assert fmt(True) == "yes"
    assert fmt(12345) == "12,345"
    assert fmt(1234.567) == "1,234.6"
    assert fmt(float("nan")) == "-"
    assert fmt(0.5, digits=2) == "0.50"
    assert table(["run", "deals/s", "p99"], [["dealflow", 3.25, None], ["floor", 10.0, 12]]) == (
        "run       deals/s  p99\n"
        "--------  -------  ---\n"
        "dealflow      3.2    -\n"
        "floor        10.0   12"
    )


def test_a_row_of_the_wrong_width_is_refused() -> None:
    with pytest.raises(ValueError):
        table(["a", "b"], [["only one"]])
