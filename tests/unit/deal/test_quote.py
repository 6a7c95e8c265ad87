"""A deal's quotes (models/deal/quote.py): drafted from the opportunity, edited, activated,
revised, closed, accepted into an order, expired; each rule's refusals and each effect's records."""

import uuid
from datetime import timedelta
from decimal import Decimal

import pytest

from models.deal.quote import (
    Accept,
    Activate,
    CloseQuote,
    CreateQuote,
    ExpireQuote,
    Revise,
    UpdateQuote,
    apply_accept,
    apply_activate,
    apply_close_quote,
    apply_create_quote,
    apply_expire_quote,
    apply_revise,
    apply_update_quote,
    check_accept,
    check_activate,
    check_close_quote,
    check_create_quote,
    check_expire_quote,
    check_revise,
    check_update_quote,
)
from models.deal.records import Deal
from models.deal.state import Outcome, Stage
from models.errors import IllegalTransition, InvalidField, NotFound
from models.line_item import Document, LineItemRecord
from models.opportunity import OpportunityRecord, OpportunityState, OpportunityStatus
from models.order import OrderRecord, OrderState, OrderStatus
from models.quote import QuoteFields, QuoteRecord, QuoteState, QuoteStatus
from tests.unit.deal.builders import (
    DEAL_ID,
    NOW,
    OWNER,
    TODAY,
    TOMORROW,
    YESTERDAY,
    deal_of,
    lead_deal,
    opportunity_record,
    qualified_deal,
    quoted_deal,
    run,
    step,
    the,
    with_quote,
)


def the_quote(deal: Deal) -> QuoteRecord:
    (quote,) = deal.quotes
    return quote


def quote_in(records: tuple[object, ...], quote_id: uuid.UUID) -> QuoteRecord:
    return next(q for q in the(records, QuoteRecord) if q.id == quote_id)


# --- create_quote -----------------------------------------------------------------------------


def test_a_quote_is_drafted_with_the_opportunitys_lines_at_revision_0() -> None:
    deal = qualified_deal("100.00", "20.00", opportunity={"owner_id": OWNER})
    opportunity = deal.opportunity
    assert opportunity is not None
    check_create_quote(deal.snapshot(), CreateQuote(), TODAY)
    effect = apply_create_quote(deal, CreateQuote(), step())

    quote, *lines = effect.created
    assert isinstance(quote, QuoteRecord)
    assert (quote.state, quote.status_reason) == (QuoteState.draft, QuoteStatus.in_progress)
    assert quote.revision_number == 0
    assert quote.quote_number == f"QUO-{quote.id.hex[:8].upper()}"
    assert (quote.name, quote.opportunity_id, quote.deal_id) == (
        "10 desks",
        opportunity.id,
        DEAL_ID,
    )
    assert quote.owner_id == OWNER
    assert quote.total_amount == Decimal("240.00")
    opportunity_lines = deal.lines_of(opportunity.id)
    assert [
        (li.document, li.document_id, li.line_number, li.price_per_unit, li.source_line_id)
        for li in the(tuple(lines), LineItemRecord)
    ] == [
        (Document.quote, quote.id, source.line_number, source.price_per_unit, source.id)
        for source in opportunity_lines
    ]
    assert (effect.record, effect.record_id) == ("quote", quote.id)
    assert effect.summary == f"Quote {quote.quote_number} created"
    assert deal.after(effect).snapshot().stage is Stage.propose


def test_a_quote_drafted_again_in_the_same_step_is_the_same_quote() -> None:
    step_id = uuid.uuid4()
    deal = qualified_deal("100.00", "20.00")
    first = apply_create_quote(deal, CreateQuote(), step(step_id))
    retry = apply_create_quote(deal, CreateQuote(), step(step_id))
    other = apply_create_quote(deal, CreateQuote(), step())
    assert [r.id for r in first.created] == [r.id for r in retry.created]
    assert first.created[0].id == uuid.uuid5(step_id, "quote")
    assert not {r.id for r in first.created} & {r.id for r in other.created}


def test_a_quote_may_be_drafted_with_its_own_name_and_terms() -> None:
    fields = QuoteFields(name="Desks, phase 1", payment_terms="Net 30", effective_to=TOMORROW)
    (quote,) = the(
        apply_create_quote(qualified_deal(), CreateQuote(quote=fields), step()).created, QuoteRecord
    )
    assert (quote.name, quote.payment_terms, quote.effective_to) == (
        "Desks, phase 1",
        "Net 30",
        TOMORROW,
    )


def test_effective_to_before_effective_from_names_effective_to() -> None:
    with pytest.raises(InvalidField) as refused:
        QuoteFields(effective_from=TOMORROW, effective_to=TODAY)
    assert refused.value.field == "effective_to"
    QuoteFields(effective_from=TODAY, effective_to=TODAY)


@pytest.mark.parametrize("state", [OpportunityState.won, OpportunityState.lost])
def test_only_an_open_opportunity_is_quoted(state: OpportunityState) -> None:
    with pytest.raises(IllegalTransition) as refused:
        check_create_quote(
            qualified_deal(opportunity={"state": state}).snapshot(), CreateQuote(), TODAY
        )
    assert refused.value.rule == "only an open opportunity can change"


def test_a_lead_is_not_quoted() -> None:
    with pytest.raises(IllegalTransition) as refused:
        check_create_quote(lead_deal().snapshot(), CreateQuote(), TODAY)
    assert refused.value.rule == "the deal has no opportunity"


# --- update_quote -----------------------------------------------------------------------------


def test_a_draft_quote_is_edited_field_by_field() -> None:
    deal = quoted_deal(payment_terms="Net 30")
    quote = the_quote(deal)
    changes = {"effective_to": TOMORROW.isoformat(), "ship_to_address": "1 Quay St"}
    action = UpdateQuote(quote_id=quote.id, changes=changes)
    check_update_quote(deal.snapshot(), action, TODAY)
    effect = apply_update_quote(deal, action, step())
    (edited,) = effect.changed
    assert isinstance(edited, QuoteRecord)
    assert (edited.effective_to, edited.ship_to_address) == (TOMORROW, "1 Quay St")
    assert edited.payment_terms == "Net 30"
    assert effect.summary == "Quote updated: effective_to, ship_to_address"


def test_an_edit_may_not_end_the_effective_range_before_its_start_already_set() -> None:
    deal = quoted_deal(effective_from=TOMORROW)
    action = UpdateQuote(quote_id=the_quote(deal).id, changes={"effective_to": TODAY.isoformat()})
    with pytest.raises(InvalidField) as refused:
        apply_update_quote(deal, action, step())
    assert refused.value.field == "effective_to"


def test_an_edit_sending_both_ends_backwards_names_effective_to() -> None:
    deal = quoted_deal()
    changes = {"effective_from": "2030-02-01", "effective_to": "2030-01-01"}
    with pytest.raises(InvalidField) as refused:
        apply_update_quote(deal, UpdateQuote(quote_id=the_quote(deal).id, changes=changes), step())
    assert refused.value.field == "effective_to"


@pytest.mark.parametrize("state", [QuoteState.active, QuoteState.won, QuoteState.closed])
def test_only_a_draft_quote_is_edited(state: QuoteState) -> None:
    deal = quoted_deal(state=state)
    with pytest.raises(IllegalTransition) as refused:
        check_update_quote(
            deal.snapshot(), UpdateQuote(quote_id=the_quote(deal).id, changes={}), TODAY
        )
    assert (refused.value.state, refused.value.rule) == (state, "the quote must be draft")


# --- activate ---------------------------------------------------------------------------------


def test_an_activated_quote_is_sendable_and_moves_the_deal_to_close() -> None:
    deal = quoted_deal()
    quote = the_quote(deal)
    check_activate(deal.snapshot(), Activate(quote_id=quote.id), TODAY)
    effect = apply_activate(deal, Activate(quote_id=quote.id), step())
    (active,) = effect.changed
    assert isinstance(active, QuoteRecord)
    assert (active.state, active.status_reason, active.activated_at) == (
        QuoteState.active,
        QuoteStatus.in_progress,
        NOW,
    )
    assert effect.summary == f"Quote {quote.quote_number} activated"
    assert deal.after(effect).snapshot().stage is Stage.close


def test_a_quote_without_lines_cannot_be_activated() -> None:
    deal = with_quote(deal_of(opportunity_record()), QuoteState.draft)  # no lines to copy
    with pytest.raises(IllegalTransition, match="no lines") as refused:
        check_activate(deal.snapshot(), Activate(quote_id=the_quote(deal).id), TODAY)
    assert refused.value.rule == "the quote has no lines"


def test_a_quote_past_its_effective_to_date_cannot_be_activated() -> None:
    deal = quoted_deal(effective_from=YESTERDAY - timedelta(days=6), effective_to=YESTERDAY)
    with pytest.raises(IllegalTransition) as refused:
        check_activate(deal.snapshot(), Activate(quote_id=the_quote(deal).id), TODAY)
    assert refused.value.rule == "the quote's effective-to date has passed"
    last_day = quoted_deal(effective_to=TODAY)
    check_activate(last_day.snapshot(), Activate(quote_id=the_quote(last_day).id), TODAY)


def test_a_quote_not_yet_effective_can_be_activated() -> None:
    deal = quoted_deal(effective_from=TOMORROW)
    check_activate(deal.snapshot(), Activate(quote_id=the_quote(deal).id), TODAY)


@pytest.mark.parametrize("state", [QuoteState.active, QuoteState.won, QuoteState.closed])
def test_only_a_draft_quote_is_activated(state: QuoteState) -> None:
    deal = quoted_deal(state=state)
    with pytest.raises(IllegalTransition) as refused:
        check_activate(deal.snapshot(), Activate(quote_id=the_quote(deal).id), TODAY)
    assert (refused.value.state, refused.value.rule) == (state, "the quote must be draft")


# --- revise -----------------------------------------------------------------------------------


def test_revising_closes_the_active_quote_and_drafts_the_next_revision_with_its_lines() -> None:
    deal = quoted_deal("10.00", "20.00", state=QuoteState.active, payment_terms="Net 30")
    old = the_quote(deal)
    check_revise(deal.snapshot(), Revise(quote_id=old.id), TODAY)
    effect = apply_revise(deal, Revise(quote_id=old.id), step())

    revision, *lines = effect.created
    assert isinstance(revision, QuoteRecord)
    assert revision.revision_number == old.revision_number + 1 == 1
    assert (revision.revises_quote_id, revision.quote_number) == (old.id, old.quote_number)
    assert (revision.state, revision.status_reason) == (QuoteState.draft, QuoteStatus.in_progress)
    assert (revision.activated_at, revision.closed_at) == (None, None)
    assert (revision.payment_terms, revision.total_amount) == ("Net 30", Decimal("60.00"))
    assert [
        (li.line_number, li.price_per_unit, li.source_line_id)
        for li in the(tuple(lines), LineItemRecord)
    ] == [
        (1, Decimal("10.00"), deal.lines_of(old.id)[0].id),
        (2, Decimal("20.00"), deal.lines_of(old.id)[1].id),
    ]
    (closed,) = effect.changed
    assert isinstance(closed, QuoteRecord)
    assert (closed.id, closed.state, closed.status_reason, closed.closed_at) == (
        old.id,
        QuoteState.closed,
        QuoteStatus.revised,
        NOW,
    )
    assert (effect.record, effect.record_id) == ("quote", revision.id)
    assert effect.summary == f"Quote {old.quote_number} revised to revision 1"
    assert deal.after(effect).snapshot().stage is Stage.propose


def test_each_revision_numbers_one_more_than_the_last() -> None:
    deal = quoted_deal(state=QuoteState.active)
    first = the_quote(deal)
    deal = deal.after(apply_revise(deal, Revise(quote_id=first.id), step()))
    second = next(q for q in deal.quotes if q.revises_quote_id == first.id)
    deal = run(deal, Activate(quote_id=second.id), Revise(quote_id=second.id))
    assert [(q.revision_number, q.state) for q in deal.quotes] == [
        (0, QuoteState.closed),
        (1, QuoteState.closed),
        (2, QuoteState.draft),
    ]
    assert {q.quote_number for q in deal.quotes} == {first.quote_number}


def test_the_old_revision_cannot_be_accepted() -> None:
    deal = quoted_deal(state=QuoteState.active)
    old = the_quote(deal)
    revised = deal.after(apply_revise(deal, Revise(quote_id=old.id), step()))
    with pytest.raises(IllegalTransition) as refused:
        check_accept(revised.snapshot(), Accept(quote_id=old.id), TODAY)
    assert refused.value.state == "closed"


def test_cannot_revise_a_draft_quote() -> None:
    deal = quoted_deal()
    with pytest.raises(IllegalTransition) as refused:
        check_revise(deal.snapshot(), Revise(quote_id=the_quote(deal).id), TODAY)
    assert (refused.value.state, refused.value.rule) == ("draft", "the quote must be active")


def test_a_closed_opportunitys_quote_is_not_revised() -> None:
    deal = with_quote(
        qualified_deal(opportunity={"state": OpportunityState.won}), QuoteState.active
    )
    with pytest.raises(IllegalTransition) as refused:
        check_revise(deal.snapshot(), Revise(quote_id=the_quote(deal).id), TODAY)
    assert refused.value.rule == "only an open opportunity can change"


# --- close_quote ------------------------------------------------------------------------------


@pytest.mark.parametrize("state", [QuoteState.draft, QuoteState.active])
@pytest.mark.parametrize("reason", [QuoteStatus.lost, QuoteStatus.canceled])
def test_a_draft_or_active_quote_is_closed_with_its_reason(
    state: QuoteState, reason: QuoteStatus
) -> None:
    deal = quoted_deal(state=state)
    action = CloseQuote(quote_id=the_quote(deal).id, reason=reason)
    check_close_quote(deal.snapshot(), action, TODAY)
    effect = apply_close_quote(deal, action, step())
    (closed,) = effect.changed
    assert isinstance(closed, QuoteRecord)
    assert (closed.state, closed.status_reason, closed.closed_at) == (
        QuoteState.closed,
        reason,
        NOW,
    )
    assert effect.summary == f"Quote {closed.quote_number} closed: {reason}"
    assert deal.after(effect).snapshot().stage is Stage.develop


@pytest.mark.parametrize(
    "reason", [QuoteStatus.won, QuoteStatus.revised, QuoteStatus.expired, QuoteStatus.in_progress]
)
def test_a_quote_closes_only_as_lost_or_cancelled(reason: QuoteStatus) -> None:
    deal = quoted_deal()
    with pytest.raises(InvalidField) as refused:
        check_close_quote(
            deal.snapshot(), CloseQuote(quote_id=the_quote(deal).id, reason=reason), TODAY
        )
    assert refused.value.field == "reason"


@pytest.mark.parametrize("state", [QuoteState.won, QuoteState.closed])
def test_a_won_or_closed_quote_is_not_closed_again(state: QuoteState) -> None:
    deal = quoted_deal(state=state)
    with pytest.raises(IllegalTransition) as refused:
        check_close_quote(deal.snapshot(), CloseQuote(quote_id=the_quote(deal).id), TODAY)
    assert (refused.value.state, refused.value.rule) == (state, "the quote must be draft or active")


# --- accept -----------------------------------------------------------------------------------


def test_accept_wins_the_quote_and_the_opportunity_at_the_quotes_total() -> None:
    deal = quoted_deal("100.00", "20.00", state=QuoteState.active)
    quote = the_quote(deal)
    check_accept(deal.snapshot(), Accept(quote_id=quote.id), TODAY)
    effect = apply_accept(deal, Accept(quote_id=quote.id), step())

    won = quote_in(effect.changed, quote.id)
    assert (won.state, won.status_reason, won.closed_at) == (QuoteState.won, QuoteStatus.won, NOW)
    (opportunity,) = the(effect.changed, OpportunityRecord)
    assert (opportunity.state, opportunity.status_reason) == (
        OpportunityState.won,
        OpportunityStatus.won,
    )
    assert opportunity.actual_revenue == quote.total_amount == Decimal("240.00")
    assert opportunity.actual_close_date == TODAY


def test_accept_creates_the_order_with_the_quotes_lines_at_the_quotes_total() -> None:
    deal = quoted_deal(
        "100.00", "20.00", state=QuoteState.active, ship_to_address="1 Quay St", name="Desks"
    )
    opportunity = deal.opportunity
    assert opportunity is not None
    quote = the_quote(deal)
    effect = apply_accept(deal, Accept(quote_id=quote.id), step())

    order, *lines = effect.created
    assert isinstance(order, OrderRecord)
    assert order.order_number == f"ORD-{order.id.hex[:8].upper()}"
    assert (order.state, order.status_reason) == (OrderState.active, OrderStatus.new)
    assert (order.name, order.ship_to_address) == ("Desks", "1 Quay St")
    assert (order.opportunity_id, order.quote_id) == (opportunity.id, quote.id)
    assert (order.account_id, order.contact_id, order.price_list_id) == (
        opportunity.account_id,
        opportunity.contact_id,
        opportunity.price_list_id,
    )
    assert order.total_amount == Decimal("240.00")
    assert order.owner_id == opportunity.owner_id
    quote_lines = deal.lines_of(quote.id)
    assert [
        (
            li.document,
            li.document_id,
            li.line_number,
            li.quantity,
            li.extended_amount,
            li.source_line_id,
        )
        for li in the(tuple(lines), LineItemRecord)
    ] == [
        (Document.order, order.id, q.line_number, q.quantity, q.extended_amount, q.id)
        for q in quote_lines
    ]
    assert (effect.record, effect.record_id) == ("order", order.id)
    assert (
        effect.summary == f"Quote {quote.quote_number} accepted, order {order.order_number} created"
    )
    after = deal.after(effect).snapshot()
    assert (after.stage, after.outcome) == (Stage.fulfill, Outcome.open)
    assert after.value == Decimal("240.00")


def test_an_accept_retried_in_the_same_step_creates_the_same_order() -> None:
    deal = quoted_deal("100.00", "20.00", state=QuoteState.active)
    action = Accept(quote_id=the_quote(deal).id)
    step_id = uuid.uuid4()
    first = apply_accept(deal, action, step(step_id))
    retry = apply_accept(deal, action, step(step_id))
    assert [r.id for r in first.created] == [r.id for r in retry.created]
    assert first.record_id == uuid.uuid5(step_id, "order")


def test_accept_closes_the_opportunitys_other_quotes() -> None:
    deal = with_quote(quoted_deal(state=QuoteState.active), QuoteState.draft)
    deal = with_quote(deal, QuoteState.active)
    deal = with_quote(deal, QuoteState.closed, status_reason=QuoteStatus.revised)
    accepted, draft, other_active, revised = deal.quotes
    effect = apply_accept(deal, Accept(quote_id=accepted.id), step())
    after = deal.after(effect)
    states = {q.id: (q.state, q.status_reason) for q in after.quotes}
    assert states == {
        accepted.id: (QuoteState.won, QuoteStatus.won),
        draft.id: (QuoteState.closed, QuoteStatus.canceled),
        other_active.id: (QuoteState.closed, QuoteStatus.canceled),
        revised.id: (QuoteState.closed, QuoteStatus.revised),
    }
    assert revised.id not in {r.id for r in effect.changed}


def test_an_expired_quote_cannot_be_accepted() -> None:
    expired = quoted_deal(state=QuoteState.active, effective_to=YESTERDAY)
    with pytest.raises(IllegalTransition) as refused:
        check_accept(expired.snapshot(), Accept(quote_id=the_quote(expired).id), TODAY)
    assert refused.value.state == "expired"
    assert refused.value.rule == "an expired quote cannot be accepted"
    last_day = quoted_deal(state=QuoteState.active, effective_to=TODAY)
    check_accept(last_day.snapshot(), Accept(quote_id=the_quote(last_day).id), TODAY)


def test_a_quote_not_yet_effective_cannot_be_accepted() -> None:
    deal = quoted_deal(state=QuoteState.active, effective_from=TOMORROW)
    with pytest.raises(IllegalTransition) as refused:
        check_accept(deal.snapshot(), Accept(quote_id=the_quote(deal).id), TODAY)
    assert (refused.value.state, refused.value.rule) == ("active", "the quote is not yet effective")
    first_day = quoted_deal(state=QuoteState.active, effective_from=TODAY)
    check_accept(first_day.snapshot(), Accept(quote_id=the_quote(first_day).id), TODAY)


@pytest.mark.parametrize("state", [QuoteState.draft, QuoteState.won, QuoteState.closed])
def test_only_an_active_quote_is_accepted(state: QuoteState) -> None:
    deal = quoted_deal(state=state)
    with pytest.raises(IllegalTransition) as refused:
        check_accept(deal.snapshot(), Accept(quote_id=the_quote(deal).id), TODAY)
    assert (refused.value.record, refused.value.state, refused.value.action) == (
        "quote",
        state,
        "accept",
    )
    assert refused.value.rule == "the quote must be active"


def test_unknown_quote_is_not_found() -> None:
    missing = uuid.uuid4()
    with pytest.raises(NotFound) as refused:
        check_accept(qualified_deal().snapshot(), Accept(quote_id=missing), TODAY)
    assert (refused.value.record, refused.value.record_id) == ("quote", str(missing))


# --- expire_quote -----------------------------------------------------------------------------


def test_an_active_quote_past_its_effective_to_date_expires() -> None:
    deal = quoted_deal(state=QuoteState.active, effective_to=YESTERDAY)
    quote = the_quote(deal)
    check_expire_quote(deal.snapshot(), ExpireQuote(quote_id=quote.id), TODAY)
    effect = apply_expire_quote(deal, ExpireQuote(quote_id=quote.id), step(by=None))
    (expired,) = effect.changed
    assert isinstance(expired, QuoteRecord)
    assert (expired.state, expired.status_reason, expired.closed_at) == (
        QuoteState.closed,
        QuoteStatus.expired,
        NOW,
    )
    assert effect.summary == f"Quote {quote.quote_number} expired"
    assert deal.after(effect).snapshot().stage is Stage.develop


@pytest.mark.parametrize("effective_to", [None, TODAY, TOMORROW], ids=["open", "today", "tomorrow"])
def test_a_quote_within_its_dates_does_not_expire(effective_to: object) -> None:
    deal = quoted_deal(state=QuoteState.active, effective_to=effective_to)
    with pytest.raises(IllegalTransition) as refused:
        check_expire_quote(deal.snapshot(), ExpireQuote(quote_id=the_quote(deal).id), TODAY)
    assert refused.value.rule == "the quote has not expired"


def test_only_an_active_quote_expires() -> None:
    deal = quoted_deal(effective_to=YESTERDAY)
    with pytest.raises(IllegalTransition) as refused:
        check_expire_quote(deal.snapshot(), ExpireQuote(quote_id=the_quote(deal).id), TODAY)
    assert refused.value.state == "draft"
