"""Process and timing: deterministic workflows, no I/O. `WORKFLOWS` is what the worker runs."""

WORKFLOWS: list[type] = []
