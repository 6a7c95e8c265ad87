"""A deal's business-process steps marked done (or not) by a person: the steps no field fills.

Each action: its input, its rule (`check_<action>`, on the deal's snapshot) and its effect
(`apply_<action>`, on the deal's records). `models.deal.actions` maps the names to them.
"""

import uuid
from datetime import date
from typing import Literal

from pydantic import Field

from models.deal.records import ActionInput, Deal, Effect, Step
from models.deal.state import DealState
from models.deal_process import DealProcessRecord
from models.errors import IllegalTransition, InvalidField
from models.process import LEAD_TO_OPPORTUNITY, ProcessDefinition


def followed_process(deal: DealState) -> ProcessDefinition:
    """The process the deal follows: the one it chose, else the built-in lead to opportunity."""
    return deal.process or LEAD_TO_OPPORTUNITY


def process_chosen(
    deal: Deal, step: Step, process_id: uuid.UUID | None, marked: list[str] | None = None
) -> DealProcessRecord | None:
    """The deal's process record following `process_id` (none: the default process), with the
    marks of `marked` its steps have; None when no such process is defined. A new deal's, or
    its record changed."""
    chosen = step.shared.process_to_follow(process_id)
    if chosen is None:
        if process_id is not None:
            raise InvalidField("process_id", f"no active process {process_id}")
        return None
    keys = {s.key for stage in chosen.stages for s in stage.steps}
    fields = {
        "process_id": chosen.id,
        "process_name": chosen.name,
        "stages": [stage.model_dump(mode="json") for stage in chosen.stages],
        "steps_done": [key for key in marked or [] if key in keys],
    }
    if deal.process is not None:
        return step.change(deal.process, **fields)
    return step.new(
        DealProcessRecord, {**fields, "id": step.new_id("process"), "deal_id": deal.deal_id}
    )


def start_process(
    deal: Deal, step: Step, process_id: uuid.UUID | None
) -> tuple[DealProcessRecord, ...]:
    """What a new deal's first step creates for its process: the record of the one chosen, or
    of the default."""
    chosen = process_chosen(deal, step, process_id)
    return (chosen,) if chosen else ()


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


# --- choose_process ---------------------------------------------------------------------------


class ChooseProcess(ActionInput):
    """Switch an open deal to another process; the steps marked that it also has stay marked."""

    action: Literal["choose_process"] = "choose_process"
    process_id: uuid.UUID


def check_choose_process(deal: DealState, action: ChooseProcess, today: date) -> None:
    if deal.is_done:
        raise IllegalTransition("deal", deal.stage, action.action, "the deal is closed")
    if deal.process_id == action.process_id:
        raise IllegalTransition("deal", deal.stage, action.action, "the deal follows it already")


def apply_choose_process(deal: Deal, action: ChooseProcess, step: Step) -> Effect:
    marked = deal.process.steps_done if deal.process else []
    record = process_chosen(deal, step, action.process_id, marked)
    if record is None:  # process_chosen refuses an unknown id
        raise InvalidField("process_id", f"no active process {action.process_id}")
    summary = f"Process chosen: {record.process_name}"
    if deal.process is None:
        return Effect("deal_process", record.id, summary, created=(record,))
    return Effect("deal_process", record.id, summary, changed=(record,))
