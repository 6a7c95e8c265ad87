"""The transitions a deal offers now (models/deal/available.py): exactly those its rules allow."""

from datetime import timedelta

from models.deal.available import available_actions
from models.deal.records import Deal
from models.quote import QuoteState
from tests.unit.deal.builders import (
    TODAY,
    invoice_deal,
    lead_deal,
    order_deal,
    qualified_deal,
    quoted_deal,
    with_quote,
)


def offered(deal: Deal) -> list[str]:
    return [a.action for a in available_actions(deal.snapshot(), TODAY)]


def test_an_open_lead_offers_qualify_and_disqualify_only() -> None:
    assert offered(lead_deal()) == ["qualify", "disqualify"]


def test_an_open_opportunity_offers_products_a_quote_and_closing_it() -> None:
    assert offered(qualified_deal()) == ["add_line", "create_quote", "win", "lose"]


def test_a_draft_quote_can_be_activated_or_closed_but_not_accepted() -> None:
    deal = quoted_deal()
    (quote,) = deal.snapshot().quotes
    quote_actions = [
        a.action for a in available_actions(deal.snapshot(), TODAY) if a.record_id == quote.id
    ]
    assert quote_actions == ["activate", "close_quote"]


def test_an_active_quote_can_be_revised_accepted_or_closed() -> None:
    deal = quoted_deal(state=QuoteState.active)
    assert offered(deal) == [
        *("add_line", "create_quote", "win", "lose"),  # the opportunity's, still open
        *("revise", "accept", "close_quote"),
    ]


def test_an_expired_active_quote_is_not_offered_for_acceptance() -> None:
    deal = with_quote(qualified_deal(), QuoteState.active, effective_to=TODAY - timedelta(days=1))
    assert "accept" not in offered(deal)
    assert "revise" in offered(deal)


def test_a_quote_without_lines_is_not_offered_for_activation() -> None:
    deal = with_quote(qualified_deal(), QuoteState.draft)
    emptied = Deal(deal.deal_id, lead=deal.lead, opportunity=deal.opportunity, quotes=deal.quotes)
    assert "activate" not in offered(emptied)


def test_an_active_order_offers_submit_fulfil_invoice_and_cancel() -> None:
    assert offered(order_deal()) == ["submit_order", "fulfill", "invoice", "cancel_order"]


def test_an_unpaid_invoice_offers_a_payment_or_cancelling_it_a_paid_one_nothing() -> None:
    assert offered(invoice_deal("100.00")) == ["pay", "cancel_invoice"]
    assert offered(invoice_deal("100.00", "40.00")) == ["pay"]  # its payments come first
    assert offered(invoice_deal("100.00", "100.00")) == []
