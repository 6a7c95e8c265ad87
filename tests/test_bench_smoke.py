"""`make bench` with tiny numbers, so it cannot rot: every scenario runs, the JSON has what the
report needs, values are sane, and every process it started is gone. Timings are not judged."""

import json
import subprocess
import sys
from pathlib import Path

import psutil

from bench.__main__ import FLOORS
from bench.deals import TRANSITIONS
from tests.databases import DatabaseSource, PostgresClones

ROOT = Path(__file__).resolve().parent.parent
# ROWS: enough open leads (60%) for two pages of the cursor walk (500 a page).
DEALS, OPEN_DEALS, PROBES, ROWS, REPEATS = 3, 5, 3, 1_200, 2


def _sane(summary: dict[str, float], count: int) -> None:
    assert summary["count"] == count
    assert 0 < summary["p50"] <= summary["p95"] <= summary["p99"] <= summary["max"]


def test_the_bench_runs_every_scenario_with_tiny_numbers(
    tmp_path: Path, databases: DatabaseSource
) -> None:
    """On the suite's database: under DEALFLOW_TEST_DATABASE=postgresql, its PostgreSQL server."""
    server = databases.server_url if isinstance(databases, PostgresClones) else None
    command = [
        sys.executable, "-m", "bench",
        "--deals", str(DEALS), "--concurrency", "2",
        "--open-deals", str(OPEN_DEALS), "--probes", str(PROBES),
        "--rows", str(ROWS), "--read-repeats", str(REPEATS),
        "--profile", "--out-dir", str(tmp_path),
        *(["--postgres-url", server] if server else []),
    ]  # fmt: skip
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "Full-deal throughput" in done.stdout and "dealflow / floor" in done.stdout
    [written] = tmp_path.glob("bench-*.json")
    results = json.loads(written.read_text())
    assert results["meta"]["database"] == ("postgresql" if server else "sqlite")

    for run in ("deals", "floor_http", "floor_http_local", "floor_http_bare", "floor_client"):
        r = results[run]
        assert (r["done"], r["failed"], r["timed_out"]) == (DEALS, 0, False), r["errors"]
        assert r["deals_per_s"] > 0
        assert abs(r["transitions_per_s"] - len(TRANSITIONS) * r["deals_per_s"]) < 1e-6
        for kind in TRANSITIONS:
            _sane(r["latency_ms"][kind], DEALS)
        _sane(r["latency_ms"]["all"], DEALS * len(TRANSITIONS))
        assert {"temporal", "bench"} <= set(r["cpu_ms_per_deal"])
    assert {"worker", "api"} <= set(results["deals"]["cpu_ms_per_deal"])
    ratios = results["ratios"]
    assert set(ratios) == {
        f"{measure}_vs_floor_{via}"
        for measure in ("throughput", "p50", "p95", "p99")
        for via in FLOORS
    } | {f"throughput_vs_floor_{via}_by_round" for via in FLOORS}
    rounds = min(3, DEALS)  # the runs take turns in rounds
    assert len(results["rounds"]) == rounds
    for name, value in ratios.items():
        values = value if name.endswith("_by_round") else [value]
        assert len(values) == (rounds if name.endswith("_by_round") else 1)
        assert all(v > 0 for v in values)

    scale = results["scale"]
    assert (scale["started"], scale["failed"]) == (OPEN_DEALS, 0), scale["errors"]
    assert scale["starts_per_s"] > 0
    for name in ("worker", "temporal", "api"):
        assert scale["rss_mb_before"][name] > 10 and scale["rss_mb_after"][name] > 10
    _sane(scale["probe_latency_ms"], PROBES)
    assert scale["probe_p99_vs_usual"] > 0 and scale["worker_kb_per_cached_deal"] is not None
    assert scale["rss_mb_while_starting"][-1]["started"] == OPEN_DEALS

    reads = results["reads"]
    assert reads["rows_per_table"] == ROWS and reads["busy_lead_activities"] == ROWS // 10
    assert len(reads["endpoints"]) == 3
    for endpoint in reads["endpoints"].values():
        assert 0 < endpoint["rows_matched"] <= ROWS
        assert endpoint["deep_offset"] == max(0, endpoint["rows_matched"] - reads["page"])
        _sane(endpoint["first_ms"], REPEATS)
        _sane(endpoint["deep_cursor_ms"], REPEATS)
        assert endpoint["deep_offset_ms"]["count"] >= 1
    leads = reads["endpoints"]["leads ?state=open&sort=last_name"]
    assert leads["walk_page_ms"]["count"] == 2  # walked by cursor, 500 a page
    busy_timeline = reads["endpoints"]["lead timeline (busy lead)"]
    assert busy_timeline["rows_matched"] == reads["busy_lead_activities"]  # each row once

    for way in ("remembered", "read"):
        stepped = results["steps"][way]
        assert stepped["ms_per_deal"] > 0
        for kind in TRANSITIONS:
            _sane(stepped["latency_ms"][kind], DEALS)

    profile = results["profile"]
    assert set(profile["transitions_ms"]) == set(TRANSITIONS)
    assert abs(sum(profile["split_seconds"].values()) - profile["profiled_seconds"]) < 1e-6
    assert profile["history"]["activities"] == len(TRANSITIONS)  # a new deal reads nothing
    assert profile["hottest"]

    for name, pid in results["meta"]["pids"].items():
        assert not psutil.pid_exists(pid), f"{name} ({pid}) still runs"
