"""Business-process steps (models/process.py, models/deal/steps.py): a step is done when the deal
has its field filled or a person marked it; the stage bar; leaving a stage with required steps
missing is refused, naming them."""

import uuid
from decimal import Decimal

import pytest
from pydantic import ValidationError

from models.connection import StakeholderRole
from models.deal.connections import AddStakeholder, LinkCompetitor
from models.deal.lead import CreateLead
from models.deal.records import Deal
from models.deal.state import ProcessDefinition, ProcessStep, Stage, StageSteps
from models.deal.steps import (
    ChooseProcess,
    MarkStep,
    check_choose_process,
    check_mark_step,
    followed_process,
)
from models.deal_process import DealProcessRecord
from models.errors import IllegalTransition, InvalidField
from models.lead import LeadCreate, PurchaseProcess, PurchaseTimeframe
from models.opportunity import OpportunityState
from models.process import (
    FIELDS,
    LEAD_TO_OPPORTUNITY,
    BusinessProcessCreate,
    ProcessView,
    check_required_steps,
    process_view,
    unknown_fields,
)
from models.quote import QuoteState
from tests.unit.deal.builders import (
    TODAY,
    FakeSharedRecords,
    apply,
    lead_deal,
    new_deal,
    qualified_deal,
    run,
    step,
    the,
    with_quote,
)


def done_steps(view: ProcessView, stage: Stage) -> list[str]:
    (found,) = [s for s in view.stages if s.stage is stage]
    return [step.key for step in found.steps if step.done]


def anonymous_lead() -> Deal:
    """A lead with a topic and a last name only: no way to reach the person, no company."""
    return lead_deal(email=None, phone=None, company_name=None)


def test_the_default_process_has_dynamics_lead_to_opportunity_steps() -> None:
    keys = {stage.stage: [s.key for s in stage.steps] for stage in LEAD_TO_OPPORTUNITY.stages}
    assert keys[Stage.qualify][:6] == [
        "identify_contact",
        "identify_account",
        "purchase_timeframe",
        "estimated_budget",
        "purchase_process",
        "identify_decision_maker",
    ]
    assert keys[Stage.develop] == [
        "customer_need",
        "proposed_solution",
        "identify_stakeholders",
        "identify_competitors",
    ]
    assert "present_proposal" in keys[Stage.propose]
    assert "complete_final_proposal" in keys[Stage.close]
    assert list(unknown_fields(LEAD_TO_OPPORTUNITY)) == []


def test_qualify_steps_are_done_as_the_leads_fields_are_filled() -> None:
    view = process_view(LEAD_TO_OPPORTUNITY, anonymous_lead().snapshot())
    assert view.active_stage is Stage.qualify
    assert done_steps(view, Stage.qualify) == []

    lead = lead_deal(
        purchase_timeframe=PurchaseTimeframe.this_quarter,
        estimated_budget=Decimal("5000"),
        purchase_process=PurchaseProcess.committee,
        decision_maker_identified=True,
    )
    view = process_view(LEAD_TO_OPPORTUNITY, lead.snapshot())
    assert done_steps(view, Stage.qualify) == [
        "identify_contact",
        "identify_account",
        "purchase_timeframe",
        "estimated_budget",
        "purchase_process",
        "identify_decision_maker",
    ]
    assert (view.steps_done, view.steps_total) == (6, 20)
    assert view.percent_complete == 30


def test_develop_steps_read_the_opportunity_its_stakeholders_and_competitors() -> None:
    shared = FakeSharedRecords()
    contoso, sam = shared.add_competitor(), shared.add_contact("Okafor")
    deal = run(
        qualified_deal(opportunity={"customer_need": "Desks for 40", "proposed_solution": ""}),
        LinkCompetitor(competitor_id=contoso),
        AddStakeholder(contact_id=sam.id, role=StakeholderRole.decision_maker),
        shared=shared,
    )
    view = process_view(LEAD_TO_OPPORTUNITY, deal.snapshot())
    assert view.active_stage is Stage.develop
    assert done_steps(view, Stage.develop) == [
        "customer_need",
        "identify_stakeholders",
        "identify_competitors",
    ]
    assert "identify_decision_maker" in done_steps(view, Stage.qualify)  # the stakeholder's role


def test_a_step_no_field_fills_is_marked_done_and_undone() -> None:
    deal = run(with_quote(qualified_deal()), MarkStep(step="present_proposal"))
    assert deal.snapshot().marked_steps == ["present_proposal"]
    assert "present_proposal" in done_steps(
        process_view(LEAD_TO_OPPORTUNITY, deal.snapshot()), Stage.propose
    )

    effect = apply(deal, MarkStep(step="present_proposal", done=False))
    (record,) = the(effect.changed, DealProcessRecord)
    assert record.steps_done == []
    assert deal.after(effect).snapshot().marked_steps == []


def test_only_a_step_of_the_deals_process_can_be_marked() -> None:
    with pytest.raises(InvalidField) as refused:
        check_mark_step(qualified_deal().snapshot(), MarkStep(step="polish_shoes"), TODAY)
    assert refused.value.field == "step"


def test_a_closed_deals_steps_cannot_be_marked() -> None:
    lost = qualified_deal(opportunity={"state": OpportunityState.lost})
    with pytest.raises(IllegalTransition):
        check_mark_step(lost.snapshot(), MarkStep(step="present_proposal"), TODAY)


def test_qualify_with_required_steps_missing_is_refused_naming_them() -> None:
    with pytest.raises(IllegalTransition) as refused:
        check_required_steps(LEAD_TO_OPPORTUNITY, anonymous_lead().snapshot(), "qualify")
    assert refused.value.record == "lead"
    assert refused.value.rule == (
        "the Qualify stage's required steps are not done: Identify contact, Identify account"
    )


def test_qualify_with_the_required_steps_done_passes_the_gate() -> None:
    check_required_steps(LEAD_TO_OPPORTUNITY, lead_deal().snapshot(), "qualify")


def test_a_step_marked_done_counts_for_the_gate() -> None:
    deal = run(
        anonymous_lead(), MarkStep(step="identify_contact"), MarkStep(step="identify_account")
    )
    check_required_steps(LEAD_TO_OPPORTUNITY, deal.snapshot(), "qualify")


def test_the_first_quote_needs_the_customer_need() -> None:
    with pytest.raises(IllegalTransition) as refused:
        check_required_steps(LEAD_TO_OPPORTUNITY, qualified_deal().snapshot(), "create_quote")
    assert refused.value.rule.endswith("not done: Customer need")
    ready = qualified_deal(opportunity={"customer_need": "Desks"})
    check_required_steps(LEAD_TO_OPPORTUNITY, ready.snapshot(), "create_quote")


def test_actions_that_leave_no_stage_pass_the_gate() -> None:
    check_required_steps(LEAD_TO_OPPORTUNITY, anonymous_lead().snapshot(), "update_lead")
    check_required_steps(LEAD_TO_OPPORTUNITY, anonymous_lead().snapshot(), "disqualify")
    # A second quote does not leave Propose's steps behind: only the stage it is in counts.
    proposing = with_quote(qualified_deal(), QuoteState.draft)
    check_required_steps(LEAD_TO_OPPORTUNITY, proposing.snapshot(), "create_quote")


def test_every_field_a_step_may_read_answers_on_an_empty_deal() -> None:
    snapshot = Deal("deal-x").snapshot()
    assert not any(check(snapshot) for check in FIELDS.values())


# --- processes as data: chosen at the start, switched while open -----------------------------

RENEWAL = ProcessDefinition(
    name="Renewal",
    stages=[
        StageSteps(
            stage=Stage.qualify,
            steps=[ProcessStep(key="confirm_renewal_date", name="Confirm renewal date")],
        ),
        StageSteps(
            stage=Stage.develop,
            steps=[
                ProcessStep(
                    key="customer_need", name="Customer need", field="customer_need", required=True
                ),
                ProcessStep(key="present_proposal", name="Present proposal"),
            ],
        ),
    ],
)


def test_a_new_deal_follows_the_process_it_chose() -> None:
    shared = FakeSharedRecords()
    renewal = shared.add_process(RENEWAL)
    action = CreateLead(lead_id=uuid.uuid4(), lead=LeadCreate(topic="t", last_name="x"))
    effect = apply(
        new_deal(), action.model_copy(update={"process_id": renewal}), step(shared=shared)
    )
    (record,) = the(effect.created, DealProcessRecord)
    assert (record.process_id, record.process_name) == (renewal, "Renewal")
    state = new_deal().after(effect).snapshot()
    assert state.process is not None
    assert followed_process(state).name == "Renewal"
    view = process_view(followed_process(state), state)
    assert [s.key for s in view.stages[0].steps] == ["confirm_renewal_date"]


def test_a_new_deal_follows_the_default_process_when_none_is_chosen() -> None:
    shared = FakeSharedRecords()
    shared.add_process(RENEWAL, default=True)
    action = CreateLead(lead_id=uuid.uuid4(), lead=LeadCreate(topic="t", last_name="x"))
    state = new_deal().after(apply(new_deal(), action, step(shared=shared))).snapshot()
    assert followed_process(state).name == "Renewal"


def test_without_any_process_defined_a_deal_follows_lead_to_opportunity() -> None:
    action = CreateLead(lead_id=uuid.uuid4(), lead=LeadCreate(topic="t", last_name="x"))
    effect = apply(new_deal(), action)
    assert the(effect.created, DealProcessRecord) == []
    assert followed_process(new_deal().after(effect).snapshot()) == LEAD_TO_OPPORTUNITY


def test_a_deal_cannot_start_in_an_unknown_process() -> None:
    action = CreateLead(
        lead_id=uuid.uuid4(), lead=LeadCreate(topic="t", last_name="x"), process_id=uuid.uuid4()
    )
    with pytest.raises(InvalidField) as refused:
        apply(new_deal(), action)
    assert refused.value.field == "process_id"


def test_a_switched_deal_keeps_the_marks_its_new_process_also_has() -> None:
    shared = FakeSharedRecords()
    renewal = shared.add_process(RENEWAL)
    deal = run(
        qualified_deal(),
        MarkStep(step="present_proposal"),
        MarkStep(step="identify_sales_team"),
        ChooseProcess(process_id=renewal),
        shared=shared,
    )
    state = deal.snapshot()
    assert (state.process_id, state.marked_steps) == (renewal, ["present_proposal"])
    with pytest.raises(IllegalTransition) as refused:
        check_required_steps(followed_process(state), state, "create_quote")
    assert refused.value.rule.endswith("not done: Customer need")


def test_a_deal_is_not_switched_to_the_process_it_follows() -> None:
    shared = FakeSharedRecords()
    renewal = shared.add_process(RENEWAL)
    deal = run(qualified_deal(), ChooseProcess(process_id=renewal), shared=shared)
    with pytest.raises(IllegalTransition):
        check_choose_process(deal.snapshot(), ChooseProcess(process_id=renewal), TODAY)


def test_a_closed_deal_is_not_switched() -> None:
    lost = qualified_deal(opportunity={"state": OpportunityState.lost})
    with pytest.raises(IllegalTransition):
        check_choose_process(lost.snapshot(), ChooseProcess(process_id=uuid.uuid4()), TODAY)


def test_a_process_names_each_stage_and_step_once_and_only_known_fields_and_keys() -> None:
    step_a = {"key": "a", "name": "A"}
    for stages in (
        [{"stage": "Qualify", "steps": [step_a]}, {"stage": "Qualify", "steps": []}],
        [{"stage": "Qualify", "steps": [step_a, step_a]}],
        [{"stage": "Fulfill", "steps": [step_a]}],
        [{"stage": "Qualify", "steps": [{**step_a, "field": "shoe_size"}]}],
        [{"stage": "Qualify", "steps": [{**step_a, "colour": "red"}]}],
        [{"stage": "Qualify", "steps": [], "colour": "red"}],
    ):
        with pytest.raises(ValidationError):
            BusinessProcessCreate.model_validate({"name": "X", "stages": stages})
    BusinessProcessCreate.model_validate(
        {"name": "X", "stages": [{"stage": "Qualify", "steps": [step_a]}]}
    )
