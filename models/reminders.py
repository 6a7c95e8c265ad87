"""When a deal's reminders are due, computed from its state: a change moves them, no bookkeeping.

Pure: the workflow passes the snapshot, its policy and what it remembers (last touch, what was
already sent), and gets back every pending reminder with the time it is due.
"""

import uuid
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, Field, PlainSerializer

from models.base import RequestModel
from models.deal.state import DealState
from models.invoice import InvoiceState, InvoiceStatus
from models.lead import LeadState
from models.order import OrderState
from models.quote import QuoteState

# The furthest ahead a reminder or follow-up may be set: a timer Temporal keeps, and a date
# that still adds up (a thousand years later would overflow the calendar).
LONGEST_DELAY = timedelta(days=3653)


def iso_duration(value: timedelta) -> str:
    """An ISO 8601 duration in days and time, as P400DT2H: never in years (pydantic writes
    P1Y35D, which RFC 3339's duration grammar, the OpenAPI `duration` format, does not allow,
    and a year has no fixed length anyway). `value` is not negative."""
    hours, rest = divmod(value.seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    second = f"{seconds}.{value.microseconds:06d}".rstrip("0") if value.microseconds else seconds
    time = "".join(f"{n}{unit}" for n, unit in ((hours, "H"), (minutes, "M"), (second, "S")) if n)
    days = f"{value.days}D" if value.days else ""
    if not (days or time):
        return "PT0S"
    return f"P{days}T{time}" if time else f"P{days}"


# A reminder's delay, written as `iso_duration` in JSON (read from any ISO 8601 form or seconds).
Delay = Annotated[timedelta, PlainSerializer(iso_duration, return_type=str, when_used="json")]


class ReminderPolicy(RequestModel):
    """Durations of a deal's automated reminders (the service's settings, overridable per deal)."""

    lead_follow_up_after: Delay = Field(default=timedelta(days=3), gt=0, le=LONGEST_DELAY)
    lead_follow_up_repeats: int = Field(default=3, ge=1, le=20)
    quote_follow_up_after: Delay = Field(default=timedelta(days=7), gt=0, le=LONGEST_DELAY)
    invoice_reminder_after: Delay = Field(default=timedelta(0), ge=0, le=LONGEST_DELAY)


class ScheduledFollowUp(BaseModel):
    """A follow-up a person scheduled on the deal."""

    id: uuid.UUID
    due_at: datetime
    subject: str = Field(min_length=1, max_length=200)
    by: uuid.UUID | None = None


class ReminderMemory(BaseModel):
    """What the workflow remembers between reminders, carried over on continue-as-new."""

    last_touch_at: datetime
    lead_follow_ups_sent: int = 0
    # Keys of reminders already sent (or found moot): each fires once.
    settled: list[str] = []
    follow_ups: list[ScheduledFollowUp] = []

    def touched(self, at: datetime) -> "ReminderMemory":
        """A person did something on the deal: follow-up clocks start over."""
        return self.model_copy(update={"last_touch_at": at, "lead_follow_ups_sent": 0})

    def settle(self, due: "Due") -> "ReminderMemory":
        return self.model_copy(
            update={
                "settled": [*self.settled, due.key],
                "lead_follow_ups_sent": self.lead_follow_ups_sent
                + (due.kind is ReminderKind.lead_follow_up),
                "follow_ups": [f for f in self.follow_ups if due.key != _follow_up_key(f)],
            }
        )


class ReminderKind(StrEnum):
    lead_follow_up = "lead_follow_up"
    lead_stale = "lead_stale"
    quote_follow_up = "quote_follow_up"
    quote_expiry = "quote_expiry"
    invoice_overdue = "invoice_overdue"
    scheduled = "scheduled"
    escalation = "escalation"
    payment_part_due = "payment_part_due"


class Due(BaseModel):
    kind: ReminderKind
    at: datetime
    record: str
    record_id: uuid.UUID | None
    subject: str
    # Names this reminder within its deal: the task it creates is keyed by deal and key.
    key: str


def _start_of_day_after(day: date) -> datetime:
    return datetime.combine(day + timedelta(days=1), time(0), tzinfo=UTC)


def upcoming(
    state: DealState,
    policy: ReminderPolicy,
    memory: ReminderMemory,
    escalate: bool = False,
    part_reminders: bool = False,
) -> list[Due]:
    """Every reminder the deal still has pending, soonest first. `escalate`: a lead whose
    follow-ups all went unanswered is escalated to its owner's manager when it turns stale.
    `part_reminders`: a payment schedule's part that falls due unbilled is a task to bill it."""
    due: list[Due] = []
    touch = memory.last_touch_at
    lead = state.lead
    if lead and lead.state is LeadState.open and not lead.is_stale:
        sent = memory.lead_follow_ups_sent
        at = touch + policy.lead_follow_up_after * (sent + 1)
        stale = sent >= policy.lead_follow_up_repeats
        due.append(
            Due(
                kind=ReminderKind.lead_stale if stale else ReminderKind.lead_follow_up,
                at=at,
                record="lead",
                record_id=lead.id,
                subject="Lead flagged stale: no answer to follow-ups"
                if stale
                else f"Follow up the lead ({sent + 1} of {policy.lead_follow_up_repeats})",
                key=f"lead:{lead.id}:{touch.isoformat()}:{sent + 1}",
            )
        )
        if stale and escalate:
            due.append(
                Due(
                    kind=ReminderKind.escalation,
                    at=at,
                    record="lead",
                    record_id=lead.id,
                    subject=f"Stalled lead: {policy.lead_follow_up_repeats} follow-ups unanswered",
                    key=f"escalate:{lead.id}:{touch.isoformat()}",
                )
            )
    for quote in state.quotes:
        if quote.state is not QuoteState.active:
            continue
        quiet_since = max(quote.activated_at or touch, touch)
        due.append(
            Due(
                kind=ReminderKind.quote_follow_up,
                at=quiet_since + policy.quote_follow_up_after,
                record="quote",
                record_id=quote.id,
                subject=f"Follow up quote {quote.quote_number}: no answer yet",
                key=f"quote:{quote.id}:{quiet_since.isoformat()}",
            )
        )
        if quote.effective_to:
            due.append(
                Due(
                    kind=ReminderKind.quote_expiry,
                    at=_start_of_day_after(quote.effective_to),
                    record="quote",
                    record_id=quote.id,
                    subject=f"Quote {quote.quote_number} expired",
                    key=f"quote-expired:{quote.id}",
                )
            )
    for invoice in state.invoices:
        if (
            invoice.state is InvoiceState.active
            and invoice.due_date
            and invoice.status_reason is not InvoiceStatus.overdue
        ):
            due.append(
                Due(
                    kind=ReminderKind.invoice_overdue,
                    at=_start_of_day_after(invoice.due_date) + policy.invoice_reminder_after,
                    record="invoice",
                    record_id=invoice.id,
                    subject=f"Invoice {invoice.invoice_number} is overdue",
                    key=f"invoice-overdue:{invoice.id}",
                )
            )
    if part_reminders:
        due.extend(parts_due(state))
    for follow_up in memory.follow_ups:
        due.append(
            Due(
                kind=ReminderKind.scheduled,
                at=follow_up.due_at,
                record="deal",
                record_id=None,
                subject=follow_up.subject,
                key=_follow_up_key(follow_up),
            )
        )
    return sorted((d for d in due if d.key not in memory.settled), key=lambda d: d.at)


def parts_due(state: DealState) -> list[Due]:
    """A reminder on the day each unbilled part of a live order's schedule falls due."""
    return [
        Due(
            kind=ReminderKind.payment_part_due,
            at=datetime.combine(part.due_date, time(0), tzinfo=UTC),
            record="order",
            record_id=order.id,
            subject=f"Bill part {part.number} ({part.name}) of order {order.order_number}: "
            "it is due",
            key=f"payment-part:{order.id}:{part.number}:{part.due_date.isoformat()}",
        )
        for order in state.orders
        if order.state not in (OrderState.canceled, OrderState.invoiced)
        for part in order.parts
        if part.due_date is not None and part.invoice_id is None
    ]


def _follow_up_key(follow_up: ScheduledFollowUp) -> str:
    return f"follow-up:{follow_up.id}"
