"""Throughput runs made in rounds add up to one run."""

from bench.load import Run


def test_runs_in_rounds_add_up_to_one_run() -> None:
    first, second = Run(jobs=3, concurrency=2), Run(jobs=2, concurrency=2)
    first.done, first.seconds, first.errors = 3, 1.5, ["job 1: timeout"]
    second.done, second.failed, second.seconds, second.timed_out = 1, 1, 0.5, True
    first.latencies.add("qualify", 10.0)
    second.latencies.add("qualify", 30.0)
    second.latencies.add("pay", 20.0)

    both = first.merged(second)

    assert (both.jobs, both.done, both.failed, both.seconds) == (5, 4, 1, 2.0)
    assert both.timed_out and both.errors == ["job 1: timeout"]
    assert both.latencies.of("qualify") == [10.0, 30.0] and both.latencies.of("pay") == [20.0]
    assert both.report(9)["jobs_per_s"] == 2.0
