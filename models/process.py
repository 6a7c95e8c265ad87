"""Business-process flows: the steps of each stage of a deal, which are done, and the gate.

A process (Dynamics: a business process flow) lists, for each stage a deal passes, its steps.
A step is done when the field it reads is filled on the deal (the lead's purchase timeframe, the
opportunity's customer need, a stakeholder...) or when a person marked it done (`mark_step`).
Leaving a stage may require its required steps (a setting; Dynamics' Qualify does not check).
Pure code: the deal's snapshot says which fields are filled and which steps are marked.
"""

import uuid
from collections.abc import Callable, Iterable
from typing import Annotated, Any

import sqlalchemy as sa
from pydantic import AfterValidator, BaseModel, ConfigDict
from pydantic import Field as PydanticField
from sqlmodel import Field, SQLModel

from models.base import RecordPublic, RecordTable, RequestFields
from models.deal.state import (
    PROCESS_STAGES,
    DealState,
    ProcessDefinition,
    ProcessStep,
    Stage,
    StageSteps,
    StepKey,
)
from models.errors import IllegalTransition


def _lead(deal: DealState, name: str) -> bool:
    return deal.lead is not None and name in deal.lead.filled


def _opportunity(deal: DealState, name: str) -> bool:
    return deal.opportunity is not None and name in deal.opportunity.filled


# What a step may read on the deal, by name: filled or not.
FIELDS: dict[str, Callable[[DealState], bool]] = {
    "contact": lambda d: _lead(d, "contact") or _opportunity(d, "contact_id"),
    "account": lambda d: _lead(d, "account") or _opportunity(d, "account_id"),
    "purchase_timeframe": lambda d: _lead(d, "purchase_timeframe"),
    "estimated_budget": lambda d: _lead(d, "estimated_budget"),
    "purchase_process": lambda d: _lead(d, "purchase_process"),
    "decision_maker": lambda d: (
        _lead(d, "decision_maker_identified")
        or any(s.role == "decision_maker" for s in d.stakeholders)
    ),
    "description": lambda d: _lead(d, "description") or _opportunity(d, "description"),
    "customer_need": lambda d: _opportunity(d, "customer_need"),
    "proposed_solution": lambda d: _opportunity(d, "proposed_solution"),
    "stakeholders": lambda d: bool(d.stakeholders),
    "competitors": lambda d: bool(d.competitor_ids),
    "products": lambda d: any(line.document == "opportunity" for line in d.lines),
    "quote": lambda d: bool(d.quotes),
    "active_quote": lambda d: any(q.activated_at is not None for q in d.quotes),
    "estimated_close_date": lambda d: _opportunity(d, "estimated_close_date"),
}


def _step(key: str, name: str, field: str | None = None, required: bool = False) -> ProcessStep:
    return ProcessStep(key=key, name=name, field=field, required=required)


# Dynamics 365's "Lead to Opportunity Sales Process": what a deal follows unless told otherwise.
LEAD_TO_OPPORTUNITY = ProcessDefinition(
    name="Lead to opportunity",
    stages=[
        StageSteps(
            stage=Stage.qualify,
            steps=[
                _step("identify_contact", "Identify contact", "contact", required=True),
                _step("identify_account", "Identify account", "account", required=True),
                _step("purchase_timeframe", "Purchase timeframe", "purchase_timeframe"),
                _step("estimated_budget", "Estimated budget", "estimated_budget"),
                _step("purchase_process", "Purchase process", "purchase_process"),
                _step("identify_decision_maker", "Identify decision maker", "decision_maker"),
                _step("capture_summary", "Capture summary", "description"),
            ],
        ),
        StageSteps(
            stage=Stage.develop,
            steps=[
                _step("customer_need", "Customer need", "customer_need", required=True),
                _step("proposed_solution", "Proposed solution", "proposed_solution"),
                _step("identify_stakeholders", "Identify stakeholders", "stakeholders"),
                _step("identify_competitors", "Identify competitors", "competitors"),
            ],
        ),
        StageSteps(
            stage=Stage.propose,
            steps=[
                _step("identify_sales_team", "Identify sales team"),
                _step("develop_proposal", "Develop proposal", "quote", required=True),
                _step("complete_internal_review", "Complete internal review"),
                _step("present_proposal", "Present proposal"),
            ],
        ),
        StageSteps(
            stage=Stage.close,
            steps=[
                _step("complete_final_proposal", "Complete final proposal", "active_quote"),
                _step("present_final_proposal", "Present final proposal"),
                _step("confirm_decision_date", "Confirm decision date", "estimated_close_date"),
                _step("send_thank_you", "Send thank you"),
                _step("file_debrief", "File debrief"),
            ],
        ),
    ],
)


def step_done(deal: DealState, step: ProcessStep) -> bool:
    """Its field is filled on the deal, or a person marked it done."""
    if step.key in deal.marked_steps:
        return True
    check = FIELDS.get(step.field) if step.field else None
    return check is not None and check(deal)


class StepView(BaseModel):
    key: StepKey
    name: str
    required: bool
    done: bool
    field: str | None = None


class StageView(BaseModel):
    stage: Stage
    active: bool
    complete: bool
    steps: list[StepView]


class ProcessView(BaseModel):
    """The stage bar: the active stage, each stage's steps done or not, the share complete."""

    deal_id: str
    process: str
    process_id: uuid.UUID | None = None
    active_stage: Stage
    stages: list[StageView]
    steps_done: int
    steps_total: int
    percent_complete: int


def process_view(definition: ProcessDefinition, deal: DealState) -> ProcessView:
    stages = []
    for stage in PROCESS_STAGES:
        steps = [
            StepView(
                key=s.key, name=s.name, required=s.required, done=step_done(deal, s), field=s.field
            )
            for s in definition.steps_of(stage)
        ]
        stages.append(
            StageView(
                stage=stage,
                active=deal.stage is stage,
                complete=all(s.done for s in steps),
                steps=steps,
            )
        )
    every = [s for stage_view in stages for s in stage_view.steps]
    done = sum(1 for s in every if s.done)
    return ProcessView(
        deal_id=deal.deal_id,
        process=definition.name,
        process_id=definition.id,
        active_stage=deal.stage,
        stages=stages,
        steps_done=done,
        steps_total=len(every),
        percent_complete=(done * 100 // len(every)) if every else 100,
    )


# The actions that take a deal out of a stage, forward: the stages they leave.
LEAVES: dict[str, frozenset[Stage]] = {
    "qualify": frozenset({Stage.qualify}),
    "create_quote": frozenset({Stage.develop}),
    "activate": frozenset({Stage.propose}),
    "accept": frozenset({Stage.close}),
    "win": frozenset({Stage.develop, Stage.propose, Stage.close}),
}


def missing_steps(definition: ProcessDefinition, deal: DealState, stage: Stage) -> list[str]:
    """The names of the stage's required steps not done yet."""
    return [s.name for s in definition.steps_of(stage) if s.required and not step_done(deal, s)]


def check_required_steps(definition: ProcessDefinition, deal: DealState, action: str) -> None:
    """Leaving a stage needs its required steps done (when the organisation enforces them)."""
    stage = deal.stage
    if stage not in LEAVES.get(action, frozenset()):
        return
    missing = missing_steps(definition, deal, stage)
    if missing:
        record, _ = deal.main_record
        raise IllegalTransition(
            record,
            stage,
            action,
            f"the {stage} stage's required steps are not done: {', '.join(missing)}",
        )


def unknown_fields(definition: ProcessDefinition) -> Iterable[str]:
    """Fields its steps name that no step can read."""
    return [
        s.field for st in definition.stages for s in st.steps if s.field and s.field not in FIELDS
    ]


# --- processes as records: an admin defines them ----------------------------------------------

# The lead-to-opportunity process's record, made by the migration that made the table.
LEAD_TO_OPPORTUNITY_ID = uuid.UUID("6a1f0d3e-5b7c-4e2a-9c1d-000000000001")


class ProcessStepInput(ProcessStep):
    """A step as an admin sends it: a field it does not declare is refused."""

    model_config = ConfigDict(extra="forbid")


class StageStepsInput(StageSteps):
    model_config = ConfigDict(extra="forbid")

    steps: list[ProcessStepInput] = PydanticField(default_factory=list, max_length=30)  # type: ignore[assignment]


def checked_stages(stages: list[StageStepsInput]) -> list[StageStepsInput]:
    """A process's stages each once, its step keys unique, the fields they read known."""
    seen_stages = [s.stage for s in stages]
    if len(set(seen_stages)) != len(seen_stages):
        raise ValueError("each stage at most once")
    if any(stage not in PROCESS_STAGES for stage in seen_stages):
        raise ValueError(f"stages are among {[s.value for s in PROCESS_STAGES]}")
    keys = [step.key for stage in stages for step in stage.steps]
    if len(set(keys)) != len(keys):
        raise ValueError("each step key at most once")
    unknown = [s.field for st in stages for s in st.steps if s.field and s.field not in FIELDS]
    if unknown:
        raise ValueError(f"unknown step fields {unknown}: fields are among {sorted(FIELDS)}")
    return stages


Stages = Annotated[list[StageStepsInput], AfterValidator(checked_stages)]


class BusinessProcessBase(SQLModel):
    name: str = Field(min_length=1, max_length=100, index=True)
    description: str | None = Field(default=None, max_length=2000)
    # What a deal follows when none is chosen (one process is the default).
    is_default: bool = False


class BusinessProcess(BusinessProcessBase, RecordTable, table=True):
    stages: list[dict[str, Any]] = Field(default_factory=list, sa_type=sa.JSON)


class BusinessProcessCreate(BusinessProcessBase, RequestFields):
    stages: Stages = PydanticField(min_length=1, max_length=len(PROCESS_STAGES))
    owner_id: uuid.UUID | None = None


class BusinessProcessUpdate(RequestFields):
    """Partial update: only the fields sent change. Deals that chose it keep the steps they had."""

    name: str | None = Field(default=None, min_length=1, max_length=100)
    description: str | None = Field(default=None, max_length=2000)
    is_default: bool | None = None
    stages: Stages | None = PydanticField(default=None, min_length=1, max_length=4)
    owner_id: uuid.UUID | None = None


class BusinessProcessPublic(BusinessProcessBase, RecordPublic):
    stages: list[StageSteps]


class BusinessProcessFilters(SQLModel):
    is_default: bool | None = None
    owner_id: uuid.UUID | None = None


def definition_of(process: BusinessProcess) -> ProcessDefinition:
    """What a deal that chooses it follows: its stages as they are now."""
    return ProcessDefinition.model_validate(
        {"id": process.id, "name": process.name, "stages": process.stages}
    )
