"""Process and timing: deterministic workflows, no I/O. `WORKFLOWS` is what the worker runs."""

from workflows.deal import DealWorkflow
from workflows.goals import GoalRecalculationWorkflow

WORKFLOWS: list[type] = [DealWorkflow, GoalRecalculationWorkflow]
