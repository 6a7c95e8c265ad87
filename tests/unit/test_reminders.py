"""When reminders fall due, as plain functions of the deal's state and what was already sent."""

import uuid
from datetime import UTC, date, datetime, timedelta

from models.deal.state import DealState, InvoiceSnapshot, LeadSnapshot, QuoteSnapshot
from models.invoice import InvoiceState, InvoiceStatus
from models.lead import LeadState, LeadStatus
from models.quote import QuoteState, QuoteStatus
from models.reminders import (
    ReminderKind,
    ReminderMemory,
    ReminderPolicy,
    ScheduledFollowUp,
    upcoming,
)

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
POLICY = ReminderPolicy(
    lead_follow_up_after=timedelta(days=3),
    lead_follow_up_repeats=2,
    quote_follow_up_after=timedelta(days=7),
    invoice_reminder_after=timedelta(hours=9),
)


def open_lead(**more: object) -> DealState:
    return DealState.model_validate(
        {
            "deal_id": "deal-1",
            "lead": LeadSnapshot(
                id=uuid.uuid4(), state=LeadState.open, status_reason=LeadStatus.new
            ),
            **more,
        }
    )


def test_an_untouched_lead_is_followed_up_every_n_days_then_flagged_stale() -> None:
    state, memory = open_lead(), ReminderMemory(last_touch_at=T0)
    (first,) = upcoming(state, POLICY, memory)
    assert (first.kind, first.at) == (ReminderKind.lead_follow_up, T0 + timedelta(days=3))

    memory = memory.settle(first)
    (second,) = upcoming(state, POLICY, memory)
    assert (second.kind, second.at) == (ReminderKind.lead_follow_up, T0 + timedelta(days=6))

    memory = memory.settle(second)
    (stale,) = upcoming(state, POLICY, memory)
    assert (stale.kind, stale.at) == (ReminderKind.lead_stale, T0 + timedelta(days=9))
    assert upcoming(state, POLICY, memory.settle(stale)) == []


def test_a_lead_whose_follow_ups_all_went_unanswered_is_escalated_as_it_turns_stale() -> None:
    state, memory = open_lead(), ReminderMemory(last_touch_at=T0)
    for _ in range(2):
        memory = memory.settle(upcoming(state, POLICY, memory, escalate=True)[0])
    stale, escalation = upcoming(state, POLICY, memory, escalate=True)
    assert (stale.kind, escalation.kind) == (ReminderKind.lead_stale, ReminderKind.escalation)
    assert escalation.at == stale.at == T0 + timedelta(days=9)
    assert escalation.subject == "Stalled lead: 2 follow-ups unanswered"
    settled = memory.settle(stale).settle(escalation)
    assert upcoming(state, POLICY, settled, escalate=True) == []


def test_a_touch_before_then_puts_the_escalation_off_with_the_follow_ups() -> None:
    state, memory = open_lead(), ReminderMemory(last_touch_at=T0)
    for _ in range(2):
        memory = memory.settle(upcoming(state, POLICY, memory, escalate=True)[0])
    touched = memory.touched(T0 + timedelta(days=8))
    (follow_up,) = upcoming(state, POLICY, touched, escalate=True)
    assert follow_up.kind is ReminderKind.lead_follow_up


def test_a_run_that_does_not_escalate_only_flags_the_lead_stale() -> None:
    state, memory = open_lead(), ReminderMemory(last_touch_at=T0)
    for _ in range(2):
        memory = memory.settle(upcoming(state, POLICY, memory)[0])
    assert [d.kind for d in upcoming(state, POLICY, memory)] == [ReminderKind.lead_stale]


def test_touching_the_deal_starts_the_follow_ups_over() -> None:
    state, memory = open_lead(), ReminderMemory(last_touch_at=T0)
    first = upcoming(state, POLICY, memory)[0]
    touched = memory.settle(first).touched(T0 + timedelta(days=4))
    (again,) = upcoming(state, POLICY, touched)
    assert again.kind is ReminderKind.lead_follow_up
    assert again.at == T0 + timedelta(days=7)
    assert again.key != first.key


def test_a_stale_or_closed_lead_has_no_follow_up() -> None:
    stale = open_lead()
    assert stale.lead is not None
    stale.lead.is_stale = True
    assert upcoming(stale, POLICY, ReminderMemory(last_touch_at=T0)) == []
    closed = open_lead()
    assert closed.lead is not None
    closed.lead.state = LeadState.qualified
    assert upcoming(closed, POLICY, ReminderMemory(last_touch_at=T0)) == []


def test_an_active_quote_is_followed_up_and_expires_the_day_after_effective_to() -> None:
    quote = QuoteSnapshot(
        id=uuid.uuid4(),
        state=QuoteState.active,
        status_reason=QuoteStatus.in_progress,
        revision_number=0,
        quote_number="QUO-1",
        activated_at=T0 + timedelta(days=1),
        effective_to=date(2026, 12, 31),
    )
    state = DealState(deal_id="deal-1", quotes=[quote])
    follow_up, expiry = upcoming(state, POLICY, ReminderMemory(last_touch_at=T0))
    assert (follow_up.kind, follow_up.at) == (ReminderKind.quote_follow_up, T0 + timedelta(days=8))
    assert (expiry.kind, expiry.at) == (
        ReminderKind.quote_expiry,
        datetime(2027, 1, 1, tzinfo=UTC),
    )
    settled = ReminderMemory(last_touch_at=T0).settle(follow_up)
    assert [d.kind for d in upcoming(state, POLICY, settled)] == [ReminderKind.quote_expiry]


def test_an_unpaid_invoice_is_overdue_after_its_due_date_plus_the_grace() -> None:
    invoice = InvoiceSnapshot(
        id=uuid.uuid4(),
        order_id=None,
        state=InvoiceState.active,
        status_reason=InvoiceStatus.partially_paid,
        total_amount=10,
        due_date=date(2026, 12, 1),
    )
    state = DealState(deal_id="deal-1", invoices=[invoice])
    (overdue,) = upcoming(state, POLICY, ReminderMemory(last_touch_at=T0))
    assert overdue.at == datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
    invoice.status_reason = InvoiceStatus.overdue
    assert upcoming(state, POLICY, ReminderMemory(last_touch_at=T0)) == []


def test_scheduled_follow_ups_fire_once_at_their_time() -> None:
    follow_up = ScheduledFollowUp(id=uuid.uuid4(), due_at=T0 + timedelta(hours=2), subject="Call")
    memory = ReminderMemory(last_touch_at=T0, follow_ups=[follow_up])
    state = DealState(deal_id="deal-1", quotes=[])
    (due,) = [d for d in upcoming(open_lead(), POLICY, memory) if d.kind is ReminderKind.scheduled]
    assert (due.at, due.subject) == (follow_up.due_at, "Call")
    settled = memory.settle(due)
    assert settled.follow_ups == []
    assert upcoming(state, POLICY, settled) == []
