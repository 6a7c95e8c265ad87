"""A deal's lead (models/deal/lead.py): created, edited, qualified, disqualified, reactivated,
flagged stale; each rule's refusals and each effect's records."""

import uuid
from collections.abc import Callable
from decimal import Decimal

import pytest
from pydantic import ValidationError

from models.account import AccountRecord
from models.contact import ContactRecord
from models.deal.lead import (
    CreateLead,
    Disqualify,
    FlagStale,
    Qualify,
    Reactivate,
    UpdateLead,
    apply_create_lead,
    apply_disqualify,
    apply_flag_stale,
    apply_qualify,
    apply_reactivate,
    apply_update_lead,
    check_create_lead,
    check_disqualify,
    check_flag_stale,
    check_qualify,
    check_reactivate,
    check_update_lead,
)
from models.deal.records import Deal
from models.deal.state import Outcome, Stage
from models.errors import IllegalTransition, InvalidField, NotFound
from models.lead import LeadCreate, LeadRecord, LeadState, LeadStatus
from models.opportunity import OpportunityRecord
from tests.unit.deal.builders import (
    DEAL_ID,
    NOW,
    OWNER,
    SELLER,
    TODAY,
    FakeSharedRecords,
    lead_deal,
    new_deal,
    order_deal,
    qualified_deal,
    run,
    step,
    the,
)

# --- create_lead ------------------------------------------------------------------------------


def create_lead(**fields: object) -> CreateLead:
    return CreateLead(
        lead_id=uuid.uuid4(),
        lead=LeadCreate.model_validate({"topic": "10 desks", "last_name": "Okafor", **fields}),
    )


def test_a_lead_opens_a_new_deal_in_the_qualify_stage() -> None:
    action = create_lead(company_name="Northwind", estimated_budget="5000")
    check_create_lead(new_deal().snapshot(), action, TODAY)
    effect = apply_create_lead(new_deal(), action, step())

    (lead,) = effect.created
    assert isinstance(lead, LeadRecord)
    assert (lead.id, lead.deal_id, lead.topic) == (action.lead_id, DEAL_ID, "10 desks")
    assert (lead.state, lead.status_reason) == (LeadState.open, LeadStatus.new)
    assert lead.estimated_budget == Decimal("5000")
    assert (effect.record, effect.record_id) == ("lead", action.lead_id)
    assert effect.summary == "Lead created: 10 desks"
    assert (effect.changed, effect.removed) == ((), ())
    assert new_deal().after(effect).snapshot().stage is Stage.qualify


def test_a_new_lead_is_owned_by_the_owner_named_else_by_whoever_created_it() -> None:
    (named,) = apply_create_lead(new_deal(), create_lead(owner_id=OWNER), step()).created
    (unnamed,) = apply_create_lead(new_deal(), create_lead(), step()).created
    assert (named.owner_id, named.created_by) == (OWNER, SELLER)
    assert (unnamed.owner_id, unnamed.created_by) == (SELLER, SELLER)
    assert named.created_at == named.modified_at == NOW


def test_a_new_leads_email_is_stored_lowercased_so_qualify_matches_it() -> None:
    (lead,) = apply_create_lead(
        new_deal(), create_lead(email="  Sam.Okafor@Northwind.Example "), step()
    ).created
    assert isinstance(lead, LeadRecord)
    assert lead.email == "sam.okafor@northwind.example"


@pytest.mark.parametrize(
    "existing", [lead_deal, qualified_deal, order_deal], ids=["lead", "opportunity", "order"]
)
def test_cannot_open_a_deal_twice(existing: Callable[[], Deal]) -> None:
    with pytest.raises(IllegalTransition, match="already has records") as refused:
        check_create_lead(existing().snapshot(), create_lead(), TODAY)
    assert (refused.value.record, refused.value.state) == ("lead", "exists")
    assert refused.value.rule == "the deal already has records"


# --- update_lead ------------------------------------------------------------------------------


def test_an_edit_changes_only_the_fields_sent_and_is_stamped() -> None:
    deal = lead_deal(job_title="Buyer", phone="+33 1 23")
    action = UpdateLead(changes={"job_title": "Head of purchasing", "estimated_budget": "900"})
    check_update_lead(deal.snapshot(), action, TODAY)
    effect = apply_update_lead(deal, action, step())

    (lead,) = effect.changed
    assert isinstance(lead, LeadRecord)
    assert lead.job_title == "Head of purchasing"
    assert lead.estimated_budget == Decimal("900")
    assert lead.phone == "+33 1 23"
    assert (lead.modified_at, lead.modified_by) == (NOW, SELLER)
    assert lead.created_by == OWNER
    assert effect.summary == "Lead updated: estimated_budget, job_title"
    assert effect.created == ()


def test_editing_a_stale_lead_clears_the_stale_flag() -> None:
    deal = lead_deal(is_stale=True)
    effect = apply_update_lead(deal, UpdateLead(changes={"phone": "+1 555"}), step())
    after = deal.after(effect).snapshot()
    assert after.lead is not None
    assert after.lead.is_stale is False


def test_an_edited_email_is_stored_lowercased() -> None:
    effect = apply_update_lead(lead_deal(), UpdateLead(changes={"email": "NEW@NW.example"}), step())
    (lead,) = effect.changed
    assert isinstance(lead, LeadRecord)
    assert lead.email == "new@nw.example"


def test_an_edit_may_not_clear_a_field_the_lead_requires() -> None:
    with pytest.raises(InvalidField) as refused:
        apply_update_lead(lead_deal(), UpdateLead(changes={"last_name": None}), step())
    assert refused.value.field == "last_name"
    assert refused.value.message == "may not be null"


def test_an_edit_breaking_a_fields_constraint_is_refused() -> None:
    """By the rule, so the workflow's validator refuses it before anything runs."""
    edit = UpdateLead(changes={"estimated_budget": "-1"})
    with pytest.raises(InvalidField) as refused:
        check_update_lead(lead_deal().snapshot(), edit, TODAY)
    assert refused.value.field == "estimated_budget"
    with pytest.raises(InvalidField):
        apply_update_lead(lead_deal(), edit, step())


def test_an_edit_naming_an_unknown_field_is_refused() -> None:
    edit = UpdateLead(changes={"topic": "New", "budget": "100"})
    with pytest.raises(InvalidField) as refused:
        check_update_lead(lead_deal().snapshot(), edit, TODAY)
    assert refused.value.field == "budget"
    assert "Extra inputs are not permitted" in refused.value.message


def test_an_edit_clearing_a_required_field_is_refused() -> None:
    with pytest.raises(InvalidField) as refused:
        check_update_lead(lead_deal().snapshot(), UpdateLead(changes={"topic": None}), TODAY)
    assert refused.value.field == "topic"


@pytest.mark.parametrize("state", [LeadState.qualified, LeadState.disqualified])
def test_only_an_open_lead_can_be_edited(state: LeadState) -> None:
    with pytest.raises(IllegalTransition) as refused:
        check_update_lead(lead_deal(state=state).snapshot(), UpdateLead(changes={}), TODAY)
    assert refused.value.state == state
    assert refused.value.rule == "only an open lead can change"


def test_a_deal_without_a_lead_has_no_lead_to_edit() -> None:
    with pytest.raises(NotFound) as refused:
        check_update_lead(order_deal().snapshot(), UpdateLead(changes={}), TODAY)
    assert (refused.value.record, refused.value.record_id) == ("lead", DEAL_ID)


# --- qualify ----------------------------------------------------------------------------------


def test_qualifying_creates_the_account_contact_and_opportunity_of_the_lead() -> None:
    deal = lead_deal(
        topic="10 desks",
        first_name="Sam",
        last_name="Okafor",
        company_name=" Northwind ",
        email="sam@northwind.example",
        phone="+33 1 23",
        job_title="Buyer",
        description="Wants them by March",
        owner_id=OWNER,
    )
    lead = deal.lead
    assert lead is not None
    check_qualify(deal.snapshot(), Qualify(), TODAY)
    effect = apply_qualify(deal, Qualify(), step())

    (account,) = the(effect.created, AccountRecord)
    assert (account.name, account.phone, account.owner_id) == ("Northwind", "+33 1 23", OWNER)
    (contact,) = the(effect.created, ContactRecord)
    assert (contact.first_name, contact.last_name) == ("Sam", "Okafor")
    assert (contact.email, contact.phone, contact.job_title) == (
        "sam@northwind.example",
        "+33 1 23",
        "Buyer",
    )
    assert contact.parent_account_id == account.id
    (opportunity,) = the(effect.created, OpportunityRecord)
    assert opportunity.name == "10 desks"
    assert (opportunity.account_id, opportunity.contact_id) == (account.id, contact.id)
    assert opportunity.originating_lead_id == lead.id
    assert opportunity.description == "Wants them by March"
    assert (opportunity.deal_id, opportunity.owner_id) == (DEAL_ID, OWNER)
    assert [type(r) for r in effect.created] == [AccountRecord, ContactRecord, OpportunityRecord]

    (qualified,) = effect.changed
    assert isinstance(qualified, LeadRecord)
    assert (qualified.state, qualified.status_reason) == (LeadState.qualified, LeadStatus.qualified)
    assert (qualified.account_id, qualified.contact_id) == (account.id, contact.id)
    assert qualified.opportunity_id == opportunity.id
    assert qualified.qualified_at == NOW
    assert (effect.record, effect.record_id) == ("opportunity", opportunity.id)
    assert effect.summary == "Lead qualified, opportunity created"


def test_a_qualified_lead_moves_the_deal_to_develop_worth_the_leads_budget() -> None:
    deal = lead_deal(estimated_budget="12500.00")
    after = deal.after(apply_qualify(deal, Qualify(), step())).snapshot()
    assert after.stage is Stage.develop
    assert after.outcome is Outcome.open
    assert after.opportunity is not None
    assert after.value == Decimal("12500.00")
    assert after.main_record == ("opportunity", after.opportunity.id)


def test_without_a_budget_the_opportunitys_revenue_is_calculated_from_its_lines() -> None:
    (opportunity,) = the(apply_qualify(lead_deal(), Qualify(), step()).created, OpportunityRecord)
    assert opportunity.is_revenue_system_calculated is True
    assert opportunity.estimated_revenue == 0
    (budgeted,) = the(
        apply_qualify(lead_deal(estimated_budget="700"), Qualify(), step()).created,
        OpportunityRecord,
    )
    assert budgeted.is_revenue_system_calculated is False
    assert budgeted.estimated_revenue == Decimal("700")


def test_qualify_may_name_the_opportunity_and_its_price_list() -> None:
    shared = FakeSharedRecords()
    price_list_id = shared.add_to_catalog("price list")
    action = Qualify(opportunity_name="Desks for the new office", price_list_id=price_list_id)
    effect = apply_qualify(lead_deal(), action, step(shared=shared))
    (opportunity,) = the(effect.created, OpportunityRecord)
    assert opportunity.name == "Desks for the new office"
    assert opportunity.price_list_id == price_list_id


def test_qualify_naming_an_unknown_price_list_is_refused_naming_it() -> None:
    action = Qualify(price_list_id=uuid.uuid4())
    with pytest.raises(InvalidField) as refused:
        apply_qualify(lead_deal(), action, step())
    assert refused.value.field == "price_list_id"


def test_qualifying_again_in_the_same_step_creates_the_same_records() -> None:
    """A retried step: the database refuses the twins, so nothing is created twice."""
    step_id = uuid.uuid4()
    first = apply_qualify(lead_deal(), Qualify(), step(step_id))
    retry = apply_qualify(lead_deal(), Qualify(), step(step_id))
    other = apply_qualify(lead_deal(), Qualify(), step())
    assert [r.id for r in first.created] == [r.id for r in retry.created]
    assert [uuid.uuid5(step_id, name) for name in ("account", "contact", "opportunity")] == [
        r.id for r in first.created
    ]
    assert not {r.id for r in first.created} & {r.id for r in other.created}


def test_qualify_uses_the_active_account_of_the_companys_name_instead_of_a_new_one() -> None:
    shared = FakeSharedRecords()
    northwind = shared.add_account("Northwind")
    effect = apply_qualify(lead_deal(company_name="Northwind"), Qualify(), step(shared=shared))
    assert the(effect.created, AccountRecord) == []
    (opportunity,) = the(effect.created, OpportunityRecord)
    (contact,) = the(effect.created, ContactRecord)
    assert opportunity.account_id == northwind.id
    assert contact.parent_account_id == northwind.id


def test_qualify_ignores_an_inactive_account_of_the_companys_name() -> None:
    shared = FakeSharedRecords()
    shared.add_account("Northwind", active=False)
    effect = apply_qualify(lead_deal(company_name="Northwind"), Qualify(), step(shared=shared))
    (account,) = the(effect.created, AccountRecord)
    assert account.name == "Northwind"


def test_qualify_uses_the_active_contact_with_the_leads_email_instead_of_a_new_one() -> None:
    shared = FakeSharedRecords()
    okafor = shared.add_contact("Okafor", "sam@northwind.example")
    effect = apply_qualify(lead_deal(email="sam@northwind.example"), Qualify(), step(shared=shared))
    assert the(effect.created, ContactRecord) == []
    (opportunity,) = the(effect.created, OpportunityRecord)
    assert opportunity.contact_id == okafor.id
    (lead,) = effect.changed
    assert isinstance(lead, LeadRecord)
    assert lead.contact_id == okafor.id


def test_qualify_with_existing_ids_uses_them_without_creating_any() -> None:
    shared = FakeSharedRecords()
    fabrikam = shared.add_account("Fabrikam")
    contact = shared.add_contact("Diaz", "diaz@fabrikam.example")
    action = Qualify(existing_account_id=fabrikam.id, existing_contact_id=contact.id)
    effect = apply_qualify(lead_deal(company_name="Some Other Name"), action, step(shared=shared))
    assert [type(r) for r in effect.created] == [OpportunityRecord]
    (opportunity,) = effect.created
    assert isinstance(opportunity, OpportunityRecord)
    assert (opportunity.account_id, opportunity.contact_id) == (fabrikam.id, contact.id)


def test_an_existing_id_wins_over_its_create_flag() -> None:
    shared = FakeSharedRecords()
    fabrikam = shared.add_account("Fabrikam")
    action = Qualify(create_account=False, existing_account_id=fabrikam.id)
    effect = apply_qualify(lead_deal(), action, step(shared=shared))
    (opportunity,) = the(effect.created, OpportunityRecord)
    assert opportunity.account_id == fabrikam.id


def test_qualify_with_an_existing_account_and_no_opportunity_closes_the_deal_qualified() -> None:
    shared = FakeSharedRecords()
    fabrikam = shared.add_account("Fabrikam")
    action = Qualify(
        create_account=False,
        existing_account_id=fabrikam.id,
        create_contact=False,
        create_opportunity=False,
    )
    deal = lead_deal()
    effect = apply_qualify(deal, action, step(shared=shared))
    assert effect.created == ()
    (lead,) = effect.changed
    assert isinstance(lead, LeadRecord)
    assert (lead.account_id, lead.contact_id, lead.opportunity_id) == (fabrikam.id, None, None)
    assert (effect.record, effect.record_id, effect.summary) == ("lead", lead.id, "Lead qualified")
    after = deal.after(effect).snapshot()
    assert after.opportunity is None
    assert (after.stage, after.outcome) == (Stage.done, Outcome.qualified)


@pytest.mark.parametrize(
    ("action", "field"),
    [
        (Qualify(existing_account_id=uuid.uuid4()), "existing_account_id"),
        (Qualify(existing_contact_id=uuid.uuid4()), "existing_contact_id"),
    ],
)
def test_qualify_with_an_unknown_account_or_contact_names_the_field(
    action: Qualify, field: str
) -> None:
    with pytest.raises(InvalidField) as refused:
        apply_qualify(lead_deal(), action, step())
    assert refused.value.field == field


def test_qualify_with_an_inactive_account_names_the_field() -> None:
    shared = FakeSharedRecords()
    closed = shared.add_account("Gone Ltd", active=False)
    with pytest.raises(InvalidField) as refused:
        apply_qualify(lead_deal(), Qualify(existing_account_id=closed.id), step(shared=shared))
    assert refused.value.field == "existing_account_id"
    assert refused.value.message == f"no active account {closed.id}"


def test_an_opportunity_needs_an_account_or_a_contact_as_customer() -> None:
    action = Qualify(create_account=False, create_contact=False)
    with pytest.raises(InvalidField) as refused:
        apply_qualify(lead_deal(), action, step())
    assert refused.value.field == "create_opportunity"


def test_a_lead_without_a_company_gets_a_contact_as_the_opportunitys_customer() -> None:
    effect = apply_qualify(lead_deal(company_name=None), Qualify(), step())
    assert the(effect.created, AccountRecord) == []
    (contact,) = the(effect.created, ContactRecord)
    (opportunity,) = the(effect.created, OpportunityRecord)
    assert contact.parent_account_id is None
    assert (opportunity.account_id, opportunity.contact_id) == (None, contact.id)


def test_cannot_qualify_a_lead_twice() -> None:
    with pytest.raises(IllegalTransition) as refused:
        check_qualify(qualified_deal().snapshot(), Qualify(), TODAY)
    assert refused.value.state == "qualified"
    assert refused.value.rule == "only an open lead can change"


def test_a_disqualified_lead_cannot_be_qualified() -> None:
    with pytest.raises(IllegalTransition) as refused:
        check_qualify(lead_deal(state=LeadState.disqualified).snapshot(), Qualify(), TODAY)
    assert refused.value.state == "disqualified"


# --- disqualify -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "reason",
    [
        LeadStatus.lost,
        LeadStatus.cannot_contact,
        LeadStatus.no_longer_interested,
        LeadStatus.canceled,
    ],
)
def test_a_disqualified_lead_closes_the_deal_with_its_reason(reason: LeadStatus) -> None:
    deal = lead_deal()
    action = Disqualify(reason=reason)
    check_disqualify(deal.snapshot(), action, TODAY)
    effect = apply_disqualify(deal, action, step())
    (lead,) = effect.changed
    assert isinstance(lead, LeadRecord)
    assert (lead.state, lead.status_reason) == (LeadState.disqualified, reason)
    assert effect.summary == f"Lead disqualified: {reason}"
    after = deal.after(effect).snapshot()
    assert (after.stage, after.outcome) == (Stage.done, Outcome.disqualified)


@pytest.mark.parametrize("reason", [LeadStatus.new, LeadStatus.contacted, LeadStatus.qualified])
def test_disqualify_reason_must_be_a_disqualify_status(reason: LeadStatus) -> None:
    with pytest.raises(InvalidField) as refused:
        check_disqualify(lead_deal().snapshot(), Disqualify(reason=reason), TODAY)
    assert refused.value.field == "reason"


def test_disqualify_needs_a_reason() -> None:
    with pytest.raises(ValidationError):
        Disqualify.model_validate({})


def test_cannot_disqualify_a_lead_with_an_opportunity() -> None:
    with pytest.raises(IllegalTransition) as refused:
        check_disqualify(qualified_deal().snapshot(), Disqualify(reason=LeadStatus.lost), TODAY)
    assert refused.value.state == "qualified"
    assert refused.value.rule == "the lead already has an opportunity"


def test_cannot_disqualify_a_lead_twice() -> None:
    deal = lead_deal(state=LeadState.disqualified, status_reason=LeadStatus.lost)
    with pytest.raises(IllegalTransition) as refused:
        check_disqualify(deal.snapshot(), Disqualify(reason=LeadStatus.lost), TODAY)
    assert refused.value.rule == "only an open lead can change"


# --- reactivate -------------------------------------------------------------------------------


def test_only_a_disqualified_lead_can_be_reactivated() -> None:
    disqualified = lead_deal(state=LeadState.disqualified, status_reason=LeadStatus.lost)
    check_reactivate(disqualified.snapshot(), Reactivate(), TODAY)
    for state in (LeadState.open, LeadState.qualified):
        with pytest.raises(IllegalTransition) as refused:
            check_reactivate(lead_deal(state=state).snapshot(), Reactivate(), TODAY)
        assert refused.value.state == state
        assert refused.value.rule == "only a disqualified lead can be reactivated"


def test_a_deal_without_a_lead_has_no_lead_to_reactivate() -> None:
    with pytest.raises(NotFound):
        check_reactivate(order_deal().snapshot(), Reactivate(), TODAY)


def test_a_reactivated_lead_opens_again_as_new_with_its_data_and_can_qualify() -> None:
    deal = lead_deal(
        state=LeadState.disqualified,
        status_reason=LeadStatus.cannot_contact,
        email="sam@northwind.example",
        phone="+33 1 23",
        is_stale=True,
    )
    effect = apply_reactivate(deal, Reactivate(), step())
    (lead,) = effect.changed
    assert isinstance(lead, LeadRecord)
    assert (lead.state, lead.status_reason, lead.is_stale) == (
        LeadState.open,
        LeadStatus.new,
        False,
    )
    assert (lead.email, lead.phone) == ("sam@northwind.example", "+33 1 23")
    assert effect.summary == "Lead reactivated"
    reopened = deal.after(effect)
    assert reopened.snapshot().stage is Stage.qualify
    check_qualify(reopened.snapshot(), Qualify(), TODAY)
    assert run(reopened, Qualify()).snapshot().stage is Stage.develop


# --- flag_stale -------------------------------------------------------------------------------


def test_an_unanswered_lead_is_flagged_stale_and_stays_open() -> None:
    deal = lead_deal()
    check_flag_stale(deal.snapshot(), FlagStale(), TODAY)
    effect = apply_flag_stale(deal, FlagStale(), step(by=None))
    (lead,) = effect.changed
    assert isinstance(lead, LeadRecord)
    assert (lead.is_stale, lead.state, lead.modified_by) == (True, LeadState.open, None)
    assert effect.summary == "Lead flagged stale: no answer to follow-ups"
    after = deal.after(effect).snapshot()
    assert after.lead is not None and after.lead.is_stale
    assert after.stage is Stage.qualify


def test_only_an_open_lead_is_flagged_stale() -> None:
    with pytest.raises(IllegalTransition) as refused:
        check_flag_stale(qualified_deal().snapshot(), FlagStale(), TODAY)
    assert refused.value.rule == "only an open lead can change"
