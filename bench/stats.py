"""Pure helpers the bench reports with: percentiles, latency summaries, ratios, text tables."""

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

Summary = dict[str, float | int | None]


def percentile(values: Sequence[float], p: float) -> float | None:
    """The p-th percentile (0-100), interpolating linearly between the nearest ranks (as numpy's
    default does); None for no values."""
    if not values:
        return None
    if not 0 <= p <= 100:
        raise ValueError(f"percentile must be within 0 and 100, not {p}")
    ordered = sorted(values)
    rank = (len(ordered) - 1) * p / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def summarize(values: Sequence[float]) -> Summary:
    """count, mean, p50, p95, p99 and max of latencies in milliseconds (None when empty)."""
    return {
        "count": len(values),
        "mean": sum(values) / len(values) if values else None,
        "p50": percentile(values, 50),
        "p95": percentile(values, 95),
        "p99": percentile(values, 99),
        "max": max(values) if values else None,
    }


def ratio(numerator: float | None, denominator: float | None) -> float | None:
    """numerator / denominator, or None when either is missing or the denominator is zero."""
    if numerator is None or not denominator:
        return None
    return numerator / denominator


class Latencies:
    """Milliseconds recorded per kind (e.g. per transition), in the order they came."""

    def __init__(self) -> None:
        self._by_kind: defaultdict[str, list[float]] = defaultdict(list)

    def add(self, kind: str, milliseconds: float) -> None:
        self._by_kind[kind].append(milliseconds)

    def kinds(self) -> list[str]:
        return list(self._by_kind)

    def of(self, kind: str) -> list[float]:
        return list(self._by_kind.get(kind, []))

    def all(self) -> list[float]:
        return [value for values in self._by_kind.values() for value in values]

    def summary(self) -> dict[str, Summary]:
        """One summary per kind, then `all` kinds together."""
        summaries = {kind: summarize(values) for kind, values in self._by_kind.items()}
        summaries["all"] = summarize(self.all())
        return summaries


def fmt(value: Any, digits: int = 1) -> str:
    """A table cell: `-` for nothing, numbers rounded, thousands separated."""
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        if math.isnan(value):
            return "-"
        return f"{value:,.{digits}f}"
    return str(value)


def table(headers: Sequence[str], rows: Iterable[Sequence[Any]], digits: int = 1) -> str:
    """A plain-text table: first column left-aligned, the others right-aligned."""
    cells = [[fmt(value, digits) for value in row] for row in rows]
    widths = [len(header) for header in headers]
    for row in cells:
        if len(row) != len(headers):
            raise ValueError(f"row {row} has {len(row)} cells, headers have {len(headers)}")
        widths = [max(width, len(cell)) for width, cell in zip(widths, row, strict=True)]

    def line(row: Sequence[str]) -> str:
        first, *rest = row
        parts = [first.ljust(widths[0])]
        parts += [cell.rjust(width) for cell, width in zip(rest, widths[1:], strict=True)]
        return "  ".join(parts).rstrip()

    rule = "  ".join("-" * width for width in widths)
    return "\n".join([line(list(headers)), rule, *(line(row) for row in cells)])
