"""A deal's business-process steps marked done (or not) by a person: the steps no field fills.

Each action: its input, its rule (`check_<action>`, on the deal's snapshot) and its effect
(`apply_<action>`, on the deal's records). `models.deal.actions` maps the names to them.
"""

from datetime import date
from typing import Literal

from pydantic import Field

from models.deal.records import ActionInput, Deal, Effect, Step
from models.deal.state import DealState
from models.deal_process import DealProcessRecord
from models.errors import IllegalTransition, InvalidField
from models.process import LEAD_TO_OPPORTUNITY, ProcessDefinition


def followed_process(deal: DealState) -> ProcessDefinition:
    """The process the deal follows."""
    return LEAD_TO_OPPORTUNITY


# --- mark_step --------------------------------------------------------------------------------


class MarkStep(ActionInput):
    """A step of the deal's process marked done, or not done again (`done: false`)."""

    action: Literal["mark_step"] = "mark_step"
    step: str = Field(min_length=1, max_length=50, pattern=r"^[a-z][a-z0-9_]*$")
    done: bool = True


def check_mark_step(deal: DealState, action: MarkStep, today: date) -> None:
    if deal.is_done:
        raise IllegalTransition("deal", deal.stage, action.action, "the deal is closed")
    if followed_process(deal).step(action.step) is None:
        raise InvalidField("step", f"the deal's process has no step {action.step!r}")


def apply_mark_step(deal: Deal, action: MarkStep, step: Step) -> Effect:
    marked = [
        key for key in (deal.process.steps_done if deal.process else []) if key != action.step
    ]
    if action.done:
        marked.append(action.step)
    summary = f"Step {'done' if action.done else 'not done'}: {action.step}"
    if deal.process is None:
        fields = {"id": step.new_id("process"), "deal_id": deal.deal_id, "steps_done": marked}
        record = step.new(DealProcessRecord, fields)
        return Effect("deal_process", record.id, summary, created=(record,))
    changed = step.change(deal.process, steps_done=marked)
    return Effect("deal_process", changed.id, summary, changed=(changed,))
