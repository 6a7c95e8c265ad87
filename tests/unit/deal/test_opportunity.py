"""A deal's opportunity (models/deal/opportunity.py): opened directly, edited, won, lost, reopened;
each rule's refusals and each effect's records."""

import uuid
from datetime import date
from decimal import Decimal

import pytest
from pydantic import ValidationError

from models.deal.lines import AddLine, RemoveLine
from models.deal.opportunity import (
    CreateOpportunity,
    Lose,
    Reopen,
    UpdateOpportunity,
    Win,
    apply_create_opportunity,
    apply_lose,
    apply_reopen,
    apply_update_opportunity,
    apply_win,
    check_create_opportunity,
    check_lose,
    check_reopen,
    check_update_opportunity,
    check_win,
)
from models.deal.quote import (
    Accept,
    Activate,
    CreateQuote,
    check_accept,
    check_activate,
    check_create_quote,
)
from models.deal.records import Deal, opportunity_value
from models.deal.state import Outcome, Stage
from models.errors import IllegalTransition, InvalidField
from models.line_item import Document, LineInput, LineItemRecord
from models.opportunity import (
    OpportunityCreate,
    OpportunityRecord,
    OpportunityState,
    OpportunityStatus,
)
from models.quote import QuoteRecord, QuoteState, QuoteStatus
from tests.unit.deal.builders import (
    DEAL_ID,
    NOW,
    OWNER,
    SELLER,
    TODAY,
    FakeSharedRecords,
    invoice_deal,
    lead_deal,
    new_deal,
    opportunity_record,
    qualified_deal,
    run,
    step,
    the,
    with_quote,
)


def lost_deal() -> Deal:
    return qualified_deal(
        opportunity={
            "state": OpportunityState.lost,
            "status_reason": OpportunityStatus.out_sold,
            "actual_revenue": Decimal(0),
            "actual_close_date": date(2026, 11, 1),
            "winning_competitor_id": uuid.uuid4(),
            "close_description": "Went with Contoso",
        }
    )


def the_opportunity(records: tuple[object, ...]) -> OpportunityRecord:
    (opportunity,) = the(records, OpportunityRecord)
    return opportunity


# --- create_opportunity -----------------------------------------------------------------------


def test_an_opportunity_opened_directly_starts_in_develop_with_its_lines_totalled() -> None:
    shared = FakeSharedRecords()
    customer = shared.add_account("Northwind")
    action = CreateOpportunity(
        opportunity_id=uuid.uuid4(),
        opportunity=OpportunityCreate(name="Fit-out", owner_id=OWNER, account_id=customer.id),
        lines=[
            LineInput(
                write_in_description="Desk", quantity=Decimal(3), price_per_unit=Decimal(250)
            ),
            LineInput(
                write_in_description="Chair",
                quantity=Decimal(3),
                price_per_unit=Decimal("99.99"),
                manual_discount=Decimal("10"),
            ),
        ],
    )
    check_create_opportunity(new_deal().snapshot(), action, TODAY)
    effect = apply_create_opportunity(new_deal(), action, step(shared=shared))

    opportunity = the_opportunity(effect.created)
    assert (opportunity.id, opportunity.deal_id, opportunity.name) == (
        action.opportunity_id,
        DEAL_ID,
        "Fit-out",
    )
    assert opportunity.owner_id == OWNER
    lines = the(effect.created, LineItemRecord)
    assert [(li.line_number, li.extended_amount) for li in lines] == [
        (1, Decimal("750.00")),
        (2, Decimal("289.97")),
    ]
    assert {(li.document, li.document_id) for li in lines} == {
        (Document.opportunity, opportunity.id)
    }
    assert opportunity.total_amount == Decimal("1039.97")
    assert (effect.record, effect.record_id) == ("opportunity", opportunity.id)
    assert effect.summary == "Opportunity created: Fit-out"
    after = new_deal().after(effect).snapshot()
    assert after.stage is Stage.develop
    assert after.value == Decimal("1039.97")


def test_an_opportunity_opened_without_owner_is_owned_by_whoever_opened_it() -> None:
    action = CreateOpportunity(opportunity_id=uuid.uuid4(), opportunity=OpportunityCreate(name="x"))
    assert the_opportunity(
        apply_create_opportunity(new_deal(), action, step()).created
    ).owner_id == (SELLER)


def test_a_line_without_a_price_names_the_price_field() -> None:
    shared = FakeSharedRecords()
    action = CreateOpportunity(
        opportunity_id=uuid.uuid4(),
        opportunity=OpportunityCreate(name="x"),
        lines=[LineInput(product_id=shared.add_to_catalog("product"), quantity=Decimal(1))],
    )
    with pytest.raises(InvalidField) as refused:
        apply_create_opportunity(new_deal(), action, step(shared=shared))
    assert refused.value.field == "price_per_unit"


def test_cannot_open_an_opportunity_on_a_deal_that_has_records() -> None:
    action = CreateOpportunity(opportunity_id=uuid.uuid4(), opportunity=OpportunityCreate(name="x"))
    with pytest.raises(IllegalTransition) as refused:
        check_create_opportunity(lead_deal().snapshot(), action, TODAY)
    assert (refused.value.record, refused.value.state) == ("opportunity", "exists")


# --- update_opportunity -----------------------------------------------------------------------


def test_an_edit_changes_only_the_fields_sent() -> None:
    deal = qualified_deal()
    action = UpdateOpportunity(changes={"probability": 60, "estimated_close_date": "2027-01-31"})
    check_update_opportunity(deal.snapshot(), action, TODAY)
    effect = apply_update_opportunity(deal, action, step())
    (opportunity,) = effect.changed
    assert isinstance(opportunity, OpportunityRecord)
    assert (opportunity.probability, opportunity.estimated_close_date) == (60, date(2027, 1, 31))
    assert opportunity.name == "10 desks"
    assert (opportunity.modified_at, opportunity.modified_by) == (NOW, SELLER)
    assert effect.summary == "Opportunity updated: estimated_close_date, probability"


def test_an_estimate_entered_by_hand_is_what_the_deal_is_worth() -> None:
    deal = qualified_deal("100.00")
    assert deal.snapshot().value == Decimal("200.00")
    action = UpdateOpportunity(
        changes={"estimated_revenue": "5000", "is_revenue_system_calculated": False}
    )
    assert deal.after(apply_update_opportunity(deal, action, step())).snapshot().value == Decimal(
        "5000"
    )


def test_an_edit_may_not_clear_the_opportunitys_name() -> None:
    with pytest.raises(InvalidField) as refused:
        apply_update_opportunity(
            qualified_deal(), UpdateOpportunity(changes={"name": None}), step()
        )
    assert refused.value.field == "name"


@pytest.mark.parametrize("state", [OpportunityState.won, OpportunityState.lost])
def test_only_an_open_opportunity_can_be_edited(state: OpportunityState) -> None:
    deal = qualified_deal(opportunity={"state": state})
    with pytest.raises(IllegalTransition) as refused:
        check_update_opportunity(deal.snapshot(), UpdateOpportunity(changes={}), TODAY)
    assert (refused.value.state, refused.value.rule) == (
        state,
        "only an open opportunity can change",
    )


def test_a_deal_without_an_opportunity_has_none_to_edit() -> None:
    with pytest.raises(IllegalTransition) as refused:
        check_update_opportunity(lead_deal().snapshot(), UpdateOpportunity(changes={}), TODAY)
    assert (refused.value.record, refused.value.state) == ("deal", Stage.qualify)
    assert refused.value.rule == "the deal has no opportunity"


# --- win --------------------------------------------------------------------------------------


def test_an_opportunity_won_without_a_quote_is_worth_its_lines_and_closes_today() -> None:
    deal = qualified_deal("100.00", "25.50")
    check_win(deal.snapshot(), Win(), TODAY)
    effect = apply_win(deal, Win(description="Signed on the phone"), step())
    (won,) = effect.changed
    assert isinstance(won, OpportunityRecord)
    assert (won.state, won.status_reason) == (OpportunityState.won, OpportunityStatus.won)
    assert won.actual_revenue == Decimal("251.00")
    assert won.actual_close_date == TODAY
    assert won.close_description == "Signed on the phone"
    assert (effect.record, effect.summary) == ("opportunity", "Opportunity won")
    after = deal.after(effect).snapshot()
    assert (after.stage, after.outcome) == (Stage.done, Outcome.won)
    assert after.value == Decimal("251.00")


def test_a_win_may_name_the_revenue_and_the_close_date() -> None:
    action = Win(actual_revenue=Decimal("180.00"), actual_close_date=date(2026, 11, 20))
    (won,) = apply_win(qualified_deal(), action, step()).changed
    assert isinstance(won, OpportunityRecord)
    assert (won.actual_revenue, won.actual_close_date) == (Decimal("180.00"), date(2026, 11, 20))


def test_a_won_opportunity_with_an_estimate_is_worth_the_estimate() -> None:
    deal = qualified_deal(
        opportunity={"estimated_revenue": Decimal(900), "is_revenue_system_calculated": False}
    )
    (won,) = apply_win(deal, Win(), step()).changed
    assert isinstance(won, OpportunityRecord)
    assert won.actual_revenue == Decimal("900")


def test_a_win_closes_the_draft_and_active_quotes_as_cancelled() -> None:
    deal = with_quote(
        with_quote(with_quote(qualified_deal(), QuoteState.draft), QuoteState.active),
        QuoteState.closed,
        status_reason=QuoteStatus.lost,
    )
    draft, active, closed = deal.quotes
    effect = apply_win(deal, Win(), step())
    quotes = {q.id: q for q in the(effect.changed, QuoteRecord)}
    assert set(quotes) == {draft.id, active.id}
    assert {(q.state, q.status_reason, q.closed_at) for q in quotes.values()} == {
        (QuoteState.closed, QuoteStatus.canceled, NOW)
    }
    assert deal.after(effect).get(QuoteRecord, closed.id) == closed


@pytest.mark.parametrize("state", [OpportunityState.won, OpportunityState.lost])
def test_only_an_open_opportunity_can_be_won(state: OpportunityState) -> None:
    with pytest.raises(IllegalTransition) as refused:
        check_win(qualified_deal(opportunity={"state": state}).snapshot(), Win(), TODAY)
    assert refused.value.rule == "only an open opportunity can change"


def test_a_deal_without_an_opportunity_cannot_be_won() -> None:
    with pytest.raises(IllegalTransition) as refused:
        check_win(invoice_deal().snapshot(), Win(), TODAY)
    assert (refused.value.record, refused.value.state) == ("deal", Stage.fulfill)


# --- lose -------------------------------------------------------------------------------------


def test_a_lost_opportunity_names_the_competitor_and_closes_its_quotes_as_lost() -> None:
    shared = FakeSharedRecords()
    contoso = shared.add_competitor()
    deal = with_quote(qualified_deal(), QuoteState.active)
    action = Lose(reason=OpportunityStatus.out_sold, competitor_id=contoso, description="Cheaper")
    check_lose(deal.snapshot(), action, TODAY)
    effect = apply_lose(deal, action, step(shared=shared))

    lost = the_opportunity(effect.changed)
    assert (lost.state, lost.status_reason) == (OpportunityState.lost, OpportunityStatus.out_sold)
    assert (lost.actual_revenue, lost.actual_close_date) == (Decimal(0), TODAY)
    assert (lost.winning_competitor_id, lost.close_description) == (contoso, "Cheaper")
    (quote,) = the(effect.changed, QuoteRecord)
    assert (quote.state, quote.status_reason) == (QuoteState.closed, QuoteStatus.lost)
    assert effect.summary == "Opportunity lost: out_sold"
    after = deal.after(effect).snapshot()
    assert (after.stage, after.outcome) == (Stage.done, Outcome.lost)


def test_a_lost_opportunity_may_be_cancelled_by_the_customer_on_a_given_date() -> None:
    action = Lose(reason=OpportunityStatus.canceled, actual_close_date=date(2026, 11, 2))
    lost = the_opportunity(apply_lose(qualified_deal(), action, step()).changed)
    assert (lost.status_reason, lost.actual_close_date) == (
        OpportunityStatus.canceled,
        date(2026, 11, 2),
    )
    assert lost.winning_competitor_id is None


@pytest.mark.parametrize(
    "reason", [OpportunityStatus.won, OpportunityStatus.in_progress, OpportunityStatus.on_hold]
)
def test_the_loss_reason_must_be_a_loss_status(reason: OpportunityStatus) -> None:
    with pytest.raises(InvalidField) as refused:
        check_lose(qualified_deal().snapshot(), Lose(reason=reason), TODAY)
    assert refused.value.field == "reason"


@pytest.mark.parametrize("active", [False, True], ids=["unknown", "inactive"])
def test_the_winning_competitor_must_be_an_active_one(active: bool) -> None:
    shared = FakeSharedRecords()
    competitor = shared.add_competitor(active=False) if active else uuid.uuid4()
    with pytest.raises(InvalidField) as refused:
        apply_lose(
            qualified_deal(),
            Lose(reason=OpportunityStatus.out_sold, competitor_id=competitor),
            step(shared=shared),
        )
    assert refused.value.field == "competitor_id"


def test_only_an_open_opportunity_can_be_lost() -> None:
    with pytest.raises(IllegalTransition) as refused:
        check_lose(
            qualified_deal(opportunity={"state": "won"}).snapshot(),
            Lose(reason=OpportunityStatus.out_sold),
            TODAY,
        )
    assert (refused.value.state, refused.value.rule) == (
        "won",
        "only an open opportunity can change",
    )


# --- reopen -----------------------------------------------------------------------------------


def test_a_reopened_opportunity_is_open_as_if_it_had_never_closed() -> None:
    deal = lost_deal()
    check_reopen(deal.snapshot(), Reopen(), TODAY)
    effect = apply_reopen(deal, Reopen(), step())
    (reopened,) = effect.changed
    assert isinstance(reopened, OpportunityRecord)
    assert (reopened.state, reopened.status_reason) == (
        OpportunityState.open,
        OpportunityStatus.in_progress,
    )
    assert (reopened.actual_revenue, reopened.actual_close_date) == (None, None)
    assert (reopened.winning_competitor_id, reopened.close_description) == (None, None)
    assert effect.summary == "Opportunity reopened"
    after = deal.after(effect).snapshot()
    assert (after.stage, after.outcome) == (Stage.develop, Outcome.open)


def test_the_quotes_of_a_lost_opportunity_stay_closed_when_it_reopens() -> None:
    deal = with_quote(qualified_deal(), QuoteState.active)
    shared = FakeSharedRecords()
    lost = deal.after(
        apply_lose(deal, Lose(reason=OpportunityStatus.out_sold), step(shared=shared))
    )
    reopened = lost.after(apply_reopen(lost, Reopen(), step()))
    (quote,) = reopened.quotes
    assert quote.state is QuoteState.closed
    with pytest.raises(IllegalTransition) as refused:
        check_activate(reopened.snapshot(), Activate(quote_id=quote.id), TODAY)
    assert refused.value.state == "closed"


@pytest.mark.parametrize("state", [OpportunityState.open, OpportunityState.won])
def test_only_a_lost_opportunity_can_reopen(state: OpportunityState) -> None:
    with pytest.raises(IllegalTransition) as refused:
        check_reopen(qualified_deal(opportunity={"state": state}).snapshot(), Reopen(), TODAY)
    assert (refused.value.state, refused.value.rule) == (
        state,
        "only a lost opportunity can reopen",
    )


def test_a_deal_without_an_opportunity_has_none_to_reopen() -> None:
    with pytest.raises(IllegalTransition) as refused:
        check_reopen(lead_deal().snapshot(), Reopen(), TODAY)
    assert refused.value.rule == "the deal has no opportunity"


# --- what an opportunity is worth -------------------------------------------------------------


def test_an_opportunity_is_worth_its_actual_revenue_else_its_estimate_else_its_lines() -> None:
    lines = {"total_amount": Decimal("300.00")}
    assert opportunity_value(opportunity_record(**lines)) == Decimal("300.00")
    estimated = {**lines, "estimated_revenue": Decimal(500)}
    assert opportunity_value(opportunity_record(**estimated)) == Decimal("300.00")
    by_hand = {**estimated, "is_revenue_system_calculated": False}
    assert opportunity_value(opportunity_record(**by_hand)) == Decimal(500)
    no_estimate = {**lines, "is_revenue_system_calculated": False}
    assert opportunity_value(opportunity_record(**no_estimate)) == Decimal("300.00")
    won = {**by_hand, "actual_revenue": Decimal(0)}
    assert opportunity_value(opportunity_record(**won)) == Decimal(0)


# --- rules found wrong: a customer, the system revenue, a reason to lose ------------------------


def test_an_opportunity_needs_a_customer_account_or_contact() -> None:
    action = CreateOpportunity(opportunity_id=uuid.uuid4(), opportunity=OpportunityCreate(name="x"))
    with pytest.raises(InvalidField) as refused:
        check_create_opportunity(new_deal().snapshot(), action, TODAY)
    assert refused.value.field == "account_id"
    for customer in ({"account_id": uuid.uuid4()}, {"contact_id": uuid.uuid4()}):
        sold = CreateOpportunity(
            opportunity_id=uuid.uuid4(),
            opportunity=OpportunityCreate.model_validate({"name": "x", **customer}),
        )
        check_create_opportunity(new_deal().snapshot(), sold, TODAY)


def test_an_edit_cannot_take_the_customer_away() -> None:
    deal = qualified_deal()
    clear = UpdateOpportunity(changes={"account_id": None})
    with pytest.raises(InvalidField) as refused:
        check_update_opportunity(deal.snapshot(), clear, TODAY)
    assert refused.value.field == "account_id"
    to_contact = UpdateOpportunity(changes={"account_id": None, "contact_id": str(uuid.uuid4())})
    check_update_opportunity(deal.snapshot(), to_contact, TODAY)


def test_an_opportunity_without_a_customer_is_neither_quoted_nor_ordered() -> None:
    legacy = qualified_deal(opportunity={"account_id": None})
    with pytest.raises(IllegalTransition) as refused:
        check_create_quote(legacy.snapshot(), CreateQuote(), TODAY)
    assert refused.value.rule == "the opportunity has no customer: set one"
    quoted = with_quote(legacy, QuoteState.active)
    with pytest.raises(IllegalTransition, match="no customer"):
        check_accept(quoted.snapshot(), Accept(quote_id=quoted.quotes[0].id), TODAY)


def test_a_system_calculated_revenue_is_the_lines_total_from_the_start() -> None:
    shared = FakeSharedRecords()
    customer = shared.add_account("Northwind")
    action = CreateOpportunity(
        opportunity_id=uuid.uuid4(),
        opportunity=OpportunityCreate(name="x", account_id=customer.id),
        lines=[
            LineInput(write_in_description="Desk", quantity=Decimal(2), price_per_unit=Decimal(50))
        ],
    )
    opportunity = the_opportunity(
        apply_create_opportunity(new_deal(), action, step(shared=shared)).created
    )
    assert (opportunity.total_amount, opportunity.estimated_revenue) == (100, 100)


def test_a_system_calculated_revenue_follows_every_line_change() -> None:
    deal = qualified_deal("100.00")
    opportunity = deal.opportunity
    assert opportunity is not None
    line = LineInput(write_in_description="Chair", quantity=Decimal(1), price_per_unit=Decimal(25))
    added = run(deal, AddLine(document_id=opportunity.id, line=line))
    assert added.opportunity is not None
    assert added.opportunity.estimated_revenue == Decimal("225.00")
    removed = run(added, RemoveLine(line_id=added.lines[0].id))
    assert removed.opportunity is not None
    assert removed.opportunity.estimated_revenue == Decimal("25.00")


def test_switching_back_to_a_system_revenue_drops_the_users_figure() -> None:
    deal = qualified_deal(
        "100.00",
        opportunity={"estimated_revenue": Decimal(900), "is_revenue_system_calculated": False},
    )
    back = run(deal, UpdateOpportunity(changes={"is_revenue_system_calculated": True}))
    assert back.opportunity is not None
    assert back.opportunity.estimated_revenue == Decimal("200.00")


def test_a_revenue_figure_sent_while_the_system_calculates_it_is_refused() -> None:
    deal = qualified_deal("100.00")
    with pytest.raises(InvalidField) as refused:
        run(deal, UpdateOpportunity(changes={"estimated_revenue": "5000"}))
    assert refused.value.field == "estimated_revenue"
    action = CreateOpportunity(
        opportunity_id=uuid.uuid4(),
        opportunity=OpportunityCreate(
            name="x", account_id=uuid.uuid4(), estimated_revenue=Decimal(10)
        ),
    )
    with pytest.raises(InvalidField, match="is_revenue_system_calculated"):
        check_create_opportunity(new_deal().snapshot(), action, TODAY)


def test_lose_needs_a_reason() -> None:
    with pytest.raises(ValidationError) as refused:
        Lose.model_validate({"action": "lose"})
    assert refused.value.errors()[0]["loc"] == ("reason",)


@pytest.mark.parametrize("amount", ["10.001", "0.005", "1E-3"])
def test_money_sent_has_at_most_the_currencys_two_decimals(amount: str) -> None:
    with pytest.raises(ValidationError) as refused:
        Win.model_validate({"action": "win", "actual_revenue": amount})
    assert refused.value.errors()[0]["loc"] == ("actual_revenue",)
    with pytest.raises(ValidationError):
        OpportunityCreate.model_validate({"name": "x", "estimated_revenue": amount})
    assert Win.model_validate({"action": "win", "actual_revenue": "10.10"}).actual_revenue == (
        Decimal("10.10")
    )
